"""The letters' commands: `docgen letters`, `docgen do-not-send`, `docgen template attendance`,
and `docgen history --pupil` showing letters; the register migration they rely on."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from docgen.cli import cli
from docgen.register import Register
from docgen.register.migrations import MIGRATIONS, migrate, version
from tests.letters.test_letters_run import NOWAK, WITHHELD, export, school


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_letters_then_history_then_do_not_send(tmp_path: Path) -> None:
    config = school(tmp_path)
    source = export(tmp_path, NOWAK, WITHHELD)
    out = str(tmp_path / "out")
    code, output = run("letters", str(source), "--school", str(config), "--out", out,
                       "--date", "23/11/2026", "--to", "docx", "--jobs", "1")
    assert code == 0, output
    assert "Letters: 2 attendance-concern-1." in output
    assert "no letter for" in output and "withheld (marked do not send)" in output
    assert "Why" not in output
    code, output = run("history", "--school", str(config), "--pupil", "oliver nowak")
    assert code == 0, output
    assert "23/11/2026 letter attendance-concern stage 1 to Ms Anna Nowak; Mr Piotr Nowak" \
        in output
    as_json = json.loads(run("history", "--school", str(config), "--pupil", "Oliver Nowak",
                             "--format", "json")[1])
    assert [x["addressee"] for x in as_json["letters"]] == ["Ms Anna Nowak", "Mr Piotr Nowak"]
    code, output = run("do-not-send", "Oliver Nowak", "--contact", "Piotr Nowak",
                       "--school", str(config))
    assert code == 0 and "marked: no letter will go to Oliver Nowak's contact Piotr Nowak" \
        in output
    code, output = run("do-not-send", "all", "--list", "--school", str(config))
    assert "Oliver Nowak: Piotr Nowak, marked" in output
    code, output = run("do-not-send", "Oliver Nowak", "--contact", "Piotr Nowak", "--clear",
                       "--school", str(config))
    assert "cleared" in output
    assert "No pupil" in run("do-not-send", "all", "--list", "--school", str(config))[1]


def test_a_template_problem_exits_2_and_makes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "ours" / "letters" / "wording"
    folder.mkdir(parents=True)
    (folder / "attendance-concern-1.html").write_text("<p>{{ pupil_nmae }}</p>", "utf-8")
    code, output = run("letters", str(export(tmp_path, NOWAK)), "--school",
                       str(school(tmp_path)), "--out", str(tmp_path / "out"),
                       "--templates", str(tmp_path / "ours"))
    assert code == 2
    assert "no letter was made" in output and "{{ pupil_nmae }}" in output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["wording/attendance-concern-1.html", "letter.html",
                                  "letter.css", "letter.docx"])
def test_a_template_that_links_outside_its_folder_is_refused(tmp_path: Path, name: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("DSL notes: not for a template", "utf-8")
    link = tmp_path / "ours" / "letters" / name
    link.parent.mkdir(parents=True)
    link.symlink_to(secret)
    code, output = run("letters", str(export(tmp_path, NOWAK)), "--school",
                       str(school(tmp_path)), "--out", str(tmp_path / "out"),
                       "--templates", str(tmp_path / "ours"))
    assert code == 2, output
    assert "leads outside the template folder" in output
    assert "DSL notes" not in output
    assert not (tmp_path / "out").exists()


def test_json_output_lists_letters_and_the_reasons(tmp_path: Path) -> None:
    code, output = run("letters", str(export(tmp_path, NOWAK)), "--school",
                       str(school(tmp_path)), "--out", str(tmp_path / "out"), "--to", "docx",
                       "--format", "json", "--no-register", "--date", "23/11/2026",
                       "--jobs", "1")
    assert code == 0
    data = json.loads(output)
    assert data["letters"] == {"attendance-concern-1": 2}
    [record] = [r for r in data["run"]["records"] if r["record"] == 1]
    assert record["details"]["letters"] == "attendance-concern-1"


def test_template_attendance_writes_the_input_workbook(tmp_path: Path) -> None:
    target = tmp_path / "attendance.xlsx"
    code, output = run("template", "attendance", "-o", str(target))
    assert code == 0, output
    wb = load_workbook(target)
    assert wb.sheetnames == ["Instructions", "Attendance"]
    headers = [c.value for c in wb["Attendance"][1]]
    assert headers[:3] == ["Pupil name *", "UPN", "Date of birth"]
    assert "Contact 4 do not send" in headers
    assert "Y1 transport not available" in " ".join(
        str(c.value) for row in wb["Instructions"].iter_rows() for c in row)


def test_unknown_letter_names_are_refused(tmp_path: Path) -> None:
    code, output = run("letters", str(export(tmp_path, NOWAK)), "--letter", "final-demand")
    assert code == 2 and "Invalid value for '--letter'" in output


def test_a_version_1_register_gains_the_letter_tables(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, MIGRATIONS[:1])
    db.execute("INSERT INTO runs (started_at, status, command, docgen_version, user) "
               "VALUES ('2026-01-01T00:00:00+00:00', 'done', 'render', '0.1.0', 'someone')")
    db.close()
    with Register.open(path) as register:
        assert version(register.db) == len(MIGRATIONS) >= 2
        tables = {r[0] for r in register.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"letters", "agreements", "do_not_send", "runs", "documents"} <= tables
        assert register.runs()[0].command == "render"
