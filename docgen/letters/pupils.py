"""A pupil as the letters see them: who they are, their attendance, and the people with
parental responsibility, grouped into households (one letter per address).

Education Act 1996 s.576: a "parent" includes anyone with parental responsibility, whether or
not they live with the child, so every such person gets a letter; two parents at one address
share one letter addressed to both, two addresses get two letters. A contact (or the whole
pupil) the DSL has marked "do not send" gets nothing, and nothing says why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from docgen.letters.attendance import Attendance
from docgen.report import RecordResult

# Relationships that mean parental responsibility when an export does not say (a mother has
# it; a father, step-parent or carer may not: the export's own column is what counts).
PARENT_WORDS = frozenset({"mother", "mum", "parent", "guardian", "special guardian"})


@dataclass(frozen=True)
class Contact:
    name: str
    relationship: str = ""
    title: str = ""
    responsibility: bool | None = None  # None: the export does not say
    address: tuple[str, ...] = ()  # postal lines, the postcode last
    salutation: str = ""
    do_not_send: bool = False

    @property
    def has_responsibility(self) -> bool:
        if self.responsibility is not None:
            return self.responsibility
        return self.relationship.strip().casefold() in PARENT_WORDS

    @property
    def formal_name(self) -> str:
        """``Ms Anna Nowak``: the title (if given) and the full name."""
        return f"{self.title} {self.name}" if self.title else self.name

    @property
    def greeting_name(self) -> str:
        """Who a letter greets: the export's salutation, else ``Ms Nowak``, else the name."""
        if self.salutation:
            text = self.salutation.strip()
            return text[5:].strip() if text.casefold().startswith("dear ") else text
        if self.title:
            return f"{self.title} {self.name.split()[-1]}"
        return self.name


def address_key(lines: tuple[str, ...]) -> str:
    """Two spellings of one address (case, spaces, commas) are one household."""
    return "".join(ch for ch in " ".join(lines).casefold() if ch.isalnum())


@dataclass(frozen=True)
class Household:
    """The people with parental responsibility at one address: one letter."""

    contacts: tuple[Contact, ...]
    address: tuple[str, ...]

    @property
    def names(self) -> str:
        return join_names([c.formal_name for c in self.contacts])

    @property
    def greeting(self) -> str:
        return join_names([c.greeting_name for c in self.contacts])


def join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class Recipients:
    """Who a family letter about a pupil goes to, and who it does not go to (and why, in words
    that never give a DSL's reason)."""

    households: tuple[Household, ...]
    withheld: tuple[str, ...] = ()  # "Piotr Nowak: marked do not send"
    unreachable: tuple[str, ...] = ()  # "Piotr Nowak: no postal address"


def recipients(contacts: tuple[Contact, ...]) -> Recipients:
    households: dict[str, list[Contact]] = {}
    addresses: dict[str, tuple[str, ...]] = {}
    withheld: list[str] = []
    unreachable: list[str] = []
    for contact in contacts:
        if not contact.has_responsibility:
            continue
        if contact.do_not_send:
            withheld.append(f"{contact.name}: marked do not send")
            continue
        if not contact.address:
            unreachable.append(f"{contact.name}: no postal address")
            continue
        key = address_key(contact.address)
        households.setdefault(key, []).append(contact)
        addresses.setdefault(key, contact.address)
    return Recipients(
        tuple(Household(tuple(people), addresses[key]) for key, people in households.items()),
        tuple(withheld), tuple(unreachable))


@dataclass(frozen=True)
class Pupil:
    """One row of an attendance export, read and checked."""

    name: str
    attendance: Attendance | None  # None when read for its contacts only (--contacts)
    contacts: tuple[Contact, ...] = ()
    upn: str = ""
    date_of_birth: dt.date | None = None
    pupil_class: str = ""
    do_not_send: bool = False
    agreement_date: dt.date | None = None
    agreement_target: float | None = None

    @property
    def figures(self) -> Attendance:
        """The attendance (a pupil read for contacts only has none)."""
        if self.attendance is None:
            raise ValueError(f"{self.name}: no attendance figures")
        return self.attendance

    @property
    def forename(self) -> str:
        return self.name.split()[0] if self.name.split() else self.name


@dataclass
class AttendanceRecord(RecordResult):
    """A row of an attendance export as the pipeline sees it: a record whose data is a
    ``Pupil`` (``form`` stays None: it is not a form)."""

    pupil: Pupil | None = field(default=None)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.parsed = self.parsed or self.pupil is not None

    @property
    def pupil_name(self) -> str:
        return self.pupil.name if self.pupil is not None else self.label
