"""The register's export tables: added to a register made before them, keeping its rows."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from docgen.register import Register
from docgen.register.exports import ExportLog, RecordSent
from docgen.register.migrations import MIGRATIONS, m003_exports, migrate, version


def test_a_register_from_before_the_export_gains_its_tables(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, MIGRATIONS[:MIGRATIONS.index(m003_exports)])  # as the docgen before it left it
    db.execute("INSERT INTO runs (started_at, status, command, docgen_version, user) "
               "VALUES ('2026-01-01T00:00:00+00:00', 'done', 'render', '0.2.0', 'someone')")
    db.close()
    with Register.open(path) as register:
        assert version(register.db) == len(MIGRATIONS)
        assert [r.command for r in register.runs()] == ["render"]
        log = ExportLog(register)
        assert log.exports() == [] and log.last("VR-0000000000000000") is None
        export_id = log.record_export(
            run_id=1, out_dir=tmp_path, files=[(tmp_path / "x.csv", "csv", "a" * 64)],
            records=[RecordSent("VR-0000000000000000", "visit-report", "new", "ref:hv-1",
                                "Jane Smith", dt.date(2026, 11, 20), "HV-1", "c" * 64,
                                {"pupil_name": "d" * 64})])
    with Register.open(path) as register:
        log = ExportLog(register)
        last = log.last("VR-0000000000000000")
        assert last is not None and last.export_id == export_id
        assert last.field_hashes == {"pupil_name": "d" * 64}
        assert last.files == (str((tmp_path / "x.csv").resolve()),)
        [entry] = log.exports()
        assert entry.counts == {"new": 1} and entry.records[0].pupil == "Jane Smith"
        assert [f.path for f in log.not_uploaded()] == [str((tmp_path / "x.csv").resolve())]
        tables = {r[0] for r in register.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"exports", "export_files", "exported_records"} <= tables
