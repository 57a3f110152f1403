"""`docgen export` end to end with the real renderers, `--list`, `--mark-uploaded` and
`docgen schema export`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from click.testing import CliRunner
from pypdf import PdfReader

from docgen.cli import cli
from docgen.report import ExitCode

HOSTILE = "Siobhán O'Brien-Smith & <Co>"


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), color=False)


def pdf_text(path: Path) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(path).pages)


def setup(tmp_path: Path, report: dict[str, Any], ra: dict[str, Any]) -> tuple[Path, Path]:
    school = tmp_path / "school.toml"
    school.write_text('[school]\nname = "Brookfield Academy"\ndsl = "Priya Shah"\n'
                      '[register]\npath = "register.sqlite"\n', "utf-8")
    for form in (report, ra):
        form.update(pupil_name=HOSTILE, visit_reference="HV-9")
    ra.update(visit_date="2026-11-20", authorised_on="2026-11-19", overall_risk="medium",
              approved_by="Dee Lead", approved_on="2026-11-19")
    source = tmp_path / "visits.json"
    source.write_text(json.dumps([report, ra]), "utf-8")
    return school, source


def test_export_list_mark_uploaded(tmp_path: Path, report: dict[str, Any],
                                   ra: dict[str, Any]) -> None:
    school, source = setup(tmp_path, report, ra)
    out = tmp_path / "export"
    result = run("export", str(source), "--school", str(school), "--out", str(out),
                 "--today", "23/11/2026", "--bundle", "upload.zip", "--jobs", "1")
    assert result.exit_code == ExitCode.OK, result.output
    assert "exported VR-" in result.output and "exported RA-" in result.output
    assert "Exported 2 records (2 new) into" in result.output
    assert f"docgen export --mark-uploaded {out / 'upload.zip'}" in result.output
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 2
    report_pdf = next(p for p in pdfs if "visit-report" in p.name)
    ra_pdf = next(p for p in pdfs if "risk-assessment" in p.name)
    assert HOSTILE in pdf_text(report_pdf) and "Home Visit Report" in pdf_text(report_pdf)
    assert "07700" not in pdf_text(ra_pdf)
    assert "left out of this copy" in pdf_text(ra_pdf)

    exported = json.loads((out / "upload.json").read_text("utf-8"))
    schema = run("schema", "export")
    assert schema.exit_code == 0
    jsonschema.Draft202012Validator(json.loads(schema.output)).validate(exported)
    assert exported["format"] == "docgen-export" and exported["format_version"] == 1

    again = run("export", str(source), "--school", str(school), "--out", str(out),
                "--today", "23/11/2026", "--jobs", "1")
    assert again.exit_code == ExitCode.OK, again.output
    assert "Nothing new to export; 2 already exported and unchanged" in again.output

    listed = run("export", "--list", "--school", str(school), "--limit", "5")
    assert listed.exit_code == 0, listed.output
    assert "Export #1" in listed.output and "2 new" in listed.output
    assert listed.output.count("NOT marked uploaded") == 3
    assert HOSTILE in listed.output

    marked = run("export", "--mark-uploaded", str(out / "upload.zip"), "--school", str(school))
    assert marked.exit_code == 0, marked.output
    assert "as uploaded by" in marked.output
    listed = run("export", "--list", "--school", str(school), "--report-format", "json")
    files = json.loads(listed.output)["exports"][0]["files"]
    assert [f["uploaded_at"] is not None for f in files] == [False, False, True]

    stranger = tmp_path / "stranger.csv"
    stranger.write_text("a,b\n")
    refused = run("export", "--mark-uploaded", str(stranger), "--school", str(school))
    assert refused.exit_code == ExitCode.INVALID
    assert "is not a file docgen exported" in refused.output


def test_json_report_and_usage_errors(tmp_path: Path, report: dict[str, Any],
                                      ra: dict[str, Any]) -> None:
    school, source = setup(tmp_path, report, ra)
    source.write_text(json.dumps([report]), "utf-8")  # one PDF to make
    mapping = tmp_path / "ours.toml"
    mapping.write_text('[[columns]]\nheader = "Pupil"\nfield = "pupil"\n', "utf-8")
    bad = run("export", str(source), "--school", str(school), "--mapping", str(mapping))
    assert bad.exit_code == ExitCode.USAGE
    assert "column 1 ('Pupil'): unknown field 'pupil'; did you mean 'pupil_name'?" in bad.output
    assert run("export", "--school", str(school)).exit_code == ExitCode.USAGE
    assert run("export", str(source), "--list").exit_code == ExitCode.USAGE
    nothing = run("export", "--list", "--school", str(school))
    assert nothing.exit_code == ExitCode.USAGE and "no register" in nothing.output

    mapping.write_text('[[columns]]\nheader = "Pupil"\nfield = "pupil_name"\n', "utf-8")
    data = run("export", str(source), "--school", str(school), "--mapping", str(mapping),
               "--format", "csv", "--out", str(tmp_path / "out"), "--no-register",
               "--report-format", "json", "--today", "23/11/2026", "--jobs", "1")
    assert data.exit_code == ExitCode.OK, data.output
    parsed = json.loads(data.output)
    assert parsed["counts"] == {"new": 1}
    [csv_file] = [f for f in parsed["export_files"] if f["path"].endswith(".csv")]
    text = Path(csv_file["path"]).read_text("utf-8-sig")
    assert text.splitlines() == ["Pupil", HOSTILE]
    assert not any(f["path"].endswith(".json") for f in parsed["export_files"])
