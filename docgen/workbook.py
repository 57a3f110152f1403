"""Write a form's workbook: blank (``docgen template``) or filled with records (the samples).

Every header, dropdown, format and instruction comes from ``columns(model)``; nothing about a
form's fields is written here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from docgen.output import atomic_write
from docgen.schemas import FormModel, get_form
from docgen.schemas.columns import Column, columns
from docgen.schemas.types import FIRST_YEAR, LAST_YEAR, Choice, display

TEMPLATE_ROWS = 500  # rows that get dropdowns and formats
LISTS_SHEET = "Lists"
INSTRUCTIONS_SHEET = "Instructions"

_SECTION_FILLS = ["1F4E79", "2E75B6", "548235", "7F6000", "843C0C", "7030A0", "375623",
                  "203864"]
_THIN = Side(style="thin", color="BFBFBF")
_WIDTHS = {"long": 48, "text": 24, "date": 13, "time": 10, "yesno": 11, "integer": 12,
           "number": 12}
_FORMATS = {"date": "DD/MM/YYYY", "time": "HH:MM", "text": "@", "long": "@"}


def write_workbook(
    form: str | type[FormModel],
    path: str | Path,
    records: Sequence[FormModel] = (),
    *,
    overwrite: bool = False,
) -> Path:
    """Write the workbook for ``form`` to ``path`` (atomically; never over an existing file
    unless ``overwrite``). With ``records``, one row is filled per record."""
    model = get_form(form) if isinstance(form, str) else form
    wb = build_workbook(model, records)
    return atomic_write(path, wb.save, overwrite=overwrite)


def build_workbook(model: type[FormModel], records: Sequence[FormModel] = ()) -> Workbook:
    cols = columns(model)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = model.sheet_title
    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    _header(ws, cols)
    _validations(ws, lists, cols)
    for r, record in enumerate(records, start=2):
        _fill_row(ws, r, record, cols)
    _instructions(wb.create_sheet(INSTRUCTIONS_SHEET, 0), model, cols)
    wb.active = 1
    wb.properties.title = model.form_title
    wb.properties.creator = "docgen"
    wb.properties.keywords = f"docgen:{model.form_name}"
    return wb


def _header(ws: Worksheet, cols: Sequence[Column]) -> None:
    sections = list(dict.fromkeys(c.section for c in cols))
    freeze_after = 1
    for i, col in enumerate(cols, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(row=1, column=i, value=col.header + (" *" if col.required else ""))
        fill = _SECTION_FILLS[sections.index(col.section) % len(_SECTION_FILLS)]
        cell.font = Font(bold=True, color="FFFFFF", underline="single" if col.required else None)
        cell.fill = PatternFill("solid", fgColor=fill)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
        cell.comment = Comment(_help_text(col), "docgen", width=320, height=160)
        width = _WIDTHS.get(col.kind, 30)
        if col.kind == "choice":
            width = min(40, max(14, max(len(c) for c in col.choices) + 2))
        dim = ws.column_dimensions[letter]
        dim.width = width
        if col.kind in _FORMATS:
            dim.number_format = _FORMATS[col.kind]
        if col.kind == "long":
            dim.alignment = Alignment(wrap_text=True, vertical="top")
        if col.path == ("pupil_name",):
            freeze_after = i
        if col.collapsed:
            dim.outline_level = 1
            dim.hidden = True
    ws.row_dimensions[1].height = 75
    ws.freeze_panes = f"{get_column_letter(freeze_after + 1)}2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}1"


def _help_text(col: Column) -> str:
    lines = [col.help] if col.help else []
    lines.append("Required." if col.required else "Optional.")
    if col.kind == "date":
        lines.append("A date, day first: DD/MM/YYYY.")
    elif col.kind == "time":
        lines.append("A time: 14:30 or 2:30pm.")
    elif col.kind == "yesno":
        lines.append("Yes or No.")
    elif col.kind == "choice":
        lines.append("Pick from the list.")
    if col.blank_means is not None:
        shown = display(col.blank_means).replace("\n", "; ")
        lines.append(f"Blank means: {shown}.")
    if col.no_echo:
        lines.append("Never write the code word itself.")
    return "\n".join(lines)


def _validations(ws: Worksheet, lists: Worksheet, cols: Sequence[Column]) -> None:
    last = TEMPLATE_ROWS + 1
    list_column = 0
    yes_no = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True,
                            showErrorMessage=True, errorTitle="Yes or No",
                            error="Choose Yes or No from the list.")
    ws.add_data_validation(yes_no)
    by_choices: dict[tuple[str, ...], DataValidation] = {}
    for i, col in enumerate(cols, start=1):
        cells = f"{get_column_letter(i)}2:{get_column_letter(i)}{last}"
        if col.kind == "yesno":
            yes_no.add(cells)
        elif col.kind == "choice":
            dv = by_choices.get(col.choices)
            if dv is None:
                list_column += 1
                letter = get_column_letter(list_column)
                for r, label in enumerate(col.choices, start=1):
                    lists.cell(row=r, column=list_column, value=label)
                ref = f"{quote_sheetname(LISTS_SHEET)}!${letter}$1:${letter}${len(col.choices)}"
                dv = DataValidation(type="list", formula1=ref, allow_blank=True,
                                    showErrorMessage=True, errorTitle=col.label,
                                    error="Choose a value from the list.")
                ws.add_data_validation(dv)
                by_choices[col.choices] = dv
            dv.add(cells)
        elif col.kind in ("date", "time"):
            dv = DataValidation(
                type="date" if col.kind == "date" else "time", operator="between",
                formula1=f"DATE({FIRST_YEAR},1,1)" if col.kind == "date" else "0",
                formula2=f"DATE({LAST_YEAR},12,31)" if col.kind == "date" else "0.999988",
                allow_blank=True, showErrorMessage=True, errorStyle="warning",
                errorTitle=col.label,
                error=("Type a date as DD/MM/YYYY, e.g. 03/04/2026." if col.kind == "date"
                       else "Type a time such as 14:30."),
                showInputMessage=True, promptTitle=col.label[:32],
                prompt="DD/MM/YYYY" if col.kind == "date" else "HH:MM, e.g. 14:30",
            )
            ws.add_data_validation(dv)
            dv.add(cells)
        elif col.kind in ("integer", "number"):
            low = display(col.minimum) if col.minimum is not None else "-1E+300"
            high = display(col.maximum) if col.maximum is not None else "1E+300"
            dv = DataValidation(type="whole" if col.kind == "integer" else "decimal",
                                operator="between", formula1=low, formula2=high,
                                allow_blank=True, showErrorMessage=True, errorStyle="warning",
                                errorTitle=col.label,
                                error=f"Type a number from {low} to {high}.")
            ws.add_data_validation(dv)
            dv.add(cells)


def cell_value(record: FormModel, col: Column) -> Any:
    """The value of ``col`` in ``record`` as a workbook cell holds it, or None."""
    node: Any = record
    for step in col.path:
        if node is None:
            return None
        if isinstance(step, int):
            node = node[step] if step < len(node) else None
        else:
            node = getattr(node, step)
    if isinstance(node, bool | Choice):
        return _as_cell(node)
    if isinstance(node, dt.date | dt.time | int | float | str) or node is None:
        return node
    return str(node)


def _check_slots(record: FormModel, cols: Sequence[Column]) -> None:
    """A list longer than the workbook's slots would lose its last items: refuse instead."""
    slots: dict[tuple[Any, ...], int] = {}
    for col in cols:
        for i, step in enumerate(col.path):
            if isinstance(step, int):
                key = col.path[:i]
                slots[key] = max(slots.get(key, 0), step + 1)
    for list_path, count in slots.items():
        node: Any = record
        for step in list_path:
            if isinstance(step, int):
                node = node[step] if isinstance(node, list) and step < len(node) else None
            else:
                node = getattr(node, step, None)
        if isinstance(node, list) and len(node) > count:
            raise ValueError(
                f"{record.record_label()}: {len(node)} entries for "
                f"'{'.'.join(map(str, list_path))}' but the workbook has {count} columns for "
                "them; the rest would be lost."
            )


def _fill_row(ws: Worksheet, r: int, record: FormModel, cols: Sequence[Column]) -> None:
    _check_slots(record, cols)
    for i, col in enumerate(cols, start=1):
        value = cell_value(record, col)
        if value is None or (col.blank_means is not None
                             and value == _as_cell(col.blank_means)):
            continue
        cell = ws.cell(row=r, column=i, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        if isinstance(value, dt.date):
            cell.number_format = "DD/MM/YYYY"
        elif isinstance(value, dt.time):
            cell.number_format = "HH:MM"
        if col.kind == "long":
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _as_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Choice):
        return value.label
    return value


def _instructions(ws: Worksheet, model: type[FormModel], cols: Sequence[Column]) -> None:
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 46
    ws.column_dimensions["C"].width = 11
    ws.column_dimensions["D"].width = 70
    ws.column_dimensions["E"].width = 50
    ws["A1"] = f"{model.form_title}: how to fill in this workbook"
    ws["A1"].font = Font(bold=True, size=14)
    notes = [
        f"Fill in one visit per row on the '{model.sheet_title}' sheet, from row 2. Headers "
        "marked * are required.",
        "Dates are day first: 03/04/2026 is 3 April 2026. Times as 14:30 or 2:30pm. "
        "Yes/No columns take Yes or No (Y, N, TRUE and FALSE also work).",
        "Type values, not formulas: docgen rejects formula cells.",
        *model.workbook_notes,
        "Check the workbook before printing: docgen validate THIS-FILE.xlsx --policy att "
        "(or westside, or your school's policy file).",
        "This workbook holds sensitive personal data: keep it on the school's secure storage.",
    ]
    for r, note in enumerate(notes, start=3):
        ws.cell(row=r, column=1, value="•")
        ws.cell(row=r, column=2, value=note)
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=5)
        ws.cell(row=r, column=2).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[r].height = 30
    top = len(notes) + 4
    for c, title in enumerate(["Column", "Header", "Required", "What to enter",
                               "Allowed values"], start=1):
        cell = ws.cell(row=top, column=c, value=title)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
    for i, col in enumerate(cols, start=1):
        r = top + i
        allowed = {
            "choice": "; ".join(col.choices),
            "yesno": "Yes, No",
            "date": "DD/MM/YYYY",
            "time": "HH:MM or 2:30pm",
            "integer": "whole number",
            "number": "number",
        }.get(col.kind, "text")
        values = [get_column_letter(i), col.header, "Yes" if col.required else "",
                  col.help, allowed]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = f"A{top + 1}"
