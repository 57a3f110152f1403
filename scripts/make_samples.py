"""Regenerate the sample workbooks from the sample JSON files (``make samples``).

The JSON files under samples/att and samples/westside are the source; each folder gets one
workbook per form holding the same visits. samples/invalid gets a workbook with deliberate
mistakes of every kind a person makes. A test checks the committed workbooks match.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docgen.records import load_file
from docgen.schemas import FORMS, VisitReport
from docgen.schemas.columns import columns
from docgen.workbook import build_workbook, write_workbook

ROOT = Path(__file__).resolve().parent.parent / "samples"
WORKBOOK_NAMES = {"risk-assessment": "risk-assessments.xlsx", "visit-report": "visit-reports.xlsx"}

# Rows of the invalid workbook, by header; every value is a mistake a person could make.
INVALID_ROWS = [
    {
        "Name of pupil": "Ellie Watson",
        "Date of birth": "31/02/2013",  # no such day
        "Class": "6B",
        "Staff attending 1": "Helen Brooks",
        "Date of Visit": "11/23/2026",  # month first
        "Time of Visit": "25:00",
        "Purpose of visit": "Home visit",  # not a choice
        "Reason for visit?": "Attendance",
        "Was the DSL consulted regarding your visit?": "Maybe",
        "Was anyone home?": "No",
        "Was a risk assessment completed/ consulted?": "Yes",
        "Did you exhaust all other methods of communication first?": "Yes",
    },
    {
        "Name of pupil": "Oscar Bell",
        "Date of birth": dt.datetime(2014, 6, 1),
        "Class": "5C",
        "Staff attending 1": "Helen Brooks",
        "Staff attending 2": "Sophie Grant",
        "Date of Visit": dt.datetime(2099, 1, 12),  # in the future
        "Time of Visit": dt.time(14, 30),
        "Purpose of visit": "Attendance issues or concerns",
        "Reason for visit?": "Persistent absence",
        "Was the DSL consulted regarding your visit?": "Yes",
        "Was anyone home?": "Yes",
        "Was a risk assessment completed/ consulted?": "Yes",
        "Did you exhaust all other methods of communication first?": "Yes",
        "Who was home?": "Mr Bell",
        "Did you enter the property?": "Y",
        "Was an appropriate adult present while you were inside?": "N",
        "What time did you arrive?": "2:30pm",
        "What time did you leave?": "14:10",  # before arrival
        "Were there any concerns for the welfare of the pupil?": "Yes",  # no details, no DSL
        "What was discussed?": "Attendance",
    },
    {
        "Name of pupil": None,  # required
        "Date of birth": "01/09/2013",
        "UPN": "B123456789012",  # wrong check letter
        "Class": "8A",
        "Staff attending 1": "Marcus Webb",
        "Staff attending 2": "Helen Brooks",
        "Date of Visit": "02/11/2026",
        "Time of Visit": "09:15",
        "Purpose of visit": "welfare check",
        "Reason for visit?": '=CONCAT("Absent ", "3 days")',  # a formula
        "Was the DSL consulted regarding your visit?": "yes",
        "Was anyone home?": "no",
        "Was a risk assessment completed/ consulted?": "TRUE",
        "Did you exhaust all other methods of communication first?": "false",
        "Pupil's attendance over the last three months (%)": "about half",
    },
]


def samples_for(folder: Path) -> dict[str, list[object]]:
    by_form: dict[str, list[object]] = {name: [] for name in FORMS}
    for path in sorted(folder.glob("*.json")):
        result = load_file(path)
        bad = [i for i in result.all_issues() if i.is_error]
        if bad:
            sys.exit(f"{path}: sample does not parse: {bad[0].message}")
        for record in result.records:
            by_form[record.form_name or ""].append(record.form)
    return by_form


def write_invalid(path: Path) -> None:
    wb = build_workbook(VisitReport)
    ws = wb[VisitReport.sheet_title]
    index = {c.header: i for i, c in enumerate(columns(VisitReport), start=1)}
    for r, row in enumerate(INVALID_ROWS, start=2):
        for header, value in row.items():
            if value is None:
                continue
            cell = ws.cell(row=r, column=index[header], value=value)
            if isinstance(value, str) and not value.startswith("="):
                cell.data_type = "s"
    extra = len(index) + 1
    ws.cell(row=1, column=extra, value="Notes")  # not a column of the form
    ws.cell(row=2, column=extra, value="typed in a hurry")
    wb.save(path)


def main() -> None:
    for policy in ("att", "westside"):
        folder = ROOT / policy
        for form, records in samples_for(folder).items():
            target = folder / WORKBOOK_NAMES[form]
            write_workbook(form, target, records, overwrite=True)  # type: ignore[arg-type]
            print(f"wrote {target} ({len(records)} visits)")
    target = ROOT / "invalid" / "visit-reports-invalid.xlsx"
    write_invalid(target)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
