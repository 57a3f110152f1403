"""The office check-in sheet (Westside policy, Personal safety): one table for reception with
every visit of a day, its risk level and whether it is authorised, the check-ins due with a box
to tick and a line to write when each call was made and by whom.

The office calls staff ten minutes after a visit's scheduled start; thereafter staff call the
office every two hours until the expected return (the policy's ``checkins`` settings; these
defaults otherwise). Reception ticks each check-in and chases any that is missed. The code word
is never on the sheet: the risk assessment records only that one was agreed; nor is the pupil.

A visit that is not authorised (no authorisation recorded, or a high-risk visit without the
Principal's permission where the policy requires it) must not go ahead: it carries a red
NOT AUTHORISED: DO NOT GO banner, or is left off the table and listed with the reason, as the
school's ``unauthorised_visits`` setting says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from docgen.config import SchoolConfig
from docgen.documents.context import school_header
from docgen.documents.document import Alert, Answer, Block, Document, Grid, Section
from docgen.policy import Policy
from docgen.policy.hours import visit_outside_hours
from docgen.schemas import RiskAssessment
from docgen.schemas.choices import RiskLevel, TravelMode
from docgen.schemas.types import display

DEFAULT_FIRST_AFTER = 10
DEFAULT_EVERY = 120
# The columns and each one's share of the landscape page (percent): the address and the
# check-ins get room; the visit reference wraps rather than push columns off the page.
COLUMNS = (
    ("Visit", 8),
    ("Risk and authorisation", 11),
    ("Staff", 10),
    ("Mobile", 10),
    ("Address", 11),
    ("Vehicle", 7),
    ("Start – return", 6),
    ("Check-ins due (tick when made)", 12),
    ("Called at · initials", 8),
    ("Out-of-hours responsible contact", 9),
    ("Notes", 8),
)
NOT_AUTHORISED = "NOT AUTHORISED: DO NOT GO"
WRITE_IN = "____ · ___"  # the time called, the initials of who called


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


@dataclass(frozen=True)
class Authorisation:
    """Whether a visit may go ahead, as the office needs to know it."""

    authorised: bool
    summary: str  # "Authorised 20/11/2026\nby T. Adeyemi"
    reasons: tuple[str, ...] = ()  # why not


def authorisation(ra: RiskAssessment, policy: Policy) -> Authorisation:
    """A visit is authorised when its authorisation is recorded, by a role the policy names,
    before the visit; and a high-risk visit has the Principal's permission where the policy
    requires it."""
    reasons = []
    roles = policy.authorising_roles
    if ra.authorised_by is None or ra.authoriser_role is None or ra.authorised_on is None:
        reasons.append("no authorisation recorded")
    elif ra.authoriser_role not in roles:
        reasons.append(f"authorised by the {ra.authoriser_role.label}, not the "
                       f"{' or '.join(r.label for r in roles)}")
    elif ra.authorised_on > ra.visit_date:
        reasons.append(f"authorised only on {display(ra.authorised_on)}, after the visit date")
    needs_permission = any(policy.setting(rule) is not None
                           for rule in ("ra.high-risk-permission", "ra.high-risk-refused"))
    if ra.overall_risk is RiskLevel.HIGH and needs_permission:
        if ra.principal_permission is False:
            reasons.append("the Principal refused permission for this high-risk visit")
        elif ra.principal_permission is not True:
            reasons.append("high risk, without the Principal's permission recorded")
    if reasons:
        return Authorisation(False, NOT_AUTHORISED, tuple(reasons))
    on = display(ra.authorised_on) if ra.authorised_on else ""
    return Authorisation(True, f"Authorised {on}\nby {ra.authorised_by}")


def visit_name(ra: RiskAssessment, index: int) -> str:
    """How the sheet names a visit: its reference, never the pupil."""
    return ra.visit_reference or f"Visit {index}"


def _row(index: int, ra: RiskAssessment, policy: Policy, schedule: Schedule,
         status: Authorisation) -> tuple[Answer, ...]:
    day = ra.visit_date
    window = visit_window(ra)
    names = Answer("\n".join(m.name for m in ra.staff))
    mobiles = Answer("\n".join(m.mobile or "(no mobile recorded)" for m in ra.staff),
                     emphasis=any(not m.mobile for m in ra.staff))
    if window is None:
        calls = Answer("No planned start and return times: record them on the risk "
                       "assessment.", emphasis=True)
        called = Answer(WRITE_IN)
        times = Answer(" – ".join(display(t) for t in (ra.planned_start, ra.expected_return)
                                  if t is not None), blank=True)
    else:
        begin, end = window
        due = call_times(begin, end, schedule)
        lines = [f"☐ {_clock(t, day)} {'office calls' if i == 0 else 'staff call in'}"
                 for i, t in enumerate(due)]
        lines.append(f"☐ {_clock(end, day)} back safely")
        calls = Answer("\n".join(lines))
        called = Answer("\n".join(WRITE_IN for _ in lines))
        times = Answer(f"{_clock(begin, day)} –\n{_clock(end, day)}",
                       emphasis=end.date() != day)
    outside = visit_outside_hours(policy.school_day, ra)
    if outside is not None:
        why = outside[0]
        contact = ra.responsible_contact
        who = " ".join(p for p in (contact.name, contact.phone) if p) if contact else ""
        out_of_hours = Answer(f"{why}.\n{who or 'NO RESPONSIBLE CONTACT RECORDED'}",
                              emphasis=True)
    else:
        out_of_hours = Answer("In school hours")
    risk = f"{ra.overall_risk.label} risk"
    if status.authorised:
        authorised = Answer(f"{risk}\n{status.summary}")
    else:
        authorised = Answer("\n".join([status.summary, risk, *status.reasons]), alarm=True)
    vehicle = _vehicle(ra)
    return (
        Answer(visit_name(ra, index), header=True, alarm=not status.authorised),
        authorised,
        names,
        mobiles,
        Answer(ra.address),
        Answer(vehicle, blank=not vehicle),
        times,
        calls,
        called,
        out_of_hours,
        Answer(blank=True),
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
    leave_off = config.documents.unauthorised_visits == "leave-off"
    rows, alerts, left_off = [], [], []
    for index, ra in enumerate(todays, start=1):
        status = authorisation(ra, policy)
        if not status.authorised:
            when = f" at {display(ra.planned_start)}" if ra.planned_start else ""
            who = ", ".join(m.name for m in ra.staff)
            alerts.append(Alert(
                NOT_AUTHORISED,
                f"{visit_name(ra, index)}{when} ({who}): {'; '.join(status.reasons)}. "
                + ("Left off this sheet until it is authorised." if leave_off else
                   "Staff must not go until it is authorised."),
            ))
            if leave_off:
                left_off.append((Answer(visit_name(ra, index), header=True, alarm=True),
                                 Answer(who), Answer("; ".join(status.reasons), alarm=True)))
                continue
        rows.append(_row(index, ra, policy, schedule, status))
    first = int(schedule.first_after.total_seconds() // 60)
    every = int(schedule.every.total_seconds() // 60)
    every_text = f"{every // 60} hours" if every % 60 == 0 else f"{every} minutes"
    source = f" ({policy.name})" if schedule.from_policy else ""
    intro = (
        f"Home visits on {day.strftime('%A')} {display(day)}. The office calls staff {first} "
        f"minutes after each visit starts; after that staff call the office every "
        f"{every_text} until they are back{source}. Tick each check-in when it happens, write "
        "the time and your initials, and chase any that is missed."
    )
    notes = (
        "Never write the code word on this sheet.",
        "If staff cannot be contacted or located, tell the headteacher at once; call the "
        "police if there is concern for a staff member's welfare.",
        "Staff tell the office of any change to a visit's schedule, e.g. a delay.",
    )
    columns = tuple(name for name, _ in COLUMNS)
    widths = tuple(share for _, share in COLUMNS)
    sections = [Section("Visits", (Block("grid", grid=Grid(columns, tuple(rows), kind="table",
                                                            widths=widths)),))]
    if left_off:
        sections.append(Section("Not authorised: left off this sheet", (Block("grid", grid=Grid(
            ("Visit", "Staff", "Why it must not go ahead"), tuple(left_off), kind="table",
            widths=(15, 35, 50))),)))
    return Document(
        kind="checkins",
        title="Office check-in sheet",
        school=school_header(config),
        subject=f"Visits on {display(day)}",
        sections=tuple(sections),
        marking=config.documents.marking,
        alerts=tuple(alerts),
        intro=intro,
        landscape=True,
        notes=notes,
    )
