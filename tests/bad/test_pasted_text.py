"""Text pasted from Word: a vertical tab for each manual line break, a form feed for a page
break, a stray NUL. The record stays valid; the characters become line breaks (spaces in a
single-line field); a warning at the field says what was changed. Bidirectional overrides are
still refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from docgen.report import ExitCode

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


def test_pasted_text_in_a_workbook_cell(ra: dict[str, Any],
                                        ra_workbook: Callable[..., Path]) -> None:
    """Excel stores a Word line break in a cell as _x000B_ and a page break as _x000C_; the
    reader decodes them, and the rule is the same as for JSON, at the cell."""
    path = ra_workbook(ra, {("why_required",): "First line_x000B_Second line_x000C_Third"})
    result = run("validate", path, "--format", "json", "--today", TODAY)
    assert result.exit_code == ExitCode.OK, result.output
    [record] = json.loads(result.stdout)["files"][0]["records"]
    [warning] = [i for i in record["issues"] if i["code"] == "text-changed"]
    assert warning["location"]["sheet"] == "Risk assessment"
    assert warning["location"]["cell"] is not None and warning["location"]["row"] == 2
    assert warning["field"] == "Details of why a home visit is required"
    assert warning["message"] == (
        "Text pasted from Word or another program: a manual line break (vertical tab) became "
        "a line break; a page break (form feed) became a line break. Check that it reads as "
        "intended.")


def test_an_answer_of_invisible_characters_is_no_answer(write_json: Callable[..., Path],
                                                       ra: dict[str, Any]) -> None:
    """A zero-width space and a Hangul filler look like nothing: as a name they would print
    as a blank and name the file after nobody."""
    ra["pupil_name"] = "\u200b\u3164"
    ra["assessed_by"] = "\u2800"  # braille blank: optional, so simply not given
    result = run("validate", write_json(ra), "--today", TODAY)
    assert result.exit_code == ExitCode.INVALID
    assert ("error   $.pupil_name Name of pupil: Required: fill in 'Name of pupil'."
            in result.output)
    assert "$.assessed_by" not in result.output


def test_runs_of_blank_lines_are_shortened(tmp_path: Path, ra: dict[str, Any]) -> None:
    """20,000 line breaks in a note printed 337 empty pages."""
    ra["why_required"] = "Before." + "\n" * 19_990 + "After.\n\n\n\nEnd."
    source = tmp_path / "visit.json"
    source.write_text(json.dumps(ra), "utf-8")
    out = tmp_path / "out"
    result = run("render", source, "--to", "pdf", "--to", "docx", "--out", out,
                 "--today", TODAY)
    assert result.exit_code == ExitCode.OK, result.output
    assert ("warning $.why_required Details of why a home visit is required: Text pasted from "
            "Word or another program: 2 runs of blank lines were shortened to one blank line "
            "each.") in result.output
    [word] = out.glob("*.docx")
    assert "Before.\n\nAfter.\n\nEnd." in docx_text(word.read_bytes())
    [pdf] = out.glob("*.pdf")
    assert len(PdfReader(pdf).pages) < 8
