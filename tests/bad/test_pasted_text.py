"""Text pasted from Word: a vertical tab for each manual line break, a form feed for a page
break, a stray NUL. The record stays valid; the characters become line breaks (spaces in a
single-line field); a warning at the field says what was changed. Bidirectional overrides are
still refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from docgen.inputs import Cell
from docgen.records import _row_record
from docgen.report import ExitCode, Location
from docgen.schemas import FORMS
from docgen.schemas.columns import columns

from .conftest import BAD, TODAY, docx_text, pdf_text, run


def test_pasted_text_is_cleaned_with_a_warning(tmp_path: Path) -> None:
    source = BAD / "pasted-from-word.json"
    out = tmp_path / "out"
    result = run("render", source, "--to", "pdf", "--to", "docx", "--out", out,
                 "--today", TODAY)
    assert result.exit_code == ExitCode.OK, result.output
    assert ("warning $.pupil_name Name of pupil: Text pasted from Word or another program: a "
            "manual line break (vertical tab) became a space.") in result.output
    assert ("warning $.why_required Details of why a home visit is required: Text pasted from "
            "Word or another program: a manual line break (vertical tab) became a line break; "
            "a page break (form feed) became a line break; a NUL character was removed."
            ) in result.output
    assert "2 written." in result.output
    [pdf] = out.glob("*.pdf")
    [word] = out.glob("*.docx")
    text = docx_text(word.read_bytes())
    assert "Attendance has fallen.\nShe has missed ten days.\nSecond page." in text
    assert "Jane Smith" in text
    assert "\x0b" not in text and "\x0c" not in text and "\x00" not in text
    printed = pdf_text(pdf.read_bytes())
    assert "Attendance has fallen.\nShe has missed ten days.\nSecond page." in printed
    # a note on the input is for the person running docgen, not a policy point on the form
    assert "pasted" not in printed and "pasted" not in text


def test_json_report_carries_the_warning() -> None:
    result = run("validate", BAD / "pasted-from-word.json", "--format", "json",
                 "--today", TODAY)
    assert result.exit_code == ExitCode.OK
    report = json.loads(result.stdout)
    [record] = report["files"][0]["records"]
    assert record["valid"] is True
    changed = [i for i in record["issues"] if i["code"] == "text-changed"]
    assert [(i["severity"], i["location"]["path"]) for i in changed] == [
        ("warning", "$.pupil_name"), ("warning", "$.why_required")]


def test_a_bidirectional_override_is_still_refused(write_json: Callable[..., Path],
                                                   ra: dict[str, Any]) -> None:
    ra["pupil_name"] = "Jane\u202eSmith"
    ra["why_required"] = "Line one\x0bLine two"
    result = run("validate", write_json(ra), "--today", TODAY)
    assert result.exit_code == ExitCode.INVALID
    assert ("error   $.pupil_name Name of pupil: Contains a text-direction control (U+202E)"
            ) in result.output
    assert "warning $.why_required" in result.output  # the other field's change is still said


def test_pasted_text_in_a_workbook_cell(ra: dict[str, Any]) -> None:
    """The workbook reader hands over the characters (Excel's _x000B_ decoded: openpyxl
    cannot even write a vertical tab, so the row is given as read); the rule is the same as
    for JSON, and the warning names the cell."""
    model = FORMS["risk-assessment"]
    by_letter = {get_column_letter(i): c for i, c in enumerate(columns(model), start=1)}
    letters = {c.path: letter for letter, c in by_letter.items()}
    cells = []
    for letter, column in by_letter.items():
        value = _value_at(ra, column.path)
        if column.path == ("why_required",):
            value = "First line\x0bSecond line"
        if value is not None and not isinstance(value, dict | list):
            cells.append(Cell(value, 2, letter))
    row = Location(file="visits.xlsx", sheet="Risk assessment", row=2)
    record = _row_record(model, cells, by_letter, letters, set(), row)
    assert record is not None
    assert record.form is not None, [i.message for i in record.issues]
    assert record.form.why_required == "First line\nSecond line"
    [warning] = [i for i in record.issues if i.code == "text-changed"]
    letter = next(k for k, c in by_letter.items() if c.path == ("why_required",))
    assert warning.location.cell == f"{letter}2"
    assert warning.field == "Details of why a home visit is required"
    assert not warning.is_error


def _value_at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        if isinstance(data, dict):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and step < len(data):
            data = data[step]
        else:
            return None
    return data
