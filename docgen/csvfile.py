"""CSV that a spreadsheet opens safely: UTF-8 with a byte-order mark (Excel then reads it as
UTF-8), and every cell neutralised against formula injection.

A cell a spreadsheet would treat as a formula (OWASP: text starting with ``=``, ``+``, ``-``,
``@``, a tab, a carriage return or a line feed) is prefixed with an apostrophe, which the
spreadsheet shows as text. Plain values that merely start with such a character stay readable:
a phone number such as ``+44 7700 900123`` or a number such as ``-12.5`` is data, not a
formula, and is written as it is.

The mark can be taken off again (``restore``), so a program reading the file gets back exactly
what was written: text that itself starts with apostrophes before a formula (``'=A1``) is
marked too, and only a marked cell loses its first apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import IO, Any

BOM = "\ufeff"
MARK = "'"
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# what stays as written although it starts with a trigger: a number, or a phone number
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_PHONE = re.compile(r"^\+\d[\d ()-]{5,}\d$")


def _formula(text: str) -> bool:
    return text.startswith(_TRIGGERS) and not (_NUMBER.match(text) or _PHONE.match(text))


def neutralise(value: Any) -> str:
    """The text of one cell, safe to open in a spreadsheet."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if _formula(text.lstrip(MARK)):
        return MARK + text
    return text


def restore(cell: str) -> str:
    """What ``neutralise`` was given, from the cell it wrote."""
    if cell.startswith(MARK) and _formula(cell.lstrip(MARK)):
        return cell[1:]
    return cell


class CsvWriter:
    """Rows to an open text stream (opened with ``newline=""``), every cell neutralised;
    newlines inside a cell are kept, in a quoted cell."""

    def __init__(self, stream: IO[str], header: Sequence[str], *, bom: bool = True) -> None:
        if bom:
            stream.write(BOM)
        self._writer = csv.writer(stream, lineterminator="\r\n")
        self._writer.writerow([neutralise(h) for h in header])

    def row(self, values: Iterable[Any]) -> None:
        self._writer.writerow([neutralise(v) for v in values])


def read_rows(stream: IO[str]) -> tuple[list[str], list[list[str]]]:
    """The header and rows of a CSV written by ``CsvWriter`` (opened with ``newline=""``),
    every cell restored to what was written."""
    text = stream.read()
    if text.startswith(BOM):
        text = text[len(BOM):]
    rows = [[restore(cell) for cell in row] for row in csv.reader(io.StringIO(text, newline=""))]
    if not rows:
        return [], []
    return rows[0], rows[1:]
