"""The school's web data kept safe: the access log's migration, backup and restore (library
and command line), accounts from the command line, the form pages made from the schemas."""

from __future__ import annotations

import re
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.policy import load_policy
from docgen.register import Register
from docgen.register.migrations import MIGRATIONS, migrate
from docgen.schemas import RiskAssessment, VisitReport
from docgen.schemas.fields import tree
from docgen.web import forms
from docgen.web.backup import BackupProblem, backup, restore
from docgen.web.store import RecordStore
from tests.web.conftest import ra_answers


def invoke(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), input=input, color=False)


def test_a_version_1_register_gains_the_access_log(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, MIGRATIONS[:1])
    db.execute("INSERT INTO runs (started_at, status, command, docgen_version, user) "
               "VALUES ('2026-01-01T00:00:00+00:00', 'done', 'render', '0.1.0', 'someone')")
    db.close()
    with Register.open(path) as register:
        register.log_access(user="priya.shah", role="dsl", action="view", record_id="abc",
                            kind="risk-assessment", visit_key="ref:x", pupil="Jane  SMITH",
                            visit_date=None)
        assert [r.command for r in register.runs()] == ["render"]
        entries = register.access_log(pupil="jane smith")
    assert [(e.user, e.action, e.pupil) for e in entries] == [("priya.shah", "view",
                                                              "Jane  SMITH")]


def _school(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "school"
    folder.mkdir()
    (folder / "school.toml").write_text('[school]\nname = "Test Academy"\n', "utf-8")
    return folder / "docgen-register.sqlite", folder / "docgen-records.sqlite"


def test_backup_and_restore_round_trip(tmp_path: Path) -> None:
    register_path, records_path = _school(tmp_path)
    store = RecordStore.open(records_path)
    user = store.add_user("sam", "Sam Staff", "staff")
    store.add_record("risk-assessment", user.id, ra_answers(pupil_name="Before Backup"))
    with Register.open(register_path) as register:
        register.log_access(user="sam", role="staff", action="view", record_id="r1",
                            kind="risk-assessment", visit_key=None, pupil="Before Backup",
                            visit_date=None)
    made = backup(register_path, records_path, tmp_path / "backup")
    assert sorted(p.name for p in made) == ["docgen-records.sqlite", "docgen-register.sqlite"]
    assert stat.S_IMODE((tmp_path / "backup").stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in made)
    with pytest.raises(BackupProblem, match="not empty"):
        backup(register_path, records_path, tmp_path / "backup")
    # after the backup: a new form, and the first one lost
    later = store.add_record("visit-report", user.id, {"pupil_name": "After Backup"})
    with store.transaction() as db:
        db.execute("DELETE FROM records WHERE id != ?", (later.id,))
    kept = restore(register_path, records_path, tmp_path / "backup")
    assert len(kept) == 2 and all(".before-restore-" in p.name for p in kept)
    names = [r.data.get("pupil_name") for r in store.records()]  # the open store sees it
    assert names == ["Before Backup"]
    with Register.open(register_path) as register:
        assert [e.pupil for e in register.access_log()] == ["Before Backup"]
    aside = RecordStore.open(next(p for p in kept if "records" in p.name))
    assert [r.data.get("pupil_name") for r in aside.records()] == ["After Backup"]


def test_restore_refuses_what_is_not_a_docgen_backup(tmp_path: Path) -> None:
    register_path, records_path = _school(tmp_path)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "docgen-records.sqlite").write_text("not a database")
    with pytest.raises(BackupProblem, match="not a docgen database"):
        restore(register_path, records_path, bad)
    assert not records_path.exists()  # nothing was touched
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(BackupProblem, match="holds no docgen backup"):
        restore(register_path, records_path, empty)


def test_users_backup_and_restore_commands(tmp_path: Path) -> None:
    register_path, records_path = _school(tmp_path)
    school = str(register_path.parent / "school.toml")
    result = invoke("users", "add", "Priya Shah", "--role", "dsl", "--school", school)
    assert result.exit_code == 0, result.output
    assert "username priya.shah" in result.output
    link = re.search(r"http://127\.0\.0\.1:8000/setup/(\S+)", result.output)
    assert link is not None
    store = RecordStore.open(records_path)
    assert store.setup_user(link.group(1)) is not None
    listed = invoke("users", "list", "--school", school)
    assert "priya.shah" in listed.output and "not set up" in listed.output
    assert invoke("users", "add", "X", "--role", "janitor", "--school", school).exit_code == 2
    result = invoke("backup", str(tmp_path / "saved"), "--school", school)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "saved" / "docgen-records.sqlite").is_file()
    store.add_user("late", "Late Comer", "staff")
    result = invoke("restore", str(tmp_path / "saved"), "--school", school, input="y\n")
    assert result.exit_code == 0, result.output
    assert [u.username for u in store.users()] == ["priya.shah"]
    refused = invoke("restore", str(tmp_path / "saved"), "--school", school, input="n\n")
    assert refused.exit_code == 2


def test_serve_refuses_the_network_without_https(tmp_path: Path) -> None:
    result = invoke("serve", "--host", "0.0.0.0")
    assert result.exit_code == 2
    assert "unencrypted" in result.output and "--behind-proxy" in result.output


@pytest.mark.parametrize("preset", ["att", "westside"])
@pytest.mark.parametrize("model", [RiskAssessment, VisitReport])
def test_the_page_asks_every_field_the_policy_asks(model: Any, preset: str) -> None:
    """Nothing is listed twice: the page is the field tree, less what the login records and
    what the school's policy does not ask."""
    policy = load_policy(preset)
    sections = forms.page(model, {}, policy=policy)
    shown = {w.name.split(".")[0] for s in sections for w in s.widgets}
    declared = {n.name for n in tree(model) if n.in_workbook
                and (not n.asked_by or any(policy.asks(a) for a in n.asked_by))}
    assert shown == declared - forms.RECORDED_FROM_LOGIN.get(model.form_name, frozenset())
    titles = [s.title for s in sections]
    assert titles == list(dict.fromkeys(n.section for n in tree(model)
                                        if n.name in shown and n.section))


def test_answers_become_the_json_record_validation_takes() -> None:
    values = forms.answers(RiskAssessment, {
        **ra_answers(), "staff.2.name": " ", "csrf": "x", "unknown": "y",
        "hazards.animals.likelihood": "likely", "vulnerability.cme": "yes"})
    data = forms.nested(RiskAssessment, values)
    assert "unknown" not in data and "csrf" not in data
    assert len(data["staff"]) == 2  # the blank third line is no staff member
    assert data["hazards"] == {"animals": {"likelihood": "likely"}}
    assert data["vulnerability"] == {"cme": "yes"}
    assert forms.flat(RiskAssessment, data)["staff.1.name"] == "Bo Brown"
