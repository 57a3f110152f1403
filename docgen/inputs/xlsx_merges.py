"""Which cells of a worksheet are merged, read straight from the workbook's XML.

Merging header cells keeps only the first cell's text, so the other columns lose their header
and read as missing. openpyxl's read-only mode (which docgen reads rows with) does not report
merges, and the normal mode loads the whole workbook into memory; this module reads only the
sheet's ``<mergeCell ref="A1:C1"/>`` entries, streaming the XML, and only when a header row
lacks columns.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

from defusedxml import ElementTree
from openpyxl.utils.cell import range_boundaries

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MERGE = re.compile(
    rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3}[0-9]{1,7}:[A-Z]{1,3}[0-9]{1,7})"'
)
_CHUNK = 1024 * 1024
_OVERLAP = 200  # longer than any one <mergeCell .../> element
MAX_PART_BYTES = 10 * 1024 * 1024  # workbook.xml and its relationships are small


def merged_ranges(path: Path, sheet_title: str) -> list[str]:
    """The merged ranges of the sheet named ``sheet_title`` (``["A1:C1", ...]``), in the order
    stored; an empty list when there are none or the workbook cannot be read this way."""
    try:
        with zipfile.ZipFile(path) as zf:
            part = _sheet_part(zf, sheet_title)
            if part is None:
                return []
            return _scan(zf, part)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError):
        return []


def merged_in_row(ranges: list[str], row: int) -> list[str]:
    """Those of ``ranges`` that cover more than one cell of ``row``."""
    out = []
    for ref in ranges:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if min_row is not None and max_row is not None and min_row <= row <= max_row and (
            min_col != max_col
        ):
            out.append(ref)
    return out


def _small(zf: zipfile.ZipFile, name: str) -> bytes:
    if zf.getinfo(name).file_size > MAX_PART_BYTES:
        raise ValueError(f"{name} is too large")
    return zf.read(name)


def _sheet_part(zf: zipfile.ZipFile, title: str) -> str | None:
    workbook = ElementTree.fromstring(_small(zf, "xl/workbook.xml"))
    rid = None
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        if sheet.get("name") == title:
            rid = sheet.get(f"{_REL}id")
            break
    if rid is None:
        return None
    rels = ElementTree.fromstring(_small(zf, "xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{_PKG}Relationship"):
        if rel.get("Id") == rid:
            target = rel.get("Target") or ""
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    return None


def _scan(zf: zipfile.ZipFile, part: str) -> list[str]:
    found: list[str] = []
    tail = b""
    with zf.open(part) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            data = tail + chunk
            # a match must end inside this chunk's new bytes, so none is counted twice
            for m in _MERGE.finditer(data):
                if m.end() > len(tail):
                    found.append(m.group(1).decode("ascii"))
            tail = data[-_OVERLAP:]
    return found
