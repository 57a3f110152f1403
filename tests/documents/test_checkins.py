"""The office check-in sheet: who is out, where, and when the office must call."""

from __future__ import annotations

import copy
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from docgen.config import SAMPLE_SCHOOL, SchoolConfig
from docgen.documents.checkins import (
    COLUMNS,
    NOT_AUTHORISED,
    WRITE_IN,
    Schedule,
    call_times,
    checkin_document,
    schedule_for,
)
from docgen.documents.document import Document
from docgen.documents.docx import DocxRenderer
from docgen.documents.pdf import PdfRenderer
from docgen.policy import Policy, load_policy
from docgen.schemas import RiskAssessment

DAY = dt.date(2026, 11, 24)  # a Tuesday
TWO_HOURS = Schedule(dt.timedelta(minutes=10), dt.timedelta(minutes=120), True)
COLUMNS_BY_NAME = [name for name, _ in COLUMNS]


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


@pytest.fixture
def ra(valid_ra: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """A risk assessment valid under Westside (authorised by the headteacher)."""
    return valid_ra("westside")


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
    early = dict(zip(COLUMNS_BY_NAME, rows[0], strict=True))
    # staff names and their mobiles in columns of their own, one line each
    assert early["Staff"] == "Alex Adams\nBo Brown"
    assert early["Mobile"] == "07700 900001\n07700 900002"
    assert early["Address"] == "1 High Street\nTown TN1 1AA"
    assert early["Vehicle"] == "Blue Ford Focus\nAB12 CDE"
    assert early["Start – return"] == "09:00 –\n11:30"
    # each check-in due, and a line to write when it was made and by whom
    assert early["Check-ins due (tick when made)"] == (
        "☐ 09:10 office calls\n☐ 11:10 staff call in\n☐ 11:30 back safely")
    assert early["Called at · initials"] == "\n".join([WRITE_IN] * 3)
    assert early["Out-of-hours responsible contact"] == "In school hours"
    assert early["Risk and authorisation"] == "Low risk\nAuthorised 20/11/2026\nby Dee Lead"
    assert not any(cell.alarm for cell in cells_of(doc).values())
    assert early["Notes"] == ""
    assert doc.landscape
    assert doc.alerts == ()
    assert "Tuesday 24/11/2026" in doc.intro
    assert "office calls staff 10 minutes" in doc.intro
    assert "staff call the office every 2 hours" in doc.intro
    assert "(Westside Home Visit Policy)" in doc.intro


def test_the_sheet_names_its_column_widths() -> None:
    assert sum(share for _, share in COLUMNS) == 100
    assert dict(COLUMNS)["Address"] >= 10  # an address gets room


def test_visit_crossing_midnight(ra: dict[str, Any], westside: Policy) -> None:
    night = visit(ra, visit_date=DAY.isoformat(), planned_start="22:30",
                  expected_return="01:00",
                  out_of_hours_reason="Emergency",
                  responsible_contact={"name": "Head Teacher", "phone": "07700 900999"})
    row = grid_rows(checkin_document([night], DAY, SAMPLE_SCHOOL, westside))[0]
    cells = dict(zip(COLUMNS_BY_NAME, row, strict=True))
    assert cells["Start – return"] == "22:30 –\n01:00 (next day)"
    assert cells["Check-ins due (tick when made)"] == (
        "☐ 22:40 office calls\n☐ 00:40 (next day) staff call in\n"
        "☐ 01:00 (next day) back safely")
    assert "22:30 is outside school hours" in cells["Out-of-hours responsible contact"]
    assert "Head Teacher 07700 900999" in cells["Out-of-hours responsible contact"]


def test_out_of_hours_visit_without_contact_is_flagged(ra: dict[str, Any],
                                                       westside: Policy) -> None:
    evening = visit(ra, visit_date=DAY.isoformat(), planned_start="17:00",
                    expected_return="18:00")
    row = grid_rows(checkin_document([evening], DAY, SAMPLE_SCHOOL, westside))[0]
    assert "NO RESPONSIBLE CONTACT RECORDED" in row[COLUMNS_BY_NAME.index(
        "Out-of-hours responsible contact")]


def test_weekend_visit_is_out_of_hours(ra: dict[str, Any], westside: Policy) -> None:
    saturday = dt.date(2026, 11, 28)
    sat = visit(ra, visit_date=saturday.isoformat())
    row = grid_rows(checkin_document([sat], saturday, SAMPLE_SCHOOL, westside))[0]
    assert "Saturday 28/11/2026 is not a school day" in row[COLUMNS_BY_NAME.index(
        "Out-of-hours responsible contact")]


def test_missing_times_are_called_out(ra: dict[str, Any], westside: Policy) -> None:
    untimed = visit(ra, visit_date=DAY.isoformat(), planned_start=None, expected_return=None)
    row = grid_rows(checkin_document([untimed], DAY, SAMPLE_SCHOOL, westside))[0]
    assert "No planned start and return times" in row[COLUMNS_BY_NAME.index(
        "Check-ins due (tick when made)")]


def test_travel_without_a_vehicle(ra: dict[str, Any], westside: Policy) -> None:
    walk = visit(ra, visit_date=DAY.isoformat(), travel_mode="on_foot", vehicle=None)
    row = grid_rows(checkin_document([walk], DAY, SAMPLE_SCHOOL, westside))[0]
    assert row[COLUMNS_BY_NAME.index("Vehicle")] == "On foot"


def test_the_code_word_and_the_pupil_are_not_on_the_sheet(ra: dict[str, Any],
                                                          westside: Policy) -> None:
    doc = checkin_document([visit(ra, visit_date=DAY.isoformat())], DAY, SAMPLE_SCHOOL,
                           westside)
    text = "\n".join(doc.texts())
    assert "Jane Smith" not in text  # reception needs the staff and address, not the child
    assert "Never write the code word on this sheet." in text
    assert "code word agreed" not in text.lower()


# --------------------------------------------------------------------------- authorisation


def cells_of(doc: Document, row: int = 0) -> dict[str, Any]:
    grid = doc.sections[0].blocks[0].grid
    assert grid is not None
    return dict(zip(COLUMNS_BY_NAME, grid.rows[row], strict=True))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    """The body's text in reading order (paragraphs and table cells as they come)."""
    body = docx.Document(io.BytesIO(data)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t")))
                     for p in body.iter(qn("w:p")))


def test_an_unauthorised_visit_carries_the_banner_in_pdf_and_word(ra: dict[str, Any],
                                                                  westside: Policy) -> None:
    authorised = visit(ra, visit_date=DAY.isoformat(), visit_reference="WS-1",
                       planned_start="09:00", expected_return="10:00")
    unauthorised = visit(ra, visit_date=DAY.isoformat(), visit_reference="WS-2",
                         planned_start="11:00", expected_return="12:00",
                         authorised_by=None, authorised_on=None)
    doc = checkin_document([authorised, unauthorised], DAY, SAMPLE_SCHOOL, westside)
    assert [(a.headline, a.message) for a in doc.alerts] == [(
        NOT_AUTHORISED,
        "WS-2 at 11:00 (Alex Adams, Bo Brown): no authorisation recorded. Staff must not go "
        "until it is authorised.")]
    row = cells_of(doc, 1)
    assert row["Visit"].text == "WS-2" and row["Visit"].alarm
    assert row["Risk and authorisation"].text == (
        "NOT AUTHORISED: DO NOT GO\nLow risk\nno authorisation recorded")
    assert row["Risk and authorisation"].alarm
    assert not cells_of(doc, 0)["Visit"].alarm
    # the banner is on the printed sheet, above the table, in both formats
    for text in (pdf_text(PdfRenderer().render(doc)), docx_text(DocxRenderer().render(doc))):
        flat = "".join(text.split())  # a table cell wraps its words
        assert flat.count("NOTAUTHORISED:DONOTGO") == 2  # the banner and the row
        assert flat.index("NOTAUTHORISED:DONOTGO") < flat.index("Officecheck-insheet")
        assert "WS-2at11:00(AlexAdams,BoBrown):noauthorisationrecorded" in flat
        assert "Jane Smith" not in text


def test_an_unauthorised_visit_left_off_as_the_school_configures(ra: dict[str, Any],
                                                                 westside: Policy) -> None:
    school = SchoolConfig.model_validate({
        "school": {"name": "Oak School"}, "documents": {"unauthorised_visits": "leave-off"}})
    kept = visit(ra, visit_date=DAY.isoformat(), visit_reference="WS-1")
    dropped = visit(ra, visit_date=DAY.isoformat(), visit_reference="WS-2",
                    authoriser_role="dsl")
    doc = checkin_document([kept, dropped], DAY, school, westside)
    assert grid_rows(doc) and [r[0] for r in grid_rows(doc)] == ["WS-1"]
    left = doc.sections[1]
    assert left.title == "Not authorised: left off this sheet"
    grid = left.blocks[0].grid
    assert grid is not None
    assert [[c.text for c in r] for r in grid.rows] == [[
        "WS-2", "Alex Adams, Bo Brown",
        "authorised by the Designated Safeguarding Lead (DSL), not the Headteacher / "
        "Principal"]]
    assert "Left off this sheet until it is authorised." in doc.alerts[0].message
    text = pdf_text(PdfRenderer().render(doc))
    assert "Not authorised: left off this sheet" in text and "WS-2" in text


@pytest.mark.parametrize(("policy", "permission", "authorised"), [
    ("att", None, False), ("att", False, False), ("att", True, True),
    ("westside", None, True),  # Westside asks no Principal's permission for high risk
])
def test_a_high_risk_visit_needs_the_principal_where_the_policy_says(
        valid_ra: Callable[[str], dict[str, Any]], policy: str, permission: bool | None,
        authorised: bool) -> None:
    high = visit(valid_ra(policy), visit_date=DAY.isoformat(), overall_risk="high",
                 principal_permission=permission)
    doc = checkin_document([high], DAY, SAMPLE_SCHOOL, load_policy(policy))
    cell = cells_of(doc)["Risk and authorisation"]
    assert cell.alarm is not authorised
    assert cell.text.startswith("High risk" if authorised else NOT_AUTHORISED)
    if permission is False:
        assert "the Principal refused permission" in cell.text


def test_a_deputy_dsl_authorises_only_where_the_policy_allows(
        valid_ra: Callable[[str], dict[str, Any]]) -> None:
    deputy = visit(valid_ra("att"), visit_date=DAY.isoformat(), authoriser_role="deputy_dsl")
    att = load_policy("att")
    assert cells_of(checkin_document([deputy], DAY, SAMPLE_SCHOOL, att))["Visit"].alarm
    trust = att.model_copy(update={"deputy_dsl_may_authorise": True})
    assert not cells_of(checkin_document([deputy], DAY, SAMPLE_SCHOOL, trust))["Visit"].alarm


def test_no_default_schedule_note_on_the_page(ra: dict[str, Any]) -> None:
    att = load_policy("att")  # no check-in schedule of its own
    doc = checkin_document([visit(ra, visit_date=DAY.isoformat())], DAY, SAMPLE_SCHOOL, att)
    assert "default" not in doc.intro and "docgen" not in doc.intro


def _x_of(data: bytes, wanted: str) -> list[float]:
    """Where ``wanted`` is drawn across the first page (x, in points from the left)."""
    page = PdfReader(io.BytesIO(data)).pages[0]
    found: list[float] = []

    def visit_text(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if wanted in text:
            found.append(float(tm[4]) * float(cm[0]) + float(cm[4]))

    page.extract_text(visitor_text=visit_text)
    return found


def test_a_long_visit_reference_wraps_and_every_column_stays_on_the_page(
        ra: dict[str, Any], westside: Policy) -> None:
    reference = ("HV-" + "0123456789" * 30)[:300]  # validation allows 300 characters
    long_one = visit(ra, visit_date=DAY.isoformat(), visit_reference=reference,
                     responsible_contact=None)
    doc = checkin_document([long_one], DAY, SAMPLE_SCHOOL, westside)
    data = PdfRenderer().render(doc)
    width = float(PdfReader(io.BytesIO(data)).pages[0].mediabox.width)
    for header in ("Notes", "Out-of-hours", "Called at"):
        xs = _x_of(data, header)
        assert xs and all(0 < x < width - 20 for x in xs), (header, xs, width)
    assert reference in "".join(pdf_text(data).split())  # all of it, wrapped
    # Word: the sheet's grid takes the page width, shared as the sheet names it
    (table,) = docx.Document(io.BytesIO(DocxRenderer().render(doc))).tables
    widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(widths) == len(COLUMNS)
    assert reference in "".join(table.rows[1].cells[0].text.split())
    assert [round(100 * w / sum(widths)) for w in widths] == [share for _, share in COLUMNS]
