"""The register: built and upgraded by migrations, one run at a time, and the history it
answers (by pupil, visit reference, date, run)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from docgen.locking import Busy, RunLock
from docgen.register import Register, RegisterError
from docgen.register.migrations import MIGRATIONS, migrate, version
from tests.pipeline.test_run import produce, write


def test_a_new_register_is_at_the_latest_version_and_private(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    with Register.open(path) as register:
        assert version(register.db) == len(MIGRATIONS)
        mode = register.db.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_an_old_register_is_migrated_forward_keeping_its_rows(tmp_path: Path) -> None:
    """A file made by an earlier docgen (here: at version 1) is brought up to date, and a
    later migration runs once, in order, on top of what is there."""
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, MIGRATIONS[:1])
    db.execute("INSERT INTO runs (started_at, status, command, docgen_version, user) "
               "VALUES ('2026-01-01T00:00:00+00:00', 'done', 'render', '0.1.0', 'someone')")
    db.close()

    def m_next(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE runs ADD COLUMN note TEXT")
        db.execute("UPDATE runs SET note = 'migrated'")

    db = sqlite3.connect(path, isolation_level=None)
    assert migrate(db, (*MIGRATIONS, m_next)) == len(MIGRATIONS) + 1
    assert migrate(db, (*MIGRATIONS, m_next)) == len(MIGRATIONS) + 1  # nothing runs twice
    assert db.execute("SELECT command, note FROM runs").fetchall() == [("render", "migrated")]
    db.close()


def test_a_failing_migration_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, MIGRATIONS[:1])

    def broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("disk trouble")

    with pytest.raises(RuntimeError):
        migrate(db, (*MIGRATIONS[:1], broken))
    assert version(db) == 1
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "half_done" not in tables
    db.close()


def test_a_register_from_a_newer_docgen_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    db.close()
    with pytest.raises(RegisterError, match="newer docgen"):
        Register.open(path)


def test_a_file_that_is_not_a_register_says_so(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"these are my notes, not a database" * 50)
    with pytest.raises(RegisterError, match="not a docgen register"):
        Register.open(path)


def test_a_second_run_on_the_same_register_is_refused_while_the_first_holds_it(
        tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    with Register.open(path) as register, register.lock("render"):
        # another process tries the same lock
        code = (
            "import sys; from pathlib import Path; from docgen.register import Register\n"
            "from docgen.locking import Busy\n"
            f"r = Register.open(Path({str(path)!r}))\n"
            "try:\n    r.lock('letters').__enter__()\n"
            "except Busy as e:\n    print(e); sys.exit(7)\n"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=False)
    assert done.returncode == 7, done.stderr
    assert "another docgen run is using the register" in done.stdout
    assert "`render` started by" in done.stdout
    # released: the next run may go
    with Register.open(path) as register, register.lock("render"):
        pass


def test_the_lock_is_released_when_its_holder_is_killed(tmp_path: Path) -> None:
    lock_path = tmp_path / "x.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import time; from pathlib import Path; from docgen.locking import RunLock\n"
         f"l = RunLock(Path({str(lock_path)!r}), 'x', command='render').__enter__()\n"
         "print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    with pytest.raises(Busy), RunLock(lock_path, "x"):
        pass
    holder.kill()
    holder.wait()
    with RunLock(lock_path, "x"):  # no stale lock after a SIGKILL
        pass


def test_history_by_pupil_reference_and_date(tmp_path: Path, report: dict[str, Any],
                                             ra: dict[str, Any]) -> None:
    other = copy.deepcopy(report)
    other.update(pupil_name="Sam Jones", visit_reference="HV-2026-099",
                 visit_date="2026-11-18")
    out = tmp_path / "out"
    with Register.open(tmp_path / "register.sqlite") as register:
        produce([write(tmp_path, [report, ra, other])], out, register=register,
                formats=("pdf",))
        jane = list(register.documents(pupil="  jane   SMITH "))
        assert sorted(d.kind for d in jane) == ["risk-assessment", "visit-report"]
        assert all(d.pupil == "Jane Smith" and len(d.sha256) == 64 for d in jane)
        [sam] = register.documents(reference="hv-2026-099")
        assert sam.pupil == "Sam Jones" and sam.visit_date == "2026-11-18"
        assert [d.pupil for d in register.documents(on=dt.date(2026, 11, 18))] == ["Sam Jones"]
        [run] = register.runs()
        assert run.status == "done" and run.command == "render" and run.policy == "att"
        assert run.counts == {"written": 3}
        assert all(d.run_id == run.id for d in register.documents(run_id=run.id))


def test_the_register_never_holds_free_text(tmp_path: Path, report: dict[str, Any]) -> None:
    secret = "Pupil disclosed something in confidence"
    report = dict(report, discussed=secret, agreed=secret)
    path = tmp_path / "register.sqlite"
    with Register.open(path) as register:
        produce([write(tmp_path, [report])], tmp_path / "out", register=register)
    dump = "\n".join(sqlite3.connect(path).iterdump())
    assert "Jane Smith" in dump and secret not in dump


def test_history_command_lists_runs_and_documents(tmp_path: Path,
                                                  report: dict[str, Any]) -> None:
    from click.testing import CliRunner

    from docgen.cli import cli

    source = write(tmp_path, [report])
    runner = CliRunner()
    made = runner.invoke(cli, ["render", str(source), "--out", str(tmp_path / "out"),
                               "--today", "23/11/2026", "--jobs", "1"])
    assert made.exit_code == 0, made.output
    listed = runner.invoke(cli, ["history", "--pupil", "jane smith"])
    assert listed.exit_code == 0, listed.output
    assert "visit-report pdf Jane Smith (visit 20/11/2026) written" in listed.output
    as_json = json.loads(runner.invoke(cli, ["history", "--format", "json"]).stdout)
    assert as_json["runs"][0]["counts"] == {"written": 1}
    assert runner.invoke(cli, ["history", "--pupil", "Nobody"]).output.strip().endswith(
        "No documents match.")


def test_a_report_is_checked_against_the_assessment_printed_in_an_earlier_run(
        tmp_path: Path, report: dict[str, Any], ra: dict[str, Any]) -> None:
    """The risk assessment was printed last week; this week's report of the same visit is
    checked against it from the register (the staff who went were not on it)."""
    from docgen.config import SAMPLE_SCHOOL
    from docgen.policy.assessments import AssessmentSummary
    from docgen.validation import validate

    ra = dict(ra, visit_reference="HV-2026-050", visit_date="2026-11-20")
    visit = dict(report, visit_reference="hv-2026-050",
                 staff_attending=["Alex Adams", "Chris Stranger"])
    with Register.open(tmp_path / "register.sqlite") as register:
        produce([write(tmp_path, [ra], "ra.json")], tmp_path / "out", register=register,
                formats=("pdf",))
        found = register.find("ref:hv-2026-050")
        assert isinstance(found, AssessmentSummary)
        assert found.staff == ("Alex Adams", "Bo Brown") and found.authorised
        later = validate([write(tmp_path, [visit], "report.json")], "att",
                         today=dt.date(2026, 11, 23), known=register)
        [record] = later.records
        codes = {i.code for i in record.issues}
        assert "report.assessment-staff" in codes and "report.assessment-missing" not in codes
        alone = validate([tmp_path / "report.json"], "att", today=dt.date(2026, 11, 23))
    # without the register, this run holds no assessment: nothing to check against
    assert not {i.code for i in alone.records[0].issues} & {"report.assessment-staff"}
    assert SAMPLE_SCHOOL.is_sample


def test_the_register_keeps_absolute_paths_whatever_folder_a_run_starts_in(
        tmp_path: Path, report: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    source = write(tmp_path, [report])
    monkeypatch.chdir(tmp_path)
    with Register.open(tmp_path / "register.sqlite") as register:
        produce([source], Path("out"), register=register, formats=("pdf",))
        [entry] = register.documents()
        assert Path(entry.path).is_absolute() and Path(entry.path).exists()
        monkeypatch.chdir(tmp_path / "out")  # the same folder named from elsewhere
        again = produce([source], tmp_path / "out", register=register, formats=("pdf",))
    assert again.counts() == {"unchanged": 1}
