"""Rendering runs: every valid record gets its documents, every other record is reported,
no file is overwritten unless asked, one failure never stops the run. The renderers are
replaced by a fake here; tests/render/test_docx.py and test_pdf.py test the real ones."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from docgen.documents import run as run_module
from docgen.documents.document import Document
from docgen.documents.run import render_checkins, render_paths
from docgen.report import ExitCode

TODAY = dt.date(2026, 11, 23)


class FakeRenderer:
    def __init__(self, fmt: str, fail_for: str | None = None) -> None:
        self.fmt = fmt
        self.fail_for = fail_for
        self.calls = 0

    def render(self, document: Document) -> bytes:
        self.calls += 1
        if self.fail_for and self.fail_for in document.subject:
            raise RuntimeError("template exploded")
        return f"{self.fmt}\n".encode() + "\n".join(document.texts()).encode()


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> dict[str, FakeRenderer]:
    made = {"pdf": FakeRenderer("pdf"), "docx": FakeRenderer("docx")}
    monkeypatch.setattr(run_module, "renderer", lambda fmt, template_dir=None: made[fmt])
    return made


def write(tmp_path: Path, records: list[dict[str, Any]]) -> Path:
    path = tmp_path / "visits.json"
    path.write_text(json.dumps(records), "utf-8")
    return path


def test_each_valid_record_gets_a_document_per_format(
        tmp_path: Path, report: dict[str, Any], ra: dict[str, Any],
        fakes: dict[str, FakeRenderer]) -> None:
    source = write(tmp_path, [report, ra])
    out = tmp_path / "out"
    run = render_paths([source], out, formats=("pdf", "docx"), today=TODAY)
    assert run.exit_code == ExitCode.OK
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "2026-11-20_visit-report_Smith-Jane.docx", "2026-11-20_visit-report_Smith-Jane.pdf",
        "2026-11-23_risk-assessment_Smith-Jane.docx",
        "2026-11-23_risk-assessment_Smith-Jane.pdf",
    ]
    pdf = (out / "2026-11-20_visit-report_Smith-Jane.pdf").read_text()
    assert pdf.startswith("pdf\nHome Visit Report")
    assert "Was anyone home?" in pdf
    assert fakes["pdf"].calls == 2


def test_an_invalid_record_gets_no_document_and_is_reported(
        tmp_path: Path, report: dict[str, Any], fakes: dict[str, FakeRenderer]) -> None:
    bad = copy.deepcopy(report)
    bad["pupil_name"] = "Bad Record"
    bad["leaving_time"] = "09:00"  # before arrival: an error
    source = write(tmp_path, [report, bad])
    out = tmp_path / "out"
    run = render_paths([source], out, today=TODAY)
    assert run.exit_code == ExitCode.INVALID
    assert [p.name for p in out.iterdir()] == ["2026-11-20_visit-report_Smith-Jane.pdf"]
    assert [r.label for r in run.rejected] == ["Bad Record, 20/11/2026"]
    assert any("rejected" in line and "Bad Record" in line for line in run.lines())


def test_existing_files_are_refused_unless_overwriting(
        tmp_path: Path, report: dict[str, Any], fakes: dict[str, FakeRenderer]) -> None:
    source = write(tmp_path, [report])
    out = tmp_path / "out"
    out.mkdir()
    existing = out / "2026-11-20_visit-report_Smith-Jane.pdf"
    existing.write_bytes(b"signed copy")
    run = render_paths([source], out, today=TODAY)
    assert run.exit_code == ExitCode.USAGE
    assert existing.read_bytes() == b"signed copy"
    assert run.paths("refused") == [existing]
    assert "use --overwrite" in "\n".join(run.lines())
    again = render_paths([source], out, today=TODAY, overwrite=True)
    assert again.exit_code == ExitCode.OK
    assert existing.read_bytes().startswith(b"pdf\n")


def test_one_failing_document_does_not_stop_the_run(
        tmp_path: Path, report: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeRenderer("pdf", fail_for="Doomed")
    monkeypatch.setattr(run_module, "renderer", lambda fmt, template_dir=None: fake)
    doomed = copy.deepcopy(report)
    doomed["pupil_name"] = "Doomed Pupil"
    source = write(tmp_path, [doomed, report])
    out = tmp_path / "out"
    run = render_paths([source], out, today=TODAY)
    assert run.exit_code == ExitCode.USAGE
    assert [o.status for o in run.outcomes] == ["failed", "written"]
    assert "template exploded" in run.outcomes[0].reason
    assert [p.name for p in out.iterdir()] == ["2026-11-20_visit-report_Smith-Jane.pdf"]


def test_same_name_twice_in_a_run_gets_a_number(
        tmp_path: Path, report: dict[str, Any], fakes: dict[str, FakeRenderer]) -> None:
    second = copy.deepcopy(report)
    second["visit_time"] = "15:00"
    second["arrival_time"], second["leaving_time"] = "15:00", "15:20"
    run = render_paths([write(tmp_path, [report, second])], tmp_path / "out", today=TODAY)
    assert sorted(p.name for p in run.paths("written")) == [
        "2026-11-20_visit-report_Smith-Jane-2.pdf", "2026-11-20_visit-report_Smith-Jane.pdf"]


def test_checkins_write_one_sheet_for_the_day(
        tmp_path: Path, ra: dict[str, Any], report: dict[str, Any],
        fakes: dict[str, FakeRenderer]) -> None:
    ra["authoriser_role"] = "headteacher"
    other_day = copy.deepcopy(ra)
    other_day["visit_date"] = "2026-11-24"
    source = write(tmp_path, [ra, other_day, report])
    out = tmp_path / "out"
    run = render_checkins([source], dt.date(2026, 11, 23), out, policy="westside")
    assert run.exit_code == ExitCode.OK
    assert [p.name for p in out.iterdir()] == ["2026-11-23_office-check-in-sheet.pdf"]
    sheet = (out / "2026-11-23_office-check-in-sheet.pdf").read_text()
    assert "Office check-in sheet" in sheet
    assert "☐ 10:10" in sheet


def test_checkins_with_no_visits_that_day_write_nothing(
        tmp_path: Path, ra: dict[str, Any], fakes: dict[str, FakeRenderer]) -> None:
    run = render_checkins([write(tmp_path, [ra])], dt.date(2026, 12, 1), tmp_path / "out")
    assert run.exit_code == ExitCode.OK
    assert run.outcomes == []
    assert "no valid risk assessments" in run.note
    assert not (tmp_path / "out").exists()


def test_checkins_leave_invalid_risk_assessments_off_the_sheet(
        tmp_path: Path, ra: dict[str, Any], fakes: dict[str, FakeRenderer]) -> None:
    bad = copy.deepcopy(ra)
    bad["staff"] = bad["staff"][:1]  # one member of staff: an error under ATT
    bad["visit_reference"] = "BAD-ONE"
    run = render_checkins([write(tmp_path, [ra, bad])], TODAY, tmp_path / "out")
    assert run.exit_code == ExitCode.INVALID
    assert len(run.rejected) == 1
    sheet = (tmp_path / "out" / "2026-11-23_office-check-in-sheet.pdf").read_text()
    assert "BAD-ONE" not in sheet


def test_the_same_visit_in_two_files_is_printed_once(
        tmp_path: Path, report: dict[str, Any], fakes: dict[str, FakeRenderer]) -> None:
    first = tmp_path / "a.json"
    first.write_text(json.dumps([report]), "utf-8")
    second = tmp_path / "b.json"
    second.write_text(json.dumps([report]), "utf-8")
    run = render_paths([first, second], tmp_path / "out", today=TODAY)
    assert run.exit_code == ExitCode.OK
    assert [p.name for p in run.paths("written")] == ["2026-11-20_visit-report_Smith-Jane.pdf"]
    assert len(run.skipped) == 1
    assert run.skipped[0].duplicate_of is not None
    assert "a.json" in str(run.skipped[0].duplicate_of)
    assert any(line.startswith("skipped") and "a.json" in line for line in run.lines())
    warning = [i for i in run.report.issues() if i.code == "duplicate-record"]
    assert len(warning) == 1 and "a.json" in warning[0].message


def test_a_file_level_error_rejects_every_record_of_the_file(
        tmp_path: Path, report: dict[str, Any], fakes: dict[str, FakeRenderer]) -> None:
    text = json.dumps(report)
    source = tmp_path / "dup-key.json"  # the same key twice: which value is right?
    source.write_text(text[:-1] + ', "pupil_class": "9Z"}', "utf-8")
    run = render_paths([source], tmp_path / "out", today=TODAY)
    assert run.exit_code == ExitCode.INVALID
    assert run.outcomes == []
    assert [i.code for i in run.rejected[0].errors] == ["file-error"]


def test_checkins_report_records_of_no_known_form(
        tmp_path: Path, ra: dict[str, Any], fakes: dict[str, FakeRenderer]) -> None:
    typo = copy.deepcopy(ra)
    typo["form"] = "risk_assesment"
    missing = copy.deepcopy(ra)
    del missing["form"]
    run = render_checkins([write(tmp_path, [ra, typo, missing])], TODAY, tmp_path / "out")
    assert run.exit_code == ExitCode.INVALID
    assert len(run.rejected) == 2
    assert len(run.paths("written")) == 1
    assert sum(line.startswith("rejected") for line in run.lines()) == 2


def test_checkins_ignore_visit_reports(
        tmp_path: Path, ra: dict[str, Any], report: dict[str, Any],
        fakes: dict[str, FakeRenderer]) -> None:
    bad_report = dict(report, leaving_time="09:00")  # invalid, but not a planned visit
    run = render_checkins([write(tmp_path, [ra, bad_report])], TODAY, tmp_path / "out")
    assert run.exit_code == ExitCode.OK
    assert run.rejected == []
