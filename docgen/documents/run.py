"""Render many records to files: validate, build each usable record's document, write it in
every requested format under a safe, predictable name. One bad record never stops the run, and
none disappears silently: each is written, refused (the file exists) or rejected (invalid).
A record whose only errors never block (a welfare concern not yet reported to the DSL) is
written, with those errors in its red banner, and still counts as invalid for the exit code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal, Protocol

from docgen.config import SAMPLE_SCHOOL, SchoolConfig
from docgen.documents.checkins import checkin_document
from docgen.documents.context import build_document
from docgen.documents.document import Document
from docgen.output import (
    NotARegularFile,
    OutputExists,
    file_stem,
    split_name,
    unique_path,
    write_bytes,
)
from docgen.policy import Policy, load_policy
from docgen.report import ExitCode, RecordResult, Report, inert
from docgen.schemas import FormModel, RiskAssessment, VisitReport
from docgen.validation import validate

Format = Literal["docx", "pdf"]
FORMATS: tuple[Format, ...] = ("pdf", "docx")


class Renderer(Protocol):
    def render(self, document: Document) -> bytes: ...


@cache
def renderer(fmt: Format, template_dir: Path | None = None) -> Renderer:
    """One renderer per format and template folder per process: templates, fonts and CSS are
    loaded once, not per document."""
    if fmt == "pdf":
        from docgen.documents.pdf import PdfRenderer

        return PdfRenderer(template_dir)
    from docgen.documents.docx import DocxRenderer

    return DocxRenderer(template_dir)


@dataclass(frozen=True)
class Outcome:
    path: Path
    status: Literal["written", "refused", "failed"]
    label: str
    reason: str = ""


@dataclass
class RenderRun:
    report: Report
    outcomes: list[Outcome] = field(default_factory=list)
    rejected: list[RecordResult] = field(default_factory=list)
    alerted: list[RecordResult] = field(default_factory=list)  # written, with errors to act on
    skipped: list[RecordResult] = field(default_factory=list)  # later copies of a visit
    note: str = ""  # e.g. "no visits on that date"

    def paths(self, status: str) -> list[Path]:
        return [o.path for o in self.outcomes if o.status == status]

    def lines(self) -> list[str]:
        """What the run did, one line per file and per rejected record, then a summary."""
        out = []
        for o in self.outcomes:
            verb = {"written": "wrote", "refused": "refused", "failed": "FAILED"}[o.status]
            out.append(f"{verb} {inert(str(o.path))}" + (f": {o.reason}" if o.reason else ""))
        for record in self.rejected:
            errors = len(record.errors)
            label = f" ({record.label})" if record.label else ""
            out.append(f"rejected {record.location}{label}: {errors} error"
                       f"{'s' if errors != 1 else ''}; no document written")
        for record in self.alerted:
            alerts = len(record.alerts)
            out.append(f"printed {record.location} ({record.label}) with {alerts} error"
                       f"{'s' if alerts != 1 else ''} to act on now, in a red banner")
        for record in self.skipped:
            out.append(f"skipped {record.location} ({record.label}): the same visit as "
                       f"{record.duplicate_of}; printed once")
        if self.note:
            out.append(self.note)
        counts = [f"{len(self.paths('written'))} written"]
        for status in ("refused", "failed"):
            if self.paths(status):
                counts.append(f"{len(self.paths(status))} {status}")
        if self.rejected:
            counts.append(f"{len(self.rejected)} record{'s' if len(self.rejected) != 1 else ''}"
                          " rejected")
        if self.skipped:
            counts.append(f"{len(self.skipped)} duplicate{'s' if len(self.skipped) != 1 else ''}"
                          " skipped")
        out.append(", ".join(counts) + ".")
        return out

    @property
    def exit_code(self) -> int:
        """As ``validate``: 1 if a record was rejected as invalid or printed with errors; 2 if
        a file was unreadable or an output was refused or failed."""
        if any(f.unreadable for f in self.report.files) or any(
            o.status != "written" for o in self.outcomes
        ):
            return ExitCode.USAGE
        return ExitCode.INVALID if self.rejected or self.alerted else ExitCode.OK


def _write_all(
    run: RenderRun,
    documents: Iterable[tuple[Callable[[], Document], str, str]],
    out_dir: Path,
    formats: Sequence[Format],
    overwrite: bool,
    template_dir: Path | None,
) -> None:
    taken: set[Path] = set()
    for make, stem, label in documents:
        document: Document | None = None
        for fmt in formats:
            path = unique_path(out_dir, stem, f".{fmt}", taken)
            if path.exists() and not overwrite:  # don't render what cannot be written
                run.outcomes.append(Outcome(path, "refused", label,
                                            "already exists; use --overwrite to replace it"))
                continue
            try:
                document = document or make()
                write_bytes(path, renderer(fmt, template_dir).render(document),
                            overwrite=overwrite)
            except OutputExists:
                run.outcomes.append(Outcome(path, "refused", label,
                                            "already exists; use --overwrite to replace it"))
            except NotARegularFile:
                run.outcomes.append(Outcome(path, "refused", label,
                                            "is not a regular file; never replaced"))
            except Exception as exc:  # one document's failure never stops the batch
                run.outcomes.append(Outcome(path, "failed", label,
                                            f"{type(exc).__name__}: {exc}"))
            else:
                run.outcomes.append(Outcome(path, "written", label))


def render_paths(
    paths: Iterable[str | Path],
    out_dir: str | Path,
    *,
    formats: Sequence[Format] = ("pdf",),
    config: SchoolConfig = SAMPLE_SCHOOL,
    policy: Policy | str | None = None,
    overwrite: bool = False,
    form: str | None = None,
    sheet: str | None = None,
    today: dt.date | None = None,
    template_dir: Path | None = None,
) -> RenderRun:
    """Validate the inputs and write a document per valid record and format."""
    policy = _policy(policy, config)
    report = validate(paths, policy, form=form, sheet=sheet, today=today)
    run = RenderRun(report)
    jobs = []
    for record in report.records:
        if not record.usable:
            run.rejected.append(record)
            continue
        if record.duplicate_of is not None:
            run.skipped.append(record)
            continue
        if record.alerts:
            run.alerted.append(record)
        form_obj = record.form
        assert form_obj is not None  # a usable record has its form
        forename, surname = split_name(form_obj.pupil_name)
        stem = file_stem(
            config.documents.naming,
            date=form_obj.visit_date.isoformat(),
            form=form_obj.form_name,
            surname=surname,
            forename=forename,
            pupil=form_obj.pupil_name,
            reference=form_obj.visit_reference or "",
            school=config.school.name,
        )

        def make(form: FormModel = form_obj, record: RecordResult = record) -> Document:
            return build_document(form, config, policy, record.issues)

        jobs.append((make, stem, record.label))
    _write_all(run, jobs, Path(out_dir), formats, overwrite,
               template_dir or config.template_dir())
    return run


def render_checkins(
    paths: Iterable[str | Path],
    day: dt.date,
    out_dir: str | Path,
    *,
    formats: Sequence[Format] = ("pdf",),
    config: SchoolConfig = SAMPLE_SCHOOL,
    policy: Policy | str | None = None,
    overwrite: bool = False,
    sheet: str | None = None,
    template_dir: Path | None = None,
) -> RenderRun:
    """Write the office check-in sheet for ``day`` from the risk assessments in ``paths``.
    Risk assessments with errors are left off the sheet and reported as rejected."""
    policy = _policy(policy, config)
    report = validate(paths, policy, sheet=sheet)
    run = RenderRun(report)
    visits = []
    for record in report.records:
        if record.form_name == VisitReport.form_name:
            continue  # visit reports are not planned visits
        if not record.ok:
            # a risk assessment with errors, or a record of no known form (which may be a
            # planned visit), is never put on the sheet, whatever its date: reported
            run.rejected.append(record)
        elif record.duplicate_of is not None:
            run.skipped.append(record)
        elif isinstance(record.form, RiskAssessment) and record.form.visit_date == day:
            visits.append(record.form)
    if not visits:
        run.note = f"no valid risk assessments for visits on {day.strftime('%d/%m/%Y')}"
        return run
    stem = file_stem("{date}_office-check-in-sheet", date=day.isoformat())

    def make() -> Document:
        return checkin_document(visits, day, config, policy)

    _write_all(run, [(make, stem, f"{len(visits)} visits")], Path(out_dir), formats,
               overwrite, template_dir or config.template_dir())
    return run


def _policy(policy: Policy | str | None, config: SchoolConfig) -> Policy:
    if isinstance(policy, Policy):
        return policy
    return load_policy(policy or config.policy_spec())
