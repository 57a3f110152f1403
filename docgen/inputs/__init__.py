"""Readers: files in, raw values tagged with where they came from out. No form knowledge."""

from __future__ import annotations

import glob
from collections.abc import Iterable
from pathlib import Path

from docgen.inputs.errors import UnreadableInput
from docgen.inputs.json_file import JsonDocument, JsonRecord, read_json
from docgen.inputs.sheet_xml import Cell
from docgen.inputs.xlsx_file import Row, Workbook

SUFFIXES = {".json": "json", ".xlsx": "xlsx", ".xlsm": "xlsx"}


def kind_of(path: Path) -> str | None:
    return SUFFIXES.get(path.suffix.lower())


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders into the .json and .xlsx files below them, sorted, skipping hidden files
    and Excel's ``~$`` lock files. Named files are kept even if of an unknown kind, so that
    the caller can report them."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists() and _is_pattern(str(raw)):
            # a pattern the shell did not expand (Windows, or quoted): expand it here
            matches = sorted(Path(p) for p in glob.glob(str(raw), recursive=True))
            out.extend(p for p in matches if p.is_file() and kind_of(p))
            if not matches:
                out.append(path)  # reported as matching no files
            continue
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and kind_of(p) and not _hidden(p.relative_to(path))
            )
            out.extend(found)
        else:
            out.append(path)
    seen: set[Path] = set()
    unique = []
    for p in out:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def _is_pattern(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def _hidden(relative: Path) -> bool:
    return any(part.startswith((".", "~$")) for part in relative.parts)


__all__ = [
    "Cell",
    "JsonDocument",
    "JsonRecord",
    "Row",
    "UnreadableInput",
    "Workbook",
    "discover",
    "kind_of",
    "read_json",
]
