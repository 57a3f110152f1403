"""CSV cells a spreadsheet opens safely: formula injection neutralised (OWASP), phone numbers
and negative numbers left readable, and the mark taken off again by a program reading back."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.csvfile import BOM, CsvWriter, neutralise, read_rows, restore

FORMULAS = [
    "=1+1",
    "=HYPERLINK(\"http://evil.example\",\"Click\")",
    "+SUM(A1:A9)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "-",
    "+44 7700 900123 =1",  # a phone number followed by more is not a phone number
    "=",
]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_formula_is_marked_as_text(value: str) -> None:
    cell = neutralise(value)
    assert cell == "'" + value
    assert restore(cell) == value


@pytest.mark.parametrize("value", ["+44 7700 900123", "-12.5", "+3", "-0.5e3", "07700 900123",
                                   "Jane Smith", "", "a=b", "O'Brien", "'quoted'"])
def test_plain_values_stay_readable(value: str) -> None:
    assert neutralise(value) == value
    assert restore(value) == value


def test_text_that_looks_already_marked_is_marked_again() -> None:
    """Without this, "'=A1" written as it is would read back as "=A1"."""
    assert neutralise("'=A1") == "''=A1"
    assert restore("''=A1") == "'=A1"
    assert neutralise("''@x") == "'''@x"


def test_none_is_an_empty_cell_and_numbers_are_text() -> None:
    assert neutralise(None) == ""
    assert neutralise(-3) == "-3"


@given(st.text())
def test_restore_undoes_neutralise(value: str) -> None:
    assert restore(neutralise(value)) == value


@given(st.lists(st.lists(st.text(), min_size=2, max_size=2), max_size=5))
def test_rows_read_back_as_written(rows: list[list[str]]) -> None:
    stream = io.StringIO(newline="")
    writer = CsvWriter(stream, ["a", "=b"])
    for row in rows:
        writer.row(row)
    text = stream.getvalue()
    assert text.startswith(BOM)
    header, back = read_rows(io.StringIO(text, newline=""))
    assert header == ["a", "=b"]
    assert back == rows
