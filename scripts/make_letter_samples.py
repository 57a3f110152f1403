"""Regenerate the letters' samples (``make samples``): a term of attendance for thirty pupils of
the sample Westside School, exported three times as a school's MIS would, and a few visit forms.

- ``samples/letters/attendance-2026-11.xlsx``: summary figures, 7 September to 20 November,
  with contacts (the export to run on 23/11/2026);
- ``samples/letters/register-2026-12.csv``: the session register to 11 December, Windows-1252 as
  older systems write it (run on 14/12/2026);
- ``samples/letters/register-2027-01.csv``: the register to 15 January, UTF-8 with a byte-order
  mark (run on 18/01/2027);
- ``samples/letters/visits.json``: risk assessments and visit reports of some of the pupils.

Each pupil has a pattern of attendance (illness, unauthorised absence, a holiday, severe
absence, an agreement kept or broken, attending elsewhere, sessions that are not possible) so
that, run in order, the exports call for every letter: attendance-concern stages 1, 2 and 3,
agreement reminders and follow-up visits, notifications to the authority; and a family marked
"do not send", two-parent households at two addresses, and a few bad rows. Everything comes
from fixed seeds: a rerun writes the same files (a test checks).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import random
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docgen.letters.workbook import build_attendance_workbook
from docgen.schemas.types import upn_check_letter

ROOT = Path(__file__).resolve().parent.parent / "samples" / "letters"
START = dt.date(2026, 9, 7)
END = dt.date(2027, 1, 15)
HOLIDAYS = [(dt.date(2026, 10, 26), dt.date(2026, 10, 30)),
            (dt.date(2026, 12, 21), dt.date(2027, 1, 1))]
INSET = dt.date(2026, 10, 23)  # in term, but closed: every mark is '#'
AGREED = dt.date(2026, 11, 2)

# name, class, date of birth, pattern, contacts (name, title, relationship, address,
# do not send), do not send (the pupil), agreement date
Parent = tuple[str, str, str, str, bool]
PUPILS: list[tuple[str, str, str, str, list[Parent], bool, dt.date | None]] = [
    ("Oliver Nowak", "8JR", "2013-05-01", "unauthorised",
     [("Anna Nowak", "Ms", "Mother", "12 Elm Road, Eastmoor, EM1 3AB", False),
      ("Piotr Nowak", "Mr", "Father", "4 Oak Street, Westtown, WT2 9ZZ", False)], False, None),
    ("Amelia Hussain", "7B", "2014-02-11", "good",
     [("Farah Hussain", "Mrs", "Mother", "3 Linden Close, Eastmoor, EM1 5CD", False)], False,
     None),
    ("Jayden Carter", "9C", "2012-10-30", "ill",
     [("Kerry Carter", "Ms", "Mother", "18 Mill Lane, Eastmoor, EM2 1AB", False),
      ("Dean Carter", "Mr", "Father", "18 Mill Lane, Eastmoor, EM2 1AB", False)], False, None),
    ("Siobhán O'Brien-Smith", "8JR", "2013-07-19", "holiday",
     [("Mary O'Brien", "Mrs", "Mother", "7 Church View, Eastmoor, EM1 4AA", False)], False,
     None),
    ("Mia Patel", "7B", "2014-04-02", "good",
     [("Ravi Patel", "Mr", "Father", "22 Station Road, Eastmoor, EM1 6EF", False)], False,
     None),
    ("Zainab Ahmed", "10A", "2011-12-05", "severe",
     [("Amina Ahmed", "Mrs", "Mother", "9 Canal Street, Eastmoor, EM3 2GH", False),
      ("Tariq Ahmed", "Mr", "Father", "41 Park Avenue, Northby, NB4 7JK", False)], False, None),
    ("Tomasz Kowalski", "9C", "2012-08-14", "elsewhere",
     [("Ewa Kowalska", "Mrs", "Mother", "15 Bridge Street, Eastmoor, EM2 3LM", False)], False,
     None),
    ("Ellie Watson", "8B", "2013-03-23", "broken-agreement",
     [("Claire Watson", "Ms", "Mother", "2 Rose Walk, Eastmoor, EM1 7NP", False),
      ("Mark Watson", "Mr", "Father", "88 High Street, Southam, SH1 2QR", False)], False,
     AGREED),
    ("Oscar Bell", "7A", "2014-06-01", "kept-agreement",
     [("Sarah Bell", "Mrs", "Mother", "6 Orchard Way, Eastmoor, EM2 4ST", False)], False,
     AGREED),
    ("Priya Singh", "10B", "2011-09-09", "good",
     [("Harjit Singh", "Mr", "Father", "30 Manor Road, Eastmoor, EM3 5UV", False)], False,
     None),
    ("Noah Jones", "9A", "2012-11-17", "unauthorised",
     [("Lisa Jones", "Ms", "Mother", "11 Fox Lane, Eastmoor, EM1 8WX", False)], False, None),
    ("Chloe Evans", "8A", "2013-01-28", "late",
     [("Gareth Evans", "Mr", "Father", "5 Hill Rise, Eastmoor, EM2 6YZ", False)], False, None),
    ("Yusuf Okafor", "10A", "2011-10-12", "do-not-send",
     [("Grace Okafor", "Mrs", "Mother", "Flat 4, 20 Queen Street, Eastmoor, EM1 9AB", False)],
     True, None),
    ("Grace Li", "7C", "2014-05-15", "good",
     [("Wei Li", "Mr", "Father", "14 Garden Terrace, Eastmoor, EM2 7CD", False),
      ("Mei Li", "Mrs", "Mother", "14 Garden Terrace, Eastmoor, EM2 7CD", False)], False, None),
    ("Dylan Murphy", "9B", "2012-07-07", "ill",
     [("Siobhan Murphy", "Ms", "Mother", "27 River View, Eastmoor, EM3 8EF", False),
      ("Sean Murphy", "Mr", "Father", "3 Dock Road, Westtown, WT1 4GH", True)], False, None),
    ("Kacper Wiśniewski", "8B", "2013-09-21", "unauthorised",
     [("Agnieszka Wiśniewska", "Mrs", "Mother", "10 Willow Court, Eastmoor, EM1 2JK", False)],
     False, None),
    ("Aisha Begum", "7A", "2014-03-03", "not-possible",
     [("Rubina Begum", "Mrs", "Mother", "52 Brook Street, Eastmoor, EM2 9LM", False)], False,
     None),
    ("Leo Thompson", "10B", "2011-11-30", "good",
     [("Helen Thompson", "Dr", "Mother", "8 Beech Grove, Eastmoor, EM3 1NP", False)], False,
     None),
    ("Ruby Clarke", "9A", "2012-12-12", "ill",
     [("Jo Clarke", "Mx", "Parent", "19 Meadow Way, Eastmoor, EM1 3QR", False)], False, None),
    ("Harry Shaw", "8A", "2013-02-14", "good",
     [("Paul Shaw", "Mr", "Father", "1 Market Place, Eastmoor, EM1 1ST", False)], False, None),
    ("Isla Morgan", "7C", "2014-08-08", "late-joiner",
     [("Kate Morgan", "Ms", "Mother", "23 Valley Road, Eastmoor, EM2 5UV", False)], False,
     None),
    ("Freddie Price", "10A", "2011-09-25", "severe",
     [("Dawn Price", "Ms", "Mother", "17 Castle Street, Eastmoor, EM3 6WX", False)], False,
     None),
    ("Sofia Rossi", "9B", "2012-06-18", "good",
     [("Marco Rossi", "Mr", "Father", "4 Vine Street, Eastmoor, EM1 4YZ", False),
      ("Giulia Rossi", "Mrs", "Mother", "60 Lake Road, Westtown, WT3 1AB", False)], False, None),
    ("Ethan Brown", "8C", "2013-10-03", "unauthorised",
     [("Tanya Brown", "Ms", "Mother", "12 Elm Road, Eastmoor, EM1 3AB", False)], False, None),
    ("Layla Khan", "7B", "2014-01-20", "good",
     [("Imran Khan", "Mr", "Father", "33 Green Lane, Eastmoor, EM2 8CD", False)], False, None),
    ("Jack Wilson", "10B", "2011-08-31", "ill",
     [("Debbie Wilson", "Mrs", "Mother", "2 Crown Street, Eastmoor, EM3 9EF", False)], False,
     None),
    ("Evie Hall", "9C", "2012-09-12", "good",
     [("Tom Hall", "Mr", "Father", "45 Field Road, Eastmoor, EM1 5GH", False)], False, None),
    ("Reuben Cohen", "8JR", "2013-04-04", "holiday",
     [("Naomi Cohen", "Mrs", "Mother", "7 Acacia Avenue, Eastmoor, EM2 2JK", False),
      ("David Cohen", "Mr", "Father", "7 Acacia Avenue, Eastmoor, EM2 2JK", False)], False,
     None),
    ("Ibrahim Ali", "7A", "2014-07-27", "broken-agreement",
     [("Fatima Ali", "Mrs", "Mother", "16 Rowan Drive, Eastmoor, EM3 3LM", False)], False,
     AGREED),
    ("Maya Green", "10A", "2011-10-01", "good",
     [("Lucy Green", "Ms", "Mother", "29 Mill Lane, Eastmoor, EM2 1AB", False)], False, None),
]


def school_days(until: dt.date) -> Iterator[dt.date]:
    day = START
    while day <= until:
        if day.weekday() < 5 and not any(a <= day <= b for a, b in HOLIDAYS):
            yield day
        day += dt.timedelta(days=1)


def marks(pattern: str, seed: int) -> dict[dt.date, tuple[str, str]]:
    """The pupil's two marks for each school day to END."""
    rng = random.Random(seed)  # noqa: S311 - made-up samples, not secrets
    out: dict[dt.date, tuple[str, str]] = {}
    for day in school_days(END):
        if day == INSET:
            out[day] = ("#", "#")
            continue
        am, pm = "/", "\\"
        roll = rng.random()
        after = day > AGREED
        if pattern == "ill" and roll < 0.2:
            am = pm = rng.choice("IIIM")
        elif pattern == "unauthorised" and roll < 0.22:
            am = pm = rng.choice("NNOU")
        elif pattern == "holiday" and dt.date(2026, 10, 12) <= day <= dt.date(2026, 10, 16):
            am = pm = "G"
        elif pattern == "severe" and roll < 0.45:
            am = pm = rng.choice("NNOI")
        elif pattern == "do-not-send" and roll < 0.3:
            am = pm = "N"
        elif pattern == "broken-agreement" and roll < 0.22:
            am = pm = rng.choice("NNI")
        elif pattern == "kept-agreement" and roll < (0.02 if after else 0.25):
            am = pm = "N"
        elif pattern == "elsewhere" and roll < 0.1:
            am = pm = rng.choice("KVPWB")
        elif pattern == "late" and roll < 0.2:
            am = "L"
        elif pattern == "not-possible" and roll < 0.06:
            am = pm = rng.choice(["Y1", "Y2", "Q", "D"])
        elif pattern == "late-joiner" and day < dt.date(2026, 9, 21):
            am = pm = "Z"
        elif roll < 0.015:
            am = pm = "I"
        out[day] = (am, pm)
    return out


def upn(index: int) -> str:
    body = f"8012000{index:05d}"
    return upn_check_letter(body) + body


def contact_columns(parents: list[Parent]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for n, (name, title, relationship, address, withheld) in enumerate(parents, start=1):
        row |= {f"Contact {n} name": name, f"Contact {n} title": title,
                f"Contact {n} relationship": relationship,
                f"Contact {n} parental responsibility": "Yes",
                f"Contact {n} address": address,
                f"Contact {n} do not send": "Yes" if withheld else ""}
    return row


def summary_rows(until: dt.date) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for i, (name, klass, dob, pattern, parents, withheld, agreed) in enumerate(PUPILS):
        days = [d for d in school_days(until)]
        got = marks(pattern, i)
        codes = [c for d in days for c in got[d]]
        possible = sum(1 for c in codes if c not in ("#", "Y1", "Y2", "Q", "D", "Z"))
        attended = sum(1 for c in codes if c in ("/", "\\", "L", "K", "V", "P", "W", "B"))
        authorised = sum(1 for c in codes if c in ("I", "M"))
        unauthorised = sum(1 for c in codes if c in ("N", "O", "U", "G"))
        rows.append({
            "Pupil name": name, "UPN": upn(i), "Date of birth": dt.date.fromisoformat(dob),
            "Class": klass, "Do not send letters": "Yes" if withheld else "",
            "Period from": START, "Period to": until, "Possible sessions": possible,
            "Sessions attended": attended, "Authorised absence": authorised,
            "Unauthorised absence": unauthorised,
            "Attendance agreement date": agreed, **contact_columns(parents)})
    # two bad rows, as people make them
    rows.insert(7, {"Pupil name": "Harvey Typo", "Class": "8C", "Period from": START,
                    "Period to": until, "Possible sessions": 100, "Sessions attended": 110,
                    "Authorised absence": 0, "Unauthorised absence": 0})
    rows.insert(15, {"Class": "9A", "Period from": START, "Period to": until,
                     "Possible sessions": 100, "Sessions attended": 80,
                     "Authorised absence": 10, "Unauthorised absence": 10})
    return rows


def register_csv(until: dt.date, encoding: str) -> bytes:
    days = list(school_days(until))
    header = ["Legal Surname", "Legal Forename", "Reg Group", "UPN", "DOB",
              "Attendance agreement date", "Do not send letters"]
    header += [f"{d:%a %d/%m/%Y}" for d in days]
    contact_headers = [f"Contact {n} {field}" for n in (1, 2) for field in (
        "name", "title", "relationship", "parental responsibility", "address",
        "do not send")]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Westside School: attendance register", f"{START:%d/%m/%Y}",
                     f"{until:%d/%m/%Y}"])
    writer.writerow(header + contact_headers)
    for i, (name, klass, dob, pattern, parents, withheld, agreed) in enumerate(PUPILS):
        forename, surname = name.split(" ", 1)
        got = marks(pattern, i)
        cells = ["".join(got[d]) for d in days]
        if name == "Harry Shaw" and len(days) > 20:
            cells[20] = "/A"  # a code no system writes: a bad row
        contact = contact_columns(parents)
        writer.writerow([surname, forename, klass, upn(i), dob,
                         f"{agreed:%d/%m/%Y}" if agreed else "", "Yes" if withheld else "",
                         *cells, *(contact.get(h, "") for h in contact_headers)])
        if i == 10:
            writer.writerow(["", "", "9A", "", "", "", "", *("/\\" for _ in days)])
    text = out.getvalue()
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    return "".join(_legacy(ch, encoding) for ch in text).encode(encoding)


def _legacy(ch: str, encoding: str) -> str:
    """What an older system writes for a letter its code page lacks: the letter without its
    accent (ś as s), as such exports do."""
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        return "".join(c for c in unicodedata.normalize("NFKD", ch)
                       if not unicodedata.combining(c)) or "?"
    return ch


def visits() -> list[dict[str, Any]]:
    staff = [{"name": "Joy Green", "role": "Attendance Officer", "mobile": "07700 900651",
              "dbs_checked": "Yes", "home_visit_trained": "Yes", "violence_training": "Yes"},
             {"name": "Ian Pollard", "role": "Head of Year 9", "mobile": "07700 900652",
              "dbs_checked": "Yes", "violence_training": "Yes"}]
    assessment = {
        "form": "risk-assessment", "academy": "Westside School (sample)",
        "reason": {"concerns_from_academy": True}, "other_contact_exhausted": "Yes",
        "parents_informed": "Yes", "staff": staff, "overall_risk": "Low",
        "assessed_by": "Ian Pollard", "assessor_is_slt": "Yes",
        "authorised_by": "Thomas Adeyemi", "authoriser_role": "headteacher",
        "authorised_on": "19/11/2026", "planned_start": "10:30", "expected_return": "11:30",
        "code_word_agreed": "Yes", "travel_mode": "vehicle",
        "vehicle": {"make": "Ford", "model": "Focus", "registration": "WS21 SCH",
                    "colour": "White", "school_approved": "Yes"},
    }
    report = {
        "form": "visit-report", "staff_attending": ["Joy Green", "Ian Pollard"],
        "purpose": "attendance_support", "dsl_consulted": "Yes",
        "risk_assessment_done": "Yes", "other_methods_exhausted": "Yes",
    }
    return [
        {**assessment, "pupil_name": "Jayden Carter", "pupil_class": "9C",
         "address": "18 Mill Lane\nEastmoor\nEM2 1AB", "visit_date": "25/11/2026",
         "visit_reference": "WS-HV-131", "purpose": "attendance_support",
         "why_required": "Jayden has missed many days through illness; Mum would like to talk "
                         "about a plan at home."},
        {**assessment, "pupil_name": "Zainab Ahmed", "pupil_class": "10A",
         "address": "9 Canal Street\nEastmoor\nEM3 2GH", "visit_date": "24/11/2026",
         "visit_reference": "WS-HV-132", "purpose": "welfare_check",
         "parents_informed": "No",
         "unannounced_reason": "Absent all week; calls to both parents unanswered.",
         "why_required": "Zainab has not been seen since Monday and nobody answers the phone."},
        {**report, "pupil_name": "Ellie Watson", "date_of_birth": "23/03/2013",
         "pupil_class": "8B", "visit_reference": "WS-HV-120", "visit_date": "02/11/2026",
         "visit_time": "10:00", "reason": "Attendance has fallen since September.",
         "anyone_home": "Yes", "who_was_home": "Mother (Ms C Watson) and Ellie",
         "entered_property": "Yes", "adult_present": "Yes", "id_shown": "Yes",
         "animals": "none", "welfare_concerns": "No", "pupil_seen": "Yes",
         "pupil_spoken_to": "with_parent", "arrival_time": "10:00", "leaving_time": "10:40",
         "discussed": "Mornings are hard; Ellie is anxious about a group in her class.",
         "agreed": "Parent: make sure Ellie is up by 7:15 and at the gate by 8:40\n"
                   "Pupil: come to breakfast club every day\n"
                   "School: a daily check-in with Ms Green, and a change of seat in maths\n"
                   "Support: a place at breakfast club",
         "agreement_review_date": "30/11/2026",
         "future_action": "Review attendance weekly; reminder letter if it falls short."},
        {**report, "pupil_name": "Dylan Murphy", "date_of_birth": "07/07/2012",
         "pupil_class": "9B", "visit_reference": "WS-HV-127", "visit_date": "17/11/2026",
         "visit_time": "14:00", "purpose": "attendance",
         "reason": "Dylan has been absent for a week without a reason.",
         "anyone_home": "Yes", "who_was_home": "An adult man who did not give his name",
         "entered_property": "No", "welfare_concerns": "No", "pupil_seen": "No",
         "discussed": "Nothing: staff were told to leave at the door.",
         "arrival_time": "14:00", "leaving_time": "14:05", "anything_unusual": "Yes",
         "unusual_details": "The man at the door shouted and swore at staff and told them "
                            "to leave. Staff left at once.",
         "threatened": "Yes", "threat_police": "Yes", "incident_reported": "Yes",
         "left_for_safety": "Yes", "safety_reported": "No",
         "future_action": "Offer Mum a meeting in school instead; no further visit without "
                          "a new risk assessment."},
    ]


def main() -> int:
    ROOT.mkdir(parents=True, exist_ok=True)
    nov = ROOT / "attendance-2026-11.xlsx"
    build_attendance_workbook(summary_rows(dt.date(2026, 11, 20))).save(nov)
    print(f"wrote {nov}")
    for until, name, encoding in ((dt.date(2026, 12, 11), "register-2026-12.csv", "cp1252"),
                                  (END, "register-2027-01.csv", "utf-8-sig")):
        (ROOT / name).write_bytes(register_csv(until, encoding))
        print(f"wrote {ROOT / name}")
    target = ROOT / "visits.json"
    target.write_text(json.dumps(visits(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
