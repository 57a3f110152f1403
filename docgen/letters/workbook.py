"""The attendance workbook (``docgen template attendance``): one pupil per row with summary
figures and up to four contacts, headers and help from ``columns``, an Instructions sheet that
also explains the other shape an export may take (a session register) and the codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from docgen.letters.codes import MEANINGS, Group
from docgen.letters.columns import all_columns
from docgen.output import atomic_write

ATTENDANCE = "attendance"
SHEET = "Attendance"
ROWS = 500
REQUIRED = frozenset({"pupil_name", "period_from", "period_to", "possible", "attended",
                      "authorised", "unauthorised"})
_WIDTHS = {"name": 24, "text": 14, "date": 13, "count": 12, "percent": 12, "yesno": 11,
           "address": 36}
_FILLS = {"pupil": "1F4E79", "figures": "548235", "agreement": "7F6000", "contact": "7030A0"}


def build_attendance_workbook(rows: Sequence[Mapping[str, Any]] = ()) -> Workbook:
    """The workbook; ``rows`` (values by header) fill it, e.g. for the samples."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    columns = all_columns()
    yes_no = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True,
                            showErrorMessage=True, errorTitle="Yes or No",
                            error="Choose Yes or No from the list.")
    ws.add_data_validation(yes_no)
    for i, (header, column, number) in enumerate(columns, start=1):
        letter = get_column_letter(i)
        required = column.key in REQUIRED and number is None
        cell = ws.cell(row=1, column=i, value=header + (" *" if required else ""))
        group = ("contact" if number else "agreement" if column.key.startswith("agreement")
                 else "figures" if column.kind in ("count", "date") and column.key not in
                 ("date_of_birth",) else "pupil")
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=_FILLS[group])
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.comment = Comment(column.help + ("\nRequired." if required else ""), "docgen",
                               width=300, height=120)
        ws.column_dimensions[letter].width = _WIDTHS.get(column.kind, 16)
        cells = f"{letter}2:{letter}{ROWS + 1}"
        if column.kind == "date":
            ws.column_dimensions[letter].number_format = "DD/MM/YYYY"
        elif column.kind in ("text", "name", "address"):
            ws.column_dimensions[letter].number_format = "@"
        if column.kind == "yesno":
            yes_no.add(cells)
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "B2"
    for r, values in enumerate(rows, start=2):
        for i, (header, _, _) in enumerate(columns, start=1):
            value = values.get(header)
            if value is None or value == "":
                continue
            cell = ws.cell(row=r, column=i, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
            elif isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    _instructions(wb.create_sheet("Instructions", 0))
    wb.active = 1
    wb.properties.title = "Attendance for docgen letters"
    wb.properties.creator = "docgen"
    wb.properties.keywords = "docgen:attendance"
    return wb


def write_attendance_workbook(path: str | Path, rows: Sequence[Mapping[str, Any]] = (), *,
                              overwrite: bool = False) -> Path:
    wb = build_attendance_workbook(rows)
    return atomic_write(path, wb.save, overwrite=overwrite)


def _instructions(ws: Any) -> None:
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 100
    ws["A1"] = "Attendance for docgen letters: how to fill in this workbook"
    ws["A1"].font = Font(bold=True, size=14)
    notes = [
        f"One pupil per row on the '{SHEET}' sheet, from row 2. Headers marked * are needed "
        "for summary figures. An export from the school's MIS can be used as it is (.xlsx or "
        ".csv): docgen matches its headers in any case and spacing, and accepts the usual "
        "names (Legal Surname and Legal Forename, Reg Group, Possible, Present ...).",
        "Summary figures: the sessions possible, attended, and of authorised and unauthorised "
        "absence between 'Period from' and 'Period to' (two sessions a school day).",
        "Or a session register instead: one column per school day headed by its date "
        "(e.g. 'Mon 07/09/2026') holding the day's two marks ('/\\', '/N', 'I I'), or one "
        "column per session ('07/09/2026 AM'). Then the letters can list the days of "
        "unauthorised absence, and docgen works out attendance over the last three months "
        "and unauthorised sessions in any ten school weeks.",
        "Contacts: everyone with parental responsibility gets their own letter; two parents "
        "at one address share one. 'Do not send' (for the pupil, or for one contact) means "
        "no letter: never write why.",
        "Check the file, and see which letters are due, with: docgen letters THIS-FILE.xlsx "
        "--no-register --out check/",
        "This workbook holds sensitive personal data: keep it on the school's secure storage.",
    ]
    for r, text in enumerate(notes, start=3):
        ws.cell(row=r, column=1, value="•")
        cell = ws.cell(row=r, column=2, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[r].height = 45
    top = len(notes) + 4
    ws.cell(row=top, column=1, value="The 2024 DfE attendance codes docgen reads").font = \
        Font(bold=True, size=12)
    order = [Group.PRESENT, Group.ELSEWHERE, Group.AUTHORISED, Group.UNAUTHORISED,
             Group.NOT_POSSIBLE]
    r = top + 1
    for group in order:
        codes = [f"{code} {text}" for code, (g, text) in MEANINGS.items() if g is group]
        cell = ws.cell(row=r, column=2, value=f"{str(group).capitalize()}: " + "; ".join(codes))
        cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[r].height = 32
        r += 1
