"""Backup and restore of a school's docgen data: the records database (accounts, drafts and
submitted forms) and the register (what was produced, the access log).

Both are copied with SQLite's online backup, so a backup taken while ``docgen serve`` runs is
consistent. A restore checks that each file is a docgen database this version can read before
it copies anything, keeps the current data beside it (``*.before-restore-<time>``), and copies
into the live file the same way (whatever has it open sees the restored data, never half).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from docgen.register.migrations import MIGRATIONS as REGISTER_MIGRATIONS
from docgen.web.store import MIGRATIONS as RECORDS_MIGRATIONS
from docgen.web.store import RECORDS_NAME

REGISTER_FILE = "docgen-register.sqlite"


class BackupProblem(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Part:
    name: str  # the file's name inside a backup folder
    live: Path  # where the school keeps it
    newest: int  # the newest schema version this docgen knows


def parts(register: Path, records: Path) -> list[Part]:
    return [Part(RECORDS_NAME, records, len(RECORDS_MIGRATIONS)),
            Part(REGISTER_FILE, register, len(REGISTER_MIGRATIONS))]


def _copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        if not target.exists():
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT, 0o600))
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    os.chmod(target, 0o600)


def backup(register: Path, records: Path, folder: Path) -> list[Path]:
    """Copy the school's databases into ``folder`` (new, or empty); return the files made."""
    if folder.exists() and any(folder.iterdir()):
        raise BackupProblem(f"{folder} is not empty; give a new folder for the backup.")
    found = [p for p in parts(register, records) if p.live.is_file()]
    if not found:
        raise BackupProblem("there is nothing to back up yet (no records database or register "
                            f"at {records.parent}).")
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    made = []
    for part in found:
        target = folder / part.name
        _copy(part.live, target)
        made.append(target)
    return made


def _check(path: Path, newest: int) -> None:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = db.execute("PRAGMA integrity_check").fetchone()[0]
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise BackupProblem(f"{path} is not a docgen database or is damaged ({exc}).") from None
    if ok != "ok":
        raise BackupProblem(f"{path} is damaged ({ok}); use another backup.")
    if version == 0:
        raise BackupProblem(f"{path} is not a docgen database.")
    if version > newest:
        raise BackupProblem(f"{path} was written by a newer docgen; update docgen first.")


def restore(register: Path, records: Path, folder: Path) -> list[Path]:
    """Put the databases of a backup folder back in place; return the current files kept
    aside (``*.before-restore-<time>``)."""
    chosen = [p for p in parts(register, records) if (folder / p.name).is_file()]
    if not chosen:
        raise BackupProblem(f"{folder} holds no docgen backup ({RECORDS_NAME} or "
                            f"{REGISTER_FILE}).")
    for part in chosen:
        _check(folder / part.name, part.newest)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = []
    for part in chosen:
        part.live.parent.mkdir(parents=True, exist_ok=True)
        if part.live.is_file():
            aside = part.live.with_name(f"{part.live.name}.before-restore-{stamp}")
            _copy(part.live, aside)
            kept.append(aside)
        _copy(folder / part.name, part.live)
    return kept
