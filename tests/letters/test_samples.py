"""The letters' samples are what the README and `make demo` say: run month by month on one
register, they call for every letter; they are what their script makes."""

from __future__ import annotations

import datetime as dt
import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from docgen.letters import letters
from docgen.letters.templates import OWN_DIR

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "letters"


def _script() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_letter_samples", ROOT / "scripts" / "make_letter_samples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_samples_are_what_the_script_makes() -> None:
    module = _script()
    assert (SAMPLES / "register-2026-12.csv").read_bytes() == module.register_csv(
        dt.date(2026, 12, 11), "cp1252")
    assert (SAMPLES / "register-2027-01.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (SAMPLES / "register-2027-01.csv").read_bytes() == module.register_csv(
        module.END, "utf-8-sig")
    rows = module.summary_rows(dt.date(2026, 11, 20))
    sheet = load_workbook(SAMPLES / "attendance-2026-11.xlsx")["Attendance"]
    names = [c.value for c in sheet["A"][1:]]
    assert names == [r.get("Pupil name") for r in rows]
    assert len([n for n in names if n]) == 31  # thirty pupils and one bad row with a name


def test_the_letter_template_is_what_its_script_makes(tmp_path: Path) -> None:
    """docgen/templates/letters/letter.docx is generated: edit
    scripts/build_letter_template.py, then run `make templates`."""
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_letter_template.py"),
                    str(tmp_path)], check=True, capture_output=True)
    assert (tmp_path / "letter.docx").read_bytes() == (OWN_DIR / "letter.docx").read_bytes()


def test_month_by_month_the_samples_call_for_every_letter(tmp_path: Path) -> None:
    register = tmp_path / "register.sqlite"
    school = ROOT / "samples" / "westside-school.toml"

    def run(source: str, day: dt.date, **kw: Any) -> Any:
        return letters([SAMPLES / source], tmp_path / source, school=school, today=day,
                       formats=("docx",), jobs=1, register=register, **kw)

    november = run("attendance-2026-11.xlsx", dt.date(2026, 11, 23))
    december = run("register-2026-12.csv", dt.date(2026, 12, 14))
    january = run("register-2027-01.csv", dt.date(2027, 1, 18))
    visits = run("visits.json", dt.date(2026, 11, 20),
                 contacts=SAMPLES / "attendance-2026-11.xlsx")
    missed = letters([SAMPLES / "visits.json"], tmp_path / "missed", school=school,
                     today=dt.date(2026, 11, 24), formats=("docx",), jobs=1, register=False,
                     letter=("missed-you",))
    made: set[str] = set()
    for result in (november, december, january, visits, missed):
        made |= set(result.counts)
    assert {"attendance-concern-1", "attendance-concern-2", "attendance-concern-3",
            "agreement-reminder", "follow-up-visit", "la-notification", "visit-appointment",
            "missed-you", "record-of-agreement", "visit-cancelled"} <= made
    # bad rows are reported and the rest is made
    assert november.run.counts()["records rejected"] == 2
    assert december.run.counts()["records rejected"] == 2
    # the family marked do not send gets nothing, the authority is still told
    rows = {r.pupil: r for r in january.run.records}
    assert "withheld (marked do not send)" in rows["Yusuf Okafor"].note
    assert "la-notification" in rows["Yusuf Okafor"].details["letters"]
    rows = {r.pupil: r for r in december.run.records}
    # two households at two addresses: two letters
    assert rows["Zainab Ahmed"].details["addressees"].startswith(
        "Mrs Amina Ahmed; Mr Tariq Ahmed")
    # one parent of a two-parent family marked do not send
    assert "no letter to Sean Murphy: marked do not send" in rows["Dylan Murphy"].note
