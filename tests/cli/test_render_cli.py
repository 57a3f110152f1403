"""`docgen render` and `docgen checkins` end to end, with the real renderers."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import docx
from click.testing import CliRunner
from pypdf import PdfReader

from docgen.cli import cli
from docgen.report import ExitCode

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "Siobhán O'Brien-Smith & <Co>"


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), color=False)


def pdf_text(path: Path) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(path).pages)


def docx_text(path: Path) -> str:
    document = docx.Document(io.BytesIO(path.read_bytes()))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_render_writes_both_formats_for_a_hostile_name(tmp_path: Path,
                                                       report: dict[str, Any]) -> None:
    report["pupil_name"] = HOSTILE
    report["discussed"] = "A long talk. " * 400  # 5,200 characters
    source = tmp_path / "report.json"
    source.write_text(json.dumps(report), "utf-8")
    out = tmp_path / "out"
    result = run("render", str(source), "--to", "pdf", "--to", "docx", "--out", str(out),
                 "--today", "23/11/2026")
    assert result.exit_code == ExitCode.OK, result.output
    stem = "2026-11-20_visit-report_Co-Siobhan-OBrien-Smith"
    assert sorted(p.name for p in out.iterdir()) == [f"{stem}.docx", f"{stem}.pdf",
                                                     "manifest.csv", "manifest.json"]
    assert f"wrote {out / stem}.pdf" in result.output
    pdf = pdf_text(out / f"{stem}.pdf")
    assert HOSTILE in pdf
    assert "Was anyone home?" in pdf
    assert "OFFICIAL-SENSITIVE" in pdf
    assert "Sample Academy (fictional)" in pdf
    assert len(PdfReader(out / f"{stem}.pdf").pages) > 1
    word = docx_text(out / f"{stem}.docx")
    assert HOSTILE in word
    assert word.count("A long talk.") == 400


def test_render_rejects_invalid_records_and_a_rerun_changes_nothing(
        tmp_path: Path, report: dict[str, Any]) -> None:
    bad = dict(report, pupil_name="Rejected Pupil", leaving_time="09:00")
    source = tmp_path / "visits.json"
    source.write_text(json.dumps([report, bad]), "utf-8")
    out = tmp_path / "out"
    first = run("render", str(source), "--out", str(out), "--today", "23/11/2026")
    assert first.exit_code == ExitCode.INVALID
    assert "rejected" in first.output and "Rejected Pupil" in first.output
    assert "What time did you leave?" in first.output  # the error report comes too
    pdf = out / "2026-11-20_visit-report_Smith-Jane.pdf"
    assert sorted(p.name for p in out.iterdir()) == [pdf.name, "manifest.csv",
                                                     "manifest.json"]
    before = pdf.stat().st_mtime_ns
    second = run("render", str(source), "--out", str(out), "--today", "23/11/2026")
    assert second.exit_code == ExitCode.INVALID  # the invalid record is still invalid
    assert "1 unchanged" in second.output and "wrote" not in second.output
    assert pdf.stat().st_mtime_ns == before


def test_render_refuses_a_file_it_did_not_write(tmp_path: Path,
                                               report: dict[str, Any]) -> None:
    source = tmp_path / "visits.json"
    source.write_text(json.dumps([report]), "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    theirs = out / "2026-11-20_visit-report_Smith-Jane.pdf"
    theirs.write_text("not docgen's")
    result = run("render", str(source), "--out", str(out), "--today", "23/11/2026")
    assert result.exit_code == ExitCode.OUTPUT
    assert "refused" in result.output and "--overwrite" in result.output
    assert theirs.read_text() == "not docgen's"
    replaced = run("render", str(source), "--out", str(out), "--today", "23/11/2026",
                   "--overwrite")
    assert replaced.exit_code == ExitCode.OK and "replaced" in replaced.output
    assert pdf_text(theirs).count("Jane Smith") >= 1


def test_render_with_the_sample_school(tmp_path: Path) -> None:
    out = tmp_path / "out"
    # no register: the sample school keeps it in the repository's out/, which a test must
    # not write (the README's session, checked by test_docs, reads it)
    result = run("render", str(ROOT / "samples" / "westside" / "nobody-home.json"),
                 "--school", str(ROOT / "samples" / "westside-school.toml"),
                 "--out", str(out), "--no-register")
    assert result.exit_code == ExitCode.OK, result.output
    report = pdf_text(out / "2026-11-16_visit-report_Robinson-Mia.pdf")
    assert "Westside School (sample)" in report
    assert "For the reviewer" in report
    assert "wait no longer than 20 minutes" in report


def test_bad_school_file_is_a_usage_error(tmp_path: Path) -> None:
    school = tmp_path / "school.toml"
    school.write_text('[school]\nname = "X"\nlogo = "missing.png"\n')
    result = run("render", str(ROOT / "samples" / "att"), "--school", str(school),
                 "--out", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.USAGE
    assert "does not exist" in result.output
    assert not (tmp_path / "out").exists()


def test_checkins_sheet_for_a_day(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("checkins", str(ROOT / "samples" / "day-plan"), "--date", "2026-11-24",
                 "--school", str(ROOT / "samples" / "westside-school.toml"), "--to", "pdf",
                 "--to", "docx", "--out", str(out), "--no-register")
    assert result.exit_code == ExitCode.OK, result.output
    sheet = pdf_text(out / "2026-11-24_office-check-in-sheet.pdf")
    flat = "".join(sheet.split())  # table cells wrap their words
    for expected in ("Office check-in sheet", "WS-HV-124", "09:25", "13:10", "15:10",
                     "19:40", "Thomas Adeyemi", "07700 900900", "Never write the code word",
                     "NOT AUTHORISED: DO NOT GO", "WS-HV-127 at 14:00"):
        assert "".join(expected.split()) in flat, expected
    assert "Ruby Clarke" not in sheet  # no pupil names on the reception sheet
    assert "19:40" in docx_text(out / "2026-11-24_office-check-in-sheet.docx")


def test_checkins_with_no_visits(tmp_path: Path) -> None:
    result = run("checkins", str(ROOT / "samples" / "day-plan"), "--date", "01/12/2026",
                 "--out", str(tmp_path / "out"), "--policy", "westside")
    assert result.exit_code == ExitCode.OK
    assert "no valid risk assessments" in result.output


# --------------------------------------------------------------------------- blank forms


def test_render_blank_prints_the_schools_form_to_fill_in(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("render", "--blank", "visit-report", "--to", "pdf", "--to", "docx",
                 "--out", str(out), "--school", str(ROOT / "samples" / "westside-school.toml"),
                 "--no-register")
    assert result.exit_code == ExitCode.OK, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "blank-visit-report.docx", "blank-visit-report.pdf", "manifest.csv", "manifest.json"]
    pdf = pdf_text(out / "blank-visit-report.pdf")
    # every question Westside asks, none answered, in its words
    for question in ("Who was home?", "If nobody was home, how long did you wait (minutes)?",
                     "Tutoring: was the door of the room kept open?", "Westside School"):
        assert question in pdf.replace("\n", " "), question
    assert "☒" not in pdf and "Principal" not in pdf
    assert "Who was home?" in docx_text(out / "blank-visit-report.docx")
    again = run("render", "--blank", "visit-report", "--to", "pdf", "--out", str(out),
                "--school", str(ROOT / "samples" / "westside-school.toml"), "--no-register")
    assert again.exit_code == ExitCode.OK and "1 unchanged" in again.output


def test_render_blank_takes_no_files_and_render_needs_some(tmp_path: Path) -> None:
    both = run("render", "--blank", "risk-assessment", str(tmp_path / "x.json"))
    assert both.exit_code == ExitCode.USAGE
    assert "give it no files" in both.output
    neither = run("render", "--out", str(tmp_path))
    assert neither.exit_code == ExitCode.USAGE
    assert "--blank risk-assessment" in neither.output
    unknown = run("render", "--blank", "letter")
    assert unknown.exit_code == ExitCode.USAGE
