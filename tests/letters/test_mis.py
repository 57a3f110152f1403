"""Reading attendance exports as schools' systems write them: CSV in every encoding and
separator, workbooks, summary figures or a session register, contacts; bad rows reported at
their cell while the rest is read."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import pytest

from docgen.letters.attendance import Counts
from docgen.letters.mis import AttendanceFile, decode
from docgen.letters.pupils import recipients
from docgen.letters.workbook import write_attendance_workbook
from tests.conftest import HOSTILE_NAME

SUMMARY = ("Name,Possible sessions,Attended,Authorised absence,Unauthorised absence,"
           "Period from,Period to\n")


def read(path: Path) -> tuple[list, AttendanceFile]:
    file = AttendanceFile(path)
    return list(file), file


def test_csv_in_utf8_with_a_bom_windows_1252_and_semicolons(tmp_path: Path) -> None:
    rows = "José Pérez,120,100,12,8,02/09/2026,20/11/2026\n"
    for name, data in {
        "bom.csv": codecs.BOM_UTF8 + (SUMMARY + rows).encode("utf-8"),
        "cp1252.csv": (SUMMARY + rows).encode("cp1252"),
        "utf16.csv": (SUMMARY + rows).encode("utf-16"),
        "semicolons.csv": (SUMMARY + rows).replace(",", ";").encode("utf-8"),
    }.items():
        path = tmp_path / name
        path.write_bytes(data)
        records, file = read(path)
        assert [r.pupil_name for r in records] == ["José Pérez"], name
        pupil = records[0].pupil
        assert pupil.attendance.counts == Counts(120, 100, 12, 8)
        assert pupil.attendance.start == dt.date(2026, 9, 2)
        assert file.result().ok, name


def test_windows_1252_is_chosen_only_when_the_bytes_are_not_utf8() -> None:
    assert decode("Zoë".encode()) == "Zoë"
    assert decode("Zoë".encode("cp1252")) == "Zoë"
    assert decode(codecs.BOM_UTF8 + b"x") == "x"


def test_mis_headers_are_matched_in_any_case_and_their_usual_names(tmp_path: Path) -> None:
    path = tmp_path / "sims.csv"
    path.write_text("Attendance summary 02/09/2026 to 20/11/2026\n"
                    "LEGAL SURNAME,legal forename,Reg Group,POSSIBLE,Present,AEA,"
                    "Authorised Absences,Unauthorised Absences\n"
                    "Nowak,Oliver,8JR,120,96,4,8,12\n", "utf-8")
    records, _ = read(path)
    pupil = records[0].pupil
    assert pupil.name == "Oliver Nowak" and pupil.pupil_class == "8JR"
    # the period stated above the header; attending elsewhere counts as attended
    assert pupil.attendance.start == dt.date(2026, 9, 2)
    assert pupil.attendance.end == dt.date(2026, 11, 20)
    assert pupil.attendance.counts == Counts(120, 100, 8, 12)


def test_a_register_by_day_and_by_session(tmp_path: Path) -> None:
    by_day = tmp_path / "days.csv"
    by_day.write_text("Name,Mon 07/09/2026,Tue 08/09/2026,Wed 09/09/2026\n"
                      "Oliver Nowak,/\\,N N,IC1\n", "utf-8")
    by_session = tmp_path / "sessions.csv"
    by_session.write_text("Name,07/09/2026 AM,07/09/2026 PM,08/09/2026 am,08/09/2026 pm,"
                          "09/09/2026 (AM),09/09/2026 (PM)\n"
                          "Oliver Nowak,/,\\,N,N,I,C1\n", "utf-8")
    for path in (by_day, by_session):
        records, _ = read(path)
        attendance = records[0].pupil.attendance
        assert attendance.is_register
        assert attendance.counts == Counts(6, 2, 2, 2), path.name
        assert attendance.start == dt.date(2026, 9, 7)
        assert attendance.end == dt.date(2026, 9, 9)


def test_bad_rows_are_reported_at_their_cell_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text("Name,Mon 07/09/2026,Tue 08/09/2026\n"
                    "Oliver Nowak,/\\,/A\n"      # A is no code
                    ",/\\,//\n"                  # no name
                    "Mia Patel,/\\,/\n"          # one mark in a day's cell
                    "Amy Ok,/\\,NN\n", "utf-8")
    records, file = read(path)
    assert [r.usable for r in records] == [False, False, False, True]
    unknown = records[0].issues[0]
    assert unknown.location.cell == "C2" and "'A' is not an attendance code" in unknown.message
    assert unknown.field == "Tue 08/09/2026"
    missing = records[1].issues[0]
    assert missing.location.cell == "A3" and "name is missing" in missing.message
    assert records[2].issues[0].location.cell == "C4"
    assert "Expected two marks" in records[2].issues[0].message
    assert records[3].pupil.attendance.counts.unauthorised == 2
    result = file.result()
    assert result.tally.records == 4 and result.tally.valid == 1


def test_more_attended_than_possible_is_a_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "summary.csv"
    path.write_text(SUMMARY + "Amy Too,100,110,0,0,02/09/2026,20/11/2026\n"
                    "Bo Sum,100,90,8,8,02/09/2026,20/11/2026\n"
                    "Cy Text,a hundred,90,8,8,02/09/2026,20/11/2026\n", "utf-8")
    records, _ = read(path)
    too_many = records[0].issues[0]
    assert too_many.location.cell == "C2"
    assert "Sessions attended (110) is more than possible sessions (100)" in too_many.message
    assert "add up to more than the 100 possible" in records[1].issues[0].message
    assert records[2].issues[0].location.cell == "B4"


def test_summary_figures_without_a_period_make_the_file_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "noperiod.csv"
    path.write_text("Name,Possible sessions,Attended,Authorised absence,Unauthorised absence\n"
                    "Amy,10,10,0,0\n", "utf-8")
    records, file = read(path)
    assert records == [] and file.unreadable
    assert "Period from" in file.result().issues[-1].message


def test_an_export_without_figures_or_names_says_what_it_lacks(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text("Name,Class\nAmy,7A\n", "utf-8")
    _, file = read(path)
    assert file.unreadable and "missing: 'Possible sessions'" in file.result().issues[-1].message
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", "utf-8")
    _, file = read(other)
    assert file.unreadable and "no header row naming the pupil" in file.result().issues[0].message


def test_the_template_workbook_reads_back(tmp_path: Path) -> None:
    path = write_attendance_workbook(tmp_path / "attendance.xlsx", [{
        "Pupil name": HOSTILE_NAME, "Class": "9A", "Period from": dt.date(2026, 9, 2),
        "Period to": dt.date(2026, 11, 20), "Possible sessions": 112, "Sessions attended": 90,
        "Authorised absence": 10, "Unauthorised absence": 12,
        "Attendance agreement date": dt.date(2026, 11, 2), "Agreement target (%)": 95,
        "Contact 1 name": "Mary O'Brien", "Contact 1 title": "Mrs",
        "Contact 1 relationship": "Mother", "Contact 1 parental responsibility": "Yes",
        "Contact 1 address": "1 High Street\nEastmoor\nEM1 1AA",
        "Contact 2 name": "=HYPERLINK(\"x\")", "Contact 2 relationship": "Father",
        "Contact 2 parental responsibility": "Yes", "Contact 2 address": "2 Low Road",
        "Contact 2 postcode": "EM2 2BB", "Contact 2 do not send": "Yes",
    }])
    records, file = read(path)
    assert file.result().ok, [i.message for r in records for i in r.issues]
    pupil = records[0].pupil
    assert pupil.name == HOSTILE_NAME and pupil.agreement_target == 95
    assert pupil.agreement_date == dt.date(2026, 11, 2)
    mother, father = pupil.contacts
    assert mother.address == ("1 High Street", "Eastmoor", "EM1 1AA")
    assert mother.greeting_name == "Mrs O'Brien"
    # a value that looks like a formula is text, never evaluated
    assert father.name == '=HYPERLINK("x")' and father.address == ("2 Low Road", "EM2 2BB")
    assert father.do_not_send


def test_households_one_letter_per_address_nobody_marked_do_not_send() -> None:
    from docgen.letters.pupils import Contact

    contacts = (
        Contact("Anna Nowak", "Mother", "Ms", True, ("12 Elm Road", "EM1 3AB")),
        Contact("Jan Nowak", "Stepfather", "Mr", True, ("12 elm road,", "EM1  3AB")),
        Contact("Piotr Nowak", "Father", "Mr", True, ("4 Oak Street", "WT2 9ZZ")),
        Contact("Gran Nowak", "Grandmother", "", None, ("9 Ash Lane",)),  # no PR stated
        Contact("Kasia Nowak", "Aunt", "", False, ("9 Ash Lane",)),
        Contact("Dad Two", "Father", "", True, ("1 Far Away",), do_not_send=True),
        Contact("No Address", "Mother", "", None, ()),
    )
    to = recipients(contacts)
    assert [h.names for h in to.households] == ["Ms Anna Nowak and Mr Jan Nowak",
                                                "Mr Piotr Nowak"]
    assert to.households[0].greeting == "Ms Nowak and Mr Nowak"
    assert to.withheld == ("Dad Two: marked do not send",)
    assert to.unreachable == ("No Address: no postal address",)


def test_a_duplicate_pupil_is_warned_and_read_once(tmp_path: Path) -> None:
    path = tmp_path / "twice.csv"
    path.write_text(SUMMARY + "Amy,10,10,0,0,02/09/2026,20/11/2026\n"
                    "amy ,10,9,1,0,02/09/2026,20/11/2026\n", "utf-8")
    records, _ = read(path)
    assert records[1].duplicate_of == records[0].location
    assert records[1].issues[0].code == "duplicate-record"


@pytest.mark.parametrize("text", ["=cmd|'/c calc'!A1", "\x1b[31mred"])
def test_hostile_cells_are_text_or_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "hostile.csv"
    path.write_text(SUMMARY + f"{text},10,10,0,0,02/09/2026,20/11/2026\n", "utf-8")
    records, _ = read(path)
    if "\x1b" in text:
        assert not records[0].usable and "control character" in records[0].issues[0].message
    else:
        assert records[0].pupil.name == text
