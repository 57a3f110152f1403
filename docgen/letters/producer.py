"""The letters' producer on the batch pipeline: for each record (a row of an attendance
export, a risk assessment, a visit report) the letters that are due, one per household; at
the end the combined PDFs to print, and the register's record of what was sent.

A pupil (or a contact) the DSL marked "do not send", in the register or in the export, gets no
letter; the manifest says a letter was withheld, never why. Letters to the local authority and
to the headteacher are not family letters and are made whatever the marks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.config import SchoolConfig
from docgen.letters.combine import combine_pdfs
from docgen.letters.compose import (
    Addressee,
    Composer,
    assessment_facts,
    attendance_facts,
    household_addressee,
    notification_facts,
    report_facts,
    unnamed_addressee,
)
from docgen.letters.due import (
    Decision,
    Due,
    assessment_letters,
    attendance_letters,
    report_letters,
)
from docgen.letters.kinds import FAMILIES, family_source
from docgen.letters.letter import Letter
from docgen.letters.pupils import AttendanceRecord, Contact, Pupil, recipients
from docgen.letters.templates import Wording
from docgen.output import file_stem, slug, split_name
from docgen.pipeline.plan import Extra, Plan, Planned, Subject, digest
from docgen.pipeline.run import RunResult
from docgen.policy import Policy
from docgen.register import fold_name
from docgen.register.letters import LetterBook
from docgen.report import Location, RecordResult
from docgen.schemas import RiskAssessment, VisitReport

LETTERS_PDF = "letters.pdf"
NOTIFICATIONS_PDF = "notifications.pdf"
MANIFEST_COLUMNS = ("letters", "addressees")


@dataclass(frozen=True)
class Made:
    """A letter planned for a record, remembered until the run says it was written."""

    letter: Letter
    due: Due
    pupil: str
    addressee: str
    input_hash: str


@dataclass
class _RecordLetters:
    made: list[Made] = field(default_factory=list)
    agreement: tuple[str, dt.date, dt.date | None, str | None] | None = None


class Contacts:
    """The parents of pupils named in visit forms, from an attendance export given with
    ``--contacts``: found by the pupil's name (any case or spacing) and, when the form and the
    export both give it, the date of birth. A name that could be two pupils finds nobody:
    a letter about one child must never go to another's parents."""

    def __init__(self, pupils: Sequence[Pupil] = ()) -> None:
        self._by_name: dict[str, list[Pupil]] = {}
        for pupil in pupils:
            self._by_name.setdefault(fold_name(pupil.name), []).append(pupil)

    def __len__(self) -> int:
        return len(self._by_name)

    def find(self, name: str, born: dt.date | None = None) -> tuple[Pupil | None, str]:
        """The pupil, or None and why not ("" when the export does not name them)."""
        found = self._by_name.get(fold_name(name), [])
        if born is not None:
            found = [p for p in found if p.date_of_birth in (None, born)]
        if len(found) > 1:
            return None, (f"the contacts export has {len(found)} pupils named {name}: the "
                          "letter goes to the parent or carer at the visit's address")
        return (found[0] if found else None), ""


class LetterProducer:
    """Letters from attendance exports and visit forms."""

    command = "letters"

    def __init__(self, config: SchoolConfig, policy: Policy, *, today: dt.date,
                 wording: Wording, book: LetterBook | None = None,
                 families: frozenset[str] | None = None, contacts: Contacts | None = None,
                 duplex: bool = False, combine: bool = True) -> None:
        self.config = config
        self.policy = policy
        self.today = today
        self.book = book
        self.families = families
        self.contacts = contacts or Contacts()
        self.duplex = duplex
        self.combine = combine
        self.composer = Composer(config, policy, wording)
        self.prefix = config.letters.reference_prefix
        self._records: dict[Location, _RecordLetters] = {}
        self.counts: dict[str, int] = {}  # letters planned, by kind

    # ------------------------------------------------------------ the protocol

    def ignores(self, record: RecordResult) -> str:
        source = ("attendance" if isinstance(record, AttendanceRecord)
                  else record.form_name or "")
        if self.families is None:
            return ""
        if not any(family_source(f) == source for f in self.families):
            names = ", ".join(sorted(self.families))
            return f"{names} is not made from a {source.replace('-', ' ') or 'record'}"
        return ""

    def plan(self, record: RecordResult) -> Plan:
        if isinstance(record, AttendanceRecord):
            assert record.pupil is not None
            return self._attendance(record)
        form = record.form
        if isinstance(form, RiskAssessment):
            return self._assessment(record, form)
        if isinstance(form, VisitReport):
            return self._report(record, form)
        return Plan(note="not a record letters are made from")

    def finish(self) -> Sequence[Planned]:
        return ()

    def extras(self, result: RunResult) -> Sequence[Extra]:
        """Record in the register what was written; then the combined PDFs to print, in
        input order: ``letters.pdf`` (to families) and ``notifications.pdf`` (to the
        authority and the headteacher)."""
        family: list[Path] = []
        others: list[Path] = []
        for outcome in result.records:
            if outcome.location is None or outcome.location not in self._records:
                continue
            planned = self._records[outcome.location]
            made = self._written(outcome, planned.made)
            for item, pdf in made:
                self._record(result.run_id, item)
                if pdf is not None:
                    (family if item.letter.audience == "family" else others).append(pdf)
            if planned.agreement is not None and self.book is not None \
                    and result.run_id is not None:
                pupil, made_on, review_on, ref = planned.agreement
                self.book.add_agreement(result.run_id, pupil=pupil, made_on=made_on,
                                        review_on=review_on, visit_reference=ref)
        if self.book is not None:
            self.book.register.commit()
        extras: list[Extra] = []
        if self.combine:
            for name, paths, label in ((LETTERS_PDF, family, "letters to families"),
                                       (NOTIFICATIONS_PDF, others,
                                        "notifications (authority, headteacher)")):
                if paths:
                    extras.append(Extra(name, _combiner(paths, self.duplex),
                                        Subject(kind=f"letters:{name}"),
                                        f"{label}: {len(paths)} in {name}"))
        return extras

    # ------------------------------------------------------------ records

    def _attendance(self, record: AttendanceRecord) -> Plan:
        pupil = record.pupil
        assert pupil is not None
        hashed = digest(repr(pupil))
        history = self.book.letters(pupil=pupil.name) if self.book else []
        agreements = self.book.agreements(pupil.name) if self.book else []
        decision = attendance_letters(pupil, self.policy, today=self.today, history=history,
                                      agreements=agreements, wanted=self.families,
                                      input_hash=hashed, prefix=self.prefix)
        facts = attendance_facts(pupil, self.policy, self.config, history)
        if any(d.kind.name == "la-notification" for d in decision.due):
            visits = self.book.visits(pupil.name) if self.book else []
            facts |= notification_facts(pupil, self.config, history, visits, agreements)
        return self._letters(record.location, decision, pupil.name, pupil.pupil_class,
                             pupil.contacts, pupil.do_not_send, (), facts, hashed)

    def _assessment(self, record: RecordResult, ra: RiskAssessment) -> Plan:
        hashed = digest(ra.model_dump_json())
        history = self.book.letters(pupil=ra.pupil_name) if self.book else []
        decision = assessment_letters(ra, self.policy, today=self.today, wanted=self.families,
                                      history=history, input_hash=hashed, prefix=self.prefix)
        known, why = self.contacts.find(ra.pupil_name, ra.date_of_birth)
        fallback = _address(ra.address)
        plan = self._letters(record.location, decision, ra.pupil_name, ra.pupil_class,
                             known.contacts if known else None,
                             bool(known and known.do_not_send), fallback,
                             assessment_facts(ra), hashed)
        return _noted(plan, why)

    def _report(self, record: RecordResult, report: VisitReport) -> Plan:
        hashed = digest(report.model_dump_json())
        history = self.book.letters(pupil=report.pupil_name) if self.book else []
        decision = report_letters(report, self.policy, today=self.today, wanted=self.families,
                                  history=history, input_hash=hashed, prefix=self.prefix)
        known, why = self.contacts.find(report.pupil_name, report.date_of_birth)
        plan = _noted(self._letters(
            record.location, decision, report.pupil_name, report.pupil_class,
            known.contacts if known else None, bool(known and known.do_not_send), (),
            report_facts(report), hashed), why.replace(" at the visit's address", ""))
        if report.anyone_home and report.agreed:
            self._records.setdefault(record.location, _RecordLetters()).agreement = (
                report.pupil_name, report.visit_date, report.agreement_review_date,
                report.visit_reference)
        return plan

    def _letters(self, location: Location, decision: Decision, pupil: str, pupil_class: str,
                 contacts: Sequence[Contact] | None, pupil_withheld: bool,
                 fallback_address: tuple[str, ...], facts: dict[str, Any],
                 hashed: str) -> Plan:
        """One letter per addressee for each letter due; the note says what and why, or
        why nothing."""
        marked, marked_contacts = self.book.withheld(pupil) if self.book else (False, frozenset())
        outputs: list[Planned] = []
        notes: list[str] = []
        names: list[str] = []
        addressees: list[str] = []
        record = self._records.setdefault(location, _RecordLetters())
        for due in decision.due:
            kind = due.kind
            if kind.audience == "family":
                if marked or pupil_withheld:
                    notes.append(f"{kind.name}: withheld (marked do not send)")
                    continue
                targets, why = self._family(pupil, contacts, marked_contacts, fallback_address)
                notes += [f"{kind.name}: {w}" for w in why]
                if not targets:
                    notes.append(f"{kind.name} is due ({due.reason}) but there is nobody to "
                                 "send it to")
                    continue
            elif kind.audience == "local-authority":
                targets = [self.composer.local_authority()]
            else:
                targets = [self.composer.headteacher()]
            notes.append(f"{kind.name}: {due.reason}")
            for to in targets:
                letter = self.composer.letter(due, pupil, pupil_class, to, facts)
                stem = self._stem(due, pupil, to, kind.audience)
                subject = Subject(kind=f"letter:{kind.family}", pupil=pupil,
                                  reference=due.reference)
                outputs.append(Planned(stem, letter, subject, digest(hashed + repr(letter))))
                record.made.append(Made(letter, due, pupil, to.names, hashed))
                names.append(kind.name)
                addressees.append(to.names)
                self.counts[kind.name] = self.counts.get(kind.name, 0) + 1
        notes += decision.notes
        note = "; ".join(notes) if notes else "no letter due"
        details = {"letters": "; ".join(dict.fromkeys(names)),
                   "addressees": "; ".join(addressees)}
        return Plan(outputs, note=note, details=details)

    def _family(self, pupil: str, contacts: Sequence[Contact] | None,
                marked: frozenset[str], fallback: tuple[str, ...]
                ) -> tuple[list[Addressee], list[str]]:
        """Each household a family letter goes to, and notes on the parents it does not."""
        if contacts is None:  # a visit form without an export naming the parents
            return [unnamed_addressee(pupil, fallback)], (
                [] if fallback else ["no address: hand the letter over, or give the parents' "
                                     "details with --contacts"])
        withheld_here = tuple(c for c in contacts if fold_name(c.name) in marked)
        usable = tuple(c if c not in withheld_here else _withheld(c) for c in contacts)
        to = recipients(usable)
        notes = [f"no letter to {text}" for text in (*to.withheld, *to.unreachable)]
        return [household_addressee(h) for h in to.households], notes

    def _stem(self, due: Due, pupil: str, to: Addressee, audience: str) -> str:
        forename, surname = split_name(pupil)
        base = file_stem(self.config.documents.naming, date=due.letter_date.isoformat(),
                         form=due.kind.name, surname=surname, forename=forename, pupil=pupil,
                         reference=due.reference, school=self.config.school.name)
        if audience == "family":
            who = to.names.split(" and ")[0]
            return f"{base}_to-{slug(who, limit=40) or 'parent'}"
        return f"{base}_{audience}"

    # ------------------------------------------------------------ after the run

    @staticmethod
    def _written(outcome: Any, made: list[Made]) -> list[tuple[Made, Path | None]]:
        """The letters of a record whose files were all written (or were there already),
        with the PDF of each (None when PDF was not asked for). A record's files come in
        order: the PDFs of its letters, then their Word files."""
        by_format: dict[str, list[Any]] = {}
        for f in outcome.files:
            by_format.setdefault(f.format, []).append(f)
        out: list[tuple[Made, Path | None]] = []
        for i, item in enumerate(made):
            files = [group[i] for group in by_format.values() if i < len(group)]
            if not files or any(f.status not in ("written", "replaced", "unchanged")
                                for f in files):
                continue
            pdf = next((f.path for f in files if f.format == "pdf"), None)
            out.append((item, pdf))
        return out

    def _record(self, run_id: int | None, item: Made) -> None:
        if self.book is None or run_id is None:
            return
        due = item.due
        self.book.add_letter(run_id, pupil=item.pupil, letter=due.kind.family,
                             stage=due.kind.stage, letter_date=due.letter_date,
                             reference=due.reference, addressee=item.addressee,
                             audience=due.kind.audience, reason=due.reason,
                             input_hash=item.input_hash)


def _noted(plan: Plan, note: str) -> Plan:
    if note and plan.outputs:
        plan.note = f"{plan.note}; {note}"
    return plan


def _withheld(contact: Contact) -> Contact:
    from dataclasses import replace

    return replace(contact, do_not_send=True)


def _address(text: str) -> tuple[str, ...]:
    from docgen.letters.compose import address_lines

    return address_lines(text)


def _combiner(paths: list[Path], duplex: bool) -> Any:
    def write(target: Path) -> None:
        combine_pdfs(paths, target, duplex=duplex)

    return write


def families_for(names: Sequence[str]) -> frozenset[str] | None:
    """The letter families asked for with --letter (None: every letter a record calls for)."""
    if not names:
        return None
    unknown = [n for n in names if n not in FAMILIES]
    if unknown:
        raise ValueError(f"unknown letter {', '.join(unknown)}; letters: {', '.join(FAMILIES)}")
    return frozenset(names)
