"""Messages an office can act on: a file that is not what its name says is named for what it
is, with what to do; "n/a" in an optional answer is no answer; a folder's other files are
listed as skipped; never a Python exception's text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from docgen.cli import cli
from docgen.report import ExitCode
from docgen.schemas import VisitReport
from docgen.schemas.columns import columns
from docgen.validation import validate, validate_record
from docgen.workbook import write_workbook
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[2]
WORKBOOK = ROOT / "samples" / "att" / "visit-reports.xlsx"


def only_issue(path: Path) -> str:
    report = validate([path], "att", today=TODAY)
    assert report.exit_code == ExitCode.USAGE
    (issue,) = report.issues()
    prefix = f"{path.name}: "
    assert issue.message.startswith(prefix)
    return issue.message[len(prefix):]


def test_excel_lock_file_named_says_which_workbook_to_open(tmp_path: Path) -> None:
    shutil.copy(WORKBOOK, tmp_path / "report.xlsx")
    lock = tmp_path / "~$report.xlsx"
    lock.write_bytes(b"\x0bSomeone   " + b"\0" * 150)
    assert only_issue(lock) == ("this is Excel's temporary lock file, made while a workbook "
                                "is open; open report.xlsx instead.")


@pytest.mark.parametrize(("name", "content", "says"), [
    ("report.xlsx", b"Name of pupil,Date of Visit\nJane,03/04/2026\n",
     "is a CSV file (comma-separated text) with an .xlsx name"),
    ("report.xlsx", b"", "is empty (0 bytes): it was not saved"),
    ("report.xlsx", b'[{"form": "visit-report"}]', "holds JSON text, not an Excel workbook: "
                                                   "rename it to end in .json."),
    ("report.xlsx", b"<html><body><table><tr><td>x</td></tr></table></body></html>",
     "is a web page (HTML) with an .xlsx name"),
    ("report.xlsx", b"%PDF-1.7\n", "is a PDF document, not an Excel workbook"),
    ("report.json", b"", "is empty (0 bytes)"),
    ("report.json", b"a,b\n1,2\n", "is a CSV file (comma-separated text), not JSON"),
])
def test_a_file_says_what_it_really_is(tmp_path: Path, name: str, content: bytes,
                                       says: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    message = only_issue(path)
    assert message.startswith(says), message
    assert "Error" not in message and "Traceback" not in message


def test_a_workbook_named_json_says_to_rename_it(tmp_path: Path) -> None:
    path = tmp_path / "reports.json"
    shutil.copy(WORKBOOK, path)
    assert only_issue(path) == ("is an Excel workbook (or another zip file) with a .json "
                                "name: if it is a workbook, rename it to end in .xlsx.")


def test_a_folder_lists_its_other_files_as_skipped(tmp_path: Path,
                                                    report: dict[str, Any]) -> None:
    (tmp_path / "report.json").write_text(json.dumps(report), "utf-8")
    (tmp_path / "notes.csv").write_text("a,b\n", "utf-8")
    shutil.copy(WORKBOOK, tmp_path / "visits.xlsx")
    (tmp_path / "~$visits.xlsx").write_bytes(b"\0" * 165)
    result = CliRunner().invoke(cli, ["validate", str(tmp_path), "--today", "23/11/2026"])
    assert result.exit_code == ExitCode.OK, result.output
    assert ("notes.csv: skipped (not a form file: docgen reads .xlsx workbooks and .json "
            "files)") in result.output
    assert ("~$visits.xlsx: skipped (this is Excel's temporary lock file, made while a "
            "workbook is open; open visits.xlsx instead)") in result.output
    assert "2 other files skipped" in result.output
    as_json = CliRunner().invoke(cli, ["validate", str(tmp_path), "--format", "json",
                                       "--today", "23/11/2026"])
    files = {Path(f["path"]).name: f["skipped"] for f in json.loads(as_json.stdout)["files"]}
    assert files["report.json"] is None and files["notes.csv"].startswith("not a form file")


@pytest.mark.parametrize("written", ["n/a", "N/A", "-", "–", "n.a.", "Not applicable"])
def test_na_in_an_optional_answer_is_no_answer(report: dict[str, Any], written: str) -> None:
    report.update(upn=written, letter_left=written, agreement_review_date=written,
                  pupil_spoken_to=written)
    record = validate_record(report, "att", today=TODAY)
    assert record.ok, [i.message for i in record.issues]
    assert record.form is not None
    assert record.form.upn is None and record.form.letter_left is None
    assert record.form.agreement_review_date is None


def test_na_in_a_required_answer_says_what_is_needed(report: dict[str, Any]) -> None:
    report["visit_date"] = "n/a"
    record = validate_record(report, "att", today=TODAY)
    (issue,) = [i for i in record.issues if i.field == "Date of Visit"]
    assert issue.code == "invalid-date" and "DD/MM/YYYY" in issue.message


def test_na_in_an_optional_workbook_cell_is_no_answer(tmp_path: Path,
                                                      report: dict[str, Any]) -> None:
    form = VisitReport.model_validate(report)
    path = write_workbook("visit-report", tmp_path / "vr.xlsx", [form])
    wb = load_workbook(path)
    ws = wb[VisitReport.sheet_title]
    letters = {c.header: i for i, c in enumerate(columns(VisitReport), start=1)}
    ws.cell(row=2, column=letters["UPN"], value="n/a")
    ws.cell(row=2, column=letters["Did you leave an academy home visit letter if they were "
                                  "not home?"], value="-")
    wb.save(path)
    result = validate([path], "att", today=TODAY)
    assert result.valid, [i.message for i in result.issues()]
    assert result.records[0].form is not None and result.records[0].form.upn is None


def test_an_optional_text_too_long_is_counted_in_characters(report: dict[str, Any]) -> None:
    report["who_was_home"] = "x" * 2100
    (issue,) = validate_record(report, "att", today=TODAY).issues
    assert issue.code == "too-long"
    assert issue.message == ("Too long: 2100 characters where at most 2000 are allowed. "
                             "Shorten it.")
