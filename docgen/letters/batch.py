"""``docgen letters`` as a library function: inputs checked, templates checked, the letters
that are due made through the pipeline, recorded in the register.

Inputs are attendance exports (.csv, or an .xlsx that is not a docgen form workbook) and visit
forms (.json, or a workbook with a 'Risk assessment' or 'Visit report' sheet), read in two
passes as every batch is (all checked first, then produced); attendance exports come first,
then forms.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.batch import (
    DEFAULT_TIMEOUT,
    BatchResult,
    CheckedInput,
    CheckListener,
    School,
    first_pass,
    open_register,
    resolve_school,
)
from docgen.config import SchoolConfig
from docgen.inputs import Workbook
from docgen.inputs.errors import UnreadableInput
from docgen.letters import templates
from docgen.letters.kinds import FAMILIES, KINDS, LetterKind
from docgen.letters.mis import AttendanceFile
from docgen.letters.producer import MANIFEST_COLUMNS, Contacts, LetterProducer, families_for
from docgen.pipeline import Format, RendererSpec, Settings, default_jobs, run
from docgen.pipeline.progress import Progress
from docgen.pipeline.workers import Renderer
from docgen.policy import Policy
from docgen.register import Register
from docgen.register.letters import LetterBook
from docgen.report import ExitCode, FileResult, RecordResult
from docgen.schemas import FORMS
from docgen.schemas.types import fold
from docgen.validation import Checker

ATTENDANCE_SUFFIXES = (".csv", ".txt")
FORM_SUFFIXES = (".json",)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
MAX_LETTERS = 12  # letters of one format per worker call, laid out together


@dataclass(frozen=True)
class LetterRendererSpec(RendererSpec):
    """Builds the letters' renderers (PDF and Word) in each worker."""

    def build(self, fmt: Format) -> Renderer:
        if fmt == "pdf":
            from docgen.letters.pdf import LetterPdfRenderer

            return LetterPdfRenderer(self.template_dir)
        from docgen.letters.docx import LetterDocxRenderer

        return LetterDocxRenderer(self.template_dir)


@dataclass
class LetterResult(BatchResult):
    """A letters run: the inputs as checked, the run, and any problem with the templates
    (then nothing was made, exit code 2)."""

    template_problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # letters made, by kind

    @property
    def exit_code(self) -> int:
        if self.template_problems:
            return ExitCode.USAGE
        return super().exit_code

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "exit_code": self.exit_code,
                "template_problems": self.template_problems, "letters": self.counts}


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """(attendance exports, form files), folders expanded, in the order given."""
    attendance: list[Path] = []
    forms: list[Path] = []
    suffixes = ATTENDANCE_SUFFIXES + FORM_SUFFIXES + WORKBOOK_SUFFIXES
    for raw in paths:
        path = Path(raw)
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower()
                       in suffixes and not any(part.startswith((".", "~$"))
                                               for part in p.relative_to(path).parts)) \
            if path.is_dir() else [path]
        for item in found:
            (attendance if is_attendance(item) else forms).append(item)
    return attendance, forms


def is_attendance(path: Path) -> bool:
    """An attendance export rather than a form file: a CSV, or a workbook with no sheet
    named as docgen's forms name theirs."""
    suffix = path.suffix.lower()
    if suffix in ATTENDANCE_SUFFIXES:
        return True
    if suffix not in WORKBOOK_SUFFIXES or not path.is_file():
        return False
    titles = {fold(m.sheet_title) for m in FORMS.values()}
    try:
        with Workbook(path) as wb:
            return not any(fold(name) in titles for name in wb.sheet_names)
    except UnreadableInput:
        return False  # reported by the forms' reader


class LetterBatch:
    """Attendance exports and visit forms, checked, then read again to produce."""

    def __init__(self, paths: Iterable[str | Path], policy: Policy, *,
                 today: dt.date | None = None, sheet: str | None = None) -> None:
        self.policy = policy
        self.today = today
        self.sheet = sheet
        self.attendance, self.forms = discover(paths)
        self.result = LetterResult()
        self.total = 0

    def _attendance_files(self) -> Iterator[AttendanceFile]:
        for path in self.attendance:
            yield AttendanceFile(path, window_weeks=self.policy.letters.window_weeks)

    def _checker(self) -> Checker:
        return Checker(self.forms, self.policy, sheet=self.sheet, today=self.today)

    def check(self, listener: CheckListener | None = None) -> list[FileResult]:
        files: Iterable[CheckedInput] = self._attendance_files()
        if self.forms:
            files = itertools.chain(files, self._checker())
        self.total += first_pass(files, self.result, listener)
        return self.result.files

    def records(self) -> Iterator[RecordResult]:
        for file in self._attendance_files():
            yield from file
        if self.forms:
            yield from self._checker().records()


def read_contacts(path: Path) -> tuple[Contacts, FileResult]:
    """The parents of each pupil in an export given with --contacts (figures not needed)."""
    file = AttendanceFile(path, contacts_only=True)
    pupils = [r.pupil for r in file if r.pupil is not None and r.usable]
    return Contacts(pupils), file.result()


def kinds_for(families: frozenset[str] | None) -> list[LetterKind]:
    names = families if families is not None else frozenset(FAMILIES)
    return [k for k in KINDS.values() if k.family in names]


def batch_size(records: int, jobs: int, formats: int) -> int:
    """Documents per worker call: enough letters together to share a layout's fixed cost (up
    to ``MAX_LETTERS`` of each format), few enough that every worker has work."""
    documents = max(records, 1) * max(formats, 1)
    per_call = math.ceil(documents / (max(jobs, 1) * 2))
    return max(2, min(MAX_LETTERS * max(formats, 1), per_call))


def letters(
    paths: Iterable[str | Path],
    out_dir: str | Path,
    *,
    formats: Iterable[Format] = ("pdf", "docx"),
    letter: Iterable[str] = (),
    school: SchoolConfig | str | Path | None = None,
    policy: Policy | str | None = None,
    today: dt.date | None = None,
    templates_dir: Path | None = None,
    contacts: Path | None = None,
    duplex: bool = False,
    overwrite: bool = False,
    sheet: str | None = None,
    jobs: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    register: bool | Path | Register = True,
    executor: Executor | None = None,
    listener: CheckListener | None = None,
    progress: Callable[[int], Progress] | None = None,
    chosen: School | None = None,
) -> LetterResult:
    """Make every letter that is due from ``paths`` into ``out_dir``.

    ``letter`` names the letters to make (``attendance-concern``, ``missed-you`` ...; all that
    are due when empty). ``today`` is the date the letters carry. Never raises for bad input:
    see the result's files, template problems, run and exit code."""
    chosen = chosen or resolve_school(school, policy)
    day = today or dt.date.today()
    families = families_for(list(letter))
    formats = tuple(formats)
    template_dir = templates_dir or chosen.config.template_dir()
    batch = LetterBatch(paths, chosen.policy, today=day, sheet=sheet)
    result = batch.result
    problems = templates.check(template_dir, kinds_for(families), formats)
    if problems:
        result.template_problems = problems
        return result
    batch.check(listener)
    known = Contacts()
    if contacts is not None:
        known, contacts_result = read_contacts(contacts)
        result.files.append(contacts_result)
    reg = open_register(chosen.config, register)
    try:
        producer = LetterProducer(
            chosen.config, chosen.policy, today=day, wording=templates.Wording(template_dir),
            book=LetterBook(reg) if reg is not None else None, families=families,
            contacts=known, duplex=duplex, combine="pdf" in formats)
        workers = jobs or default_jobs()
        settings = Settings(
            out_dir=Path(out_dir), formats=formats, overwrite=overwrite, jobs=workers,
            timeout=timeout, renderer=LetterRendererSpec(template_dir),
            policy=chosen.policy.id, executor=executor,
            batch_size=batch_size(batch.total, workers, len(formats)),
            manifest_columns=MANIFEST_COLUMNS)
        bar = progress(batch.total) if progress is not None else None
        result.run = run(batch.records(), producer, settings, register=reg, progress=bar)
        result.counts = dict(producer.counts)
    finally:
        if reg is not None and not isinstance(register, Register):
            reg.close()
    return result
