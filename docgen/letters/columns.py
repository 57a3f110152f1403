"""The columns of an attendance export, declared once: ``docgen template attendance`` writes
their headers and help, and the reader matches an MIS export's headers against them and their
aliases (case, spacing and punctuation ignored, as the forms' headers are).

An export carries either **summary figures** (possible sessions, attended, authorised and
unauthorised absence over a stated period) or a **session-by-session register**: one column per
day (both marks in the cell, e.g. ``/\\`` or ``/ N``) or per session (``02/09/2026 AM``), each
holding the 2024 DfE codes. Up to ``CONTACTS`` contacts follow, each with a name, relationship,
parental responsibility, address and a "do not send" mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from docgen.schemas.columns import fold_header

Kind = Literal["name", "text", "date", "count", "percent", "yesno", "address"]
CONTACTS = 4


@dataclass(frozen=True)
class ExportColumn:
    key: str
    header: str  # as docgen's template writes it
    kind: Kind
    help: str
    aliases: tuple[str, ...] = ()
    required: bool = False


PUPIL: tuple[ExportColumn, ...] = (
    ExportColumn("pupil_name", "Pupil name", "name",
                 "The pupil's full legal name, forename first. Or two columns, Forename and "
                 "Surname.",
                 ("Name", "Full name", "Legal name", "Pupil", "Student name", "Child name",
                  "Student", "Learner name"), required=True),
    ExportColumn("forename", "Forename", "name", "With Surname, instead of Pupil name.",
                 ("Legal forename", "First name", "Given name", "Preferred forename")),
    ExportColumn("surname", "Surname", "name", "With Forename, instead of Pupil name.",
                 ("Legal surname", "Last name", "Family name", "Preferred surname")),
    ExportColumn("upn", "UPN", "text", "Unique Pupil Number. Optional.",
                 ("Unique pupil number",)),
    ExportColumn("date_of_birth", "Date of birth", "date", "DD/MM/YYYY. Optional.",
                 ("DOB", "Birth date")),
    ExportColumn("pupil_class", "Class", "text", "Registration group or class. Optional.",
                 ("Reg group", "Registration group", "Form", "Tutor group", "Year group",
                  "Year", "Form group")),
    ExportColumn("do_not_send", "Do not send letters", "yesno",
                 "Yes if the DSL has said no letter may be sent about this pupil. Never write "
                 "why.", ("Do not send", "Do not contact", "No letters")),
)

SUMMARY: tuple[ExportColumn, ...] = (
    ExportColumn("period_from", "Period from", "date",
                 "The first day the figures cover, DD/MM/YYYY.",
                 ("From", "Start date", "Period start", "Date from")),
    ExportColumn("period_to", "Period to", "date", "The last day the figures cover.",
                 ("To", "End date", "Period end", "Date to")),
    ExportColumn("possible", "Possible sessions", "count",
                 "Sessions the pupil could have attended (two a day).",
                 ("Possible", "Sessions possible", "Possible marks")),
    ExportColumn("attended", "Sessions attended", "count",
                 "Sessions present, including late before the register closed.",
                 ("Attended", "Present", "Present sessions", "Attendances")),
    ExportColumn("elsewhere", "Approved educational activity", "count",
                 "Sessions at an approved educational activity (counted as attended), if the "
                 "export gives them apart. Optional.",
                 ("AEA", "Attending elsewhere", "Approved educational activities")),
    ExportColumn("authorised", "Authorised absence", "count", "Sessions of authorised absence.",
                 ("Authorised absences", "Authorised", "Auth absence", "Authorised sessions")),
    ExportColumn("unauthorised", "Unauthorised absence", "count",
                 "Sessions of unauthorised absence.",
                 ("Unauthorised absences", "Unauthorised", "Unauth absence",
                  "Unauthorised sessions")),
    ExportColumn("window_unauthorised", "Unauthorised sessions in the last 10 school weeks",
                 "count",
                 "Optional: the most unauthorised sessions in any 10 school weeks, if the "
                 "export gives it (a session register gives it by itself).",
                 ("Unauthorised last 10 weeks", "Unauthorised in 10 school weeks")),
)

AGREEMENT: tuple[ExportColumn, ...] = (
    ExportColumn("agreement_date", "Attendance agreement date", "date",
                 "The date of an attendance agreement with the parents, if there is one "
                 "(Westside: attendance officer visits). Optional.",
                 ("Agreement date", "Agreement made")),
    ExportColumn("agreement_target", "Agreement target (%)", "percent",
                 "The attendance the agreement aims for, e.g. 95. Optional: the policy's "
                 "target otherwise.", ("Agreement target", "Target attendance")),
)

CONTACT: tuple[ExportColumn, ...] = (
    ExportColumn("name", "name", "name", "Full name."),
    ExportColumn("title", "title", "text", "Mr, Mrs, Ms, Miss, Mx, Dr ... Optional."),
    ExportColumn("relationship", "relationship", "text", "e.g. Mother, Father, Carer.",
                 ("relation",)),
    ExportColumn("responsibility", "parental responsibility", "yesno",
                 "Yes if this contact has parental responsibility: each one gets their own "
                 "letter.", ("PR", "has parental responsibility", "responsibility")),
    ExportColumn("address", "address", "address",
                 "Postal address; lines separated by commas or line breaks.",
                 ("home address", "postal address")),
    ExportColumn("postcode", "postcode", "text", "Optional if the address ends with it.",
                 ("post code",)),
    ExportColumn("salutation", "salutation", "text",
                 "How a letter greets them, e.g. Ms Nowak. Optional.", ("addressee",)),
    ExportColumn("do_not_send", "do not send", "yesno",
                 "Yes if the DSL has said no letter may be sent to this contact. Never write "
                 "why.", ("do not contact", "no letters")),
)
CONTACT_PREFIXES = ("Contact", "Parent", "Carer")


def contact_header(number: int, column: ExportColumn) -> str:
    return f"Contact {number} {column.header}"


def all_columns() -> list[tuple[str, ExportColumn, int | None]]:
    """Every column docgen's template writes, in order: (header, column, contact number)."""
    out: list[tuple[str, ExportColumn, int | None]] = []
    out += [(c.header, c, None) for c in PUPIL if c.key not in ("forename", "surname")]
    out += [(c.header, c, None) for c in SUMMARY]
    out += [(c.header, c, None) for c in AGREEMENT]
    for n in range(1, CONTACTS + 1):
        out += [(contact_header(n, c), c, n) for c in CONTACT]
    return out


def _keys() -> dict[str, ExportColumn]:
    out: dict[str, ExportColumn] = {}
    for column in (*PUPIL, *SUMMARY, *AGREEMENT):
        for text in (column.header, *column.aliases):
            out.setdefault(fold_header(text), column)
    return out


KEYS = _keys()
_CONTACT_KEYS = {fold_header(text): column for column in CONTACT
                 for text in (column.header, *column.aliases)}


def match(header: str) -> tuple[ExportColumn, int | None] | None:
    """The column a header names, with its contact number for a contact's column."""
    key = fold_header(header)
    column = KEYS.get(key)
    if column is not None:
        return column, None
    for prefix in CONTACT_PREFIXES:
        start = fold_header(prefix)
        if not key.startswith(start):
            continue
        rest = key[len(start):]
        digits = ""
        while rest and rest[0].isdigit():
            digits, rest = digits + rest[0], rest[1:]
        if not digits or not 1 <= int(digits) <= CONTACTS:
            continue
        found = _CONTACT_KEYS.get(rest)
        if found is not None:
            return found, int(digits)
    return None
