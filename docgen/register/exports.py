"""The register's record of exports (migration ``m003_exports``): which record ids each export
sent, when, by whom, into which files, with a hash of each record's content and of each of its
fields. It is how a later export skips what was sent, and tells an amendment from a new
record, field by field, without the register ever holding the records' text."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.locking import login_name
from docgen.register import Register, fold_name


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class ExportedFile:
    id: int
    export_id: int
    path: str
    kind: str
    sha256: str
    uploaded_at: str | None
    uploaded_by: str | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ExportedRecord:
    """One record as an export sent it."""

    export_id: int
    record_id: str
    record_type: str
    status: str
    pupil: str | None
    visit_date: str | None
    visit_reference: str | None
    content_hash: str
    field_hashes: dict[str, str]
    changed: list[str]
    exported_at: str
    user: str
    files: tuple[str, ...] = ()  # the export's files, by path

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out.pop("field_hashes")
        out["files"] = list(self.files)
        return out


@dataclass(frozen=True)
class ExportEntry:
    id: int
    run_id: int | None
    exported_at: str
    user: str
    out_dir: str | None
    counts: dict[str, int]
    files: list[ExportedFile] = field(default_factory=list)
    records: list[ExportedRecord] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "run_id": self.run_id, "exported_at": self.exported_at,
                "user": self.user, "out_dir": self.out_dir, "counts": self.counts,
                "files": [f.to_dict() for f in self.files],
                "records": [r.to_dict() for r in self.records]}


@dataclass(frozen=True)
class RecordSent:
    """What an export records of one record it sent."""

    record_id: str
    record_type: str
    status: str
    visit_key: str
    pupil: str
    visit_date: dt.date | None
    visit_reference: str
    content_hash: str
    field_hashes: Mapping[str, str]
    changed: Sequence[str] = ()


_FILE_COLUMNS = "id, export_id, path, kind, sha256, uploaded_at, uploaded_by"
_RECORD_COLUMNS = ("r.export_id, r.record_id, r.record_type, r.status, r.pupil, r.visit_date,"
                   " r.visit_reference, r.content_hash, r.field_hashes, r.changed,"
                   " e.exported_at, e.user")


class ExportLog:
    """The exports kept in an open register."""

    def __init__(self, register: Register) -> None:
        self.register = register
        self.db = register.db

    # ------------------------------------------------------------------ writing

    def record_export(self, *, run_id: int | None, out_dir: Path | None,
                      files: Sequence[tuple[Path, str, str]],
                      records: Sequence[RecordSent]) -> int:
        """Remember one export: its files (path, kind, sha256) and every record in them, in
        one transaction."""
        counts: dict[str, int] = {}
        for record in records:
            counts[record.status] = counts.get(record.status, 0) + 1
        register = self.register
        register.commit()  # what the run recorded so far stays, whatever happens here
        register._begin()
        try:
            cursor = self.db.execute(
                "INSERT INTO exports (run_id, exported_at, user, out_dir, counts)"
                " VALUES (?, ?, ?, ?, ?)",
                (run_id, _now(), login_name(), str(out_dir.resolve()) if out_dir else None,
                 json.dumps(counts, sort_keys=True)))
            export_id = cursor.lastrowid
            assert export_id is not None
            self.db.executemany(
                "INSERT INTO export_files (export_id, path, kind, sha256) VALUES (?, ?, ?, ?)",
                [(export_id, str(path.resolve()), kind, sha) for path, kind, sha in files])
            self.db.executemany(
                "INSERT INTO exported_records (export_id, record_id, record_type, status,"
                " visit_key, pupil, pupil_key, visit_date, visit_reference, content_hash,"
                " field_hashes, changed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(export_id, r.record_id, r.record_type, r.status, r.visit_key or None,
                  r.pupil or None, fold_name(r.pupil) if r.pupil else None,
                  r.visit_date.isoformat() if r.visit_date else None,
                  r.visit_reference or None, r.content_hash,
                  json.dumps(dict(r.field_hashes), sort_keys=True),
                  json.dumps(list(r.changed)) if r.changed else None)
                 for r in records])
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        register.commit()
        return export_id

    def mark_uploaded(self, file_id: int) -> ExportedFile:
        """Record that an export file was uploaded, now, by whoever runs docgen."""
        register = self.register
        register._begin()
        self.db.execute("UPDATE export_files SET uploaded_at = ?, uploaded_by = ? WHERE id = ?",
                        (_now(), login_name(), file_id))
        register.commit()
        found = self.file_by_id(file_id)
        assert found is not None
        return found

    # ------------------------------------------------------------------ reading

    def last(self, record_id: str) -> ExportedRecord | None:
        """What the latest export of this record sent, if any export did."""
        row = self.db.execute(
            f"SELECT {_RECORD_COLUMNS} FROM exported_records r"  # noqa: S608
            " JOIN exports e ON e.id = r.export_id WHERE r.record_id = ?"
            " ORDER BY r.id DESC LIMIT 1", (record_id,)).fetchone()
        if row is None:
            return None
        entry = _record(row)
        files = tuple(f.path for f in self.files_of(entry.export_id))
        return ExportedRecord(**{**entry.__dict__, "files": files})

    def files_of(self, export_id: int) -> list[ExportedFile]:
        rows = self.db.execute(
            f"SELECT {_FILE_COLUMNS} FROM export_files WHERE export_id = ?"  # noqa: S608
            " ORDER BY id", (export_id,)).fetchall()
        return [ExportedFile(*row) for row in rows]

    def file_by_id(self, file_id: int) -> ExportedFile | None:
        row = self.db.execute(f"SELECT {_FILE_COLUMNS} FROM export_files"  # noqa: S608
                              " WHERE id = ?", (file_id,)).fetchone()
        return ExportedFile(*row) if row else None

    def find_file(self, path: Path, sha256: str | None) -> ExportedFile | None:
        """The export file at ``path`` (as exported), or else one with the same content (a
        copy moved elsewhere)."""
        row = self.db.execute(
            f"SELECT {_FILE_COLUMNS} FROM export_files WHERE path = ?"  # noqa: S608
            " ORDER BY id DESC LIMIT 1", (str(path.resolve()),)).fetchone()
        if row is None and sha256:
            row = self.db.execute(
                f"SELECT {_FILE_COLUMNS} FROM export_files WHERE sha256 = ?"  # noqa: S608
                " ORDER BY id DESC LIMIT 1", (sha256,)).fetchone()
        return ExportedFile(*row) if row else None

    def exports(self, *, limit: int = 20, with_records: bool = True) -> list[ExportEntry]:
        """The latest exports, newest first, with their files (and records)."""
        rows = self.db.execute(
            "SELECT id, run_id, exported_at, user, out_dir, counts FROM exports"
            " ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        out = []
        for row in rows:
            export_id = row[0]
            records = []
            if with_records:
                records = [_record(r) for r in self.db.execute(
                    f"SELECT {_RECORD_COLUMNS} FROM exported_records r"  # noqa: S608
                    " JOIN exports e ON e.id = r.export_id WHERE r.export_id = ?"
                    " ORDER BY r.id", (export_id,))]
            out.append(ExportEntry(row[0], row[1], row[2], row[3], row[4],
                                   json.loads(row[5]) if row[5] else {},
                                   self.files_of(export_id), records))
        return out

    def not_uploaded(self) -> list[ExportedFile]:
        """Export files no one has marked as uploaded, oldest first."""
        rows = self.db.execute(
            f"SELECT {_FILE_COLUMNS} FROM export_files WHERE uploaded_at IS NULL"  # noqa: S608
            " ORDER BY id").fetchall()
        return [ExportedFile(*row) for row in rows]


def _record(row: tuple[Any, ...]) -> ExportedRecord:
    (export_id, record_id, record_type, status, pupil, visit_date, reference, content_hash,
     hashes, changed, exported_at, user) = row
    return ExportedRecord(export_id, record_id, record_type, status, pupil, visit_date,
                          reference, content_hash, json.loads(hashes),
                          json.loads(changed) if changed else [], exported_at, user)
