"""Write a form's workbook: blank (``docgen template``) or filled with records (the samples).

Two layouts, both read back by ``docgen.records`` without being told which:

- ``form``: one visit per sheet, the questions down column A in the form's order and sections,
  the answers in column B; what a member of staff filling in one visit wants (the default of
  ``docgen template``). Another visit is a copy of the sheet.
- ``table``: one visit per row under a header row; for a batch of visits (the samples).

Every label, dropdown, format, comment and instruction comes from ``columns(model)``; nothing
about a form's fields is written here. Given the school's policy, a workbook leaves out the
optional questions the policy does not ask (unless a record answers them).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell import Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from docgen.output import atomic_write
from docgen.policy import Policy
from docgen.schemas import FormModel, get_form
from docgen.schemas.columns import Column, columns
from docgen.schemas.types import FIRST_YEAR, LAST_YEAR, Choice, display

Layout = Literal["form", "table"]
LAYOUTS: tuple[Layout, ...] = ("form", "table")
TEMPLATE_ROWS = 500  # rows of a table that get dropdowns and formats
LISTS_SHEET = "Lists"
INSTRUCTIONS_SHEET = "Instructions"
FONT = "Arial"  # a sans font every spreadsheet program has (or maps to a metric twin)

_SECTION_FILLS = ["1F4E79", "2E75B6", "548235", "7F6000", "843C0C", "7030A0", "375623",
                  "203864"]
_NAVY = "1F4E79"
_THIN = Side(style="thin", color="BFBFBF")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WIDTHS = {"long": 48, "text": 24, "date": 13, "time": 10, "yesno": 11, "integer": 12,
           "number": 12}
_FORMATS = {"date": "DD/MM/YYYY", "time": "HH:MM", "text": "@", "long": "@"}
_LINE_POINTS = 15.0  # the height of one line of 10-11 pt text, in points


def write_workbook(
    form: str | type[FormModel],
    path: str | Path,
    records: Sequence[FormModel] = (),
    *,
    layout: Layout = "table",
    policy: Policy | None = None,
    overwrite: bool = False,
) -> Path:
    """Write the workbook for ``form`` to ``path`` (atomically; never over an existing file
    unless ``overwrite``). With ``records``, one row (table) or one sheet (form) per record.
    With ``policy``, only the questions that policy asks."""
    model = get_form(form) if isinstance(form, str) else form
    wb = build_workbook(model, records, layout=layout, policy=policy)
    return atomic_write(path, wb.save, overwrite=overwrite)


def build_workbook(model: type[FormModel], records: Sequence[FormModel] = (), *,
                   layout: Layout = "table", policy: Policy | None = None) -> Workbook:
    cols = asked_columns(model, policy, records)
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    instructions = wb.create_sheet(INSTRUCTIONS_SHEET)
    lists = _Lists(wb.create_sheet(LISTS_SHEET))
    if layout == "form":
        for i, record in enumerate(records or [None]):
            title = model.sheet_title if i == 0 else f"{model.sheet_title} ({i + 1})"
            ws = wb.create_sheet(title, index=wb.sheetnames.index(LISTS_SHEET))
            _form_sheet(ws, model, cols, lists, record)
    else:
        ws = wb.create_sheet(model.sheet_title, index=1)
        _table_sheet(ws, cols, lists, records)
    _instructions(instructions, model, cols, layout)
    wb.active = 1
    wb.properties.title = model.form_title
    wb.properties.creator = "docgen"
    wb.properties.keywords = f"docgen:{model.form_name}"
    return wb


def asked_columns(model: type[FormModel], policy: Policy | None,
                  records: Sequence[FormModel] = ()) -> tuple[Column, ...]:
    """The form's columns the policy asks (all of them without a policy); a column a record
    answers is always kept."""
    cols = columns(model)
    if policy is None:
        return cols
    return tuple(
        c for c in cols
        if not c.asked_by or any(policy.asks(name) for name in c.asked_by)
        or any(cell_value(r, c) is not None for r in records)
    )


def _font(**kw: Any) -> Font:
    return Font(name=FONT, **kw)


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


def _comment(col: Column) -> Comment:
    return Comment(_help_text(col), "docgen", width=320, height=160)


def _label(col: Column) -> str:
    return col.header + (" *" if col.required else "")


# --------------------------------------------------------------------------- dropdowns


class _Lists:
    """The hidden sheet of dropdown lists, one column per list of choices."""

    def __init__(self, ws: Worksheet) -> None:
        ws.sheet_state = "hidden"
        self.ws = ws
        self._refs: dict[tuple[str, ...], str] = {}

    def ref(self, choices: tuple[str, ...]) -> str:
        ref = self._refs.get(choices)
        if ref is None:
            letter = get_column_letter(len(self._refs) + 1)
            for r, label in enumerate(choices, start=1):
                self.ws.cell(row=r, column=len(self._refs) + 1, value=label)
            ref = f"{quote_sheetname(LISTS_SHEET)}!${letter}$1:${letter}${len(choices)}"
            self._refs[choices] = ref
        return ref


def _validation(col: Column, lists: _Lists) -> DataValidation | None:
    """The dropdown or check Excel applies to the cells of ``col``."""
    if col.kind == "yesno":
        return DataValidation(type="list", formula1='"Yes,No"', allow_blank=True,
                              showErrorMessage=True, errorTitle="Yes or No",
                              error="Choose Yes or No from the list.")
    if col.kind == "choice":
        return DataValidation(type="list", formula1=lists.ref(col.choices), allow_blank=True,
                              showErrorMessage=True, errorTitle=col.label[:32],
                              error="Choose a value from the list.")
    if col.kind in ("date", "time"):
        date = col.kind == "date"
        return DataValidation(
            type="date" if date else "time", operator="between",
            formula1=f"DATE({FIRST_YEAR},1,1)" if date else "0",
            formula2=f"DATE({LAST_YEAR},12,31)" if date else "0.999988",
            allow_blank=True, showErrorMessage=True, errorStyle="warning",
            errorTitle=col.label[:32],
            error=("Type a date as DD/MM/YYYY, e.g. 03/04/2026." if date
                   else "Type a time such as 14:30."),
            showInputMessage=True, promptTitle=col.label[:32],
            prompt="DD/MM/YYYY" if date else "HH:MM, e.g. 14:30",
        )
    if col.kind in ("integer", "number"):
        low = display(col.minimum) if col.minimum is not None else "-1E+300"
        high = display(col.maximum) if col.maximum is not None else "1E+300"
        return DataValidation(type="whole" if col.kind == "integer" else "decimal",
                              operator="between", formula1=low, formula2=high,
                              allow_blank=True, showErrorMessage=True, errorStyle="warning",
                              errorTitle=col.label[:32],
                              error=f"Type a number from {low} to {high}.")
    return None


def _validations(ws: Worksheet, cols: Sequence[Column], lists: _Lists,
                 cells_of: Any) -> None:
    """One validation per kind of answer (per list, for choices), over the cells
    ``cells_of(index, col)`` gives for each column."""
    by_key: dict[Any, DataValidation] = {}
    for i, col in enumerate(cols):
        key: Any = (col.kind, col.choices, col.minimum, col.maximum, col.label
                    if col.kind in ("date", "time", "integer", "number") else "")
        dv = by_key.get(key)
        if dv is None:
            dv = _validation(col, lists)
            if dv is None:
                continue
            ws.add_data_validation(dv)
            by_key[key] = dv
        dv.add(cells_of(i, col))


# --------------------------------------------------------------------------- values


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


def _put(cell: Cell | MergedCell, record: FormModel, col: Column) -> None:
    """Write ``record``'s answer to ``col`` into ``cell`` (nothing if it has none, or if it is
    what a blank cell stands for)."""
    value = cell_value(record, col)
    if value is None or (col.blank_means is not None and value == _as_cell(col.blank_means)):
        return
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    if isinstance(value, dt.date):
        cell.number_format = "DD/MM/YYYY"
    elif isinstance(value, dt.time):
        cell.number_format = "HH:MM"


def _as_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Choice):
        return value.label
    return value


# --------------------------------------------------------------------------- printing


def _print_setup(ws: Worksheet, orientation: Literal["portrait", "landscape"]) -> None:
    """A4, as wide as the page (as many pages down as it takes), the sheet's name and the page
    number at the foot of each page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if ws.oddFooter is not None and ws.oddFooter.center is not None:
        ws.oddFooter.center.text = "&A · page &P of &N"


# --------------------------------------------------------------------------- table layout


def _table_sheet(ws: Worksheet, cols: Sequence[Column], lists: _Lists,
                 records: Sequence[FormModel]) -> None:
    sections = list(dict.fromkeys(c.section for c in cols))
    freeze_after = 1
    for i, col in enumerate(cols, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(row=1, column=i, value=_label(col))
        fill = _SECTION_FILLS[sections.index(col.section) % len(_SECTION_FILLS)]
        cell.font = _font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=fill)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = _BOX
        cell.comment = _comment(col)
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
    last = TEMPLATE_ROWS + 1
    _validations(ws, cols, lists, lambda i, col: (
        f"{get_column_letter(i + 1)}2:{get_column_letter(i + 1)}{last}"))
    for r, record in enumerate(records, start=2):
        _check_slots(record, cols)
        for i, col in enumerate(cols, start=1):
            written = ws.cell(row=r, column=i)
            _put(written, record, col)
            if col.kind == "long" and written.value is not None:
                written.alignment = Alignment(wrap_text=True, vertical="top")
    # printing: landscape, as wide as the page, the header row on every page
    _print_setup(ws, "landscape")
    ws.print_title_rows = "1:1"


# --------------------------------------------------------------------------- form layout

FORM_LABEL_WIDTH = 52
FORM_ANSWER_WIDTH = 62
FORM_FIRST_ROW = 4  # the title, a line of help, a blank row, then the questions


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` characters wide (a little
    generous: proportional type is narrower than Excel's width unit on average)."""
    per_line = max(1.0, width * 1.1)
    return max(1, sum(math.ceil(max(1, len(part)) / per_line) for part in text.split("\n")))


def _form_sheet(ws: Worksheet, model: type[FormModel], cols: Sequence[Column],
                lists: _Lists, record: FormModel | None) -> None:
    """One visit: the questions down column A, the answers in column B."""
    ws.column_dimensions["A"].width = FORM_LABEL_WIDTH
    ws.column_dimensions["B"].width = FORM_ANSWER_WIDTH
    title = ws.cell(row=1, column=1, value=model.form_title)
    title.font = _font(bold=True, size=14, color=_NAVY)
    note = ws.cell(row=2, column=1, value=(
        "Answer in column B. Questions marked * must be answered; point at a question for "
        "help. One visit per sheet: for another visit, copy this sheet (right-click its tab, "
        "Move or Copy, Create a copy)."))
    note.font = _font(size=9, color="595959")
    note.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=2)
    ws.row_dimensions[2].height = _LINE_POINTS * 2
    if record is not None:
        _check_slots(record, cols)
    rows: list[int] = []
    r = FORM_FIRST_ROW - 1
    section: str | None = None
    for col in cols:
        if col.section != section:
            section = col.section
            r += 1 if section is None or r < FORM_FIRST_ROW else 2
            head = ws.cell(row=r, column=1, value=section)
            head.font = _font(bold=True, color="FFFFFF")
            for c in (1, 2):
                ws.cell(row=r, column=c).fill = PatternFill("solid", fgColor=_NAVY)
            ws.row_dimensions[r].height = _LINE_POINTS + 3
        r += 1
        label = ws.cell(row=r, column=1, value=_label(col))
        label.data_type = "s"
        label.font = _font(bold=col.required)
        label.alignment = Alignment(wrap_text=True, vertical="top")
        label.fill = PatternFill("solid", fgColor="EEF2F7")
        label.border = _BOX
        label.comment = _comment(col)
        answer = ws.cell(row=r, column=2)
        answer.font = _font()
        answer.border = _BOX
        answer.alignment = Alignment(wrap_text=True, vertical="top")
        if col.kind in _FORMATS:
            answer.number_format = _FORMATS[col.kind]
        if record is not None:
            _put(answer, record, col)
        shown = str(answer.value) if answer.value is not None else ""
        lines = max(_lines(_label(col), FORM_LABEL_WIDTH),
                    _lines(shown, FORM_ANSWER_WIDTH), 4 if col.long else 1)
        ws.row_dimensions[r].height = _LINE_POINTS * lines + 3
        if col.collapsed:  # the hazard matrix: folded away, its generic assessment kept
            ws.row_dimensions[r].outline_level = 1
            ws.row_dimensions[r].hidden = True
        rows.append(r)
    if ws.sheet_properties.outlinePr is not None:
        ws.sheet_properties.outlinePr.summaryBelow = False  # the + beside the group's heading
    if any(col.collapsed for col in cols):
        ws.sheet_format.outlineLevelRow = 1
    _validations(ws, cols, lists, lambda i, col: f"B{rows[i]}")
    ws.freeze_panes = "A3"
    _print_setup(ws, "portrait")
    ws.print_area = f"A1:B{r}"


# --------------------------------------------------------------------------- instructions

_INSTRUCTION_WIDTHS = {"A": 4, "B": 38, "C": 10, "D": 60, "E": 40}


def _instructions(ws: Worksheet, model: type[FormModel], cols: Sequence[Column],
                  layout: Layout) -> None:
    """How to fill in the workbook, for this form and this layout; for a table, every column
    with what to enter. Rows are as tall as their wrapped text, bullets at their text's top,
    and the sheet prints as wide as the page."""
    for letter, width in _INSTRUCTION_WIDTHS.items():
        ws.column_dimensions[letter].width = width
    title = ws.cell(row=1, column=1, value=f"{model.form_title}: how to fill in this workbook")
    title.font = _font(bold=True, size=14, color=_NAVY)
    if layout == "form":
        where = (f"Answer the questions in column B of the '{model.sheet_title}' sheet, one "
                 "visit per sheet. For another visit, copy the sheet (right-click its tab, "
                 "Move or Copy, Create a copy) and fill in the copy. Questions marked * must "
                 "be answered; point at a question to see its help.")
    else:
        where = (f"Fill in one visit per row on the '{model.sheet_title}' sheet, from row 2. "
                 "Headers marked * are required; point at a header to see its help.")
    notes = [
        where,
        "Dates are day first: 03/04/2026 is 3 April 2026. Times as 14:30 or 2:30pm. "
        "Yes/No questions take Yes or No (Y, N, TRUE and FALSE also work).",
        "Leave a question that does not apply empty (n/a and - are read as empty).",
        "Type values, not formulas: docgen rejects formula cells.",
        *model.workbook_notes,
        "Check the workbook before printing: docgen validate THIS-FILE.xlsx (docgen finds "
        "your school.toml in this folder or above, or give --school).",
        "This workbook holds sensitive personal data: keep it on the school's secure storage.",
    ]
    text_width = sum(_INSTRUCTION_WIDTHS[c] for c in "BCDE")
    r = 2
    for note in notes:
        r += 1
        bullet = ws.cell(row=r, column=1, value="•")
        bullet.alignment = Alignment(vertical="top", horizontal="right")
        bullet.font = _font()
        cell = ws.cell(row=r, column=2, value=note)
        cell.font = _font()
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=5)
        ws.row_dimensions[r].height = _LINE_POINTS * _lines(note, text_width) + 2
    if layout == "table":
        r = _column_list(ws, cols, r + 2)
    _print_setup(ws, "landscape")
    ws.print_area = f"A1:E{r}"


def _column_list(ws: Worksheet, cols: Sequence[Column], top: int) -> int:
    """Every column of the table: its letter, header, whether required, what to enter and
    the values allowed. Returns the last row."""
    heads = ["Column", "Header", "Required", "What to enter", "Allowed values"]
    for c, title in enumerate(heads, start=1):
        cell = ws.cell(row=top, column=c, value=title)
        cell.font = _font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=_NAVY)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.print_title_rows = f"{top}:{top}"
    ws.freeze_panes = f"A{top + 1}"
    r = top
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
        lines = 1
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.data_type = "s"
            cell.font = _font()
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            width = _INSTRUCTION_WIDTHS[get_column_letter(c)]
            lines = max(lines, _lines(value, width))
        ws.row_dimensions[r].height = _LINE_POINTS * lines + 2
    return r
