"""CSV that a spreadsheet opens safely: UTF-8 with a byte-order mark (Excel then reads it as
UTF-8), and every cell neutralised against formula injection.

A cell a spreadsheet would treat as a formula (OWASP: text starting with ``=``, ``+``, ``-``,
``@``, a tab, a carriage return or a line feed) is prefixed with an apostrophe, which the
spreadsheet shows as text. Plain values that merely start with such a character stay readable:
a phone number such as ``+44 7700 900123`` or a number such as ``-12.5`` is data, not a
formula, and is written as it is.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import IO, Any

BOM = "\ufeff"
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# what stays as written although it starts with a trigger: a number, or a phone number
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_PHONE = re.compile(r"^\+\d[\d ()-]{5,}\d$")


def neutralise(value: Any) -> str:
    """The text of one cell, safe to open in a spreadsheet."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.startswith(_TRIGGERS) and not (_NUMBER.match(text) or _PHONE.match(text)):
        return "'" + text
    return text


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
