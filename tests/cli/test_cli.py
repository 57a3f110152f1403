"""The command line: exit codes, output formats, files written, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from docgen.cli import cli, main
from docgen.report import ExitCode
from docgen.validation import validate

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), color=False)


def write(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), "utf-8")
    return path


def test_valid_input_exits_0(tmp_path: Path, report: dict[str, Any]) -> None:
    result = run("validate", str(write(tmp_path, "r.json", report)))
    assert result.exit_code == ExitCode.OK, result.output
    assert "1 valid, 0 invalid" in result.output


def test_warnings_still_exit_0(tmp_path: Path, report: dict[str, Any]) -> None:
    report["other_methods_exhausted"] = False
    result = run("validate", str(write(tmp_path, "r.json", report)))
    assert result.exit_code == ExitCode.OK
    assert "warning" in result.output and "[visit.contact-exhausted]" in result.output


def test_invalid_input_exits_1_and_lists_every_problem(tmp_path: Path,
                                                       report: dict[str, Any]) -> None:
    report["visit_date"] = "11/23/2026"
    report["anyone_home"] = "perhaps"
    del report["pupil_name"]
    result = run("validate", str(write(tmp_path, "r.json", report)))
    assert result.exit_code == ExitCode.INVALID
    for expected in ("$.visit_date", "month first", "$.anyone_home", "perhaps",
                     "$.pupil_name", "Required"):
        assert expected in result.output


@pytest.mark.parametrize("args", [
    ["validate", "no-such-file.json"],
    ["validate"],
    ["validate", "x.json", "--format", "yaml"],
    ["template", "no-such-form", "-o", "x.xlsx"],
    ["schema", "nope"],
    ["validate", "x.json", "--today", "31/02/2026"],
])
def test_usage_problems_exit_2(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == ExitCode.USAGE
    assert "Traceback" not in result.output


def test_unreadable_file_among_good_ones_exits_2_but_reports_all(
        tmp_path: Path, report: dict[str, Any]) -> None:
    good = write(tmp_path, "good.json", report)
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    result = run("validate", str(good), str(bad))
    assert result.exit_code == ExitCode.USAGE
    assert "good.json: ok" in result.output
    assert "bad.xlsx: unreadable" in result.output


def test_json_output_is_the_library_report(tmp_path: Path, report: dict[str, Any]) -> None:
    report["leaving_time"] = "09:00"
    path = write(tmp_path, "r.json", report)
    result = run("validate", str(path), "--format", "json", "--today", "23/11/2026")
    assert result.exit_code == ExitCode.INVALID
    printed = json.loads(result.stdout)
    import datetime as dt

    library = validate([path], "att", today=dt.date(2026, 11, 23)).to_dict()
    assert printed == library
    issue = printed["files"][0]["records"][0]["issues"][0]
    assert issue["code"] == "report.times"
    assert issue["location"]["path"] == "$.leaving_time"
    assert issue["field"] == "What time did you leave?"
    assert issue["severity"] == "error"


def test_template_writes_a_workbook_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "ra.xlsx"
    first = run("template", "risk-assessment", "-o", str(target))
    assert first.exit_code == 0, first.output
    wb = openpyxl.load_workbook(target)
    assert "Risk assessment" in wb.sheetnames
    before = target.read_bytes()
    second = run("template", "risk-assessment", "-o", str(target))
    assert second.exit_code == ExitCode.USAGE
    assert "already exists" in second.output and "--overwrite" in second.output
    assert target.read_bytes() == before
    third = run("template", "risk-assessment", "-o", str(target), "--overwrite")
    assert third.exit_code == 0


def test_template_needs_xlsx_suffix(tmp_path: Path) -> None:
    result = run("template", "visit-report", "-o", str(tmp_path / "r.csv"))
    assert result.exit_code == ExitCode.USAGE
    assert not (tmp_path / "r.csv").exists()


def test_schema_prints_json_schema_with_labels() -> None:
    result = run("schema", "visit-report")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["properties"]["anyone_home"]["title"] == "Was anyone home?"
    assert "visit_date" in schema["required"]


def test_checks_lists_rules_with_citations() -> None:
    result = run("checks", "--policy", "westside")
    assert result.exit_code == 0
    assert "ra.vehicle-approved" in result.output
    assert "personal vehicles" in result.output
    assert "ra.high-risk-permission" not in result.output  # off under Westside
    as_json = json.loads(run("checks", "--policy", "att", "--format", "json").stdout)
    assert {row["id"] for row in as_json} >= {"ra.staff-count", "report.date"}


@pytest.mark.parametrize("where", ["visit_date", "purpose", "pupil_name", "key"])
def test_hostile_values_are_printed_inert(tmp_path: Path, report: dict[str, Any],
                                          where: str) -> None:
    """Terminal escape sequences (an OSC retitling the window, a CSI recolouring it) typed
    into a field, a key or a name never reach the terminal: shown escaped instead."""
    attack = "\x1b]0;PWNED\x07\x1b[31mRED"
    if where == "key":
        report[attack] = "x"
    else:
        report[where] = attack
    result = CliRunner().invoke(cli, ["validate", str(write(tmp_path, "r.json", report))],
                                color=True)
    assert result.exit_code == ExitCode.INVALID
    ours = result.output.replace("\x1b[0m", "").replace("\x1b[1m", "").replace(
        "\x1b[31m\x1b[1m", "").replace("\x1b[31m", "").replace("\x1b[33m", "").replace(
        "\x1b[32m", "").replace("\x1b[2m", "")
    assert "\x1b]" not in result.output and "\x07" not in result.output
    assert "\x1b" not in ours
    assert "\\u001b]0;PWNED\\u0007" in result.output


def test_long_values_are_not_echoed_in_full(tmp_path: Path, report: dict[str, Any]) -> None:
    report["visit_date"] = "9" * 30_000
    result = run("validate", str(write(tmp_path, "r.json", report)))
    assert result.exit_code == ExitCode.INVALID
    assert len(result.output) < 2_000


def test_schema_to_an_unwritable_place_is_a_usage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    result = run("schema", "risk-assessment", "-o", str(blocker / "x.json"))
    assert result.exit_code == ExitCode.USAGE
    assert "cannot write" in result.output


def test_code_word_is_never_echoed(tmp_path: Path, ra: dict[str, Any]) -> None:
    ra["code_word_agreed"] = "pineapple"
    result = run("validate", str(write(tmp_path, "ra.json", ra)), "--format", "json")
    assert result.exit_code == ExitCode.INVALID
    assert "pineapple" not in result.output
    assert "Never write the code word" in result.output


def test_internal_errors_do_not_show_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    def boom(*_: Any, **__: Any) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr("docgen.validation.Checker", boom)
    monkeypatch.delenv("DOCGEN_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "x.json"])
    assert exit_info.value.code == ExitCode.OUTPUT
    err = capsys.readouterr().err
    assert "internal error" in err and "Traceback" not in err and "secret detail" not in err
    [log] = (Path.cwd() / "logs").iterdir()  # the details went to the log, and it says where
    assert str(log) in err and "secret detail" in log.read_text()
    assert oct(log.stat().st_mode & 0o777) == "0o600"


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "docgen", "--version"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0
    assert "docgen" in done.stdout


@pytest.mark.parametrize("command", ["template", "validate", "schema", "checks"])
def test_every_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert len(result.output.splitlines()) > 4
