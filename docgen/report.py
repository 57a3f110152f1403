"""Validation results as data: issues, per-record results and the report over many files.

Nothing here is ever raised. Every stage of docgen returns issues; the report collects them,
and the CLI only prints it. ``Report.to_dict()`` is exactly what ``--format json`` prints.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docgen.schemas.base import FormModel
    from docgen.schemas.parse import Locator

MAX_ECHO = 80  # characters of a given value echoed back in a message


class Severity(StrEnum):
    """How much an issue matters: an error blocks documents (unless it is one that must never
    block: see ``Issue.blocking``), a warning is carried on them."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Location:
    """Where a value came from, as the user sees it.

    Spreadsheet rows are numbered as in Excel (the header is row 1); ``column`` is a letter.
    JSON locations use a path such as ``$[1].staff[0].mobile``.
    """

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    path: str | None = None

    @property
    def cell(self) -> str | None:
        if self.column and self.row:
            return f"{self.column}{self.row}"
        return None

    def with_(self, **changes: Any) -> Location:
        values = {**self.__dict__, **changes}
        return Location(**values)

    def short(self) -> str:
        """The part after the file: ``cell F3``, ``row 3``, ``$.staff[0]``."""
        if self.cell:
            return f"cell {self.cell}"
        if self.row:
            return f"row {self.row}"
        if self.path:
            return inert(self.path)
        return ""

    def __str__(self) -> str:
        parts = [inert(self.file)]
        if self.sheet:
            parts.append(f"sheet '{inert(self.sheet)}'")
        short = self.short()
        if short:
            parts.append(short)
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "path": self.path,
        }


def json_path(steps: Iterable[str | int], root: str = "") -> str:
    """Steps as a JSON path: ``("staff", 0, "mobile")`` is ``.staff[0].mobile``; a key that is
    not an identifier is quoted, as JSONPath writes it (``["pupil name"]``)."""
    out = root
    for step in steps:
        if isinstance(step, int):
            out += f"[{step}]"
        elif step.isidentifier():
            out += f".{step}"
        else:  # inert: a key may hold a lone surrogate or an invisible character
            out += "[" + inert(json.dumps(step, ensure_ascii=False)) + "]"
    return out


MAX_MESSAGE = 2_000
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn"}
_ZWJ = "\u200d"  # joins emoji sequences: harmless, keep it


def inert(text: str) -> str:
    """``text`` with every control or invisible character shown as an escape, so that nothing
    a user typed (an ANSI or OSC sequence in a cell, a file name) can act on a terminal."""
    if text.isprintable():  # no control, format, private or unassigned character (fast, in C)
        return text
    out = []
    for ch in text:
        if ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch != _ZWJ and unicodedata.category(ch) in _INVISIBLE:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def printable(value: Any, limit: int = MAX_ECHO) -> str | None:
    """A safe, short rendering of a user's value for messages: made inert, and cut to
    ``limit`` characters (a 30,000-character cell is not repeated back in full)."""
    if value is None:
        return None
    clean = inert(value if isinstance(value, str) else repr(value))
    if len(clean) > limit:
        clean = clean[: limit - 1] + "…"
    return clean


@dataclass(frozen=True)
class Issue:
    """One problem: what, where, which field, the value given, how to fix it."""

    code: str
    severity: Severity
    message: str
    location: Location
    field: str | None = None  # the field's printed label
    value: str | None = None  # already made printable
    rule: str | None = None  # policy rule id, for policy checks
    citation: str | None = None  # the policy paragraph a rule enforces
    # False for an error whose purpose is to make something be reported (a welfare concern to
    # the DSL): blocking the record would stop the very document that reports it, so the
    # document is produced and carries the error in a red banner, headed by ``alert``.
    blocking: bool = True
    alert: str | None = None  # the banner's headline, e.g. "... not yet reported to the DSL"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def blocks(self) -> bool:
        """An error that stops documents being produced."""
        return self.is_error and self.blocking

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "location": self.location.to_dict(),
            "field": self.field,
            "value": self.value,
            "rule": self.rule,
            "citation": self.citation,
            "blocking": self.blocks,
            "alert": self.alert,
        }


def make_issue(
    code: str,
    message: str,
    location: Location,
    *,
    severity: Severity = Severity.ERROR,
    field: str | None = None,
    value: Any = None,
    rule: str | None = None,
    citation: str | None = None,
    blocking: bool = True,
    alert: str | None = None,
) -> Issue:
    text = inert(message)
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 1] + "…"
    return Issue(
        code=code,
        severity=severity,
        message=text,
        location=location,
        field=printable(field, limit=200),
        value=printable(value),
        rule=rule,
        citation=citation,
        blocking=blocking,
        alert=alert,
    )


@dataclass
class RecordResult:
    """One record (a workbook row or a JSON object) after validation.

    ``form`` is the validated pydantic model, or None when the record could not be parsed (or
    once the record is ``slim()``: kept for its report only). A record is valid (``ok``) when
    it parsed and has no error; it is usable for documents when it parsed and has no blocking
    error (``usable``): a report whose only errors are gaps that must be reported (a welfare
    concern not yet with the DSL) is printed, loudly.
    """

    location: Location
    form_name: str | None
    form: FormModel | None = None
    issues: list[Issue] = field(default_factory=list)
    label: str = ""  # a short human name for the record, e.g. "Jane Smith, 23/11/2026"
    # maps a field path of the form to its place in the input (a cell, a JSON path)
    locate: Locator | None = field(default=None, repr=False, compare=False)
    duplicate_of: Location | None = None  # an earlier copy of the same visit
    parsed: bool = False  # the record is a valid form (set from ``form``)

    def __post_init__(self) -> None:
        self.label = printable(self.label) or ""
        self.parsed = self.parsed or self.form is not None

    @property
    def ok(self) -> bool:
        return self.parsed and not any(i.is_error for i in self.issues)

    @property
    def usable(self) -> bool:
        """The form parsed and no error blocks its documents."""
        return self.parsed and not any(i.blocks for i in self.issues)

    @property
    def pupil_name(self) -> str:
        """Who the record is about (for the manifest); a record that is not a form (a row of
        an attendance export) says so itself."""
        return self.form.pupil_name if self.form is not None else ""

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def alerts(self) -> list[Issue]:
        """Errors that do not block: printed in the document's red banner."""
        return [i for i in self.issues if i.is_error and not i.blocking]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_error]

    def slim(self) -> RecordResult:
        """This result without the form and its locator: what a report keeps of a record."""
        return replace(self, form=None, locate=None, parsed=self.parsed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "location": self.location.to_dict(),
            "form": self.form_name,
            "label": self.label,
            "valid": self.ok,
            "usable": self.usable,
            "duplicate_of": self.duplicate_of.to_dict() if self.duplicate_of else None,
            "issues": [i.to_dict() for i in self.issues],
        }


@dataclass
class Tally:
    """Counts over a file's records, kept as they stream past."""

    records: int = 0
    valid: int = 0
    errors: int = 0
    warnings: int = 0

    def add(self, record: RecordResult) -> None:
        self.records += 1
        self.valid += record.ok
        errors = sum(i.is_error for i in record.issues)
        self.errors += errors
        self.warnings += len(record.issues) - errors


@dataclass
class FileResult:
    """One input file: the problems with the file itself, the tally of its records and, when a
    caller keeps them, the records."""

    path: str
    records: list[RecordResult] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)  # file-level: headers, unreadable
    unreadable: bool = False
    tally: Tally = field(default_factory=Tally)
    skipped: str = ""  # why a file found in a folder is not read (not a form file)

    def __post_init__(self) -> None:
        if self.records and not self.tally.records:
            for record in self.records:
                self.tally.add(record)

    @property
    def ok(self) -> bool:
        return (
            not self.unreadable
            and not any(i.is_error for i in self.issues)
            and self.tally.valid == self.tally.records
        )

    def all_issues(self) -> Iterator[Issue]:
        yield from self.issues
        for record in self.records:
            yield from record.issues

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "valid": self.ok,
            "unreadable": self.unreadable,
            "skipped": self.skipped or None,
            "issues": [i.to_dict() for i in self.issues],
            "records": [r.to_dict() for r in self.records],
        }


class ExitCode:
    """What the process exit code says; when several apply, the highest wins."""

    OK = 0  # everything done (warnings allowed)
    INVALID = 1  # some records invalid (the rest done)
    USAGE = 2  # a usage error, or an input that cannot be read
    OUTPUT = 3  # some output refused or failed (including an internal error)


def exit_code(files: Iterable[FileResult]) -> int:
    """2 if a file could not be read, else 1 if any record or file is invalid, else 0."""
    files = list(files)
    if any(f.unreadable for f in files):
        return ExitCode.USAGE
    return ExitCode.OK if all(f.ok for f in files) else ExitCode.INVALID


def stats(files: Iterable[FileResult]) -> dict[str, int]:
    """Counts over files: their records, errors and warnings."""
    out = {"files": 0, "unreadable_files": 0, "skipped_files": 0, "records": 0,
           "valid_records": 0, "invalid_records": 0, "errors": 0, "warnings": 0}
    for f in files:
        if f.skipped:
            out["skipped_files"] += 1
            continue
        t = f.tally
        file_errors = sum(i.is_error for i in f.issues)
        out["files"] += 1
        out["unreadable_files"] += f.unreadable
        out["records"] += t.records
        out["valid_records"] += t.valid
        out["invalid_records"] += t.records - t.valid
        out["errors"] += t.errors + file_errors
        out["warnings"] += t.warnings + len(f.issues) - file_errors
    return out


@dataclass
class Report:
    """Everything a run found, over every file."""

    files: list[FileResult] = field(default_factory=list)
    policy: str | None = None

    @property
    def valid(self) -> bool:
        return all(f.ok for f in self.files)

    @property
    def records(self) -> list[RecordResult]:
        return [r for f in self.files for r in f.records]

    def issues(self) -> list[Issue]:
        return [i for f in self.files for i in f.all_issues()]

    @property
    def exit_code(self) -> int:
        return exit_code(self.files)

    def stats(self) -> dict[str, int]:
        return stats(self.files)

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "exit_code": self.exit_code,
            "policy": self.policy,
            "stats": self.stats(),
            "files": [f.to_dict() for f in self.files],
        }
