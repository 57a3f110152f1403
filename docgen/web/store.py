"""The school's records database: accounts, sessions, and the forms themselves (drafts and
submissions) with their check-in calls. The one module that knows where and how they are kept.

SQLite by default, one file beside the register, created readable and writable by its owner
only (the account that runs docgen; SQLite gives its WAL and shared-memory files the same
mode). Every statement is plain SQL with ``?`` parameters and ISO 8601 text for moments, so a
trust serving many academies can later put a PostgreSQL ``RecordStore`` behind the same methods
(not now). The register keeps its rule of holding no free text: free text lives here.

Each thread has its own connection (the web server answers requests on a pool of threads);
writes are short transactions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.register.migrations import Migration, NewerRegister, migrate, run_statements

RECORDS_NAME = "docgen-records.sqlite"


class StoreError(Exception):
    """A records database that cannot be used; the message says why and what to do."""


def s001_accounts_and_forms(db: sqlite3.Connection) -> None:
    run_statements(
        db,
        """
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            role TEXT NOT NULL,                -- staff, office, dsl, headteacher, admin
            password TEXT,                     -- Argon2 hash, NULL until set up
            totp_secret TEXT,                  -- base32, NULL until set up
            totp_last INTEGER NOT NULL DEFAULT 0,   -- last time step used (no replay)
            active INTEGER NOT NULL DEFAULT 1,
            failures INTEGER NOT NULL DEFAULT 0,    -- failed sign-ins in a row
            locked_until TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE setup_links (
            token_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            expires_at TEXT NOT NULL,
            used_at TEXT
        );
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            created_at TEXT NOT NULL,
            seen_at TEXT NOT NULL,
            verified INTEGER NOT NULL DEFAULT 0     -- second factor given (or not needed)
        );
        CREATE TABLE sign_ins (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            client TEXT NOT NULL,
            username TEXT NOT NULL,
            ok INTEGER NOT NULL
        );
        CREATE INDEX sign_ins_by_client ON sign_ins(client, at);
        CREATE TABLE records (
            id TEXT PRIMARY KEY,               -- random: URLs name no pupil
            kind TEXT NOT NULL,                -- risk-assessment, visit-report
            owner INTEGER NOT NULL REFERENCES users(id),
            visit TEXT,                        -- a report: the risk assessment it follows
            status TEXT NOT NULL,              -- draft, submitted, returned, authorised
            data TEXT NOT NULL,                -- the answers as typed (JSON)
            visit_date TEXT,                   -- ISO 8601, once it parses
            welfare INTEGER NOT NULL DEFAULT 0,     -- a report with a welfare concern
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            submitted_at TEXT,
            decided_by INTEGER REFERENCES users(id),
            decided_at TEXT,
            comment TEXT                       -- why it was returned
        );
        CREATE INDEX records_by_owner ON records(owner);
        CREATE INDEX records_by_day ON records(visit_date);
        CREATE TABLE calls (
            id INTEGER PRIMARY KEY,
            record TEXT NOT NULL REFERENCES records(id),
            due TEXT NOT NULL,                 -- local time, ISO 8601
            made_at TEXT NOT NULL,
            made_by INTEGER NOT NULL REFERENCES users(id),
            UNIQUE (record, due)
        );
        """,
    )


MIGRATIONS: tuple[Migration, ...] = (s001_accounts_and_forms,)


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def token_hash(token: str) -> str:
    """Secrets (session and set-up tokens) are kept only as their hash."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class User:
    id: int
    username: str
    name: str
    role: str
    password: str | None
    totp_secret: str | None
    totp_last: int
    active: bool
    failures: int
    locked_until: str | None

    @property
    def set_up(self) -> bool:
        return self.password is not None


_USER = ("id, username, name, role, password, totp_secret, totp_last, active, failures,"
         " locked_until")


@dataclass(frozen=True)
class Record:
    """A form as stored: the answers as typed, and where it is in its life."""

    id: str
    kind: str
    owner: int
    visit: str | None
    status: str
    data: dict[str, str]
    visit_date: str | None
    welfare: bool
    created_at: str
    updated_at: str
    submitted_at: str | None
    decided_by: int | None
    decided_at: str | None
    comment: str | None


_RECORD = ("id, kind, owner, visit, status, data, visit_date, welfare, created_at, updated_at,"
           " submitted_at, decided_by, decided_at, comment")


def _record(row: Sequence[Any]) -> Record:
    values = list(row)
    values[5] = json.loads(values[5])
    values[7] = bool(values[7])
    return Record(*values)


def _user(row: Sequence[Any]) -> User:
    values = list(row)
    values[7] = bool(values[7])
    return User(*values)


class RecordStore:
    """The records database. ``RecordStore.open(path)`` creates or upgrades the file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    @classmethod
    def open(cls, path: str | Path) -> RecordStore:
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
            os.chmod(path, 0o600)
        except OSError as exc:
            raise StoreError(f"cannot open the records database {path} "
                             f"({exc.strerror or type(exc).__name__}).") from None
        store = cls(path)
        try:
            store._migrate(store.db)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path} is not a docgen records database or is damaged ({exc}). "
                             "Restore it from a backup (`docgen restore`).") from None
        return store

    @property
    def db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, isolation_level=None, timeout=10,
                                 check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            self._local.db = db
        return db

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    @staticmethod
    def _migrate(db: sqlite3.Connection) -> None:
        try:
            migrate(db, MIGRATIONS)  # the register's runner: same versioning, same rules
        except NewerRegister as exc:
            raise StoreError(f"the records database was written by a newer docgen (schema "
                             f"{exc.found}); update docgen.") from None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # ------------------------------------------------------------------ settings

    def secret(self, name: str) -> bytes:
        """A random secret kept in the database (made on first use), e.g. for CSRF tokens."""
        with self.transaction() as db:
            row = db.execute("SELECT value FROM settings WHERE key = ?", (name,)).fetchone()
            if row is None:
                value = secrets.token_hex(32)
                db.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (name, value))
                return bytes.fromhex(value)
        return bytes.fromhex(row[0])

    # ------------------------------------------------------------------ users

    def add_user(self, username: str, name: str, role: str) -> User:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO users (username, name, role, created_at) VALUES (?, ?, ?, ?)",
                (username, name, role, now_utc()),
            )
        user = self.user(int(cursor.lastrowid or 0))
        assert user is not None
        return user

    def user(self, user_id: int) -> User | None:
        row = self.db.execute(f"SELECT {_USER} FROM users WHERE id = ?",  # noqa: S608
                              (user_id,)).fetchone()
        return _user(row) if row else None

    def user_named(self, username: str) -> User | None:
        row = self.db.execute(f"SELECT {_USER} FROM users WHERE username = ?",  # noqa: S608
                              (username.strip().casefold(),)).fetchone()
        return _user(row) if row else None

    def users(self) -> list[User]:
        rows = self.db.execute(f"SELECT {_USER} FROM users ORDER BY name").fetchall()  # noqa: S608
        return [_user(row) for row in rows]

    def update_user(self, user_id: int, **values: Any) -> None:
        allowed = {"password", "totp_secret", "totp_last", "active", "failures", "locked_until",
                   "role", "name"}
        assert set(values) <= allowed
        sets = ", ".join(f"{k} = ?" for k in values)
        with self.transaction() as db:
            db.execute(f"UPDATE users SET {sets} WHERE id = ?",  # noqa: S608 (names checked)
                       (*values.values(), user_id))

    def claim_totp_step(self, user_id: int, step: int) -> bool:
        """Record that a time step's code was used; False if it (or a later one) was already:
        a code cannot be replayed."""
        with self.transaction() as db:
            cursor = db.execute("UPDATE users SET totp_last = ? WHERE id = ? AND totp_last < ?",
                                (step, user_id, step))
        return cursor.rowcount == 1

    # ------------------------------------------------------------------ set-up links

    def add_setup_link(self, user_id: int, lifetime: dt.timedelta) -> str:
        token = secrets.token_urlsafe(32)
        expires = (dt.datetime.now(dt.UTC) + lifetime).isoformat(timespec="seconds")
        with self.transaction() as db:
            db.execute("UPDATE setup_links SET used_at = ? WHERE user_id = ? AND used_at IS NULL",
                       (now_utc(), user_id))
            db.execute("INSERT INTO setup_links (token_hash, user_id, expires_at) VALUES (?,?,?)",
                       (token_hash(token), user_id, expires))
        return token

    def setup_user(self, token: str) -> User | None:
        """The account a set-up link is for, while it is unused and unexpired."""
        row = self.db.execute(
            "SELECT user_id FROM setup_links WHERE token_hash = ? AND used_at IS NULL"
            " AND expires_at > ?", (token_hash(token), now_utc())).fetchone()
        return self.user(row[0]) if row else None

    def use_setup_link(self, token: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE setup_links SET used_at = ? WHERE token_hash = ?",
                       (now_utc(), token_hash(token)))

    # ------------------------------------------------------------------ sessions

    def add_session(self, user_id: int, *, verified: bool) -> str:
        token = secrets.token_urlsafe(32)
        now = now_utc()
        with self.transaction() as db:
            db.execute("INSERT INTO sessions (token_hash, user_id, created_at, seen_at, verified)"
                       " VALUES (?, ?, ?, ?, ?)", (token_hash(token), user_id, now, now,
                                                   int(verified)))
        return token

    def session(self, token: str) -> tuple[int, str, str, bool] | None:
        """(user id, created, last seen, verified) of a session token."""
        row = self.db.execute("SELECT user_id, created_at, seen_at, verified FROM sessions"
                              " WHERE token_hash = ?", (token_hash(token),)).fetchone()
        return (row[0], row[1], row[2], bool(row[3])) if row else None

    def touch_session(self, token: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE sessions SET seen_at = ? WHERE token_hash = ?",
                       (now_utc(), token_hash(token)))

    def end_session(self, token: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash(token),))

    def end_sessions_of(self, user_id: int) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))

    # ------------------------------------------------------------------ sign-in attempts

    def add_sign_in(self, client: str, username: str, ok: bool) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO sign_ins (at, client, username, ok) VALUES (?, ?, ?, ?)",
                       (now_utc(), client, username[:200], int(ok)))

    def failed_sign_ins(self, client: str, since: dt.datetime) -> int:
        row = self.db.execute("SELECT count(*) FROM sign_ins WHERE client = ? AND ok = 0"
                              " AND at > ?", (client, since.isoformat(timespec="seconds")))
        return int(row.fetchone()[0])

    # ------------------------------------------------------------------ forms

    def add_record(self, kind: str, owner: int, data: dict[str, str], *,
                   visit: str | None = None) -> Record:
        record_id = secrets.token_urlsafe(12)
        now = now_utc()
        with self.transaction() as db:
            db.execute(
                "INSERT INTO records (id, kind, owner, visit, status, data, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, 'draft', ?, ?, ?)",
                (record_id, kind, owner, visit, json.dumps(data), now, now),
            )
        found = self.record(record_id)
        assert found is not None
        return found

    def record(self, record_id: str) -> Record | None:
        row = self.db.execute(f"SELECT {_RECORD} FROM records WHERE id = ?",  # noqa: S608
                              (record_id,)).fetchone()
        return _record(row) if row else None

    def records(self, *, owner: int | None = None, kind: str | None = None,
                statuses: Sequence[str] = (), visit_date: str | None = None,
                visit: str | None = None) -> list[Record]:
        where: list[str] = []
        args: list[Any] = []
        for column, value in (("owner", owner), ("kind", kind), ("visit_date", visit_date),
                              ("visit", visit)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        if statuses:
            where.append(f"status IN ({', '.join('?' for _ in statuses)})")
            args.extend(statuses)
        sql = f"SELECT {_RECORD} FROM records"  # noqa: S608 (constant column list)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY welfare DESC, coalesce(submitted_at, updated_at) DESC"
        return [_record(row) for row in self.db.execute(sql, args)]

    def save_record(self, record_id: str, data: dict[str, str], *, visit_date: str | None,
                    welfare: bool, status: str | None = None) -> None:
        now = now_utc()
        with self.transaction() as db:
            db.execute("UPDATE records SET data = ?, visit_date = ?, welfare = ?, updated_at = ?"
                       " WHERE id = ?",
                       (json.dumps(data), visit_date, int(welfare), now, record_id))
            if status is not None:
                db.execute("UPDATE records SET status = ?, submitted_at = ? WHERE id = ?",
                           (status, now, record_id))

    def decide(self, record_id: str, status: str, by: int, comment: str | None) -> None:
        with self.transaction() as db:
            db.execute("UPDATE records SET status = ?, decided_by = ?, decided_at = ?,"
                       " comment = ? WHERE id = ?",
                       (status, by, now_utc(), comment, record_id))

    # ------------------------------------------------------------------ check-in calls

    def add_call(self, record_id: str, due: dt.datetime, made_at: dt.datetime,
                 made_by: int) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR IGNORE INTO calls (record, due, made_at, made_by)"
                       " VALUES (?, ?, ?, ?)",
                       (record_id, due.isoformat(timespec="minutes"),
                        made_at.isoformat(timespec="minutes"), made_by))

    def calls(self, record_id: str) -> dict[str, tuple[str, int]]:
        """The calls made on a visit: due time -> (made at, by whom)."""
        rows = self.db.execute("SELECT due, made_at, made_by FROM calls WHERE record = ?",
                               (record_id,))
        return {row[0]: (row[1], row[2]) for row in rows}
