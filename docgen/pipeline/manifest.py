"""``manifest.csv`` and ``manifest.json``: what a run did with every input record.

One row per input record, in input order: where it came from, the pupil, what happened to it
(written, unchanged, rejected and why, ...), its files with their SHA-256, and its number of
errors and warnings. Documents made from many records (a check-in sheet) get a row of their
own at the end. Both files are streamed to temporary files while the run goes and put in place
when it ends, replacing the previous run's manifest (docgen's own, recognised by its first
line); a file of the same name that docgen did not write is never replaced.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from docgen.csvfile import BOM, CsvWriter
from docgen.output import TMP_SUFFIX

CSV_NAME = "manifest.csv"
JSON_NAME = "manifest.json"
HEADER = ("record", "file", "sheet", "row", "json_path", "form", "pupil", "outcome", "note",
          "errors", "warnings", "documents", "sha256")
JSON_MARK = "docgen_manifest"


@dataclass(frozen=True)
class ManifestRow:
    record: int | None  # 1-based position in the input; None for a document of many records
    file: str
    sheet: str
    row: int | None
    json_path: str
    form: str
    pupil: str
    outcome: str
    note: str
    errors: int
    warnings: int
    documents: tuple[tuple[str, str, str, str], ...]  # (path, format, outcome, sha256)
    details: dict[str, str] = field(default_factory=dict)  # the run's extra columns

    def to_dict(self) -> dict[str, Any]:
        return {
            "record": self.record, "file": self.file, "sheet": self.sheet or None,
            "row": self.row, "json_path": self.json_path or None, "form": self.form or None,
            "pupil": self.pupil or None, "outcome": self.outcome, "note": self.note or None,
            "errors": self.errors, "warnings": self.warnings,
            "documents": [{"path": p, "format": f, "outcome": o, "sha256": s or None}
                          for p, f, o, s in self.documents],
            **({"details": dict(self.details)} if self.details else {}),
        }


class ManifestWriter:
    """Writes rows as they come; ``commit`` puts both files in place, ``abandon`` drops them."""

    def __init__(self, folder: Path, run: dict[str, Any], *,
                 extra_columns: tuple[str, ...] = ()) -> None:
        self.folder = folder
        self.extra = extra_columns
        self._tmp_csv = folder / f".{CSV_NAME}.{os.getpid()}{TMP_SUFFIX}"
        self._tmp_json = folder / f".{JSON_NAME}.{os.getpid()}{TMP_SUFFIX}"
        self._csv: IO[str] = self._tmp_csv.open("w", encoding="utf-8", newline="")
        self._json: IO[str] = self._tmp_json.open("w", encoding="utf-8")
        self._table = CsvWriter(self._csv, HEADER + extra_columns)
        self._json.write("{\n" + json.dumps(JSON_MARK) + ": 1,\n\"run\": "
                         + json.dumps(run, ensure_ascii=False) + ",\n\"records\": [")
        self._first = True

    def add(self, row: ManifestRow) -> None:
        self._table.row([
            row.record, row.file, row.sheet, row.row, row.json_path, row.form, row.pupil,
            row.outcome, row.note, row.errors, row.warnings,
            "; ".join(p for p, _, _, _ in row.documents),
            "; ".join(s for _, _, _, s in row.documents),
            *(row.details.get(column, "") for column in self.extra),
        ])
        self._json.write(("\n" if self._first else ",\n")
                         + json.dumps(row.to_dict(), ensure_ascii=False))
        self._first = False

    def commit(self, summary: dict[str, Any]) -> list[tuple[Path, str]]:
        """Put the manifest in place. Returns ``(path, reason)`` for each file refused."""
        self._json.write("\n],\n\"summary\": " + json.dumps(summary, ensure_ascii=False)
                         + "\n}\n")
        self._close()
        refused = []
        for tmp, name in ((self._tmp_csv, CSV_NAME), (self._tmp_json, JSON_NAME)):
            target = self.folder / name
            reason = _not_ours(target)
            if reason:
                refused.append((target, reason))
                tmp.unlink(missing_ok=True)
                continue
            os.replace(tmp, target)
        return refused

    def abandon(self) -> None:
        self._close()
        for tmp in (self._tmp_csv, self._tmp_json):
            with contextlib.suppress(OSError):
                tmp.unlink()

    def _close(self) -> None:
        for stream in (self._csv, self._json):
            if not stream.closed:
                stream.flush()
                os.fsync(stream.fileno())
                stream.close()


def _not_ours(target: Path) -> str:
    """Why ``target`` must not be replaced ("" if it may): only a previous docgen manifest
    (or nothing) is replaced."""
    if target.is_symlink() or (target.exists() and not target.is_file()):
        return "is not a regular file; docgen never replaces it"
    if not target.exists():
        return ""
    try:
        with target.open("r", encoding="utf-8", errors="replace") as fh:
            head = fh.read(200)
    except OSError:
        return "cannot be read, so docgen cannot tell it is its own manifest"
    if target.name == CSV_NAME and head.lstrip(BOM).startswith(",".join(HEADER[:3])):
        return ""
    if target.name == JSON_NAME and f'"{JSON_MARK}"' in head:
        return ""
    return "exists and is not a docgen manifest; move it away to get this run's manifest"


def read_rows(folder: Path) -> Iterator[dict[str, Any]]:
    """The records of a manifest.json, for tests and tools."""
    data = json.loads((folder / JSON_NAME).read_text("utf-8"))
    yield from data["records"]
