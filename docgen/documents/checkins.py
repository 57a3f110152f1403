"""The office check-in sheet (Westside policy, Personal safety): one table for reception with
every visit of a day, the check-ins due, and a box to tick for each.

The office calls staff ten minutes after a visit's scheduled start; thereafter staff call the
office every two hours until the expected return (the policy's ``checkins`` settings; these
defaults otherwise). Reception ticks each check-in and chases any that is missed. The code word
is never on the sheet: the risk assessment records only that one was agreed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from docgen.config import SchoolConfig
from docgen.documents.context import school_header
from docgen.documents.document import Answer, Block, Document, Grid, Section
from docgen.policy import Policy
from docgen.policy.hours import visit_outside_hours
from docgen.schemas import RiskAssessment
from docgen.schemas.choices import TravelMode
from docgen.schemas.types import display

DEFAULT_FIRST_AFTER = 10
DEFAULT_EVERY = 120
COLUMNS = (
    "Visit",
    "Staff and mobile numbers",
    "Address",
    "Vehicle",
    "Planned start",
    "Expected return",
    "Check-ins (tick when made)",
    "Returned safely",
    "Out-of-hours responsible contact",
)


@dataclass(frozen=True)
class Schedule:
    first_after: dt.timedelta
    every: dt.timedelta
    from_policy: bool


def schedule_for(policy: Policy) -> Schedule:
    first = policy.checkins.first_after_minutes
    every = policy.checkins.every_minutes
    return Schedule(
        first_after=dt.timedelta(minutes=DEFAULT_FIRST_AFTER if first is None else first),
        every=dt.timedelta(minutes=DEFAULT_EVERY if every is None else every),
        from_policy=first is not None and every is not None,
    )


def visit_window(ra: RiskAssessment) -> tuple[dt.datetime, dt.datetime] | None:
    """Start and expected return as moments; a return earlier than the start is the next
    day (the visit runs past midnight)."""
    if ra.planned_start is None or ra.expected_return is None:
        return None
    start = dt.datetime.combine(ra.visit_date, ra.planned_start)
    back = dt.datetime.combine(ra.visit_date, ra.expected_return)
    if back <= start:
        back += dt.timedelta(days=1)
    return start, back


def call_times(start: dt.datetime, back: dt.datetime, schedule: Schedule) -> list[dt.datetime]:
    """The first call ``first_after`` into the visit, then one every ``every`` until the
    expected return. The first call is made even on a visit shorter than ``first_after``."""
    calls = [start + schedule.first_after]
    nxt = calls[0] + schedule.every
    while nxt < back:
        calls.append(nxt)
        nxt += schedule.every
    return calls


def _clock(moment: dt.datetime, day: dt.date) -> str:
    text = display(moment.time())
    return text if moment.date() == day else f"{text} (next day)"


def _vehicle(ra: RiskAssessment) -> str:
    if ra.vehicle is not None:
        v = ra.vehicle
        parts = [p for p in (v.colour, v.make, v.model) if p]
        text = " ".join(parts)
        if v.registration:
            text = f"{text}\n{v.registration}" if text else v.registration
        return text
    if ra.travel_mode is not None and ra.travel_mode is not TravelMode.VEHICLE:
        return ra.travel_mode.label
    return ""


def _row(index: int, ra: RiskAssessment, policy: Policy, schedule: Schedule) -> tuple[
        Answer, ...]:
    day = ra.visit_date
    window = visit_window(ra)
    staff = "\n".join(f"{m.name}\n{m.mobile or '(no mobile recorded)'}" for m in ra.staff)
    if window is None:
        calls = Answer("No planned start and return times: record them on the risk "
                       "assessment.", emphasis=True)
        start = Answer(display(ra.planned_start) if ra.planned_start else "", blank=True)
        back = Answer(display(ra.expected_return) if ra.expected_return else "", blank=True)
    else:
        begin, end = window
        times = call_times(begin, end, schedule)
        calls = Answer("\n".join(
            f"☐ {_clock(t, day)} {'office calls' if i == 0 else 'staff call in'}"
            for i, t in enumerate(times)
        ))
        start = Answer(_clock(begin, day))
        back = Answer(_clock(end, day), emphasis=end.date() != day)
    outside = visit_outside_hours(policy.school_day, ra)
    if outside is not None:
        why = outside[0]
        contact = ra.responsible_contact
        who = " ".join(p for p in (contact.name, contact.phone) if p) if contact else ""
        out_of_hours = Answer(f"{why}.\n{who or 'NO RESPONSIBLE CONTACT RECORDED'}",
                              emphasis=True)
    else:
        out_of_hours = Answer("In school hours")
    vehicle = _vehicle(ra)
    return (
        Answer(ra.visit_reference or f"Visit {index}", header=True),
        Answer(staff),
        Answer(ra.address),
        Answer(vehicle, blank=not vehicle),
        start,
        back,
        calls,
        Answer("☐ at ________"),
        out_of_hours,
    )


def checkin_document(
    visits: Sequence[RiskAssessment], day: dt.date, config: SchoolConfig, policy: Policy
) -> Document:
    """The check-in sheet for ``day``: the visits of that day, earliest first."""
    schedule = schedule_for(policy)
    todays = sorted(
        (ra for ra in visits if ra.visit_date == day),
        key=lambda ra: (ra.planned_start is None, ra.planned_start or dt.time(0)),
    )
    rows = tuple(_row(i, ra, policy, schedule) for i, ra in enumerate(todays, start=1))
    first = int(schedule.first_after.total_seconds() // 60)
    every = int(schedule.every.total_seconds() // 60)
    every_text = f"{every // 60} hours" if every % 60 == 0 else f"{every} minutes"
    source = policy.name if schedule.from_policy else "docgen's default schedule"
    intro = (
        f"Home visits on {day.strftime('%A')} {display(day)}. The office calls staff {first} "
        f"minutes after each visit starts; after that staff call the office every "
        f"{every_text} until they are back ({source}). Tick each check-in when it happens "
        "and chase any that is missed."
    )
    notes = (
        "Never write the code word on this sheet.",
        "If staff cannot be contacted or located, tell the headteacher at once; call the "
        "police if there is concern for a staff member's welfare.",
        "Staff tell the office of any change to a visit's schedule, e.g. a delay.",
    )
    grid = Grid(COLUMNS, rows, kind="table")
    return Document(
        kind="checkins",
        title="Office check-in sheet",
        school=school_header(config),
        subject=f"Visits on {display(day)}",
        sections=(Section("Visits", (Block("grid", grid=grid),)),),
        marking=config.documents.marking,
        intro=intro,
        landscape=True,
        notes=notes,
    )
