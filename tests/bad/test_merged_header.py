"""A workbook whose header cells were merged: Excel keeps only the first cell's text, so the
columns after it lose their headers. Say so at the merged cells, and how to unmerge, instead
of only reporting a missing column."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from docgen.records import load_file
from docgen.report import ExitCode, Severity
from docgen.schemas import FORMS
from docgen.schemas.columns import columns

from .conftest import TODAY, files_in, run

UNMERGE = ("Unmerge them (select the cells, then Home > Merge & Center > Unmerge Cells) and "
           "type each column's header in its own cell.")


def test_merged_header_cells_are_named_with_how_to_unmerge(
    tmp_path: Path, ra: dict[str, Any], ra_workbook: Callable[..., Path],
) -> None:
    path = ra_workbook(ra, merge="B1:C1")  # Name of pupil swallows Class
    result = run("render", path, "--out", tmp_path / "out", "--today", TODAY)
    assert result.exit_code == ExitCode.INVALID
    assert (f"  error   B1 The header cells B1:C1 are merged, so only the first of them keeps its "
            f"header and the columns after it are not read. {UNMERGE} [merged-header]"
            ) in result.output
    assert "The required column 'Class' is missing." in result.output
    assert files_in(tmp_path / "out") == []


def test_merged_cells_over_an_optional_column_are_a_warning(
    ra: dict[str, Any], ra_workbook: Callable[..., Path],
) -> None:
    headers = [c.header for c in columns(FORMS["risk-assessment"])]
    first = headers.index("Date of birth") + 1  # optional, and so is the UPN after it
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    path = ra_workbook(ra, merge=f"{letters[first - 1]}1:{letters[first]}1")
    result = load_file(path)
    merged = [i for i in result.issues if i.code == "merged-header"]
    assert [(i.severity, i.location.cell) for i in merged] == [
        (Severity.WARNING, f"{letters[first - 1]}1")]


def test_merged_cells_above_the_header_are_no_problem(
    ra: dict[str, Any], ra_workbook: Callable[..., Path],
) -> None:
    path = ra_workbook(ra, merge="A1:F1", title_row=True)
    result = load_file(path)
    assert [i.code for i in result.issues] == []
    assert [r.ok for r in result.records] == [True]
