"""The export on the pipeline: each visit report (and each risk assessment above low risk)
becomes a record; their PDFs are the producer's planned documents, rendered and written by the
pipeline like any other; the CSV, the JSON and the upload bundle are the producer's extras,
made once every PDF is written (their SHA-256 go into the records); and the last extra's
``after`` records the export in the register, while the run still holds it.

A record already exported and unchanged since is skipped (and its PDFs are not made again);
one that changed is exported as an amendment, saying which fields changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from docgen.config import SchoolConfig
from docgen.documents.context import build_document
from docgen.documents.producers import form_stem, input_hash, subject_of
from docgen.export.changes import (
    ATTACHMENT_FIELD,
    carried,
    changed_fields,
    content_hash,
    field_hashes,
    labels,
)
from docgen.export.compose import AssessmentInfo, Composer
from docgen.export.formats import ATTACHMENT_FOLDER, Member, csv_bytes, json_bytes, write_bundle
from docgen.export.record import Attachment, ExportFile, ExportRecord, RecordType, record_id
from docgen.pipeline.plan import Extra, Plan, Planned, Subject, digest
from docgen.pipeline.run import FileOutcome, RunResult
from docgen.policy import Policy
from docgen.policy.assessments import AssessmentSummary
from docgen.register.exports import ExportedRecord, ExportLog, RecordSent
from docgen.report import FileResult, Issue, Location, RecordResult
from docgen.schemas import FormModel, RiskAssessment, VisitReport

DataFormat = Literal["csv", "json"]
DATA_FORMATS: tuple[DataFormat, ...] = ("csv", "json")
LANDED = ("written", "replaced", "unchanged")
PHONES_WITHHELD = ("Staff mobile numbers and the out-of-hours contact's number are left out "
                   "of this copy, made for the school's case-management system.")


@dataclass(frozen=True)
class AttachmentNames:
    """Where a form's PDF goes: the school's naming pattern, then a short digest of what it
    is made from, so that an amended record's PDF never takes the name of the one already
    sent (and the same record always gets the same name)."""

    out_dir: Path
    config: SchoolConfig
    mobiles: bool  # risk assessments print the staff's mobiles

    def path(self, form: FormModel) -> Path:
        shown = ":mobiles" if isinstance(form, RiskAssessment) and self.mobiles else ""
        tag = digest(input_hash(form) + shown)[:8]
        return self.out_dir / f"{form_stem(form, self.config)}_{tag}.pdf"


class Listener(Protocol):
    def start_file(self, path: str) -> None: ...

    def record(self, record: RecordResult, file_issues: list[Issue]) -> None: ...

    def end_file(self, result: FileResult) -> None: ...


class VisitIndex:
    """The first pass over the run's records: which visits have a usable visit report, and
    what each report's record needs from its risk assessment, whichever comes first in the
    run. Passes each record on to ``forward`` (which prints the problems)."""

    def __init__(self, names: AttachmentNames, forward: Listener | None = None) -> None:
        self.names = names
        self.forward = forward
        self.reports: dict[str, Location] = {}
        self.assessments: dict[str, AssessmentInfo] = {}
        self.assessment_paths: dict[str, Path] = {}

    def start_file(self, path: str) -> None:
        if self.forward is not None:
            self.forward.start_file(path)

    def record(self, record: RecordResult, file_issues: list[Issue]) -> None:
        if self.forward is not None:
            self.forward.record(record, file_issues)
        form = record.form
        if form is None or not record.usable or record.duplicate_of is not None:
            return
        key = form.visit_key()
        if isinstance(form, VisitReport):
            self.reports.setdefault(key, record.location)
        elif isinstance(form, RiskAssessment) and key not in self.assessments:
            self.assessments[key] = AssessmentInfo.of(form)
            self.assessment_paths[key] = self.names.path(form)

    def end_file(self, result: FileResult) -> None:
        if self.forward is not None:
            self.forward.end_file(result)


@dataclass(frozen=True)
class _Held:
    """What is kept of a risk assessment whose PDF waits for its report's decision."""

    issues: list[Issue]
    location: Location


@dataclass
class _Attachment:
    kind: RecordType
    path: Path  # where the pipeline writes it
    basis: str  # a digest of what it is made from


@dataclass
class Pending:
    """A record decided on, waiting for its PDFs."""

    record: ExportRecord
    subject: Subject
    label: str
    attachments: list[_Attachment]
    unknown: frozenset[str]
    previous: ExportedRecord | None
    sent_hashes: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ExportOptions:
    formats: tuple[DataFormat, ...] = DATA_FORMATS
    name: str = "export"  # the stem of the CSV, JSON and bundle
    bundle: bool = False
    again: bool = False  # --all: export unchanged records again


class ExportProducer:
    """Export records from visit reports and risk assessments; see the module's notes."""

    command = "export"

    def __init__(self, config: SchoolConfig, policy: Policy, composer: Composer,
                 visits: VisitIndex, options: ExportOptions, *, log: ExportLog | None,
                 now: dt.datetime) -> None:
        self.config = config
        self.policy = policy
        self.composer = composer
        self.visits = visits
        self.names = visits.names
        self.out_dir = visits.names.out_dir
        self.options = options
        self.log = log
        self.now = now
        self.pending: list[Pending] = []
        self.skipped: list[tuple[str, str]] = []  # (record, why)
        self.problems: list[str] = []  # what the person exporting must know
        self.export_id: int | None = None
        self.duplicates = 0
        self.landed: list[FileOutcome] = []
        self._ids: set[str] = set()
        self._reports_seen: set[str] = set()
        self._needs_assessment: set[str] = set()  # visits whose report's record goes out
        self._assessment_planned: set[str] = set()
        self._deferred: dict[str, tuple[RiskAssessment, _Held]] = {}
        self._run_id: int | None = None

    # ------------------------------------------------------------------ records

    def ignores(self, record: RecordResult) -> str:
        form = record.form
        if isinstance(form, RiskAssessment):
            info = AssessmentInfo.of(form)
            if not info.alone and info.visit_key not in self.visits.reports:
                return ("a low-risk assessment is exported with its visit's report, and this "
                        "run has no report of this visit")
        return ""

    def plan(self, record: RecordResult) -> Plan:
        form = record.form
        if isinstance(form, VisitReport):
            return self._plan_report(record, form)
        if isinstance(form, RiskAssessment):
            return self._plan_assessment(record, form)
        return Plan(note="not a form the export knows")

    def _plan_report(self, record: RecordResult, report: VisitReport) -> Plan:
        key = report.visit_key()
        self._reports_seen.add(key)
        info = self.visits.assessments.get(key)
        composed = self.composer.report(record, info)
        attachments = [_Attachment("visit-report", self.names.path(report), "made")]
        unknown: set[str] = set()
        if info is not None:
            attachments.append(_Attachment("risk-assessment",
                                           self.visits.assessment_paths[key], info.input_hash))
        else:  # the run lacks the assessment: what comes from it is unknown, not empty
            unknown |= {"risk_level", "staff_mobiles", ATTACHMENT_FIELD + "risk-assessment"}
            if self.composer.table.uses_risk:
                unknown.add("categories")
        pending, note = self._decide(composed, subject_of(report), attachments,
                                     frozenset(unknown), _label(record, report))
        if pending is None:
            return Plan(note=note)
        if info is not None:
            self._needs_assessment.add(key)
        outputs = [self._planned(report, record, attachments[0].path)]
        return Plan(outputs, note=note)

    def _plan_assessment(self, record: RecordResult, ra: RiskAssessment) -> Plan:
        key = ra.visit_key()
        info = AssessmentInfo.of(ra)
        notes = []
        goes_alone = False
        if info.alone:
            report_id = record_id("visit-report", key) if key in self.visits.reports else None
            composed = self.composer.assessment(record, report_id)
            attachment = _Attachment("risk-assessment", self.names.path(ra), info.input_hash)
            pending, note = self._decide(composed, subject_of(ra), [attachment], frozenset(),
                                         _label(record, ra))
            notes.append(note)
            goes_alone = pending is not None
        if (goes_alone or key in self._needs_assessment) \
                and key not in self._assessment_planned:
            self._assessment_planned.add(key)
            if key in self._needs_assessment:
                notes.append("attached to its visit report's record")
            return Plan([self._planned(ra, record, self.names.path(ra))],
                        note="; ".join(notes))
        if key in self.visits.reports and key not in self._reports_seen:
            self._deferred[key] = (ra, _Held(record.issues, record.location))  # report later
            notes.append("its PDF is made if its visit report's record goes out")
        return Plan(note="; ".join(notes))

    def finish(self) -> Sequence[Planned]:
        """The PDFs of risk assessments that came before their report in the run."""
        out = []
        for key, (ra, held) in self._deferred.items():
            if key in self._needs_assessment and key not in self._assessment_planned:
                self._assessment_planned.add(key)
                out.append(self._planned(ra, held, self.names.path(ra)))
        self._deferred.clear()
        return out

    def _decide(self, composed: ExportRecord, subject: Subject,
                attachments: list[_Attachment], unknown: frozenset[str],
                label: str) -> tuple[Pending | None, str]:
        """New, amendment, repeat or skipped: from what the register says was sent."""
        if composed.id in self._ids:
            self.duplicates += 1
            self.problems.append(
                f"{label}: another record of this export has the same visit reference; only "
                "the first was exported. Give each visit its own reference.")
            return None, "another record of this export has the same visit: not exported"
        self._ids.add(composed.id)
        hashes = field_hashes(composed, {a.kind: a.basis for a in attachments})
        previous = self.log.last(composed.id) if self.log is not None else None
        record = composed
        if previous is not None:
            changed = changed_fields(previous.field_hashes, hashes, unknown)
            sent = _sent(previous)
            if not changed and not self.options.again:
                why = f"already exported {sent}; unchanged since (--all exports it again)"
                self.skipped.append((label, why))
                return None, why
            if changed:
                record = composed.model_copy(update={"status": "amendment", "amends": sent,
                                                     "changed_fields": labels(changed)})
            else:
                record = composed.model_copy(update={"status": "repeat", "amends": sent})
        pending = Pending(record, subject, label, attachments, unknown, previous)
        self.pending.append(pending)
        if record.status == "amendment":
            note = f"exported as an amendment ({', '.join(record.changed_fields)} changed)"
        elif record.status == "repeat":
            note = "exported again, unchanged"
        else:
            note = "exported as a new record"
        return pending, note

    def _planned(self, form: FormModel, record: RecordResult | _Held,
                 path: Path) -> Planned:
        issues = record.issues
        if isinstance(form, RiskAssessment) and not self.names.mobiles:
            document = build_document(_without_phones(form), self.config, self.policy, issues)
            document = dataclasses.replace(document, notes=(*document.notes, PHONES_WITHHELD))
        else:
            document = build_document(form, self.config, self.policy, issues)
        # a risk assessment printed is remembered, for the reports checked against it later
        summary = (AssessmentSummary.of(form, record.location)
                   if isinstance(form, RiskAssessment) else None)
        return Planned(path.stem, document, subject_of(form), input_hash(form), summary)

    # ------------------------------------------------------------------ the files

    def extras(self, result: RunResult) -> Sequence[Extra]:
        """The CSV, the JSON and the bundle of the records decided on, with their PDFs;
        nothing when no record goes out."""
        self._run_id = result.run_id
        written = {f.path: f for f in result.files() if f.status in LANDED and f.sha256}
        records = [self._attach(p, written) for p in self.pending]
        if not records:
            return []
        export = ExportFile(exported_at=self.now, school=self.config.school.name,
                            records=records)
        data: dict[str, bytes] = {}
        if "csv" in self.options.formats:
            data[f"{self.options.name}.csv"] = csv_bytes(records, self.composer.mapping)
        if "json" in self.options.formats:
            data[f"{self.options.name}.json"] = json_bytes(export)
        subject = Subject(kind="export")
        extras = [Extra(name, _writer(body), subject, after=self._landed)
                  for name, body in data.items()]
        if self.options.bundle:
            extras.append(Extra(f"{self.options.name}.zip", self._bundle(data, records),
                                subject, after=self._landed))
        extras[-1] = dataclasses.replace(extras[-1], after=self._landed_last)
        return extras

    def _attach(self, pending: Pending, written: dict[Path, FileOutcome]) -> ExportRecord:
        """The record with its PDFs; one that could not be made is left out and noted (and
        the register keeps it as missing, so the next export sends it)."""
        attachments = []
        basis: dict[str, str] = {}
        for planned in pending.attachments:
            outcome = written.get(planned.path)
            if outcome is None:
                basis[planned.kind] = "missing"
                pending.missing.append(planned.path.name)
                continue
            basis[planned.kind] = planned.basis
            attachments.append(Attachment(kind=planned.kind, file=planned.path.name,
                                          sha256=outcome.sha256))
        if pending.missing:
            self.problems.append(
                f"{pending.label} ({pending.record.id}): exported without "
                f"{', '.join(pending.missing)}, which could not be made; the next export "
                "sends the record again, as an amendment, with it.")
        record = pending.record.model_copy(update={"attachments": attachments})
        hashes = field_hashes(record, basis)
        previous = pending.previous.field_hashes if pending.previous else None
        pending.sent_hashes = carried(previous, hashes, pending.unknown)
        pending.record = record
        return record

    def _bundle(self, data: dict[str, bytes],
                records: list[ExportRecord]) -> Callable[[Path], None]:
        members = [Member(name, body) for name, body in data.items()]
        seen: set[str] = set()
        for record in records:
            for attachment in record.attachments:
                if attachment.file not in seen:
                    seen.add(attachment.file)
                    members.append(Member(ATTACHMENT_FOLDER + attachment.file,
                                          source=self.out_dir / attachment.file,
                                          sha256=attachment.sha256))
        manifest = {
            "exported_at": self.now.isoformat(timespec="seconds"),
            "school": self.config.school.name,
            "records": [{"id": r.id, "record_type": r.record_type, "status": r.status,
                         "attachments": [ATTACHMENT_FOLDER + a.file for a in r.attachments]}
                        for r in records],
        }

        def write(path: Path) -> None:
            write_bundle(path, members, manifest, self.now)

        return write

    def _landed(self, outcome: FileOutcome) -> None:
        if outcome.status in LANDED:
            self.landed.append(outcome)
        else:
            self.problems.append(f"{outcome.path.name} was not written: {outcome.reason}")

    def _landed_last(self, outcome: FileOutcome) -> None:
        self._landed(outcome)
        self._record()

    def _record(self) -> None:
        """Remember in the register what this export sent, once its files are in place."""
        if not self.landed:
            self.problems.append("no file of the export could be written, so nothing is "
                                 "recorded as exported; put the problem right and run again.")
            return
        if self.log is None:
            return
        sent = [RecordSent(
            record_id=p.record.id, record_type=p.record.record_type, status=p.record.status,
            visit_key=p.subject.visit_key, pupil=p.subject.pupil,
            visit_date=p.subject.visit_date, visit_reference=p.subject.reference,
            content_hash=content_hash(p.sent_hashes), field_hashes=p.sent_hashes,
            changed=list(p.record.changed_fields))
            for p in self.pending]
        files = [(f.path, _kind(f.path), f.sha256) for f in self.landed]
        self.export_id = self.log.record_export(run_id=self._run_id, out_dir=self.out_dir,
                                                files=files, records=sent)


def _sent(previous: ExportedRecord) -> str:
    """When and into what a record was last exported, for the person reading the export."""
    when = dt.datetime.fromisoformat(previous.exported_at).astimezone()
    names = ", ".join(Path(f).name for f in previous.files) or "no file"
    return f"on {when:%d/%m/%Y at %H:%M} into {names}"


def _without_phones(ra: RiskAssessment) -> RiskAssessment:
    """The assessment without the phone numbers it holds for the visit's safety: they leave
    docgen only when the mapping asks for them."""
    staff = [m.model_copy(update={"mobile": None}) for m in ra.staff]
    contact = ra.responsible_contact
    if contact is not None:
        contact = contact.model_copy(update={"phone": None})
    return ra.model_copy(update={"staff": staff, "responsible_contact": contact})


def _writer(body: bytes) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(body)

    return write


def _kind(path: Path) -> str:
    return {".csv": "csv", ".json": "json", ".zip": "bundle"}.get(path.suffix, path.suffix)


def _label(record: RecordResult, form: FormModel) -> str:
    return f"{record.label} ({form.form_title.lower()})"
