"""The validation report as text for a terminal (the JSON form is ``Report.to_dict()``).

Text is written as records stream past (``TextReport``), so a 10,000-row workbook is reported
without holding its records; ``format_report`` writes a report already collected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import PurePath

from docgen.report import FileResult, Issue, RecordResult, Report, inert, stats

Style = Callable[..., str]
Echo = Callable[[str], None]


def _plain(text: str, **_: object) -> str:
    return text


class TextReport:
    """Writes a report line by line: ``start_file``, then ``record`` for each record (the file's
    own issues are written as they become known), then ``end_file``."""

    def __init__(self, echo: Echo, *, style: Style = _plain, verbose: bool = True) -> None:
        self.echo = echo
        self.style = style
        self.verbose = verbose
        self._shown = 0

    def start_file(self, path: str) -> None:
        self.echo(self.style(inert(path), bold=True))
        self._shown = 0

    def file_issues(self, issues: list[Issue]) -> None:
        """Write the file's issues not written yet."""
        for issue in issues[self._shown:]:
            for line in issue_lines(issue, self.style, indent="  "):
                self.echo(line)
        self._shown = len(issues)

    def record(self, record: RecordResult) -> None:
        if record.issues or self.verbose:
            for line in record_lines(record, self.style):
                self.echo(line)

    def end_file(self, result: FileResult) -> None:
        self.file_issues(result.issues)
        self.echo("  " + file_verdict(result, self.style))


class ProblemsOnly:
    """A ``TextReport`` that shows only files with problems, and in them only the records
    with issues: what a command that goes on to make documents prints first."""

    def __init__(self, echo: Echo, *, style: Style = _plain) -> None:
        self.out = TextReport(echo, style=style, verbose=False)
        self._path = ""
        self._open = False

    def _ensure_open(self) -> None:
        if not self._open:
            self.out.start_file(self._path)
            self._open = True

    def start_file(self, path: str) -> None:
        self._path, self._open = path, False

    def record(self, record: RecordResult, file_issues: list[Issue]) -> None:
        if file_issues or record.issues:
            self._ensure_open()
            self.out.file_issues(file_issues)
        if record.issues:
            self.out.record(record)

    def end_file(self, result: FileResult) -> None:
        if self._open or result.issues or not result.ok or result.skipped:
            self._ensure_open()
            self.out.end_file(result)


def format_report(report: Report, *, style: Style = _plain, verbose: bool = True) -> str:
    """Every file, every record with problems, every issue; then a one-line summary.

    ``style`` is ``click.style`` when colour is wanted. Valid records without issues are
    listed only when ``verbose``.
    """
    lines: list[str] = []
    out = TextReport(lines.append, style=style, verbose=verbose)
    for result in report.files:
        out.start_file(result.path)
        out.file_issues(result.issues)
        for record in result.records:
            out.record(record)
        out.end_file(result)
    lines.append(summary(report.files, report.policy))
    return "\n".join(lines)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def file_verdict(result: FileResult, style: Style = _plain) -> str:
    """``report.xlsx: ok (4 records, all valid)``, ``... invalid (3 records, 1 valid)``,
    ``... unreadable``."""
    t = result.tally
    name = inert(PurePath(result.path).name or result.path)
    if result.skipped:
        return f"{name}: {style('skipped', fg='yellow')} ({inert(result.skipped)})"
    if result.unreadable:
        state = style("unreadable", fg="red", bold=True)
        read = f" ({_plural(t.records, 'record')} read before it)" if t.records else ""
        return f"{name}: {state}{read}"
    state = style("ok", fg="green") if result.ok else style("invalid", fg="red", bold=True)
    if not t.records:
        return f"{name}: {state} (no records)"
    valid = "all valid" if t.valid == t.records else f"{t.valid} valid"
    return f"{name}: {state} ({_plural(t.records, 'record')}, {valid})"


def summary(files: Iterable[FileResult], policy: str | None = None) -> str:
    s = stats(files)
    parts = [
        _plural(s["files"], "file"),
        f"{_plural(s['records'], 'record')}: "
        f"{s['valid_records']} valid, {s['invalid_records']} invalid",
        f"{_plural(s['errors'], 'error')}, {_plural(s['warnings'], 'warning')}",
    ]
    if s["unreadable_files"]:
        parts.append(f"{s['unreadable_files']} unreadable")
    if s["skipped_files"]:
        parts.append(f"{_plural(s['skipped_files'], 'other file')} skipped")
    shown = f" Policy: {policy}." if policy else ""
    return "; ".join(parts) + "." + shown


def record_lines(record: RecordResult, style: Style = _plain) -> list[str]:
    where = record.location
    if where.sheet:  # a row of a table, or a sheet that is one form
        place = f"sheet '{inert(where.sheet)}'" + (f" row {where.row}" if where.row else "")
    else:
        place = f"{where.short()} {record.form_name or ''}".rstrip()
    counts = []
    if record.errors:
        counts.append(_plural(len(record.errors), "error"))
    if record.warnings:
        counts.append(_plural(len(record.warnings), "warning"))
    state = style("valid", fg="green") if record.ok else style("invalid", fg="red")
    detail = f" ({', '.join(counts)})" if counts else ""
    label = f" ({record.label})" if record.label and record.label != place else ""
    lines = [f"  {place}{label}: {state}{detail}"]
    for issue in record.issues:
        lines.extend(issue_lines(issue, style, indent="    "))
    return lines


def issue_lines(issue: Issue, style: Style = _plain, indent: str = "") -> list[str]:
    colour = "red" if issue.is_error else "yellow"
    severity = style(f"{issue.severity.value:<7}", fg=colour, bold=issue.is_error)
    location = issue.location
    where = location.cell or (inert(location.path or "") if not location.row else "")
    head = f"{indent}{severity} {where + ' ' if where else ''}"
    field = f"{issue.field}: " if issue.field else ""
    given = ""
    if issue.value is not None and issue.value not in issue.message:
        given = f" (given: '{issue.value}')"
    lines = [f"{head}{field}{issue.message}{given} [{issue.code}]"]
    if issue.citation:
        lines.append(f"{indent}        {style('see: ' + issue.citation, dim=True)}")
    return lines
