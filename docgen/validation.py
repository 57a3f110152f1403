"""Validate files against a policy: the library behind ``docgen validate`` and the first step
of every command that produces documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl.utils import column_index_from_string

from docgen.inputs import discover
from docgen.policy import CheckContext, Policy, check_form, load_policy
from docgen.policy.hours import visit_start
from docgen.records import json_record, load_file
from docgen.report import (
    FileResult,
    Issue,
    Location,
    RecordResult,
    Report,
    Severity,
    make_issue,
)


def validate(
    paths: Iterable[str | Path],
    policy: Policy | str = "att",
    *,
    form: str | None = None,
    sheet: str | None = None,
    today: dt.date | None = None,
) -> Report:
    """Validate every record in the given files and folders. Never raises for bad input."""
    policy = load_policy(policy) if isinstance(policy, str) else policy
    ctx = CheckContext(today=today or dt.date.today())
    report = Report(policy=policy.id)
    paths = list(paths)
    files = discover(paths)
    for path in files:
        result = load_file(path, form=form, sheet=sheet)
        apply_policy(result, policy, ctx)
        report.files.append(result)
    _flag_duplicates(report.records)
    if not files:
        report.files.append(_nothing_found(paths))
    return report


def apply_policy(result: FileResult, policy: Policy, ctx: CheckContext) -> None:
    """Run the policy's checks on every record that parsed. A problem with the file itself
    (a duplicated column, a duplicated JSON key) makes every record in it invalid: which of
    the two values is right cannot be known."""
    file_errors = [i for i in result.issues if i.is_error]
    for record in result.records:
        if record.form is not None and record.locate is not None:
            record.issues.extend(check_form(record.form, policy, record.locate, ctx))
        if file_errors:
            record.issues.append(make_issue(
                "file-error",
                f"The file has {len(file_errors)} error{'s' if len(file_errors) != 1 else ''} "
                "of its own (listed for the file); fix "
                f"{'them' if len(file_errors) != 1 else 'it'} before this record can be used.",
                record.location,
            ))
        record.issues.sort(key=_reading_order)


def _reading_order(issue: Issue) -> tuple[int, int]:
    """Errors first, then left to right along the row as the user reads it."""
    column = issue.location.column
    return (0 if issue.is_error else 1, column_index_from_string(column) if column else 0)


def validate_record(
    data: dict[str, Any], policy: Policy | str = "att", *, today: dt.date | None = None,
    source: str = "<data>",
) -> RecordResult:
    """Validate one form given as a dict (as in JSON), for callers that have data, not files."""
    policy = load_policy(policy) if isinstance(policy, str) else policy
    result = FileResult(path=source, records=[json_record(source, data)])
    apply_policy(result, policy, CheckContext(today=today or dt.date.today()))
    return result.records[0]


def _flag_duplicates(records: list[RecordResult]) -> None:
    """The same form of the same visit given twice, in one file or across files: warned, and
    marked so that documents and exports use the first copy only. Only valid records count:
    an invalid copy followed by its corrected copy is a correction, not a duplicate."""
    seen: dict[tuple[Any, ...], RecordResult] = {}
    for record in records:
        form = record.form
        if form is None or not record.ok:
            continue
        key = (record.form_name, " ".join(form.pupil_name.casefold().split()),
               form.visit_date, visit_start(form)[0])
        first = seen.setdefault(key, record)
        if first is not record:
            record.duplicate_of = first.location
            record.issues.append(make_issue(
                "duplicate-record",
                f"The same visit ({record.label}) is also at {first.location}. Only the "
                "first copy is used; remove one so that the visit is not filed twice.",
                record.location,
                severity=Severity.WARNING,
            ))


def _nothing_found(paths: Iterable[str | Path]) -> FileResult:
    names = ", ".join(str(p) for p in paths) or "(none)"
    result = FileResult(path=names, unreadable=True)
    result.issues.append(make_issue(
        "no-input", f"No .json or .xlsx files found in {names}.", Location(file=names)
    ))
    return result
