"""An exported CSV opened in LibreOffice Calc (headless, as a spreadsheet user would open it):
the cells that would be formulas show as text, a phone number and a negative number stay as
they are, and, to show the check can fail, the same import evaluates an unneutralised formula.
LibreOffice is installed by scripts/install-system-deps.sh (run by the Makefile)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from docgen.export.formats import csv_bytes
from docgen.export.mapping import Column, Mapping
from docgen.export.record import ExportRecord

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: scripts/install-system-deps.sh installs "
    "libreoffice-calc-nogui where it can (needs root and apt-get)")

CELLS = {  # field -> what is in it
    "pupil_name": "=1+1",
    "reported_by": "=HYPERLINK(\"http://evil.example\",\"click\")",
    "upn": "+SUM(1,1)",
    "pupil_class": "-2+3",
    "visit_reference": "@SUM(1,1)",
    "amends": "+44 7700 900123",
    "incident_text": "-12.5",
}
FORMULAS = ("pupil_name", "reported_by", "upn", "pupil_class", "visit_reference")


def test_calc_shows_neutralised_cells_as_text(tmp_path: Path) -> None:
    record = ExportRecord(id="VR-0123456789ABCDEF", record_type="visit-report", status="new",
                          incident_date=dt.date(2026, 11, 23), **CELLS)
    names = list(CELLS)
    mapping = Mapping(columns=[Column(header=name, field=name) for name in names])
    source = tmp_path / "export.csv"
    data = csv_bytes([record], mapping)
    # the control row: the same cells written by a CSV writer that does not neutralise
    raw = ",".join('"' + v.replace('"', '""') + '"' for v in CELLS.values()) + "\r\n"
    source.write_bytes(data + raw.encode("utf-8"))

    profile = (tmp_path / "lo-profile").as_uri()  # its own profile: runs never share a lock
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "xlsx", "--infilter=CSV:44,34,76,1", "--outdir", str(tmp_path),
         str(source)],
        capture_output=True, text=True, timeout=180, check=False)
    converted = tmp_path / "export.xlsx"
    assert converted.exists(), done.stdout + done.stderr

    sheet = load_workbook(converted).active
    assert sheet is not None
    rows = [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]
    header, exported, control = rows
    assert [v for v, _ in header] == names
    shown = dict(zip(names, exported, strict=True))
    for name in FORMULAS:
        value, kind = shown[name]
        assert kind == "s", f"{name}: {value!r} is not text"
        assert value == "'" + CELLS[name]  # shown as typed, with the mark: never evaluated
    assert shown["amends"] == ("+44 7700 900123", "s")  # readable as written
    assert shown["incident_text"] == (-12.5, "n")  # a number, as written
    # without neutralising, Calc makes formulas of the cells starting with "=" (Excel also of
    # those starting with +, - or @: they are marked for it)
    unguarded = dict(zip(names, control, strict=True))
    assert unguarded["pupil_name"] == ("=1+1", "f")
    assert unguarded["reported_by"][1] == "f", unguarded["reported_by"]
