"""The samples are what the README and `make demo` say they are."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest

from docgen.records import load_file
from docgen.validation import validate

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize("policy", ["att", "westside"])
def test_policy_samples_are_valid_under_their_policy(policy: str) -> None:
    report = validate([SAMPLES / policy], policy, today=TODAY)
    assert report.valid, [i.message for i in report.issues() if i.is_error]
    names = {Path(f.path).name for f in report.files}
    assert names >= {"routine-attendance.json", "high-risk.json", "nobody-home.json",
                     "welfare-concerns.json", "risk-assessments.xlsx", "visit-reports.xlsx"}
    # both forms, four visits, in both formats
    assert len(report.records) == 16


def test_westside_samples_break_att_rules() -> None:
    report = validate([SAMPLES / "westside"], "att", today=TODAY)
    errors = {i.code for i in report.issues() if i.is_error}
    warnings = {i.code for i in report.issues() if not i.is_error}
    assert {"ra.authoriser-role", "ra.staff-count"} <= errors  # fixable before a visit
    assert {"report.dsl-consulted", "report.staff-count"} <= warnings  # facts, for the DSL


def test_invalid_samples_show_several_kinds_of_error() -> None:
    report = validate([SAMPLES / "invalid"], "att", today=TODAY)
    assert report.exit_code == 1
    codes = {i.code for i in report.issues()}
    assert {"invalid-date", "invalid-time", "invalid-choice", "invalid-yes-no", "formula",
            "required", "invalid-upn", "invalid-number", "unknown-column", "report.times",
            "report.date", "report.adult-present", "unknown-field",
            "invalid-phone"} <= codes
    cells = {i.location.cell for i in report.issues() if i.location.sheet}
    assert {"I2", "L4", "W3"} <= cells


def test_committed_workbooks_match_the_json(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("make_samples",
                                                  ROOT / "scripts" / "make_samples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for policy in ("att", "westside"):
        for form, records in module.samples_for(SAMPLES / policy).items():
            committed = load_file(SAMPLES / policy / module.WORKBOOK_NAMES[form])
            assert [r.form for r in committed.records] == records
