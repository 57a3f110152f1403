"""The register's schema, as forward migrations.

Each migration is a small function that takes the schema from version N-1 to N; the file's
version is SQLite's ``user_version``. Opening a register applies the missing ones in order, each
in its own transaction, so an old file is brought up to date and a new one built from nothing
the same way. Never edit a migration that has shipped: add the next one.

What the register holds is what a school must be able to show about what docgen produced:
runs, and every file written with its hash. Free text from the forms never goes in.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

Migration = Callable[[sqlite3.Connection], None]


def run_statements(db: sqlite3.Connection, script: str) -> None:
    """Run a migration's statements one by one (``executescript`` would commit half-way)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def m001_runs_and_documents(db: sqlite3.Connection) -> None:
    run_statements(
        db,
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,          -- ISO 8601, UTC
            finished_at TEXT,
            status TEXT NOT NULL,              -- running, done, interrupted, failed
            command TEXT NOT NULL,             -- render, checkins, letters, export ...
            docgen_version TEXT NOT NULL,
            policy TEXT,
            user TEXT NOT NULL,                -- the login name of who ran it
            host TEXT,
            out_dir TEXT,
            counts TEXT                        -- JSON: outcome -> number
        );
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            path TEXT NOT NULL,                -- absolute
            format TEXT NOT NULL,
            kind TEXT NOT NULL,                -- risk-assessment, visit-report, checkins ...
            visit_key TEXT,
            pupil TEXT,
            pupil_key TEXT,                    -- the name folded, for searching
            visit_date TEXT,                   -- ISO 8601
            visit_reference TEXT,
            sha256 TEXT NOT NULL,
            input_hash TEXT,                   -- of the input record it came from
            render_key TEXT,                   -- of everything that shaped the file
            outcome TEXT NOT NULL,             -- written, replaced, adopted
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX documents_by_path ON documents(path, id);
        CREATE INDEX documents_by_pupil ON documents(pupil_key);
        CREATE INDEX documents_by_visit ON documents(visit_key);
        CREATE INDEX documents_by_reference ON documents(visit_reference);
        CREATE INDEX documents_by_run ON documents(run_id);
        """
    )


def m002_assessments(db: sqlite3.Connection) -> None:
    """The facts of each risk assessment docgen printed that a later visit report is checked
    against (staff names, dates, authorisation, risk level; no free text)."""
    run_statements(
        db,
        """
        CREATE TABLE assessments (
            visit_key TEXT PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            visit_date TEXT NOT NULL,
            staff TEXT NOT NULL,               -- JSON list of names
            authorised_on TEXT,
            authorised INTEGER NOT NULL,
            overall_risk TEXT NOT NULL,
            source_file TEXT NOT NULL,         -- where it was read from, to name it
            source_sheet TEXT,
            source_row INTEGER,
            source_path TEXT,
            recorded_at TEXT NOT NULL
        )
        """,
    )


def m003_exports(db: sqlite3.Connection) -> None:
    """What ``docgen export`` sent: each export (when, by whom), the files it wrote and, for
    every record in them, its id, a hash of its content and a hash of each field (so that a
    later export can say which fields of an amended record changed without keeping their
    text)."""
    run_statements(
        db,
        """
        CREATE TABLE exports (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES runs(id),
            exported_at TEXT NOT NULL,         -- ISO 8601, UTC
            user TEXT NOT NULL,                -- the login name of who exported
            out_dir TEXT,
            counts TEXT                        -- JSON: new, amendment, repeat -> number
        );
        CREATE TABLE export_files (
            id INTEGER PRIMARY KEY,
            export_id INTEGER NOT NULL REFERENCES exports(id),
            path TEXT NOT NULL,                -- absolute
            kind TEXT NOT NULL,                -- csv, json, bundle
            sha256 TEXT NOT NULL,
            uploaded_at TEXT,                  -- set by `docgen export --mark-uploaded`
            uploaded_by TEXT
        );
        CREATE TABLE exported_records (
            id INTEGER PRIMARY KEY,
            export_id INTEGER NOT NULL REFERENCES exports(id),
            record_id TEXT NOT NULL,           -- VR-... / RA-..., stable for a visit
            record_type TEXT NOT NULL,
            status TEXT NOT NULL,              -- new, amendment, repeat
            visit_key TEXT,
            pupil TEXT,
            pupil_key TEXT,
            visit_date TEXT,
            visit_reference TEXT,
            content_hash TEXT NOT NULL,
            field_hashes TEXT NOT NULL,        -- JSON: field -> digest, never the values
            changed TEXT                       -- JSON: the fields changed since the last export
        );
        CREATE INDEX exported_records_by_record ON exported_records(record_id, id);
        CREATE INDEX exported_records_by_export ON exported_records(export_id);
        CREATE INDEX export_files_by_path ON export_files(path);
        CREATE INDEX export_files_by_sha ON export_files(sha256);
        """
    )


def m004_access_log(db: sqlite3.Connection) -> None:
    """Every view and download of a pupil's record on the web: who, when, what. The record is
    named by its id in the records database and by the identifying fields the documents table
    keeps already (pupil, visit date, visit key); never by free text."""
    run_statements(
        db,
        """
        CREATE TABLE access_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,                  -- ISO 8601, UTC
            user TEXT NOT NULL,                -- the account's username
            role TEXT NOT NULL,
            action TEXT NOT NULL,              -- view, download-pdf, download-docx, authorise ...
            record_id TEXT NOT NULL,           -- the form's id in the records database
            kind TEXT NOT NULL,                -- risk-assessment, visit-report
            visit_key TEXT,
            pupil TEXT,
            pupil_key TEXT,
            visit_date TEXT
        );
        CREATE INDEX access_by_pupil ON access_log(pupil_key);
        CREATE INDEX access_by_record ON access_log(record_id);
        """
    )


def m005_letters(db: sqlite3.Connection) -> None:
    """Letters sent (so attendance stages advance from run to run, and the local authority's
    notification lists them), agreements made on visits (dates only), and the pupils and
    contacts a DSL has marked "do not send" (never why)."""
    run_statements(
        db,
        """
        CREATE TABLE letters (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            pupil TEXT NOT NULL,
            pupil_key TEXT NOT NULL,           -- the name folded, for searching
            letter TEXT NOT NULL,              -- attendance-concern, visit-appointment ...
            stage INTEGER,                     -- 1 to 3 for attendance-concern
            letter_date TEXT NOT NULL,         -- ISO 8601: the date printed on the letter
            reference TEXT NOT NULL,           -- printed on the letter
            addressee TEXT NOT NULL,           -- the names it is addressed to, never an address
            audience TEXT NOT NULL,            -- family, local-authority, headteacher
            reason TEXT,                       -- docgen's own words: the rule and the figures
            input_hash TEXT NOT NULL,          -- of the input record it came from
            recorded_at TEXT NOT NULL,
            UNIQUE (reference, addressee)
        );
        CREATE INDEX letters_by_pupil ON letters(pupil_key, letter, letter_date);
        CREATE TABLE agreements (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            pupil TEXT NOT NULL,
            pupil_key TEXT NOT NULL,
            made_on TEXT NOT NULL,             -- ISO 8601: the visit the agreement was made on
            review_on TEXT,
            visit_reference TEXT,
            recorded_at TEXT NOT NULL,
            UNIQUE (pupil_key, made_on)
        );
        CREATE TABLE do_not_send (
            id INTEGER PRIMARY KEY,
            pupil TEXT NOT NULL,
            pupil_key TEXT NOT NULL,
            contact TEXT,                      -- NULL: no letter about the pupil at all
            contact_key TEXT,
            marked_at TEXT NOT NULL,
            marked_by TEXT NOT NULL,           -- the login name of who marked it
            cleared_at TEXT,
            cleared_by TEXT
        );
        CREATE INDEX do_not_send_by_pupil ON do_not_send(pupil_key)
        """
    )


MIGRATIONS: tuple[Migration, ...] = (m001_runs_and_documents, m002_assessments, m003_exports,
                                     m004_access_log, m005_letters)


def version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply the migrations the file lacks, in order; return the version reached. A file newer
    than this docgen is refused (``NewerRegister``): an old docgen must not write into it.
    ``db`` is in autocommit mode (``isolation_level=None``): each step is its own
    transaction."""
    current = version(db)
    if current > len(migrations):
        raise NewerRegister(current, len(migrations))
    for number, step in enumerate(migrations[current:], start=current + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            step(db)
            db.execute(f"PRAGMA user_version = {number:d}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    return version(db)


class NewerRegister(Exception):
    """The register was written by a newer docgen."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(f"schema version {found}, this docgen knows up to {known}")
        self.found = found
        self.known = known
