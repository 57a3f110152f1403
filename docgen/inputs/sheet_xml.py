"""The rows of one worksheet's XML, streamed by lxml.

openpyxl opens the workbook (sheet list, shared strings, cell styles, the date epoch) and
writes docgen's workbooks; this module reads a sheet's rows. openpyxl's own row parser builds
every element through Python's ElementTree and its Serialisable classes, which costs more than
all of docgen's validation; lxml's iterparse does the same reading in C. The values read are
openpyxl's (its shared strings, ``from_excel`` dates, its date-format style ids), and a test
checks this reader against openpyxl's parser on every sample workbook.

Safety: no DTD, no entities resolved, no network; one row's elements are freed as soon as the
row is read, so memory stays flat whatever the sheet's size.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import IO, Any, NamedTuple, cast

from lxml import etree
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import WINDOWS_EPOCH, from_excel, from_ISO8601

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW = _NS + "row"
_C = _NS + "c"
_V = _NS + "v"
_F = _NS + "f"
_IS = _NS + "is"
_T = _NS + "t"
_R = _NS + "r"
_DIGITS = "0123456789"


@dataclass(frozen=True)
class SheetFormats:
    """What the workbook says about how to read a cell: the shared strings, the style ids
    that mark dates and durations, and the date system."""

    shared_strings: Sequence[Any]
    date_styles: Container[int]
    timedelta_styles: Container[int]
    epoch: Any = WINDOWS_EPOCH


class Cell(NamedTuple):
    """A cell as stored: its value (typed), Excel's type letter and its style id."""

    row: int
    column: str  # letter, as Excel shows it
    column_number: int
    value: Any
    kind: str  # n (number), s (text), b, e (error), d (date), f (formula)
    style: int

    @property
    def formula(self) -> bool:
        """A formula (its text, never evaluated)."""
        return self.kind == "f"

    @property
    def excel_error(self) -> bool:
        """#N/A, #REF! ... shown by Excel in place of a value."""
        return self.kind == "e"




def sheet_rows(source: IO[bytes], formats: SheetFormats) -> Iterator[tuple[int, list[Cell]]]:
    """``(row number, cells)`` for every row element, in the order the file stores them."""
    parser = etree.iterparse(
        source, events=("end",), tag=_ROW, resolve_entities=False, no_network=True,
        load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True,
    )
    columns: dict[str, int] = {}  # each column's number by its letters, worked out once
    number = 0
    for _, row in parser:
        given = row.get("r")
        number = _whole(given) if given else number + 1
        cells = []
        column = 0
        for c in row.iterchildren(_C):
            ref = c.get("r")
            if ref:
                letters = ref.rstrip(_DIGITS)
                known = columns.get(letters)
                if known is None:
                    known = columns[letters] = column_index_from_string(letters)
                column = known
            else:
                column += 1
                letters = get_column_letter(column)
            cells.append(_cell(c, number, letters, column, formats))
        # free the row and everything read before it
        row.clear()
        while row.getprevious() is not None:
            del row.getparent()[0]
        yield number, cells


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        value = float(text)
        if not value.is_integer():
            raise ValueError(f"{text} is not a row number") from None
        return int(value)


# A Cell made without NamedTuple's own __new__ (a Python function): one is made for every cell
# of a sheet, and this way costs half as much.
_new_cell = cast(Callable[[tuple[int, str, int, Any, str, int]], Cell],
                 partial(tuple.__new__, Cell))


def _cell(c: Any, row: int, letters: str, column: int, formats: SheetFormats) -> Cell:
    kind = c.get("t", "n")
    style_text = c.get("s")
    style = int(style_text) if style_text else 0
    text = formula = holder = None
    for child in c:  # one pass over the children: lxml's find() parses its path every call
        tag = child.tag
        if tag == _V:
            text = child.text
        elif tag == _F:
            formula = child
        elif tag == _IS:
            holder = child
    if formula is not None:
        shown = f"={formula.text}" if formula.text else "=(shared formula)"
        return _new_cell((row, letters, column, shown, "f", style))
    if kind == "inlineStr":
        if holder is None:
            return _new_cell((row, letters, column, None, kind, style))
        return _new_cell((row, letters, column, _inline_text(holder), "s", style))
    if text is None:
        return _new_cell((row, letters, column, None, kind, style))
    if kind == "n":
        number: Any = float(text) if ("." in text or "e" in text or "E" in text) else int(text)
        if style in formats.date_styles:
            try:
                return _new_cell((row, letters, column, _excel_date(
                    number, formats.epoch, style in formats.timedelta_styles), "d", style))
            except (OverflowError, ValueError):
                return _new_cell((row, letters, column, "#VALUE!", "e", style))
        return _new_cell((row, letters, column, number, "n", style))
    if kind == "s":
        return _new_cell((row, letters, column, formats.shared_strings[int(text)], "s", style))
    if kind == "str":
        return _new_cell((row, letters, column, text, "s", style))
    if kind == "b":
        return _new_cell((row, letters, column, bool(int(text)), "b", style))
    if kind == "d":
        return _new_cell((row, letters, column, _iso_date(text), "d", style))
    return _new_cell((row, letters, column, text, kind, style))  # "e": an error such as #N/A


@lru_cache(maxsize=4096)
def _excel_date(number: float, epoch: Any, timedelta: bool) -> Any:
    """openpyxl's ``from_excel``, remembered: a sheet's dates and times repeat from row to row
    (the same days, the same clock times), and what it gives (a date, time or duration) is
    immutable. An Excel serial too large or not a number raises, and is not remembered."""
    return from_excel(number, epoch, timedelta=timedelta)


def _iso_date(text: str) -> Any:
    return from_ISO8601(text)  # type: ignore[no-untyped-call]


def _inline_text(holder: Any) -> str:
    """An inline string's text: its plain text, or its rich-text runs joined (phonetic runs
    are not part of the text)."""
    parts = []
    for child in holder:
        if child.tag == _T:
            parts.append(child.text or "")
        elif child.tag == _R:
            parts.append(child.findtext(_T) or "")
    return "".join(parts)
