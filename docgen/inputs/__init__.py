"""Readers: files in, raw values tagged with where they came from out. No form knowledge."""

from __future__ import annotations

import glob
from collections.abc import Iterable
from pathlib import Path

from docgen.inputs.errors import UnreadableInput
from docgen.inputs.json_file import JsonDocument, JsonRecord, read_json
from docgen.inputs.lockfiles import is_lock_file, lock_file_message
from docgen.inputs.sheet_xml import Cell
from docgen.inputs.xlsx_file import KeptWorkbook, Row, Workbook

SUFFIXES = {".json": "json", ".xlsx": "xlsx", ".xlsm": "xlsx"}


def kind_of(path: Path) -> str | None:
    return SUFFIXES.get(path.suffix.lower())


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """The input files ``paths`` name: see ``find_inputs``."""
    return [path for path, skipped in find_inputs(paths) if not skipped]


def find_inputs(paths: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """Expand folders into the files below them, sorted: each with "" when it is an input
    (.json, .xlsx) or with why it is skipped (another kind of file, Excel's ``~$`` lock file),
    so that nothing in a folder is passed over in silence: not even a pipe, a broken link or a
    link loop, which is read and refused with the reason. Hidden files and folders are left
    out. Named files are kept whatever their kind, so that the caller can report them."""
    out: list[tuple[Path, str]] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists() and _is_pattern(str(raw)):
            # a pattern the shell did not expand (Windows, or quoted): expand it here
            matches = sorted(Path(p) for p in glob.glob(str(raw), recursive=True))
            out.extend((p, "") for p in matches if p.is_file() and kind_of(p))
            if not matches:
                out.append((path, ""))  # reported as matching no files
            continue
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if not p.is_dir()):
                relative = found.relative_to(path)
                if any(part.startswith(".") for part in relative.parts):
                    continue
                out.append((found, skip_reason(found)))
        else:
            out.append((path, ""))
    seen: set[Path] = set()
    unique = []
    for p, skipped in out:
        key = _identity(p)
        if key not in seen:
            seen.add(key)
            unique.append((p, skipped))
    return unique


def skip_reason(path: Path) -> str:
    """Why a file found in a folder is not read ("" when it is read)."""
    if is_lock_file(path):
        return lock_file_message(path)
    if kind_of(path) is None:
        return "not a form file: docgen reads .xlsx workbooks and .json files"
    return ""


def _identity(path: Path) -> Path:
    """The file a path names, for spotting one file given twice; a link loop or a broken
    link is itself (it is reported when read)."""
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a link loop, before Python 3.13
        return path.absolute()


def _is_pattern(text: str) -> bool:
    return any(ch in text for ch in "*?[")


__all__ = [
    "Cell",
    "JsonDocument",
    "JsonRecord",
    "KeptWorkbook",
    "Row",
    "UnreadableInput",
    "Workbook",
    "discover",
    "find_inputs",
    "is_lock_file",
    "kind_of",
    "lock_file_message",
    "read_json",
    "skip_reason",
]
