"""The office check-in sheet: who is out, where, and when the office must call."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from docgen.config import SAMPLE_SCHOOL
from docgen.documents.checkins import Schedule, call_times, checkin_document, schedule_for
from docgen.documents.document import Document
from docgen.policy import Policy, load_policy
from docgen.schemas import RiskAssessment

DAY = dt.date(2026, 11, 24)  # a Tuesday
TWO_HOURS = Schedule(dt.timedelta(minutes=10), dt.timedelta(minutes=120), True)


def at(hhmm: str, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm))


@pytest.mark.parametrize(("start", "back", "expected"), [
    ("10:00", "11:00", ["10:10"]),
    ("10:00", "12:10", ["10:10"]),           # the next call would be at the return itself
    ("10:00", "12:11", ["10:10", "12:10"]),
    ("09:00", "15:30", ["09:10", "11:10", "13:10", "15:10"]),
    ("10:00", "10:05", ["10:10"]),           # a short visit still gets its first call
])
def test_first_call_ten_minutes_in_then_every_two_hours(start: str, back: str,
                                                        expected: list[str]) -> None:
    calls = call_times(at(start), at(back), TWO_HOURS)
    assert [c.strftime("%H:%M") for c in calls] == expected


def test_calls_continue_past_midnight() -> None:
    calls = call_times(at("22:00"), at("03:00", DAY + dt.timedelta(days=1)), TWO_HOURS)
    assert [(c.date(), c.strftime("%H:%M")) for c in calls] == [
        (DAY, "22:10"), (DAY + dt.timedelta(days=1), "00:10"),
        (DAY + dt.timedelta(days=1), "02:10"),
    ]


def test_schedule_comes_from_the_policy() -> None:
    westside = schedule_for(load_policy("westside"))
    assert westside.from_policy
    assert westside.first_after == dt.timedelta(minutes=10)
    assert westside.every == dt.timedelta(hours=2)
    att = schedule_for(load_policy("att"))  # ATT sets no schedule: docgen's default, said so
    assert not att.from_policy


def visit(ra: dict[str, Any], **changes: Any) -> RiskAssessment:
    data = copy.deepcopy(ra)
    data.update(changes)
    return RiskAssessment.model_validate(data)


def grid_rows(doc: Document) -> list[list[str]]:
    grid = doc.sections[0].blocks[0].grid
    assert grid is not None
    return [[cell.text for cell in row] for row in grid.rows]


@pytest.fixture
def westside() -> Policy:
    return load_policy("westside")


def test_sheet_lists_the_days_visits_earliest_first(ra: dict[str, Any],
                                                    westside: Policy) -> None:
    visits = [
        visit(ra, visit_date=DAY.isoformat(), planned_start="14:00", expected_return="15:00",
              visit_reference="LATE"),
        visit(ra, visit_date=DAY.isoformat(), planned_start="09:00", expected_return="11:30",
              visit_reference="EARLY"),
        visit(ra, visit_date="2026-11-25", visit_reference="OTHER-DAY"),
    ]
    doc = checkin_document(visits, DAY, SAMPLE_SCHOOL, westside)
    rows = grid_rows(doc)
    assert [r[0] for r in rows] == ["EARLY", "LATE"]
    early = rows[0]
    assert early[1] == "Alex Adams\n07700 900001\nBo Brown\n07700 900002"
    assert early[2] == "1 High Street\nTown TN1 1AA"
    assert early[3] == "Blue Ford Focus\nAB12 CDE"
    assert (early[4], early[5]) == ("09:00", "11:30")
    assert early[6] == "☐ 09:10 office calls\n☐ 11:10 staff call in"
    assert early[8] == "In school hours"
    assert doc.landscape
    assert "Tuesday 24/11/2026" in doc.intro
    assert "office calls staff 10 minutes" in doc.intro
    assert "staff call the office every 2 hours" in doc.intro


def test_visit_crossing_midnight(ra: dict[str, Any], westside: Policy) -> None:
    night = visit(ra, visit_date=DAY.isoformat(), planned_start="22:30",
                  expected_return="01:00",
                  out_of_hours_reason="Emergency",
                  responsible_contact={"name": "Head Teacher", "phone": "07700 900999"})
    row = grid_rows(checkin_document([night], DAY, SAMPLE_SCHOOL, westside))[0]
    assert row[5] == "01:00 (next day)"
    assert row[6] == "☐ 22:40 office calls\n☐ 00:40 (next day) staff call in"
    assert "22:30 is outside school hours" in row[8]
    assert "Head Teacher 07700 900999" in row[8]


def test_out_of_hours_visit_without_contact_is_flagged(ra: dict[str, Any],
                                                       westside: Policy) -> None:
    evening = visit(ra, visit_date=DAY.isoformat(), planned_start="17:00",
                    expected_return="18:00")
    row = grid_rows(checkin_document([evening], DAY, SAMPLE_SCHOOL, westside))[0]
    assert "NO RESPONSIBLE CONTACT RECORDED" in row[8]


def test_weekend_visit_is_out_of_hours(ra: dict[str, Any], westside: Policy) -> None:
    saturday = dt.date(2026, 11, 28)
    sat = visit(ra, visit_date=saturday.isoformat())
    row = grid_rows(checkin_document([sat], saturday, SAMPLE_SCHOOL, westside))[0]
    assert "Saturday 28/11/2026 is not a school day" in row[8]


def test_missing_times_are_called_out(ra: dict[str, Any], westside: Policy) -> None:
    untimed = visit(ra, visit_date=DAY.isoformat(), planned_start=None, expected_return=None)
    row = grid_rows(checkin_document([untimed], DAY, SAMPLE_SCHOOL, westside))[0]
    assert "No planned start and return times" in row[6]


def test_travel_without_a_vehicle(ra: dict[str, Any], westside: Policy) -> None:
    walk = visit(ra, visit_date=DAY.isoformat(), travel_mode="on_foot", vehicle=None)
    row = grid_rows(checkin_document([walk], DAY, SAMPLE_SCHOOL, westside))[0]
    assert row[3] == "On foot"


def test_the_code_word_and_the_pupil_are_not_on_the_sheet(ra: dict[str, Any],
                                                          westside: Policy) -> None:
    doc = checkin_document([visit(ra, visit_date=DAY.isoformat())], DAY, SAMPLE_SCHOOL,
                           westside)
    text = "\n".join(doc.texts())
    assert "Jane Smith" not in text  # reception needs the staff and address, not the child
    assert "Never write the code word on this sheet." in text
    assert "code word agreed" not in text.lower()
