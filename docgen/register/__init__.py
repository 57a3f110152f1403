"""The register: one SQLite file per school recording every run and every file docgen wrote.

It is how a rerun knows a document is unchanged, how a file docgen did not write (or one edited
since) is told apart from its own, and how ``docgen history`` answers "what was produced for
this pupil". Letters and exports add their own tables (see ``migrations``).

The file is created readable by its owner only; WAL mode lets ``docgen history`` read while a
run writes; a run holds the register's lock (``locking.RunLock``) so two runs never interleave.
Only identifying fields are kept (pupil name, visit date and reference, file path and hash),
never free text from a form.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sqlite3
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen import __version__
from docgen.locking import RunLock, login_name
from docgen.policy.assessments import AssessmentSummary
from docgen.register.migrations import NewerRegister, migrate
from docgen.report import Location
from docgen.schemas.choices import RiskLevel

DEFAULT_NAME = "docgen-register.sqlite"
COMMIT_EVERY_SECONDS = 0.5


class RegisterError(Exception):
    """A register that cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class DocumentEntry:
    """A file docgen wrote, as the register remembers it."""

    id: int
    run_id: int
    path: str
    format: str
    kind: str
    visit_key: str | None
    pupil: str | None
    visit_date: str | None
    visit_reference: str | None
    sha256: str
    input_hash: str | None
    render_key: str | None
    outcome: str
    recorded_at: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class RunEntry:
    id: int
    started_at: str
    finished_at: str | None
    status: str
    command: str
    docgen_version: str
    policy: str | None
    user: str
    host: str | None
    out_dir: str | None
    counts: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class AccessEntry:
    """A view or download of a pupil's record on the web."""

    id: int
    at: str
    user: str
    role: str
    action: str
    record_id: str
    kind: str
    visit_key: str | None
    pupil: str | None
    visit_date: str | None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def fold_name(name: str) -> str:
    return " ".join(name.casefold().split())


class Register:
    """An open register. ``Register.open(path)`` creates or upgrades the file."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self.db = db
        self.path = path
        self._last_commit = time.monotonic()

    @classmethod
    def open(cls, path: str | Path) -> Register:
        path = Path(path)
        if path.exists() and not path.is_file():
            raise RegisterError(f"the register {path} is not a file; give another path in "
                                "school.toml ([register] path = ...).")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
            db = sqlite3.connect(path, isolation_level=None, timeout=10)
        except (OSError, sqlite3.Error) as exc:
            raise RegisterError(f"cannot open the register {path} ({_reason(exc)}).") from None
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            migrate(db)
        except NewerRegister as exc:
            db.close()
            raise RegisterError(
                f"the register {path} was written by a newer docgen ({exc}); update docgen."
            ) from None
        except sqlite3.DatabaseError as exc:
            db.close()
            raise RegisterError(
                f"{path} is not a docgen register or is damaged ({_reason(exc)}). Move it "
                "aside and run again to start a new one."
            ) from None
        return cls(db, path)

    def lock(self, command: str) -> RunLock:
        """The lock a run holds on this register."""
        return RunLock(self.path.with_name(self.path.name + ".lock"),
                       f"the register {self.path}", command=command)

    def close(self) -> None:
        self.commit()
        self.db.close()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writing

    def _begin(self) -> None:
        # SQLite's own state, not a flag of ours: an interrupt between a statement and our
        # bookkeeping must not leave the two disagreeing
        if not self.db.in_transaction:
            self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")
        self._last_commit = time.monotonic()

    def _commit_soon(self) -> None:
        """Group many small writes into one transaction, committed at least every half
        second: a file on disk that the register has not recorded yet is recognised by its
        content on the next run, so nothing is lost in between."""
        if time.monotonic() - self._last_commit >= COMMIT_EVERY_SECONDS:
            self.commit()

    def start_run(self, command: str, *, policy: str | None, out_dir: Path | None) -> int:
        self.mark_interrupted()
        self._begin()
        cursor = self.db.execute(
            "INSERT INTO runs (started_at, status, command, docgen_version, policy, user, host,"
            " out_dir) VALUES (?, 'running', ?, ?, ?, ?, ?, ?)",
            (_now(), command, __version__, policy, login_name(), socket.gethostname(),
             str(out_dir.resolve()) if out_dir else None),
        )
        self.commit()
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def finish_run(self, run_id: int, status: str, counts: Mapping[str, int]) -> None:
        self._begin()
        self.db.execute(
            "UPDATE runs SET finished_at = ?, status = ?, counts = ? WHERE id = ?",
            (_now(), status, json.dumps(dict(counts), sort_keys=True), run_id),
        )
        self.commit()

    def mark_interrupted(self) -> None:
        """Runs still marked running were stopped before they finished (the caller holds the
        register's lock, so none is running now)."""
        self._begin()
        self.db.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
        self.commit()

    def add_document(self, run_id: int, path: Path, fmt: str, *, kind: str, visit_key: str,
                     pupil: str, visit_date: dt.date | None, reference: str, sha256: str,
                     input_hash: str, render_key: str, outcome: str) -> None:
        self._begin()
        self.db.execute(
            "INSERT INTO documents (run_id, path, format, kind, visit_key, pupil, pupil_key,"
            " visit_date, visit_reference, sha256, input_hash, render_key, outcome,"
            " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (run_id, str(path), fmt, kind, visit_key or None, pupil or None,
             fold_name(pupil) if pupil else None,
             visit_date.isoformat() if visit_date else None, reference or None, sha256,
             input_hash or None, render_key or None, outcome, _now()),
        )
        self._commit_soon()

    def remember_assessment(self, run_id: int, summary: AssessmentSummary) -> None:
        """Keep what a later report of this visit is checked against (the latest printed
        version of the assessment wins)."""
        where = summary.location
        self._begin()
        self.db.execute(
            "INSERT OR REPLACE INTO assessments (visit_key, run_id, visit_date, staff,"
            " authorised_on, authorised, overall_risk, source_file, source_sheet, source_row,"
            " source_path, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (summary.visit_key, run_id, summary.visit_date.isoformat(),
             json.dumps(list(summary.staff), ensure_ascii=False),
             summary.authorised_on.isoformat() if summary.authorised_on else None,
             int(summary.authorised), summary.overall_risk.value, where.file, where.sheet,
             where.row, where.path, _now()),
        )
        self._commit_soon()


    def log_access(self, *, user: str, role: str, action: str, record_id: str, kind: str,
                   visit_key: str | None, pupil: str | None,
                   visit_date: dt.date | None) -> None:
        """Record a view or download of a pupil's record (committed at once: the log must not
        lose an entry)."""
        self._begin()
        self.db.execute(
            "INSERT INTO access_log (at, user, role, action, record_id, kind, visit_key, pupil,"
            " pupil_key, visit_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_now(), user, role, action, record_id, kind, visit_key or None, pupil or None,
             fold_name(pupil) if pupil else None,
             visit_date.isoformat() if visit_date else None),
        )
        self.commit()


    # ------------------------------------------------------------------ reading

    def find(self, visit_key: str) -> AssessmentSummary | None:
        """The risk assessment docgen last printed for this visit (an ``AssessmentLookup``:
        reports are checked against it)."""
        row = self.db.execute(
            "SELECT visit_key, visit_date, staff, authorised_on, authorised, overall_risk,"
            " source_file, source_sheet, source_row, source_path FROM assessments"
            " WHERE visit_key = ?", (visit_key,)).fetchone()
        if row is None:
            return None
        key, day, staff, authorised_on, authorised, risk, file, sheet, number, path = row
        return AssessmentSummary(
            visit_key=key, visit_date=dt.date.fromisoformat(day),
            staff=tuple(json.loads(staff)),
            authorised_on=dt.date.fromisoformat(authorised_on) if authorised_on else None,
            authorised=bool(authorised), overall_risk=RiskLevel.parse(risk),
            location=Location(file=file, sheet=sheet, row=number, path=path),
        )

    def access_log(self, *, pupil: str | None = None, record_id: str | None = None,
                   limit: int = 200) -> list[AccessEntry]:
        """Views and downloads of pupils' records, newest first."""
        where: list[str] = []
        args: list[Any] = []
        if pupil:
            where.append("pupil_key = ?")
            args.append(fold_name(pupil))
        if record_id:
            where.append("record_id = ?")
            args.append(record_id)
        sql = f"SELECT {_ACCESS_COLUMNS} FROM access_log"  # noqa: S608 (constant columns)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id DESC LIMIT ?"
        args.append(int(limit))
        return [AccessEntry(*row) for row in self.db.execute(sql, args)]

    def latest(self, path: Path) -> DocumentEntry | None:
        """What docgen last wrote at ``path``, if anything."""
        row = self.db.execute(
            f"SELECT {_DOC_COLUMNS} FROM documents WHERE path = ? ORDER BY id DESC"  # noqa: S608
            " LIMIT 1",
            (str(path),),
        ).fetchone()
        return DocumentEntry(*row) if row else None

    def runs(self, *, limit: int = 20) -> list[RunEntry]:
        rows = self.db.execute(
            f"SELECT {_RUN_COLUMNS} FROM runs ORDER BY id DESC LIMIT ?", (limit,)  # noqa: S608
        ).fetchall()
        return [_run(row) for row in rows]

    def run(self, run_id: int) -> RunEntry | None:
        row = self.db.execute(f"SELECT {_RUN_COLUMNS} FROM runs WHERE id = ?",  # noqa: S608
                              (run_id,)).fetchone()
        return _run(row) if row else None

    def documents(self, *, pupil: str | None = None, reference: str | None = None,
                  on: dt.date | None = None, run_id: int | None = None,
                  limit: int | None = None) -> Iterator[DocumentEntry]:
        """Documents written, oldest first, filtered by pupil (any case or spacing), visit
        reference, visit date or run."""
        where: list[str] = []
        args: list[Any] = []
        if pupil:
            where.append("pupil_key = ?")
            args.append(fold_name(pupil))
        if reference:
            where.append("lower(visit_reference) = lower(?)")
            args.append(reference.strip())
        if on:
            where.append("visit_date = ?")
            args.append(on.isoformat())
        if run_id is not None:
            where.append("run_id = ?")
            args.append(run_id)
        sql = f"SELECT {_DOC_COLUMNS} FROM documents"  # noqa: S608 (constant column list)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        for row in self.db.execute(sql, args):
            yield DocumentEntry(*row)


_ACCESS_COLUMNS = "id, at, user, role, action, record_id, kind, visit_key, pupil, visit_date"
_DOC_COLUMNS = ("id, run_id, path, format, kind, visit_key, pupil, visit_date, visit_reference,"
                " sha256, input_hash, render_key, outcome, recorded_at")
_RUN_COLUMNS = ("id, started_at, finished_at, status, command, docgen_version, policy, user,"
                " host, out_dir, counts")


def _run(row: tuple[Any, ...]) -> RunEntry:
    values = list(row)
    values[-1] = json.loads(values[-1]) if values[-1] else {}
    return RunEntry(*values)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return str(exc) or type(exc).__name__
