"""The validation report as text for a terminal (the JSON form is ``Report.to_dict()``)."""

from __future__ import annotations

from collections.abc import Callable

from docgen.report import FileResult, Issue, RecordResult, Report, inert

Style = Callable[..., str]


def _plain(text: str, **_: object) -> str:
    return text


def format_report(report: Report, *, style: Style = _plain, verbose: bool = True) -> str:
    """Every file, every record with problems, every issue; then a one-line summary.

    ``style`` is ``click.style`` when colour is wanted. Valid records without issues are
    listed only when ``verbose``.
    """
    lines: list[str] = []
    for result in report.files:
        lines.extend(_file_lines(result, style, verbose))
    lines.append(summary(report))
    return "\n".join(lines)


def summary(report: Report) -> str:
    s = report.stats()
    parts = [
        f"{s['files']} file{'s' if s['files'] != 1 else ''}",
        f"{s['records']} record{'s' if s['records'] != 1 else ''}: "
        f"{s['valid_records']} valid, {s['invalid_records']} invalid",
        f"{s['errors']} error{'s' if s['errors'] != 1 else ''}, "
        f"{s['warnings']} warning{'s' if s['warnings'] != 1 else ''}",
    ]
    if s["unreadable_files"]:
        parts.append(f"{s['unreadable_files']} unreadable")
    policy = f" Policy: {report.policy}." if report.policy else ""
    return "; ".join(parts) + "." + policy


def _file_lines(result: FileResult, style: Style, verbose: bool) -> list[str]:
    state = (
        style("unreadable", fg="red", bold=True) if result.unreadable
        else style("ok", fg="green") if result.ok
        else style("invalid", fg="red", bold=True)
    )
    lines = [f"{style(inert(result.path), bold=True)}: {state}"]
    for issue in result.issues:
        lines.extend(_issue_lines(issue, style, indent="  "))
    for record in result.records:
        if record.issues or verbose:
            lines.extend(_record_lines(record, style))
    if not result.records and not result.unreadable:
        lines.append("  no records")
    return lines


def _record_lines(record: RecordResult, style: Style) -> list[str]:
    where = record.location
    if where.sheet:
        place = f"sheet '{inert(where.sheet)}' row {where.row}"
    else:
        place = f"{where.short()} {record.form_name or ''}".rstrip()
    counts = []
    if record.errors:
        counts.append(f"{len(record.errors)} error{'s' if len(record.errors) != 1 else ''}")
    if record.warnings:
        counts.append(
            f"{len(record.warnings)} warning{'s' if len(record.warnings) != 1 else ''}"
        )
    state = style("valid", fg="green") if record.ok else style("invalid", fg="red")
    detail = f" ({', '.join(counts)})" if counts else ""
    label = f" ({record.label})" if record.label and record.label != place else ""
    lines = [f"  {place}{label}: {state}{detail}"]
    for issue in record.issues:
        lines.extend(_issue_lines(issue, style, indent="    "))
    return lines


def _issue_lines(issue: Issue, style: Style, indent: str) -> list[str]:
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
