"""A visit report is checked against the risk assessment of its visit: found by visit
reference (or pupil and date) among the run's risk assessments, in any file and any order."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docgen.policy.assessments import AssessmentIndex, AssessmentSummary, name_key
from docgen.report import Location
from docgen.schemas import RiskAssessment
from docgen.schemas.choices import RiskLevel
from docgen.validation import validate

TODAY = dt.date(2026, 11, 23)


def write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(records), "utf-8")
    return path


def codes(report: Any, form: str = "visit-report") -> dict[str, list[str]]:
    return {r.label: [i.code for i in r.issues] for r in report.records if r.form_name == form}


def test_summary_holds_what_a_report_is_checked_against(ra: dict[str, Any]) -> None:
    form = RiskAssessment.model_validate({**ra, "visit_reference": "HV-9"})
    summary = AssessmentSummary.of(form, Location("a.json", path="$[0]"))
    assert summary.visit_key == form.visit_key() == "ref:hv-9"
    assert summary.visit_date == dt.date(2026, 11, 23)
    assert summary.staff == ("Alex Adams", "Bo Brown")
    assert summary.authorised and summary.authorised_on == dt.date(2026, 11, 20)
    assert summary.overall_risk is RiskLevel.LOW
    assert summary.has_staff("  alex   ADAMS ") and not summary.has_staff("Alex Adam")
    unauthorised = AssessmentSummary.of(
        RiskAssessment.model_validate({**ra, "authoriser_role": None}), Location("a.json"))
    assert not unauthorised.authorised
    assert name_key("Siobhán  O'Brien") == "siobhán o'brien"


def test_index_first_assessment_of_a_visit_wins(ra: dict[str, Any]) -> None:
    first = AssessmentSummary.of(RiskAssessment.model_validate(ra), Location("first.json"))
    later = AssessmentSummary.of(RiskAssessment.model_validate(ra), Location("later.json"))
    index = AssessmentIndex([first, later])
    assert len(index) == 1
    assert index.find(first.visit_key) is first
    assert index.find("ref:nothing") is None


def test_reports_are_checked_against_assessments_in_any_file_order(
        tmp_path: Path, valid_ra: Callable[[str], dict[str, Any]],
        report: dict[str, Any]) -> None:
    assessment = {**valid_ra("att"), "visit_reference": "HV-1", "visit_date": "2026-11-20",
                  "authorised_on": "2026-11-18"}
    visit = {**copy.deepcopy(report), "visit_reference": "hv-1",
             "staff_attending": ["Alex Adams", "Cy Cole"]}
    reports = write(tmp_path / "a-reports.json", [visit])  # read before the assessments
    assessments = write(tmp_path / "b-assessments.json", [assessment])
    for order in ([reports, assessments], [assessments, reports]):
        result = validate(order, "att", today=TODAY)
        (issues,) = [r.issues for r in result.records if r.form_name == "visit-report"]
        assert [i.code for i in issues] == ["report.assessment-staff"]
        assert "Cy Cole attended" in issues[0].message
        assert "b-assessments.json" in issues[0].message  # says which assessment


def test_reports_alone_are_not_said_to_lack_an_assessment(
        tmp_path: Path, report: dict[str, Any]) -> None:
    """Without risk assessments in the run none was looked up (the register will be a second
    source): nothing is said about the missing one."""
    result = validate([write(tmp_path / "r.json", [report])], "att", today=TODAY)
    assert codes(result) == {"Jane Smith, 20/11/2026": []}


def test_a_report_without_its_assessment_among_others(
        tmp_path: Path, valid_ra: Callable[[str], dict[str, Any]],
        report: dict[str, Any]) -> None:
    for policy in ("att", "westside"):
        other = {**valid_ra(policy), "pupil_name": "Sam Other"}
        path = write(tmp_path / "mixed.json", [report, other])
        assert codes(validate([path], policy, today=TODAY)) == {
            "Jane Smith, 20/11/2026": ["report.assessment-missing"]}


def test_an_assessment_with_errors_is_still_what_the_report_is_checked_against(
        tmp_path: Path, valid_ra: Callable[[str], dict[str, Any]],
        report: dict[str, Any]) -> None:
    broken = {**valid_ra("att"), "visit_date": "2026-11-20", "authorised_on": "2026-11-21",
              "staff": [valid_ra("att")["staff"][0]]}  # one member of staff: an error
    result = validate([write(tmp_path / "both.json", [broken, report])], "att", today=TODAY)
    assert codes(result) == {"Jane Smith, 20/11/2026": [
        "report.assessment-staff", "report.assessment-authorised"]}


SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "att"


def test_workbook_reports_are_matched_to_json_assessments() -> None:
    """The first pass reads only a workbook's risk-assessment sheets; a workbook of reports
    alone holds none, and is not an error."""
    result = validate([SAMPLES / "visit-reports.xlsx", SAMPLES / "high-risk.json"], "att",
                      today=TODAY)
    missing = {r.label for r in result.records
               if any(i.code == "report.assessment-missing" for i in r.issues)}
    assert missing == {"Jayden Carter, 10/11/2026", "Kacper Nowak, 17/11/2026",
                       "Siobhán O'Brien-Smith, 19/11/2026"}  # Amira Hussain's is given
    assert result.exit_code == 0  # warnings: the reports are still valid


def test_one_form_read_means_no_assessment_looked_up() -> None:
    result = validate([SAMPLES / "visit-reports.xlsx", SAMPLES / "risk-assessments.xlsx"],
                      "att", form="visit-report", today=TODAY)
    assert not any(i.code.startswith("report.assessment") for i in result.issues())
