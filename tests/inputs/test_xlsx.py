"""Workbooks: the template docgen writes, and how a filled workbook is read back (cell
conventions, headers, formulas, sheets), and files that cannot be read at all."""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from docgen.output import OutputExists
from docgen.records import load_file
from docgen.report import ExitCode, FileResult, Issue, Severity
from docgen.schemas import FORMS, RiskAssessment, VisitReport
from docgen.schemas.choices import Likelihood, RiskLevel, VisitPurpose
from docgen.schemas.columns import Column, columns
from docgen.validation import validate
from docgen.workbook import INSTRUCTIONS_SHEET, LISTS_SHEET, TEMPLATE_ROWS, write_workbook

TODAY = dt.date(2026, 11, 23)
HOSTILE_NAME = "Siobhán O'Brien-Smith & <Co>"
LONG_TEXT = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 100)[:5000]

MakeWorkbook = Callable[..., Path]


def header(form: str, path: tuple[Any, ...]) -> str:
    for column in columns(FORMS[form]):
        if column.path == path:
            return column.header
    raise KeyError(path)


# The smallest valid visit report as a workbook row: column A is the pupil's name ... column L
# the last required answer.
VR_ROW: dict[tuple[Any, ...], Any] = {
    ("pupil_name",): "Jane Smith",  # A
    ("date_of_birth",): "01/05/2013",  # B
    ("pupil_class",): "8A",  # C
    ("staff_attending", 0): "Alex Adams",  # D
    ("visit_date",): "20/11/2026",  # E
    ("visit_time",): "10:00",  # F
    ("purpose",): "Attendance issues or concerns",  # G
    ("reason",): "Attendance has fallen.",  # H
    ("dsl_consulted",): "Yes",  # I
    ("anyone_home",): "Yes",  # J
    ("risk_assessment_done",): "Yes",  # K
    ("other_methods_exhausted",): "Yes",  # L
}
VR_HEADERS = [header("visit-report", p) for p in VR_ROW]
LETTER = {path: get_column_letter(i) for i, path in enumerate(VR_ROW, start=1)}


def vr_row(**changes: Any) -> list[Any]:
    """The row with some answers changed, by field name (``visit_date=...``)."""
    values = dict(VR_ROW)
    for name, value in changes.items():
        key = next(p for p in VR_ROW if p[0] == name)
        values[key] = value
    return list(values.values())


def only(result: FileResult) -> Issue:
    found = list(result.all_issues())
    assert len(found) == 1, [f"{i.code} {i.location.cell}: {i.message}" for i in found]
    return found[0]


def read_one(path: Path, **kw: Any) -> Any:
    """The one record of a workbook, which must be valid."""
    result = load_file(path, **kw)
    assert [i.message for i in result.all_issues()] == []
    [record] = result.records
    assert record.ok
    return record.form


def book(tmp_path: Path, rows: list[list[Any]], *, sheet: str = "Visit report",
         name: str = "book.xlsx", formats: dict[str, str] | None = None) -> Path:
    """A workbook with exactly these rows (title rows, header, data); ``formats`` sets cell
    number formats, e.g. {"B2": "0.0%"}."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    path = tmp_path / name
    wb.save(path)
    return path


# =========================================================================== the template


@pytest.fixture(scope="module", params=list(FORMS))
def template(request: pytest.FixtureRequest,
             tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    form = request.param
    path = write_workbook(form, tmp_path_factory.mktemp(form) / f"{form}.xlsx")
    return form, path


def _data_sheet(template: tuple[str, Path]) -> tuple[list[Column], Worksheet, Any]:
    form, path = template
    wb = load_workbook(path)
    return list(columns(FORMS[form])), wb[FORMS[form].sheet_title], wb


def test_template_sheets(template: tuple[str, Path]) -> None:
    form, path = template
    wb = load_workbook(path)
    assert wb.sheetnames == [INSTRUCTIONS_SHEET, FORMS[form].sheet_title, LISTS_SHEET]
    assert wb.active is not None and wb.active.title == FORMS[form].sheet_title
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    assert wb[FORMS[form].sheet_title].sheet_state == "visible"
    assert wb.properties.keywords == f"docgen:{form}"


def test_template_headers_are_the_columns_with_required_marked(
    template: tuple[str, Path]
) -> None:
    cols, ws, _ = _data_sheet(template)
    headers = [cell.value for cell in ws[1]]
    assert headers == [c.header + (" *" if c.required else "") for c in cols]
    assert any(h.endswith(" *") for h in headers) and not all(h.endswith(" *") for h in headers)
    assert ws.max_row == 1  # nothing but the header


def test_template_freezes_the_header_row_and_the_pupil_name(template: tuple[str, Path]) -> None:
    cols, ws, _ = _data_sheet(template)
    name_column = next(i for i, c in enumerate(cols, start=1) if c.path == ("pupil_name",))
    assert ws.freeze_panes == f"{get_column_letter(name_column + 1)}2"


def _validations_at(ws: Worksheet, ref: str) -> list[Any]:
    return [dv for dv in ws.data_validations.dataValidation if ref in dv.sqref]


def _list_source(wb: Any, formula: str) -> list[str]:
    match = re.fullmatch(r"'?(\w+)'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", formula)
    assert match, formula
    sheet, col, first, _, last = match.groups()
    return [wb[sheet][f"{col}{r}"].value for r in range(int(first), int(last) + 1)]


def test_template_has_a_dropdown_on_every_yes_no_and_choice_column(
    template: tuple[str, Path]
) -> None:
    cols, ws, wb = _data_sheet(template)
    checked = 0
    for i, col in enumerate(cols, start=1):
        if col.kind not in ("yesno", "choice"):
            continue
        letter = get_column_letter(i)
        for ref in (f"{letter}2", f"{letter}{TEMPLATE_ROWS + 1}"):
            [dv] = _validations_at(ws, ref)
            assert dv.type == "list" and dv.showErrorMessage
            if col.kind == "yesno":
                assert dv.formula1 == '"Yes,No"'
            else:
                assert _list_source(wb, dv.formula1) == list(col.choices)
        assert _validations_at(ws, f"{letter}1") == []  # never on the header
        checked += 1
    assert checked >= 10


def test_template_formats_date_and_time_columns(template: tuple[str, Path]) -> None:
    cols, ws, _ = _data_sheet(template)
    formats = {"date": "DD/MM/YYYY", "time": "HH:MM", "text": "@", "long": "@"}
    kinds = set()
    for i, col in enumerate(cols, start=1):
        if col.kind in formats:
            kinds.add(col.kind)
            assert ws.column_dimensions[get_column_letter(i)].number_format == formats[col.kind]
    assert {"date", "time", "text", "long"} <= kinds


def test_template_headers_carry_their_help_as_a_comment(template: tuple[str, Path]) -> None:
    cols, ws, _ = _data_sheet(template)
    for i, col in enumerate(cols, start=1):
        comment = ws.cell(row=1, column=i).comment
        assert comment is not None, col.header
        text = comment.text
        assert col.help and text.startswith(col.help)
        assert ("Required." if col.required else "Optional.") in text
        if col.kind == "date":
            assert "DD/MM/YYYY" in text
        if col.kind == "time":
            assert "14:30" in text


def test_template_instructions_list_every_column(template: tuple[str, Path]) -> None:
    cols, _, wb = _data_sheet(template)
    rows = list(wb[INSTRUCTIONS_SHEET].iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r[:2] == ("Column", "Header"))
    listed = [r[:3] for r in rows[top + 1:]]
    assert listed == [(get_column_letter(i), c.header, "Yes" if c.required else None)
                      for i, c in enumerate(cols, start=1)]
    notes = " ".join(str(r[1]) for r in rows[:top] if r[1])
    assert "03/04/2026 is 3 April 2026" in notes and "formula" in notes


def test_blank_template_reads_as_no_records(template: tuple[str, Path]) -> None:
    _, path = template
    result = load_file(path)
    assert not result.unreadable
    assert list(result.all_issues()) == [] and result.records == []


def test_template_is_never_written_over_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "mine.xlsx"
    target.write_bytes(b"my own work")
    with pytest.raises(OutputExists):
        write_workbook("visit-report", target)
    assert target.read_bytes() == b"my own work"
    write_workbook("visit-report", target, overwrite=True)
    assert load_workbook(target).sheetnames[1] == "Visit report"


def test_a_template_filled_in_as_staff_would_is_valid(tmp_path: Path) -> None:
    path = write_workbook("visit-report", tmp_path / "vr.xlsx")
    wb = load_workbook(path)
    ws = wb["Visit report"]
    letters = {c.path: get_column_letter(i) for i, c in enumerate(columns(VisitReport), 1)}
    typed = {
        ("pupil_name",): "Jane Smith",
        ("date_of_birth",): dt.datetime(2013, 5, 1),  # Excel made a date of 01/05/2013
        ("pupil_class",): "8A",
        ("staff_attending", 0): "Alex Adams",
        ("staff_attending", 2): "Cat Cole",  # slot 2 left blank
        ("visit_date",): "20/11/2026",  # typed as text
        ("visit_time",): dt.time(10, 0),
        ("purpose",): "Attendance issues or concerns",  # picked from the dropdown
        ("reason",): "Attendance has fallen.\nMother says Jane is anxious.",
        ("dsl_consulted",): "Yes",
        ("anyone_home",): "No",
        ("letter_left",): "Yes",
        ("risk_assessment_done",): "Yes",
        ("other_methods_exhausted",): "Yes",
        ("minutes_waited",): 10,
        ("attendance_percent",): 68.5,
    }
    for path_, value in typed.items():
        ws[f"{letters[path_]}2"] = value
    wb.save(path)
    form = read_one(path)
    assert form.staff_attending == ["Alex Adams", "Cat Cole"]
    assert form.date_of_birth == dt.date(2013, 5, 1)
    assert form.visit_date == dt.date(2026, 11, 20)
    assert form.purpose is VisitPurpose.ATTENDANCE
    assert form.anyone_home is False and form.letter_left is True
    assert form.minutes_waited == 10 and form.attendance_percent == 68.5


def test_a_record_with_more_staff_than_slots_is_refused(ra: dict[str, Any],
                                                        tmp_path: Path) -> None:
    ra["staff"] = [{"name": f"Staff {i}"} for i in range(4)]
    form = RiskAssessment.model_validate(ra)
    with pytest.raises(ValueError, match="4 entries for 'staff' but the workbook has 3"):
        write_workbook("risk-assessment", tmp_path / "ra.xlsx", [form])
    assert not (tmp_path / "ra.xlsx").exists()


# =========================================================================== round trip


def test_round_trip_of_a_full_risk_assessment(ra: dict[str, Any], tmp_path: Path) -> None:
    ra.update(
        pupil_name=HOSTILE_NAME, upn="B801200005001", date_of_birth="2013-05-01",
        why_required=LONG_TEXT, known_risks="=dog at the address\n+ a second line",
        mitigation="Dog to be shut away 😀", overall_risk="medium",
        vulnerability={"ehcp": True, "other": True, "other_details": "Young carer"},
        reason={"requested_by_la": True, "concerns_from_academy": True},
        hazards={"animals": {"likelihood": "likely", "risk_level": "medium",
                             "controls": "Ask for the dog to be shut away\nStay outside"}},
        approved_by="Pat Head", approved_on="21/11/2026", visit_reference="HV-2026-014",
    )
    ra["staff"].append({"name": "Cat Cole", "role": "Attendance Officer",
                        "mobile": "+44 7700 900003", "dbs_checked": False})
    form = RiskAssessment.model_validate(ra)
    other = RiskAssessment.model_validate({**ra, "pupil_name": "Sam Other",
                                           "staff": ra["staff"][:1]})
    path = write_workbook("risk-assessment", tmp_path / "ra.xlsx", [form, other])
    result = load_file(path)
    assert list(result.all_issues()) == []
    assert [r.form for r in result.records] == [form, other]
    assert [r.location.row for r in result.records] == [2, 3]
    assert result.records[0].form.hazards.animals.likelihood is Likelihood.LIKELY


def test_round_trip_of_a_visit_report(report: dict[str, Any], tmp_path: Path) -> None:
    report.update(upn="M80120000500A", minutes_waited=15, attendance_percent=68.5,
                  welfare_concerns=True, welfare_details="Thin, tired.\r\nNo coat.",
                  concerns_reported_to_dsl=True)
    form = VisitReport.model_validate(report)
    path = write_workbook("visit-report", tmp_path / "vr.xlsx", [form])
    assert read_one(path) == form


# =========================================================================== cell conventions


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("Yes", True), ("yes", True), ("YES", True), ("Y", True), ("y", True), ("TRUE", True),
     ("true", True), (True, True), (1, True), ("No", False), ("no", False), ("N", False),
     ("n", False), ("FALSE", False), ("False", False), (False, False), (0, False),
     ("  Yes  ", True)],
)
def test_yes_no_cells(make_workbook: MakeWorkbook, typed: Any, expected: bool) -> None:
    form = read_one(make_workbook(VR_HEADERS, [vr_row(dsl_consulted=typed)]))
    assert form.dsl_consulted is expected


@pytest.mark.parametrize(
    "typed",
    ["20/11/2026", "20/11/26", "20-11-2026", "20.11.2026", "2026-11-20", "20 November 2026",
     "20th Nov 2026", "  20/11/2026 ", dt.datetime(2026, 11, 20), dt.date(2026, 11, 20)],
)
def test_date_cells(make_workbook: MakeWorkbook, typed: Any) -> None:
    form = read_one(make_workbook(VR_HEADERS, [vr_row(visit_date=typed)]))
    assert form.visit_date == dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    "typed",
    ["14:30", "14.30", "2:30pm", "2:30 PM", " 14:30 ", dt.time(14, 30), 0.6041666666666666,
     dt.datetime(1899, 12, 30, 14, 30), dt.timedelta(hours=14, minutes=30)],
)
def test_time_cells(make_workbook: MakeWorkbook, typed: Any) -> None:
    form = read_one(make_workbook(VR_HEADERS, [vr_row(visit_time=typed)]))
    assert form.visit_time == dt.time(14, 30)


@pytest.mark.parametrize(
    ("field", "typed", "code", "says"),
    [
        ("visit_date", "11/20/2026", "invalid-date", "month first"),
        ("visit_date", "31/11/2026", "invalid-date", "no day 31"),
        ("visit_date", dt.datetime(2026, 11, 20, 9, 30), "invalid-date", "time of day"),
        ("visit_time", "25:00", "invalid-time", "14:30"),
        ("visit_time", "14", "invalid-time", "give the minutes"),
        ("visit_time", dt.datetime(1903, 11, 30), "invalid-time", "date, not a time"),
        ("dsl_consulted", "Maybe", "invalid-yes-no", "Type Yes or No"),
        ("purpose", "Because", "invalid-choice", "Pick one of"),
        ("pupil_class", dt.datetime(2026, 3, 8), "invalid-text", "format the cell as Text"),
        ("pupil_name", "Jane\nSmith", "invalid-text", "single line"),
    ],
)
def test_bad_cells_are_reported_at_their_cell(make_workbook: MakeWorkbook, field: str,
                                              typed: Any, code: str, says: str) -> None:
    result = load_file(make_workbook(VR_HEADERS, [vr_row(), vr_row(**{field: typed})]))
    issue = only(result)
    assert issue.code == code and says in issue.message
    letter = LETTER[next(p for p in VR_ROW if p[0] == field)]
    assert (issue.location.sheet, issue.location.cell) == ("Visit report", f"{letter}3")
    assert issue.field == header("visit-report", (field,))
    assert result.records[0].ok and not result.records[1].ok


def test_surrounding_spaces_are_stripped(make_workbook: MakeWorkbook) -> None:
    form = read_one(make_workbook(VR_HEADERS, [vr_row(pupil_name="  Jane   Smith \t",
                                                      purpose=" Attendance issues or concerns ",
                                                      reason="\n Attendance has fallen. \n")]))
    assert form.pupil_name == "Jane Smith"
    assert form.purpose is VisitPurpose.ATTENDANCE
    assert form.reason == "Attendance has fallen."


@pytest.mark.parametrize(("typed", "expected"), [(7, "7"), (7.0, "7"), ("7", "7"),
                                                 (10.5, "10.5")])
def test_a_class_typed_as_a_number(make_workbook: MakeWorkbook, typed: Any,
                                   expected: str) -> None:
    assert read_one(make_workbook(VR_HEADERS, [vr_row(pupil_class=typed)])).pupil_class == expected


def test_a_percent_formatted_cell_reads_as_shown(tmp_path: Path) -> None:
    headers = [*VR_HEADERS, header("visit-report", ("attendance_percent",))]
    path = book(tmp_path, [headers, [*vr_row(), 0.685]], formats={"M2": "0.0%"})
    assert read_one(path).attendance_percent == 68.5


def test_a_phone_typed_as_a_number_gets_its_zero_back(ra: dict[str, Any],
                                                      tmp_path: Path) -> None:
    form = RiskAssessment.model_validate(ra)
    path = write_workbook("risk-assessment", tmp_path / "ra.xlsx", [form])
    wb = load_workbook(path)
    ws = wb["Risk assessment"]
    letter = next(get_column_letter(i) for i, c in enumerate(columns(RiskAssessment), 1)
                  if c.path == ("staff", 0, "mobile"))
    ws[f"{letter}2"] = 7700900001
    wb.save(path)
    assert read_one(path).staff[0].mobile == "07700900001"


# =========================================================================== headers


@pytest.mark.parametrize(
    "name_header",
    ["Name of pupil", "Name of pupil *", "Name of pupil*", "name of pupil", "NAME OF PUPIL",
     "  Name   of  pupil  ", "Name of\npupil", "Name-of-pupil"],
)
def test_headers_match_whatever_the_case_spacing_or_marker(make_workbook: MakeWorkbook,
                                                           name_header: str) -> None:
    form = read_one(make_workbook([name_header, *VR_HEADERS[1:]], [vr_row()]))
    assert form.pupil_name == "Jane Smith"


def test_header_row_below_title_rows(tmp_path: Path) -> None:
    path = book(tmp_path, [["Home visit reports, autumn term 2026"], [],
                           ["Kept by the attendance team"], VR_HEADERS, vr_row(),
                           vr_row(pupil_name="John Smith", visit_date="bad")])
    result = load_file(path)
    assert [r.location.row for r in result.records] == [5, 6]
    assert result.records[0].ok
    assert only(result).location.cell == "E6"


def test_unknown_header_is_a_warning_and_the_column_ignored(make_workbook: MakeWorkbook) -> None:
    result = load_file(make_workbook([*VR_HEADERS, "Notes"], [[*vr_row(), "call back"]]))
    issue = only(result)
    assert issue.code == "unknown-column" and issue.severity is Severity.WARNING
    assert issue.location.cell == "M1" and issue.value == "Notes"
    assert result.records[0].ok and result.ok
    assert validate([result.path], "att", today=TODAY).files[0].issues[0].code == \
        "unknown-column"


def test_duplicate_header_is_an_error(make_workbook: MakeWorkbook) -> None:
    result = load_file(make_workbook([*VR_HEADERS, "NAME OF PUPIL *"],
                                     [[*vr_row(), "Someone Else"]]))
    issue = only(result)
    assert issue.code == "duplicate-column" and issue.is_error
    assert issue.location.cell == "M1"
    assert "columns A and M" in issue.message
    assert not result.ok
    assert result.records[0].form.pupil_name == "Jane Smith"  # the first column is read


def test_missing_required_column_is_one_error_not_one_per_row(
    make_workbook: MakeWorkbook
) -> None:
    headers = [h for h in VR_HEADERS if h != "Reason for visit?"]
    rows = [[v for v, h in zip(vr_row(pupil_name=f"Pupil {i}"), VR_HEADERS, strict=True)
             if h != "Reason for visit?"] for i in range(3)]
    result = load_file(make_workbook(headers, rows))
    issue = only(result)
    assert issue.code == "missing-column" and issue.field == "Reason for visit?"
    assert (issue.location.sheet, issue.location.cell) == ("Visit report", "L1")
    assert "Reason for visit?" in issue.message and "L1" in issue.message
    assert len(result.records) == 3 and not result.ok


def test_missing_required_staff_column_is_one_error_not_one_per_row(
    make_workbook: MakeWorkbook
) -> None:
    keep = [i for i, p in enumerate(VR_ROW) if p != ("staff_attending", 0)]
    headers = [VR_HEADERS[i] for i in keep]
    rows = [[vr_row()[i] for i in keep] for _ in range(3)]
    result = load_file(make_workbook(headers, rows))
    issue = only(result)
    assert issue.code == "missing-column" and issue.field == "Staff attending 1"


def test_missing_optional_column_is_fine(make_workbook: MakeWorkbook) -> None:
    form = read_one(make_workbook(VR_HEADERS, [vr_row()]))
    assert form.upn is None and form.who_was_home is None


def test_blank_rows_are_skipped(tmp_path: Path) -> None:
    path = book(tmp_path, [VR_HEADERS, vr_row(), [None] * 12, ["   ", "", None],
                           vr_row(pupil_name="John Smith"), [], vr_row(pupil_name="Ann Lee")])
    result = load_file(path)
    assert list(result.all_issues()) == []
    assert [r.location.row for r in result.records] == [2, 5, 7]


def test_notes_beside_the_table_are_not_a_record(tmp_path: Path) -> None:
    path = book(tmp_path, [[*VR_HEADERS], vr_row(), [None] * 14 + ["checked by DSL"]])
    result = load_file(path)
    assert len(result.records) == 1


# =========================================================================== formulas, errors


@pytest.mark.parametrize("formula", ["=1+1", '=IF(A2="","Yes","No")', "=NOW()",
                                     "=WEBSERVICE(\"http://example.invalid\")"])
def test_formula_cells_are_rejected_never_evaluated(make_workbook: MakeWorkbook,
                                                    formula: str) -> None:
    path = make_workbook(VR_HEADERS, [vr_row(other_methods_exhausted=formula)])
    result = load_file(path)
    issue = only(result)  # no second "required" error for the same cell
    assert issue.code == "formula"
    assert (issue.location.sheet, issue.location.row, issue.location.column,
            issue.location.cell) == ("Visit report", 2, "L", "L2")
    assert issue.value == formula  # the formula's text, not a result
    assert "Paste Special > Values" in issue.message
    assert not result.records[0].ok


def test_a_formula_in_the_code_word_column_is_not_echoed(ra: dict[str, Any],
                                                         tmp_path: Path) -> None:
    form = RiskAssessment.model_validate(ra)
    path = write_workbook("risk-assessment", tmp_path / "ra.xlsx", [form])
    wb = load_workbook(path)
    letter = next(get_column_letter(i) for i, c in enumerate(columns(RiskAssessment), 1)
                  if c.path == ("code_word_agreed",))
    wb["Risk assessment"][f"{letter}2"] = '="bluebird"'
    wb.save(path)
    issue = only(load_file(path))
    assert issue.code == "formula" and issue.location.cell == f"{letter}2"
    assert issue.value is None and "bluebird" not in issue.message


def test_text_starting_with_equals_written_by_docgen_is_text(report: dict[str, Any],
                                                            tmp_path: Path) -> None:
    report["agreed"] = "=attend every day"
    form = VisitReport.model_validate(report)
    path = write_workbook("visit-report", tmp_path / "vr.xlsx", [form])
    assert read_one(path).agreed == "=attend every day"


@pytest.mark.parametrize("error", ["#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?"])
def test_excel_error_cells(make_workbook: MakeWorkbook, error: str) -> None:
    issue = only(load_file(make_workbook(VR_HEADERS, [vr_row(visit_time=error)])))
    assert issue.code == "excel-error"
    assert issue.location.cell == "F2"
    assert error in issue.message and issue.field == "Time of Visit"


def test_openpyxl_warnings_do_not_reach_the_user(tmp_path: Path) -> None:
    # a date-formatted cell whose number is no date: openpyxl warns and shows #VALUE!
    path = book(tmp_path, [VR_HEADERS, vr_row(visit_date=10**9)], formats={"E2": "DD/MM/YYYY"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        issue = only(load_file(path))
    assert issue.code == "excel-error" and issue.location.cell == "E2"


# =========================================================================== every error placed


def test_every_error_in_a_workbook_has_sheet_row_and_column(tmp_path: Path) -> None:
    headers = [*VR_HEADERS[:7], *VR_HEADERS[8:], "Name of pupil", "Remarks",
               header("visit-report", ("minutes_waited",))]
    rows = [
        [*vr_row(visit_date="11/20/2026", visit_time="=NOW()", dsl_consulted="perhaps")[:7],
         *vr_row()[8:], "dup", "r", "ten"],
        [*vr_row(pupil_name=None, staff_attending=None, purpose="#N/A")[:7],
         *vr_row(anyone_home="?")[8:], None, None, 601],
        [*vr_row(date_of_birth="31/02/2013", purpose="nothing")[:7], *vr_row()[8:], None,
         None, -1],
    ]
    path = book(tmp_path, [["Visit reports"], headers, *rows])
    found = list(load_file(path).all_issues())
    assert len(found) >= 12
    for issue in found:
        where = issue.location
        assert where.sheet == "Visit report", issue
        assert isinstance(where.row, int) and where.row >= 2, issue
        assert where.column and re.fullmatch(r"[A-Z]{1,3}", where.column), issue
    codes = {i.code for i in found}
    assert {"missing-column", "duplicate-column", "unknown-column", "formula", "excel-error",
            "invalid-date", "invalid-yes-no", "invalid-choice", "invalid-number",
            "out-of-range", "required"} <= codes


# =========================================================================== sheets


def _two_form_workbook(tmp_path: Path, ra: dict[str, Any], report: dict[str, Any]) -> Path:
    path = write_workbook("risk-assessment", tmp_path / "ra.xlsx",
                          [RiskAssessment.model_validate(ra)])
    vr = write_workbook("visit-report", tmp_path / "vr.xlsx",
                        [VisitReport.model_validate(report)])
    wb = load_workbook(path)
    target = wb.create_sheet("Visit report")
    for row in load_workbook(vr)["Visit report"].iter_rows(values_only=True):
        target.append(list(row))
    wb.save(path)
    return path


def test_a_workbook_with_both_forms(tmp_path: Path, ra: dict[str, Any],
                                    report: dict[str, Any]) -> None:
    path = _two_form_workbook(tmp_path, ra, report)
    result = load_file(path)
    assert list(result.all_issues()) == []
    assert [(r.form_name, r.location.sheet) for r in result.records] == [
        ("risk-assessment", "Risk assessment"), ("visit-report", "Visit report")]
    only_reports = load_file(path, form="visit-report")
    assert [r.form_name for r in only_reports.records] == ["visit-report"]


def test_a_sheet_named_otherwise_is_found_by_its_headers(make_workbook: MakeWorkbook) -> None:
    path = make_workbook(VR_HEADERS, [vr_row()], sheet="Autumn 2026", extra_sheets=("Notes",))
    result = load_file(path)
    [record] = result.records
    assert record.ok and record.location.sheet == "Autumn 2026"


def test_sheet_option_picks_the_sheet(make_workbook: MakeWorkbook) -> None:
    path = make_workbook(VR_HEADERS, [vr_row()], sheet="Sheet1", extra_sheets=("Sheet2",))
    [record] = load_file(path, sheet="Sheet1").records
    assert record.ok and record.form_name == "visit-report"


def test_sheet_names_match_whatever_the_case(make_workbook: MakeWorkbook) -> None:
    path = make_workbook(VR_HEADERS, [vr_row()], sheet="VISIT REPORT")
    assert read_one(path).pupil_name == "Jane Smith"


def test_a_wrong_sheet_dimension_does_not_hide_rows(make_workbook: MakeWorkbook,
                                                    tmp_path: Path) -> None:
    # some programs record the used range wrongly; openpyxl's fast reader trusts it
    source = make_workbook(VR_HEADERS, [vr_row(), vr_row(pupil_name="John Smith")])
    path = tmp_path / "lying.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B2"/>',
                                  data)
                assert n == 1
            zout.writestr(item, data)
    result = load_file(path)
    assert list(result.all_issues()) == []
    assert [r.form.pupil_name for r in result.records] == ["Jane Smith", "John Smith"]


# =========================================================================== unreadable files


def unreadable(path: Path, **kw: Any) -> str:
    report = validate([path], "att", today=TODAY, **kw)
    assert report.exit_code == ExitCode.USAGE == 2
    [result] = report.files
    assert result.unreadable and result.records == []
    [issue] = result.issues
    assert issue.code == "unreadable" and issue.location.file == str(path)
    prefix = f"{path.name}: "  # the message names the file it is about
    assert issue.message.startswith(prefix), issue.message
    return issue.message[len(prefix):]


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("missing.xlsx", None, "no such file"),
        ("text.xlsx", b"name,date\nJane,03/04/2026\n",
         "is a CSV file (comma-separated text) with an .xlsx name, not an Excel workbook. "
         "Open it in Excel and save it with File > Save As > Excel Workbook (.xlsx)."),
        ("empty.xlsx", b"", "is empty (0 bytes)"),
        ("zip.xlsx", "zip", "zip file but not an Excel workbook"),
        ("locked.xlsx", OLE + b"\0" * 512 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 64,
         "password-protected"),
        ("old.xlsx", OLE + b"\0" * 1024, "old Excel 97-2003 (.xls) file"),
        ("old.xls", OLE + b"\0" * 1024, "old Excel 97-2003 (.xls) file"),
        ("broken.xlsx", "broken", "is not an Excel workbook that can be read"),
    ],
)
def test_unreadable_workbooks(tmp_path: Path, name: str, content: Any, says: str) -> None:
    path = tmp_path / name
    if content == "zip":
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("word/document.xml", "<w:document/>")
    elif content == "broken":
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("xl/workbook.xml", "<workbook")
    elif content is not None:
        path.write_bytes(content)
    message = unreadable(path)
    assert says in message
    if "password" in says:
        assert "remove the password" in message
    if "97-2003" in says:
        assert "save as .xlsx" in message


def test_sheet_option_naming_no_sheet(make_workbook: MakeWorkbook) -> None:
    path = make_workbook(VR_HEADERS, [vr_row()], extra_sheets=("Notes",))
    message = unreadable(path, sheet="Visit reports")
    assert message == "has no sheet 'Visit reports'. Its sheets are: Visit report, Notes."


def test_sheet_option_naming_a_sheet_without_a_form(make_workbook: MakeWorkbook) -> None:
    path = make_workbook(["Pupil", "When"], [["Jane", "today"]], extra_sheets=("Notes",))
    assert "has no header row" in unreadable(path, sheet="Notes")


def test_a_workbook_with_no_form_sheet(make_workbook: MakeWorkbook) -> None:
    path = make_workbook(["Pupil", "When"], [["Jane", "today"]], sheet="Sheet1")
    message = unreadable(path)
    assert "no sheet named 'Risk assessment' or 'Visit report'" in message
    assert "its sheets are: Sheet1" in message and "--sheet" in message


def test_form_option_does_not_read_the_other_form_s_sheet(make_workbook: MakeWorkbook) -> None:
    path = make_workbook(VR_HEADERS, [vr_row()], sheet="Sheet1")
    message = unreadable(path, form="risk-assessment")
    assert "no sheet named 'Risk assessment'" in message


def test_a_named_sheet_with_too_few_headers(make_workbook: MakeWorkbook) -> None:
    path = make_workbook(["Name of pupil", "Notes"], [["Jane", "x"]])
    assert "has no header row with the Home Visit Report column names" in unreadable(path)


def test_excel_lock_files_are_skipped_in_a_folder(tmp_path: Path, report: dict[str, Any]) -> None:
    write_workbook("visit-report", tmp_path / "reports.xlsx",
                   [VisitReport.model_validate(report)])
    (tmp_path / "~$reports.xlsx").write_bytes(b"\0" * 165)
    result = validate([tmp_path], "att", today=TODAY)
    assert [Path(f.path).name for f in result.files if not f.skipped] == ["reports.xlsx"]
    # listed, saying what it is and what to open instead
    lock = next(f for f in result.files if f.skipped)
    assert Path(lock.path).name == "~$reports.xlsx"
    assert lock.skipped == ("this is Excel's temporary lock file, made while a workbook is "
                            "open; open reports.xlsx instead")
    assert result.exit_code == 0


def test_hazard_cells_read_their_choices(ra: dict[str, Any], tmp_path: Path) -> None:
    path = write_workbook("risk-assessment", tmp_path / "ra.xlsx",
                          [RiskAssessment.model_validate(ra)])
    wb = load_workbook(path)
    ws = wb["Risk assessment"]
    letters = {c.path: get_column_letter(i) for i, c in enumerate(columns(RiskAssessment), 1)}
    ws[f"{letters[('hazards', 'driving', 'risk_level')]}2"] = "high"
    ws[f"{letters[('hazards', 'driving', 'likelihood')]}2"] = "VERY LIKELY"
    wb.save(path)
    form = read_one(path)
    assert form.hazards.driving.risk_level is RiskLevel.HIGH
    assert form.hazards.driving.likelihood is Likelihood.VERY_LIKELY
