"""docgen's worksheet row reader gives exactly what openpyxl's own parser gives, on the sample
workbooks and on a workbook holding every kind of cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.worksheet._reader import WorkSheetParser

from docgen.inputs.sheet_xml import SheetFormats, sheet_rows

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted(ROOT.glob("samples/**/*.xlsx"))


def _both(path: Path) -> list[tuple[Any, Any]]:
    wb: Any = openpyxl.load_workbook(path, read_only=True)
    pairs = []
    try:
        for ws in wb.worksheets:
            formats = SheetFormats(ws._shared_strings, wb._date_formats,
                                   wb._timedelta_formats, wb.epoch)
            with ws._get_source() as src:
                ours = [(n, [(c.row, c.column, c.value, c.kind) for c in cells])
                        for n, cells in sheet_rows(src, formats)]
            with ws._get_source() as src:
                parser = WorkSheetParser(src, ws._shared_strings, epoch=wb.epoch,
                                         date_formats=wb._date_formats,
                                         timedelta_formats=wb._timedelta_formats)
                theirs = [(n, [(c["row"], openpyxl.utils.get_column_letter(c["column"]),
                                _formula_text(c["value"]), c["data_type"]) for c in cells])
                          for n, cells in parser.parse()]
            pairs.append((ours, theirs))
    finally:
        wb.close()
    return pairs


def _formula_text(value: Any) -> Any:
    return getattr(value, "text", value)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_samples_read_the_same_as_openpyxl(path: Path) -> None:
    for ours, theirs in _both(path):
        assert ours == theirs


def test_every_kind_of_cell_reads_the_same_as_openpyxl(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["text", 12, 3.5, True, False, dt.date(2026, 11, 23), dt.time(14, 30),
               dt.datetime(2026, 1, 2, 3, 4), "=SUM(B1:C1)", "#N/A"])
    ws["K1"] = 0.685
    ws["K1"].number_format = "0.0%"
    ws["L1"] = CellRichText(["plain ", TextBlock(InlineFont(b=True), "bold")])
    ws["A5"] = "after a gap"
    ws["C7"] = "line\nbreak _x000D_ escaped"
    ws["B2"] = dt.timedelta(hours=1, minutes=30)
    path = tmp_path / "kinds.xlsx"
    wb.save(path)
    [(ours, theirs)] = _both(path)
    assert ours == theirs
    values = [v for _, cells in ours for (_, _, v, _) in cells]
    assert "plain bold" in values and "after a gap" in values and "=SUM(B1:C1)" in values
