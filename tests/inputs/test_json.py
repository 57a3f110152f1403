"""Reading JSON files: one form or a list, which form it is, broken files, and where each
problem is (a JSON path such as ``$[1].staff[0].mobile``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from docgen.inputs import UnreadableInput, read_json
from docgen.records import load_file
from docgen.report import ExitCode, FileResult, Issue
from docgen.validation import validate

TODAY = dt.date(2026, 11, 23)

Write = Callable[..., Path]


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """write(data_or_text, name=...) -> path of a JSON file (str/bytes written as they are)."""

    def build(content: Any, name: str = "forms.json") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
        return path

    return build


def issues(result: FileResult) -> list[Issue]:
    return list(result.all_issues())


def only_issue(result: FileResult) -> Issue:
    found = issues(result)
    assert len(found) == 1, [i.message for i in found]
    return found[0]


def unreadable(path: Path, **kw: Any) -> str:
    """The message for a file that cannot be read; the run's exit code must be 2."""
    report = validate([path], "att", today=TODAY, **kw)
    assert report.exit_code == ExitCode.USAGE == 2
    [result] = report.files
    assert result.unreadable and result.records == []
    [issue] = result.issues
    assert issue.code == "unreadable"
    assert issue.location.file == str(path)
    # the message names the file it is about, then says what is wrong with it
    prefix = f"{path.name}: "
    assert issue.message.startswith(prefix), issue.message
    return issue.message[len(prefix):]


# --------------------------------------------------------------------------- shape


def test_one_object(write: Write, ra: dict[str, Any]) -> None:
    result = load_file(write(ra))
    assert issues(result) == []
    [record] = result.records
    assert record.ok and record.form_name == "risk-assessment"
    assert record.location.path == "$"
    assert record.label == "Jane Smith, 23/11/2026"


def test_a_list_of_forms_of_both_kinds(write: Write, ra: dict[str, Any],
                                       report: dict[str, Any]) -> None:
    result = load_file(write([ra, report, ra]))
    assert issues(result) == []
    assert [r.form_name for r in result.records] == ["risk-assessment", "visit-report",
                                                     "risk-assessment"]
    assert [r.location.path for r in result.records] == ["$[0]", "$[1]", "$[2]"]


def test_an_empty_list_has_no_records(write: Write) -> None:
    result = load_file(write([]))
    assert not result.unreadable and result.records == [] and result.issues == []


def test_a_list_item_that_is_not_an_object(write: Write, ra: dict[str, Any]) -> None:
    result = load_file(write([ra, "Jane Smith", 3]))
    assert result.records[0].ok
    for i in (1, 2):
        [issue] = result.records[i].issues
        assert issue.code == "invalid-structure"
        assert issue.location.path == f"$[{i}]"


@pytest.mark.parametrize("top", ["42", '"risk-assessment"', "true", "null"])
def test_a_top_level_scalar_is_unreadable(write: Write, top: str) -> None:
    message = unreadable(write(top))
    assert "expected a form (a JSON object) or a list of forms" in message


# --------------------------------------------------------------------------- which form


def test_form_missing(write: Write, ra: dict[str, Any]) -> None:
    del ra["form"]
    issue = only_issue(load_file(write(ra)))
    assert issue.code == "missing-form"
    assert issue.location.path == "$.form"
    assert '"risk-assessment"' in issue.message and '"visit-report"' in issue.message


def test_form_missing_but_given_on_the_command_line(write: Write, ra: dict[str, Any]) -> None:
    del ra["form"]
    result = load_file(write(ra), form="risk-assessment")
    assert issues(result) == []
    assert result.records[0].form_name == "risk-assessment"


@pytest.mark.parametrize("blank", ["", None])
def test_form_blank_is_missing(write: Write, ra: dict[str, Any], blank: Any) -> None:
    ra["form"] = blank
    assert only_issue(load_file(write(ra))).code == "missing-form"


def test_form_unknown(write: Write, ra: dict[str, Any]) -> None:
    ra["form"] = "home-visit-letter"
    issue = only_issue(load_file(write(ra)))
    assert issue.code == "unknown-form"
    assert issue.location.path == "$.form"
    assert "Unknown form 'home-visit-letter'" in issue.message


def test_form_not_a_string(write: Write, ra: dict[str, Any]) -> None:
    ra["form"] = ["risk-assessment"]
    issue = only_issue(load_file(write([ra])))
    assert issue.code == "unknown-form"
    assert issue.location.path == "$[0].form"


def test_form_conflicting_with_the_command_line(write: Write, ra: dict[str, Any],
                                                report: dict[str, Any]) -> None:
    result = load_file(write([ra, report]), form="visit-report")
    issue = only_issue(result)
    assert issue.code == "wrong-form"
    assert issue.location.path == "$[0].form"
    assert "'risk-assessment' but --form visit-report" in issue.message
    assert result.records[1].ok


def test_sheet_option_is_refused_for_json(write: Write, ra: dict[str, Any]) -> None:
    assert "--sheet applies to workbooks" in unreadable(write(ra), sheet="Risk assessment")


# --------------------------------------------------------------------------- broken files


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('{\n  "form": "risk-assessment",\n  "academy": \n}', 4, 1),
        ('{"form": "risk-assessment",}', 1, 28),  # trailing comma
        ("{'form': 'risk-assessment'}", 1, 2),  # single quotes
        ('[{"form": "visit-report"}', 1, 26),  # unclosed list
    ],
)
def test_invalid_json_says_line_and_column(write: Write, text: str, line: int,
                                           column: int) -> None:
    message = unreadable(write(text))
    assert message.startswith("is not valid JSON")
    assert f"line {line}, column {column}" in message


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(write: Write, constant: str) -> None:
    text = '{"form": "visit-report", "minutes_waited": ' + constant + "}"
    message = unreadable(write(text))
    assert constant in message and "not allowed" in message


def test_utf8_bom_is_accepted(write: Write, ra: dict[str, Any]) -> None:
    path = write(b"\xef\xbb\xbf" + json.dumps(ra, ensure_ascii=False).encode("utf-8"))
    result = load_file(path)
    assert issues(result) == [] and result.records[0].ok


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16", "cp1252"])
def test_text_that_is_not_utf8_is_refused(write: Write, ra: dict[str, Any],
                                          encoding: str) -> None:
    ra["pupil_name"] = "Zoë Siobhán"
    message = unreadable(write(json.dumps(ra, ensure_ascii=False).encode(encoding)))
    assert "is not UTF-8 text" in message and "save it as UTF-8" in message


def test_deeply_nested_json_is_unreadable_not_a_crash(write: Write) -> None:
    message = unreadable(write("[" * 100_000 + "]" * 100_000))
    assert message.startswith("is not valid JSON")


def test_missing_file(tmp_path: Path) -> None:
    assert unreadable(tmp_path / "nowhere.json") == "no such file."


def test_read_json_raises_only_unreadable_input(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(UnreadableInput) as caught:
        read_json(path)
    assert caught.value.path == str(path)
    assert str(caught.value).startswith(f"{path}: is not valid JSON")


# --------------------------------------------------------------------------- duplicate keys


def test_duplicate_key_is_reported_with_its_path(write: Write) -> None:
    text = '{"form": "visit-report", "pupil_name": "Jane", "pupil_name": "John"}'
    result = load_file(write(text))
    [dup] = [i for i in issues(result) if i.code == "duplicate-key"]
    assert dup.is_error
    assert dup.location.path == "$.pupil_name"
    assert "'pupil_name' appears twice" in dup.message
    report = validate([write(text)], "att", today=TODAY)
    assert report.exit_code == ExitCode.INVALID


def test_duplicate_keys_deep_in_a_list(write: Write, ra: dict[str, Any],
                                       report: dict[str, Any]) -> None:
    text = json.dumps([report, ra])
    text = text.replace('"mobile": "07700 900001"',
                        '"mobile": "07700 900001", "mobile": "07700 900009"')
    text = text.replace('"academy": "Test Academy"',
                        '"academy": "A", "academy": "B", "academy": "C"')
    dups = [i for i in issues(load_file(write(text))) if i.code == "duplicate-key"]
    assert [d.location.path for d in dups] == ["$[1].academy", "$[1].staff[0].mobile"]


def test_a_duplicate_key_with_an_odd_name_is_quoted(write: Write) -> None:
    text = '{"form": "visit-report", "pupil name": 1, "pupil name": 2}'
    [dup] = [i for i in issues(load_file(write(text))) if i.code == "duplicate-key"]
    assert dup.location.path == '$["pupil name"]'


# --------------------------------------------------------------------------- values


def test_blank_strings_are_unanswered(write: Write, ra: dict[str, Any]) -> None:
    ra.update(upn="   ", known_risks="", parents_informed=" ", date_of_birth="\t")
    ra["staff"][1]["mobile"] = "  "
    result = load_file(write(ra))
    assert issues(result) == []
    form = result.records[0].form
    assert form.upn is None and form.known_risks is None and form.parents_informed is None
    assert form.staff[1].mobile is None


@pytest.mark.parametrize(("field", "label"), [("academy", "Name of Academy"),
                                              ("why_required",
                                               "Details of why a home visit is required")])
def test_a_blank_required_answer_is_required(write: Write, ra: dict[str, Any], field: str,
                                             label: str) -> None:
    ra[field] = "   \n "
    issue = only_issue(load_file(write(ra)))
    assert issue.code == "required"
    assert issue.location.path == f"$.{field}"
    assert issue.field == label
    assert issue.message.startswith(f"Required: fill in '{label}'.")


def test_null_is_unanswered(write: Write, ra: dict[str, Any]) -> None:
    ra["vehicle"] = None
    ra["travel_mode"] = None
    result = load_file(write(ra))
    assert issues(result) == [] and result.records[0].form.vehicle is None


@pytest.mark.parametrize(
    ("key", "guess", "path"),
    [
        ("pupil_nmae", "pupil_name", "$.pupil_nmae"),
        ("visitdate", "visit_date", "$.visitdate"),
        ("overal_risk", "overall_risk", "$.overal_risk"),
    ],
)
def test_unknown_field_suggests_the_right_name(write: Write, ra: dict[str, Any], key: str,
                                               guess: str, path: str) -> None:
    ra[key] = "x"
    issue = only_issue(load_file(write(ra)))
    assert issue.code == "unknown-field"
    assert issue.location.path == path
    assert issue.message.endswith(f"Did you mean '{guess}'?")


def test_unknown_nested_field_suggests_the_right_name(write: Write, ra: dict[str, Any]) -> None:
    ra["staff"][1]["mobil"] = ra["staff"][1].pop("mobile")
    issue = only_issue(load_file(write(ra)))
    assert issue.code == "unknown-field"
    assert issue.location.path == "$.staff[1].mobil"
    assert "Did you mean 'mobile'?" in issue.message


def test_unknown_field_with_no_near_name(write: Write, ra: dict[str, Any]) -> None:
    ra["favourite colour"] = "blue"
    issue = only_issue(load_file(write(ra)))
    assert issue.location.path == '$["favourite colour"]'
    assert "Did you mean" not in issue.message
    assert "remove it or correct its name" in issue.message


@pytest.mark.parametrize(
    ("change", "path", "code", "label", "value"),
    [
        (lambda d: d[1]["staff"][0].update(mobile="123"), "$[1].staff[0].mobile",
         "invalid-phone", "Staff member 1: Mobile number", "123"),
        (lambda d: d[1]["staff"][1].update(dbs_checked="perhaps"), "$[1].staff[1].dbs_checked",
         "invalid-yes-no", "Staff member 2: DBS check in place", "perhaps"),
        (lambda d: d[1]["vehicle"].update(registration="AB-12"), "$[1].vehicle.registration",
         "invalid-registration", "Vehicle: Registration number", "AB-12"),
        (lambda d: d[1].update(visit_date="11/23/2026"), "$[1].visit_date", "invalid-date",
         "Date of Visit", "11/23/2026"),
        (lambda d: d[1].update(planned_start="25:00"), "$[1].planned_start", "invalid-time",
         "Planned start time", "25:00"),
        (lambda d: d[1].update(hazards={"animals": {"risk_level": "severe"}}),
         "$[1].hazards.animals.risk_level", "invalid-choice", "Animals hazard: Risk Level",
         "severe"),
        (lambda d: d[0].update(minutes_waited="ten"), "$[0].minutes_waited", "invalid-number",
         "If nobody was home, how long did you wait (minutes)?", "ten"),
        (lambda d: d[0].update(minutes_waited=601), "$[0].minutes_waited", "out-of-range",
         "If nobody was home, how long did you wait (minutes)?", "601"),
        (lambda d: d[0].update(attendance_percent="120%"), "$[0].attendance_percent",
         "out-of-range", "Pupil's attendance over the last three months (%)", "120%"),
        (lambda d: d[0].update(staff_attending=[]), "$[0].staff_attending", "too-few",
         "Staff attending", None),
        (lambda d: d[0].update(staff_attending=["A"] * 7), "$[0].staff_attending", "too-many",
         "Staff attending", None),
        (lambda d: d[1].update(staff="Alex Adams"), "$[1].staff", "invalid-structure",
         "Which staff members will be undertaking the Home Visit", "Alex Adams"),
        (lambda d: d[1].update(vehicle="Ford"), "$[1].vehicle", "invalid-structure",
         "Vehicle", "Ford"),
        (lambda d: d[1].update(pupil_name=["Jane"]), "$[1].pupil_name", "invalid-text",
         "Name of pupil", None),
        (lambda d: d[1].update(pupil_name="Jane\u202eSmith"), "$[1].pupil_name", "invalid-text",
         "Name of pupil", "Jane\\u202eSmith"),
    ],
)
def test_error_locations_are_json_paths(write: Write, ra: dict[str, Any],
                                        report: dict[str, Any], change: Callable[..., None],
                                        path: str, code: str, label: str,
                                        value: str | None) -> None:
    data = [report, ra]
    change(data)
    issue = only_issue(load_file(write(data)))
    assert (issue.code, issue.location.path, issue.field, issue.value) == (code, path, label,
                                                                            value)
    assert issue.location.row is None and issue.location.sheet is None


def test_every_problem_in_a_record_is_listed(write: Write, ra: dict[str, Any]) -> None:
    ra.update(visit_date="31/02/2026", planned_start="13pm", overall_risk="extreme",
              other_contact_exhausted="maybe")
    del ra["academy"]
    found = {(i.code, i.location.path) for i in issues(load_file(write(ra)))}
    assert found == {("invalid-date", "$.visit_date"), ("invalid-time", "$.planned_start"),
                     ("invalid-choice", "$.overall_risk"),
                     ("invalid-yes-no", "$.other_contact_exhausted"),
                     ("required", "$.academy")}


def test_code_word_is_never_echoed(write: Write, ra: dict[str, Any]) -> None:
    ra["code_word_agreed"] = "bluebird"
    issue = only_issue(load_file(write(ra)))
    assert issue.location.path == "$.code_word_agreed"
    assert issue.value is None
    assert "bluebird" not in issue.message and "Never write the code word" in issue.message


def test_json_accepts_what_a_person_writes(write: Write, ra: dict[str, Any]) -> None:
    ra.update(visit_date="23 November 2026", other_contact_exhausted="Y", overall_risk="LOW",
              purpose="Attendance issues or concerns", planned_start="10am",
              expected_return="11.15", authoriser_role="Designated Safeguarding Lead (DSL)",
              pupil_class=8)
    form = load_file(write(ra)).records[0].form
    assert form.visit_date == dt.date(2026, 11, 23)
    assert form.other_contact_exhausted is True
    assert form.planned_start == dt.time(10, 0) and form.expected_return == dt.time(11, 15)
    assert form.pupil_class == "8"
    assert form.authoriser_role.value == "dsl"


# --------------------------------------------------------------------------- exit codes


def test_exit_codes(write: Write, tmp_path: Path, ra: dict[str, Any]) -> None:
    good = write(ra, name="good.json")
    bad = write({**ra, "visit_date": "soon"}, name="bad.json")
    broken = write("{", name="broken.json")
    assert validate([good], "att", today=TODAY).exit_code == ExitCode.OK
    assert validate([good, bad], "att", today=TODAY).exit_code == ExitCode.INVALID
    assert validate([good, bad, broken], "att", today=TODAY).exit_code == ExitCode.USAGE


def test_a_folder_is_searched_and_hidden_files_skipped(tmp_path: Path, ra: dict[str, Any],
                                                       report: dict[str, Any]) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "ra.json").write_text(json.dumps(ra), encoding="utf-8")
    (tmp_path / "report.JSON").write_text(json.dumps(report), encoding="utf-8")
    (tmp_path / ".hidden.json").write_text("{", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a form", encoding="utf-8")
    result = validate([tmp_path], "att", today=TODAY)
    read = [Path(f.path).name for f in result.files if not f.skipped]
    assert sorted(read) == ["ra.json", "report.JSON"]
    # a file that is not a form is listed as skipped, saying why; hidden files are not listed
    skipped = {Path(f.path).name: f.skipped for f in result.files if f.skipped}
    assert skipped == {"notes.txt": "not a form file: docgen reads .xlsx workbooks and .json "
                                    "files"}
    assert result.exit_code == ExitCode.OK


def test_an_empty_folder_is_a_usage_error(tmp_path: Path) -> None:
    report = validate([tmp_path], "att", today=TODAY)
    assert report.exit_code == ExitCode.USAGE
    assert report.issues()[0].code == "no-input"


@pytest.mark.parametrize(("name", "says"), [
    ("forms.txt", "neither a .json file nor an .xlsx workbook"),
    ("forms.csv", "save it as an Excel .xlsx workbook"),
    ("forms.xls", "old Excel 97-2003 (.xls) file"),
])
def test_a_file_of_another_kind_is_a_usage_error(tmp_path: Path, name: str, says: str) -> None:
    path = tmp_path / name
    path.write_text("name,date\nJane,03/04/2026\n", encoding="utf-8")
    assert says in unreadable(path)


def test_patterns_the_shell_did_not_expand_are_expanded(tmp_path: Path) -> None:
    """Windows shells pass `samples\\*.json` through unexpanded; docgen expands it."""
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_text('{"form": "visit-report"}', "utf-8")
    (tmp_path / "notes.txt").write_text("not a form")
    report = validate([str(tmp_path / "*.json")], "att")
    assert [Path(f.path).name for f in report.files] == ["a.json", "b.json"]
    nothing = validate([str(tmp_path / "*.xlsx")], "att")
    assert nothing.exit_code == 2
    assert "matches no files" in nothing.issues()[0].message
