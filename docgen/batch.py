"""The batch commands as library functions: files in, checked, documents out through the
pipeline. ``render`` and ``checkins`` here are what ``docgen render`` and ``docgen checkins``
run (and what ``docgen.render`` is); letters and the export come the same way.

A batch reads its inputs twice: first to check every record and count them (the report comes
before any document, and the progress bar knows its total), then to produce. Checking is a
fraction of a millisecond a record against tens of milliseconds to lay one out, and neither
pass holds more than one record's form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from docgen.config import SchoolConfig, find_school, load_school
from docgen.documents.producers import BlankProducer, CheckinProducer, FormProducer
from docgen.pipeline import Format, Producer, RendererSpec, RunResult, Settings, default_jobs, run
from docgen.pipeline.memory import Tidier
from docgen.pipeline.progress import Progress
from docgen.policy import Policy, load_policy
from docgen.policy.assessments import AssessmentLookup
from docgen.register import Register
from docgen.report import FileResult, Issue, RecordResult, exit_code
from docgen.validation import Checker

DEFAULT_TIMEOUT = 120.0


@dataclass(frozen=True)
class School:
    """The school a command works for: its configuration and its policy, and how they were
    found (for the line docgen prints about it)."""

    config: SchoolConfig
    policy: Policy
    source: str  # "school.toml" path, or "" for the fictional sample school

    @property
    def note(self) -> str:
        if self.source:
            return f"School: {self.config.school.name} ({self.source}); policy {self.policy.id}."
        return ("No school.toml found here or in any folder above: documents show the "
                "fictional 'Sample Academy'. Run `docgen init` to make a school file.")


def resolve_school(school: SchoolConfig | str | Path | None = None,
                   policy: Policy | str | None = None, *, search: bool = True,
                   start: Path | None = None) -> School:
    """The school file given, or the nearest ``school.toml`` (``search``), or the sample
    school; and its policy unless ``policy`` overrides it."""
    if isinstance(school, SchoolConfig):
        config = school
    else:
        path = Path(school) if school is not None else (find_school(start) if search else None)
        config = load_school(path)
    chosen = policy if isinstance(policy, Policy) else load_policy(policy or config.policy_spec())
    return School(config, chosen, str(config.source) if config.source else "")


@dataclass
class BatchResult:
    """The inputs as checked (one ``FileResult`` per file, without its records) and the run."""

    files: list[FileResult] = field(default_factory=list)
    run: RunResult | None = None
    note: str = ""  # e.g. "no valid risk assessments for 24/11/2026"
    note_is_problem: bool = False

    @property
    def exit_code(self) -> int:
        """The highest of: 3 output refused or failed, 2 an input unreadable, 1 a record
        invalid; 0 when all is done."""
        codes = [exit_code(self.files)]
        if self.run is not None:
            codes.append(self.run.exit_code)
        if self.note_is_problem:
            codes.append(1)
        return max(codes)

    def to_dict(self) -> dict[str, Any]:
        return {"exit_code": self.exit_code, "note": self.note or None,
                "files": [f.to_dict() for f in self.files],
                "run": self.run.to_dict() if self.run else None}


class CheckListener(Protocol):
    """Hears the first pass: each file, each record with the file's issues known so far."""

    def start_file(self, path: str) -> None: ...

    def record(self, record: RecordResult, file_issues: list[Issue]) -> None: ...

    def end_file(self, result: FileResult) -> None: ...


class CheckedInput(Protocol):
    """A file being checked: iterate it for its records, then ``result()`` (the forms'
    ``CheckedFile``, the letters' ``AttendanceFile``)."""

    path: str

    def __iter__(self) -> Iterator[RecordResult]: ...

    @property
    def issues(self) -> list[Issue]: ...

    def result(self) -> FileResult: ...


def first_pass(files: Iterable[CheckedInput], result: BatchResult,
               listener: CheckListener | None) -> int:
    """Check every record of ``files``, one file at a time; keep each file's result in
    ``result``; ``listener`` hears of each file and record as it is checked (to print them).
    Returns how many records there are. Holds one record at a time, and hands the memory
    each one took back to the system as it goes."""
    total = 0
    tidier = Tidier(collect=False)
    for file in files:
        if listener is not None:
            listener.start_file(file.path)
        for record in file:
            total += 1
            tidier.made(1)
            if listener is not None:
                listener.record(record, file.issues)
        checked = file.result()
        result.files.append(checked)
        if listener is not None:
            listener.end_file(checked)
    return total


class Batch:
    """Input files checked against a policy, then produced through the pipeline."""

    def __init__(self, paths: Iterable[str | Path], policy: Policy, *, form: str | None = None,
                 sheet: str | None = None, today: dt.date | None = None,
                 known: AssessmentLookup | None = None) -> None:
        self.paths = list(paths)
        self.known = known  # risk assessments printed earlier (the register)
        self.policy = policy
        self.form = form
        self.sheet = sheet
        self.today = today
        self.result = BatchResult()
        self.total = 0

    def _checker(self) -> Checker:
        return Checker(self.paths, self.policy, form=self.form, sheet=self.sheet,
                       today=self.today, known=self.known)

    def check(self, listener: CheckListener | None = None) -> list[FileResult]:
        """First pass: check every record, count them, keep each file's result; ``listener``
        hears of each file and record as it is checked (to print them)."""
        self.total += first_pass(self._checker(), self.result, listener)
        return self.result.files

    def records(self) -> Iterator[RecordResult]:
        """Second pass: the records again, checked, one at a time."""
        return self._checker().records()

    def produce(self, producer: Producer, settings: Settings, *, register: Register | None,
                progress: Progress | None = None) -> RunResult:
        run_result = run(self.records(), producer, settings, register=register,
                         progress=progress)
        self.result.run = run_result
        return run_result


def open_register(config: SchoolConfig, use: bool | Path | Register = True) -> Register | None:
    """The school's register (``use`` True), another file, an open one, or none (False)."""
    if use is False:
        return None
    if isinstance(use, Register):
        return use
    return Register.open(config.register_path() if use is True else use)


def settings_for(school: School, out_dir: str | Path, *, formats: Iterable[Format] = ("pdf",),
                 overwrite: bool = False, jobs: int | None = None,
                 timeout: float | None = DEFAULT_TIMEOUT, templates: Path | None = None,
                 executor: Executor | None = None) -> Settings:
    return Settings(
        out_dir=Path(out_dir), formats=tuple(formats), overwrite=overwrite,
        jobs=jobs or default_jobs(), timeout=timeout,
        renderer=RendererSpec(templates or school.config.template_dir()),
        policy=school.policy.id, executor=executor,
    )


def render(
    paths: Iterable[str | Path],
    out_dir: str | Path,
    *,
    formats: Iterable[Format] = ("pdf",),
    school: SchoolConfig | str | Path | None = None,
    policy: Policy | str | None = None,
    overwrite: bool = False,
    form: str | None = None,
    sheet: str | None = None,
    today: dt.date | None = None,
    templates: Path | None = None,
    jobs: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    register: bool | Path | Register = True,
    executor: Executor | None = None,
) -> BatchResult:
    """Check the inputs and write each usable record's document in every format.

    ``school`` is a school.toml (found in the current folder or above when not given);
    ``register`` True keeps the school's register, False makes a dry run that remembers
    nothing. Never raises for bad input: see the result's files, run and exit code."""
    chosen = resolve_school(school, policy)
    settings = settings_for(chosen, out_dir, formats=formats, overwrite=overwrite, jobs=jobs,
                            timeout=timeout, templates=templates, executor=executor)
    reg = open_register(chosen.config, register)
    try:
        batch = Batch(paths, chosen.policy, form=form, sheet=sheet, today=today, known=reg)
        batch.check()
        batch.produce(FormProducer(chosen.config, chosen.policy), settings, register=reg)
    finally:
        if reg is not None and not isinstance(register, Register):
            reg.close()
    return batch.result


def render_blank(
    form: str,
    out_dir: str | Path,
    *,
    formats: Iterable[Format] = ("pdf",),
    school: SchoolConfig | str | Path | None = None,
    policy: Policy | str | None = None,
    overwrite: bool = False,
    templates: Path | None = None,
    register: bool | Path | Register = True,
) -> BatchResult:
    """Write the blank ``form`` (risk-assessment or visit-report) to fill in by hand: every
    question the school's policy asks, in its words."""
    chosen = resolve_school(school, policy)
    settings = settings_for(chosen, out_dir, formats=formats, overwrite=overwrite, jobs=1,
                            templates=templates)
    producer = BlankProducer(form, chosen.config, chosen.policy)
    result = BatchResult()
    reg = open_register(chosen.config, register)
    try:
        result.run = run([], producer, settings, register=reg)
    finally:
        if reg is not None and not isinstance(register, Register):
            reg.close()
    return result


def checkins(
    paths: Iterable[str | Path],
    day: dt.date,
    out_dir: str | Path,
    *,
    formats: Iterable[Format] = ("pdf",),
    school: SchoolConfig | str | Path | None = None,
    policy: Policy | str | None = None,
    overwrite: bool = False,
    sheet: str | None = None,
    templates: Path | None = None,
    register: bool | Path | Register = True,
) -> BatchResult:
    """Write the office check-in sheet for ``day`` from the risk assessments in ``paths``."""
    chosen = resolve_school(school, policy)
    settings = settings_for(chosen, out_dir, formats=formats, overwrite=overwrite, jobs=1,
                            templates=templates)
    producer = CheckinProducer(day, chosen.config, chosen.policy)
    reg = open_register(chosen.config, register)
    try:
        batch = Batch(paths, chosen.policy, sheet=sheet, known=reg)
        batch.check()
        batch.produce(producer, settings, register=reg)
    finally:
        if reg is not None and not isinstance(register, Register):
            reg.close()
    checkin_note(batch.result, producer, day)
    return batch.result


def checkin_note(result: BatchResult, producer: CheckinProducer, day: dt.date) -> None:
    """Say so when there is no sheet to print; given only visit reports, that is a mistake."""
    if producer.visits:
        return
    shown = day.strftime("%d/%m/%Y")
    if producer.assessments == 0 and producer.other_forms:
        result.note = (f"these are visit reports, not risk assessments: the check-in sheet is "
                       f"made from the risk assessments of the visits planned for {shown}.")
        result.note_is_problem = True
    else:
        result.note = f"no valid risk assessments for visits on {shown}: no sheet printed."
