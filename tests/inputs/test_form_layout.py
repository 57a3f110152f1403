"""The workbook people fill: one visit per sheet (the form layout, the default of `docgen
template`), read back without being told its layout; both layouts print on A4; the
Instructions sheet reads well and holds only its form's notes; each policy's questions."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl import load_workbook

from docgen.cli import cli
from docgen.policy import load_policy
from docgen.records import load_file
from docgen.schemas import FORMS, RiskAssessment, VisitReport
from docgen.schemas.columns import columns
from docgen.validation import validate, validate_record
from docgen.workbook import INSTRUCTIONS_SHEET, LISTS_SHEET, write_workbook
from tests.conftest import HOSTILE_NAME, LONG_TEXT, RA, REPORT, TODAY


def form_of(data: dict[str, Any]) -> Any:
    record = validate_record(data, "att", today=TODAY)
    assert record.form is not None, [i.message for i in record.issues]
    return record.form


def messy_ra() -> dict[str, Any]:
    ra = copy.deepcopy(RA)
    ra.update(pupil_name=HOSTILE_NAME, why_required=LONG_TEXT, known_risks="=1+1 dog",
              overall_risk="medium", approved_by="Dr Allen", approved_on="2026-11-20",
              hazards={"animals": {"likelihood": "likely", "risk_level": "medium",
                                   "controls": "Ask for the dog to be shut away\nLeave if not"}})
    return ra


def answers_of(path: Path, sheet: str) -> dict[str, Any]:
    ws = load_workbook(path)[sheet]
    return {row[0].value: row[1].value for row in ws.iter_rows(min_row=1)
            if row[0].value is not None}


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("data", [messy_ra(), copy.deepcopy(REPORT)],
                         ids=["risk-assessment", "visit-report"])
def test_the_form_layout_round_trips_one_visit_per_sheet(tmp_path: Path,
                                                         data: dict[str, Any]) -> None:
    first = form_of(data)
    second = form_of(copy.deepcopy(data) | {"pupil_name": "Tom Jones"})
    path = write_workbook(first.form_name, tmp_path / "visits.xlsx", [first, second],
                          layout="form")
    title = type(first).sheet_title
    assert load_workbook(path).sheetnames == [INSTRUCTIONS_SHEET, title, f"{title} (2)",
                                              LISTS_SHEET]
    result = load_file(path)  # not told the layout
    assert result.issues == []
    assert [r.form for r in result.records] == [first, second]
    assert [r.location.sheet for r in result.records] == [title, f"{title} (2)"]


def test_questions_run_down_column_a_in_the_forms_order(tmp_path: Path) -> None:
    path = write_workbook("risk-assessment", tmp_path / "ra.xlsx", layout="form")
    ws = load_workbook(path)[RiskAssessment.sheet_title]
    labels = [row[0].value for row in ws.iter_rows(min_row=1) if row[0].value]
    headers = [c.header + (" *" if c.required else "") for c in columns(RiskAssessment)]
    # the title and its help, then each section's heading before its questions
    asked = [label for label in labels if label in headers]
    assert asked == headers
    for section in ("Student details", "Staff", "Hazards", "Visit arrangements"):
        assert labels.index(section) < labels.index(next(
            h for h, c in zip(headers, columns(RiskAssessment), strict=True)
            if c.section == section))
    # answers in column B: dropdowns, date formats, help as comments
    rows = {row[0].value: row[0].row for row in ws.iter_rows(min_row=1) if row[0].value}
    dropdowns = {str(cell) for dv in ws.data_validations.dataValidation for cell in dv.sqref}
    assert f"B{rows['Overall risk level *']}" in " ".join(dropdowns)
    assert ws[f"B{rows['Date of Visit *']}"].number_format == "DD/MM/YYYY"
    assert "Required." in ws[f"A{rows['Name of pupil *']}"].comment.text
    # the hazard matrix is folded away, its generic assessment kept
    hazard = rows["Driving hazard: Controls"]
    assert ws.row_dimensions[hazard].hidden and ws.row_dimensions[hazard].outline_level == 1


def test_a_fresh_template_is_no_record_and_answers_are_read_by_cell(tmp_path: Path) -> None:
    path = write_workbook("visit-report", tmp_path / "vr.xlsx", layout="form")
    assert load_file(path).records == []
    wb = load_workbook(path)
    ws = wb[VisitReport.sheet_title]
    rows = {row[0].value: row[0].row for row in ws.iter_rows(min_row=1) if row[0].value}
    ws[f"B{rows['Name of pupil *']}"] = "Jane Smith"
    ws[f"B{rows['Date of Visit *']}"] = "31/02/2026"
    ws[f"B{rows['UPN']}"] = "n/a"  # optional: left empty
    ws[f"B{rows['Was anyone home? *']}"] = "=TRUE()"
    wb.save(path)
    result = validate([path], "att", today=TODAY)
    record = result.records[0]
    assert record.location.sheet == VisitReport.sheet_title and record.location.row is None
    by_code = {i.code: i for i in record.issues}
    assert by_code["invalid-date"].location.cell == f"B{rows['Date of Visit *']}"
    assert by_code["formula"].location.cell == f"B{rows['Was anyone home? *']}"
    assert "Class" in {i.field for i in record.issues if i.code == "required"}
    assert not any(i.field == "UPN" for i in record.issues)


def test_a_question_asked_twice_on_a_sheet_is_an_error(tmp_path: Path) -> None:
    path = write_workbook("visit-report", tmp_path / "vr.xlsx", [form_of(REPORT)],
                          layout="form")
    wb = load_workbook(path)
    ws = wb[VisitReport.sheet_title]
    row = ws.max_row + 2
    ws.cell(row=row, column=1, value="Name of pupil *")
    ws.cell(row=row, column=2, value="Someone Else")
    wb.save(path)
    record = validate([path], "att", today=TODAY).records[0]
    assert [(i.code, i.location.cell) for i in record.issues if i.is_error] == [
        ("duplicate-column", f"A{row}")]


def test_both_layouts_in_one_folder_are_read(tmp_path: Path) -> None:
    write_workbook("risk-assessment", tmp_path / "one.xlsx", [form_of(RA)], layout="form")
    write_workbook("visit-report", tmp_path / "batch.xlsx",
                   [form_of(REPORT), form_of(REPORT | {"pupil_name": "Tom Jones"})],
                   layout="table")
    result = validate([tmp_path], "att", today=TODAY)
    assert [(r.form_name, r.location.row) for r in result.records] == [
        ("visit-report", 2), ("visit-report", 3), ("risk-assessment", None)]
    assert result.valid


def test_a_hand_made_sheet_of_questions_is_read_as_a_form(tmp_path: Path) -> None:
    wb = OpenpyxlWorkbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Jane"
    for label, value in [("Notes: typed by the office", None), ("Name of pupil", "Jane Smith"),
                         ("Date of birth", "01/05/2013"), ("Class", "8A"),
                         ("Staff attending 1", "Alex Adams")]:
        ws.append([label, value])
    wb.save(tmp_path / "jane.xlsx")
    record = load_file(tmp_path / "jane.xlsx").records[0]
    assert record.form_name == "visit-report" and record.location.sheet == "Jane"
    assert {i.field for i in record.issues} >= {"Date of Visit", "Time of Visit"}


# --------------------------------------------------------------------------- printing


def test_the_form_prints_on_a4_as_wide_as_the_page(tmp_path: Path) -> None:
    wb = load_workbook(write_workbook("risk-assessment", tmp_path / "f.xlsx", layout="form"))
    ws = wb[RiskAssessment.sheet_title]
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.page_setup.orientation == "portrait"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_area == f"'{RiskAssessment.sheet_title}'!$A$1:$B${ws.max_row}"


def test_the_table_prints_landscape_with_its_header_row_on_every_page(tmp_path: Path) -> None:
    wb = load_workbook(write_workbook("visit-report", tmp_path / "t.xlsx", layout="table"))
    ws = wb[VisitReport.sheet_title]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"
    header = ws["A1"]
    assert header.font.name == "Arial" and not header.font.underline and header.font.bold


@pytest.mark.parametrize("layout", ["form", "table"])
@pytest.mark.parametrize("form", list(FORMS))
def test_the_instructions_read_well_and_belong_to_their_form(tmp_path: Path, form: str,
                                                              layout: str) -> None:
    path = write_workbook(form, tmp_path / "w.xlsx", layout=layout)  # type: ignore[arg-type]
    ws = load_workbook(path)[INSTRUCTIONS_SHEET]
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    is_ra = form == "risk-assessment"
    assert ("hazard" in text.casefold()) == is_ra and ("code word" in text.casefold()) == is_ra
    assert ("one visit per sheet" in text) == (layout == "form")
    assert "--policy" not in text
    for row in ws.iter_rows(min_row=3):
        first = row[0]
        if first.value == "•":  # each bullet at the top of its note, the note tall enough
            assert first.alignment.vertical == "top"
            note = row[1].value
            height = ws.row_dimensions[first.row].height
            assert height >= 15 * (len(note) // 150 + 1), (note, height)
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert {c.font.name for row in ws.iter_rows() for c in row if c.value} == {"Arial"}


# --------------------------------------------------------------------------- each policy


def test_the_template_asks_what_the_schools_policy_asks(tmp_path: Path) -> None:
    def labels(policy: str) -> set[str]:
        path = write_workbook("risk-assessment", tmp_path / f"{policy}.xlsx", layout="form",
                              policy=load_policy(policy))
        ws = load_workbook(path)[RiskAssessment.sheet_title]
        return {str(row[0].value) for row in ws.iter_rows() if row[0].value}

    att, westside = labels("att"), labels("westside")
    assert "Lone visit approved by the headteacher" in westside - att
    assert "Principal's permission for a high-risk visit" in att - westside
    assert "Vehicle: Registration number" in westside - att


def test_docgen_template_makes_the_form_layout_by_default(tmp_path: Path) -> None:
    target = tmp_path / "ra.xlsx"
    result = CliRunner().invoke(cli, ["template", "risk-assessment", "-o", str(target),
                                      "--policy", "westside"])
    assert result.exit_code == 0, result.output
    wb = load_workbook(target)
    assert wb.active is not None and wb.active.title == RiskAssessment.sheet_title
    assert wb.active["A1"].value == RiskAssessment.form_title
    table = tmp_path / "batch.xlsx"
    result = CliRunner().invoke(cli, ["template", "visit-report", "-o", str(table),
                                      "--layout", "table"])
    assert result.exit_code == 0, result.output
    assert load_workbook(table)[VisitReport.sheet_title]["A1"].value == "Name of pupil *"
