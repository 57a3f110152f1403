"""Validate files against a policy: the library behind ``docgen validate`` and the first step
of every command that produces documents.

Records stream: ``check_files`` reads, validates and checks one record at a time, so a
10,000-row workbook never has every row's form in memory at once. ``validate`` collects the
stream into a ``Report`` for callers who want everything at hand.

A visit report is checked against the risk assessment of its visit, wherever in the run that
assessment is: a first pass reads the run's risk assessments and keeps a short summary of each
(``docgen.policy.assessments``), the second checks every record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from openpyxl.utils import column_index_from_string

from docgen.glyphs import glyph_warnings
from docgen.inputs import KeptWorkbook, find_inputs, kind_of
from docgen.policy import CheckContext, Policy, active_rules, check_form, load_policy
from docgen.policy.assessments import (
    AssessmentIndex,
    AssessmentLookup,
    AssessmentSummary,
    Lookups,
)
from docgen.policy.engine import ActiveRule
from docgen.policy.hours import visit_start
from docgen.records import FileRecords, json_record
from docgen.report import (
    FileResult,
    Issue,
    Location,
    RecordResult,
    Report,
    Severity,
    make_issue,
)
from docgen.schemas import FormModel, RiskAssessment


def validate(
    paths: Iterable[str | Path],
    policy: Policy | str = "att",
    *,
    form: str | None = None,
    sheet: str | None = None,
    today: dt.date | None = None,
    known: AssessmentLookup | None = None,
) -> Report:
    """Validate every record in the given files and folders, holding them all in the report.
    Never raises for bad input."""
    checked = Checker(paths, policy, form=form, sheet=sheet, today=today, known=known)
    report = Report(policy=checked.policy.id)
    for file in checked:
        records = list(file)
        result = file.result()
        result.records = records
        report.files.append(result)
    return report


class Checker:
    """Files and folders checked against a policy, streamed: iterate for each file, then iterate
    the file for its records, each with every issue it has (fields, policy, the file's own
    errors, an earlier copy of the same visit)."""

    def __init__(
        self,
        paths: Iterable[str | Path],
        policy: Policy | str = "att",
        *,
        form: str | None = None,
        sheet: str | None = None,
        today: dt.date | None = None,
        known: AssessmentLookup | None = None,
    ) -> None:
        """``known``: risk assessments from before this run (the register's), looked up
        after the run's own when a report is checked against its assessment."""
        self.paths = list(paths)
        self.known = known
        self.policy = load_policy(policy) if isinstance(policy, str) else policy
        self.ctx = CheckContext(today=today or dt.date.today())
        self.form = form
        self.sheet = sheet
        self.duplicates = Duplicates()
        self._rules: dict[type[FormModel], list[ActiveRule]] = {}

    def check(self, record: RecordResult, file_issues: Sequence[Issue] = ()) -> None:
        """Run the policy's checks on one record, remember it for duplicates, order its
        issues as the user reads them."""
        form = record.form
        rules = None
        if form is not None:
            rules = self._rules.get(type(form))
            if rules is None:
                rules = self._rules[type(form)] = active_rules(type(form), self.policy)
        check_record(record, self.policy, self.ctx, file_issues, rules)
        self.duplicates.check(record)
        record.issues.sort(key=_reading_order)

    def __iter__(self) -> Iterator[CheckedFile]:
        found = find_inputs(self.paths)
        files = [path for path, skipped in found if not skipped]
        if not files:
            yield from (CheckedFile.skipped(path, why) for path, why in found)
            yield CheckedFile.nothing_found(self.paths)
            return
        kept = KeptWorkbook()  # the last workbook the first pass read, for the second
        try:
            self.ctx = replace(self.ctx, assessments=self.assessments(files, kept))
            for path, why in found:
                if why:  # listed, so that nothing in a folder is passed over in silence
                    yield CheckedFile.skipped(path, why)
                else:
                    yield CheckedFile(FileRecords(path, form=self.form, sheet=self.sheet,
                                                  kept=kept), self)
        finally:
            kept.close()

    def assessments(self, files: Sequence[Path],
                    kept: KeptWorkbook | None = None) -> AssessmentLookup | None:
        """The first pass: a summary of every risk assessment of the run that parses, by
        visit. None when the run holds none (or only one form is read): nothing was looked up,
        and the report checks that need an assessment stay silent rather than say every
        visit lacks one."""
        if self.form is not None:
            return self.known
        index = AssessmentIndex()
        for path in files:
            # a workbook's risk-assessment sheets only; a JSON file says each record's form
            form = RiskAssessment.form_name if kind_of(path) == "xlsx" else None
            for record in FileRecords(path, form=form, sheet=self.sheet, kept=kept):
                if isinstance(record.form, RiskAssessment):
                    index.add(AssessmentSummary.of(record.form, record.location))
        if self.known is not None:
            return Lookups(index, self.known)
        return index if len(index) else None

    def records(self) -> Iterator[RecordResult]:
        """Every record of every file, in order."""
        for file in self:
            yield from file


class CheckedFile:
    """One file's records as they are checked; ``result()`` after iterating them gives the
    file's own issues and its tally."""

    def __init__(self, reader: FileRecords | None, checker: Checker | None,
                 result: FileResult | None = None) -> None:
        self._reader = reader
        self._checker = checker
        self._result = result or FileResult(path=reader.name if reader else "")
        self.path = self._result.path

    @classmethod
    def skipped(cls, path: Path, why: str) -> CheckedFile:
        """A file found in a folder that is not read, and why (another kind of file)."""
        return cls(None, None, FileResult(path=str(path), skipped=why))

    @classmethod
    def nothing_found(cls, paths: Iterable[str | Path]) -> CheckedFile:
        names = ", ".join(str(p) for p in paths) or "(none)"
        result = FileResult(path=names, unreadable=True)
        result.issues.append(make_issue(
            "no-input", f"No .json or .xlsx files found in {names}.", Location(file=names)
        ))
        return cls(None, None, result)

    def __iter__(self) -> Iterator[RecordResult]:
        if self._reader is None or self._checker is None:
            return
        checker = self._checker
        for record in self._reader:
            checker.check(record, self._reader.issues)
            self._result.tally.add(record)
            yield record

    @property
    def issues(self) -> list[Issue]:
        """The file's own issues known so far (header problems come before the records)."""
        return self._reader.issues if self._reader is not None else self._result.issues

    def result(self) -> FileResult:
        """The file's own issues and tally (its records are not kept here)."""
        if self._reader is not None:
            self._result.issues = list(self._reader.issues)
            self._result.unreadable = self._reader.unreadable
        return self._result


def check_record(record: RecordResult, policy: Policy, ctx: CheckContext,
                 file_issues: Sequence[Issue] = (),
                 rules: list[ActiveRule] | None = None) -> None:
    """Run the policy's checks on a record that parsed. A problem with the file itself (a
    duplicated column, a duplicated JSON key) makes the record invalid: which of the two
    values is right cannot be known."""
    if record.form is not None and record.locate is not None:
        record.issues.extend(check_form(record.form, policy, record.locate, ctx, rules))
        record.issues.extend(glyph_warnings(record.form, record.locate))
    file_errors = [i for i in file_issues if i.is_error]
    if file_errors:
        record.issues.append(make_issue(
            "file-error",
            f"The file has {len(file_errors)} error{'s' if len(file_errors) != 1 else ''} "
            "of its own (listed for the file); fix "
            f"{'them' if len(file_errors) != 1 else 'it'} before this record can be used.",
            record.location,
        ))


def _reading_order(issue: Issue) -> tuple[int, int]:
    """Errors first, then left to right along the row as the user reads it."""
    column = issue.location.column
    return (0 if issue.is_error else 1, column_index_from_string(column) if column else 0)


def validate_record(
    data: dict[str, Any], policy: Policy | str = "att", *, today: dt.date | None = None,
    source: str = "<data>", assessments: AssessmentLookup | None = None,
) -> RecordResult:
    """Validate one form given as a dict (as in JSON), for callers that have data, not files.
    ``assessments`` finds the risk assessment a report is checked against."""
    policy = load_policy(policy) if isinstance(policy, str) else policy
    record = json_record(source, data)
    check_record(record, policy, CheckContext(today=today or dt.date.today(),
                                              assessments=assessments))
    record.issues.sort(key=_reading_order)
    return record


class Duplicates:
    """The same form of the same visit given twice, in one file or across files: warned, and
    marked so that documents and exports use the first copy only. Only usable records count:
    an invalid copy followed by its corrected copy is a correction, not a duplicate."""

    def __init__(self) -> None:
        # a digest of each visit's key: 10,000 visits cost a few hundred kilobytes
        self._seen: dict[bytes, Location] = {}

    def check(self, record: RecordResult) -> None:
        form = record.form
        if form is None or not record.usable:
            return
        key = repr((record.form_name, " ".join(form.pupil_name.casefold().split()),
                    form.visit_date, visit_start(form)[0]))
        digest = hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest()
        first = self._seen.setdefault(digest, record.location)
        if first is not record.location:
            record.duplicate_of = first
            record.issues.append(make_issue(
                "duplicate-record",
                f"The same visit ({record.label}) is also at {first}. Only the first copy is "
                "used; remove one so that the visit is not filed twice.",
                record.location,
                severity=Severity.WARNING,
            ))
