"""Shared fixtures: minimal valid forms, policies, and a builder for small workbooks."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from docgen.policy import CheckContext, Policy, load_policy
from docgen.schemas import FORMS
from docgen.schemas.columns import columns
from docgen.validation import validate_record

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _work_in_an_empty_folder(tmp_path_factory: pytest.TempPathFactory,
                             monkeypatch: pytest.MonkeyPatch) -> Path:
    """docgen looks for school.toml in the current folder and above, and keeps its register
    there when it finds none: every test runs in an empty folder of its own, with its own log
    folder."""
    folder = tmp_path_factory.mktemp("cwd")
    monkeypatch.chdir(folder)
    monkeypatch.setenv("DOCGEN_LOG_DIR", str(folder / "logs"))
    return folder

HOSTILE_NAME = "Siobhán O'Brien-Smith & <Co>"
LONG_TEXT = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 100)[:5000]

# The smallest risk assessment that passes every check of both presets.
RA: dict[str, Any] = {
    "form": "risk-assessment",
    "academy": "Test Academy",
    "pupil_name": "Jane Smith",
    "pupil_class": "8A",
    "address": "1 High Street\nTown TN1 1AA",
    "visit_date": "2026-11-23",
    "reason": {"concerns_from_academy": True},
    "purpose": "attendance",
    "other_contact_exhausted": True,
    "parents_informed": True,
    "staff": [
        {"name": "Alex Adams", "mobile": "07700 900001", "dbs_checked": True,
         "home_visit_trained": True, "violence_training": True},
        {"name": "Bo Brown", "mobile": "07700 900002", "dbs_checked": True,
         "violence_training": True},
    ],
    "why_required": "Attendance has fallen.",
    "overall_risk": "low",
    "assessed_by": "Sam Senior",
    "assessor_is_slt": True,
    "authorised_by": "Dee Lead",
    "authoriser_role": "dsl",
    "authorised_on": "2026-11-20",
    "planned_start": "10:00",
    "expected_return": "11:00",
    "code_word_agreed": True,
    "travel_mode": "vehicle",
    "vehicle": {"make": "Ford", "model": "Focus", "registration": "AB12 CDE",
                "colour": "Blue", "school_approved": True},
}

# The smallest visit report that passes every check of both presets.
REPORT: dict[str, Any] = {
    "form": "visit-report",
    "pupil_name": "Jane Smith",
    "date_of_birth": "2013-05-01",
    "pupil_class": "8A",
    "staff_attending": ["Alex Adams", "Bo Brown"],
    "visit_date": "2026-11-20",
    "visit_time": "10:00",
    "purpose": "attendance",
    "reason": "Attendance has fallen.",
    "dsl_consulted": True,
    "anyone_home": True,
    "risk_assessment_done": True,
    "other_methods_exhausted": True,
    "who_was_home": "Mother",
    "entered_property": True,
    "adult_present": True,
    "welfare_concerns": False,
    "discussed": "Attendance",
    "agreed": "Jane will attend every day.",
    "agreement_review_date": "2026-12-04",
    "arrival_time": "10:00",
    "leaving_time": "10:30",
}


@pytest.fixture
def ra() -> dict[str, Any]:
    """A fresh copy of a valid risk assessment, to change in a test."""
    return copy.deepcopy(RA)


@pytest.fixture
def valid_ra() -> Callable[[str], dict[str, Any]]:
    """valid_ra(policy_id): a risk assessment that passes every check of that preset (the
    authoriser's role is the one the policy names)."""

    def build(policy_id: str) -> dict[str, Any]:
        data = copy.deepcopy(RA)
        data["authoriser_role"] = load_policy(policy_id).authorisers[0].value
        return data

    return build


@pytest.fixture
def report() -> dict[str, Any]:
    """A fresh copy of a valid visit report, to change in a test."""
    return copy.deepcopy(REPORT)


@pytest.fixture(scope="session")
def att() -> Policy:
    return load_policy("att")


@pytest.fixture(scope="session")
def westside() -> Policy:
    return load_policy("westside")


@pytest.fixture
def ctx() -> CheckContext:
    return CheckContext(today=TODAY)


@pytest.fixture
def check() -> Callable[..., list[str]]:
    """check(data, policy) -> the issue codes, after field and policy validation."""

    def run(data: dict[str, Any], policy: Policy | str = "att") -> list[str]:
        record = validate_record(data, policy, today=TODAY)
        return [i.code for i in record.issues]

    return run


def header_of(form: str, path: tuple[Any, ...]) -> str:
    """The workbook header of the field at ``path`` of ``form``."""
    for column in columns(FORMS[form]):
        if column.path == path:
            return column.header
    raise KeyError(path)


@pytest.fixture
def make_workbook(tmp_path: Path) -> Callable[..., Path]:
    """make_workbook(headers, rows, sheet=..., name=...) -> path of a small .xlsx.

    ``rows`` are lists of cell values in header order; ``None`` leaves a cell blank. Strings
    starting with '=' become formulas, as if typed into Excel.
    """

    def build(headers: list[Any], rows: list[list[Any]], *, sheet: str = "Visit report",
              name: str = "book.xlsx", extra_sheets: tuple[str, ...] = ()) -> Path:
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = sheet
        ws.append(headers)
        for row in rows:
            ws.append(row)
        for title in extra_sheets:
            wb.create_sheet(title)
        path = tmp_path / name
        wb.save(path)
        return path

    return build
