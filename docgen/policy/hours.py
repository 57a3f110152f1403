"""School hours and terms: when a visit counts as in school hours, and which part of it does
not. One place, read by the rules and by the office check-in sheet.

A weekday is a school day unless the school's terms are given and it falls outside them (the
holidays), or it is one of the school's closure days (INSET days, bank holidays in term)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, model_validator

from docgen.schemas import FormModel, RiskAssessment, VisitReport
from docgen.schemas.types import ClockTime, UKDate, display


class Term(BaseModel):
    """One school term, from its first day to its last (half-term holidays are closures, or
    two terms)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: UKDate = Field(description="First day of the term")
    end: UKDate = Field(description="Last day of the term")

    @model_validator(mode="after")
    def _start_before_end(self) -> Term:
        if self.start > self.end:
            raise ValueError(f"a term cannot end ({display(self.end)}) before it starts "
                             f"({display(self.start)})")
        return self

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class SchoolDay(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    start: ClockTime = Field(default=dt.time(8, 30), description="School hours begin")
    end: ClockTime = Field(default=dt.time(15, 30), description="School hours end")
    weekdays_only: bool = Field(
        default=True, description="Saturdays and Sundays are outside school hours"
    )
    terms: list[Term] = Field(
        default_factory=list,
        description="The school's terms; a weekday outside every term is in the holidays. "
        "None given: every weekday is a school day",
    )
    closures: list[UKDate] = Field(
        default_factory=list,
        description="Days in term the school is closed (INSET days, bank holidays)",
    )

    @model_validator(mode="after")
    def _start_before_end(self) -> SchoolDay:
        if self.start >= self.end:
            raise ValueError(
                f"school hours start ({self.start:%H:%M}) must be before they end "
                f"({self.end:%H:%M})"
            )
        return self

    def not_a_school_day(self, day: dt.date) -> str | None:
        """Why ``day`` is not a school day (a weekend, a closure, the holidays), or None."""
        when = f"{day.strftime('%A')} {display(day)}"
        if self.weekdays_only and day.weekday() >= 5:
            return f"{when} is not a school day"
        if day in self.closures:
            return f"{when} is a day the school is closed"
        if self.terms and not any(day in term for term in self.terms):
            return f"{when} is in the school holidays"
        return None

    def contains(self, when: dt.datetime) -> bool:
        """Whether a visit starting at ``when`` starts in school hours: one starting as the
        school day ends is after hours."""
        if self.not_a_school_day(when.date()) is not None:
            return False
        return self.start <= when.time() < self.end


def visit_start(form: FormModel) -> tuple[dt.time | None, str]:
    """The time the visit starts (planned, or as it happened), and the field it comes from."""
    if isinstance(form, RiskAssessment):
        return form.planned_start, "planned_start"
    if isinstance(form, VisitReport):
        return form.visit_time, "visit_time"
    return None, ""


def visit_end(form: FormModel) -> tuple[dt.time | None, str]:
    """When the visit ends (expected return, or leaving time), and the field it comes from."""
    if isinstance(form, RiskAssessment):
        return form.expected_return, "expected_return"
    if isinstance(form, VisitReport):
        return form.leaving_time, "leaving_time"
    return None, ""


def outside_school_hours(
    hours: SchoolDay, day: dt.date, start: dt.time | None, until: dt.time | None = None
) -> str | None:
    """Why a visit falls outside school hours, or None if it does not.

    ``until`` is when the visit ends (the expected return, or the leaving time): a visit that
    starts in school hours but runs on after them is partly outside school hours too."""
    found = out_of_hours_part(hours, day, start, until)
    return found[0] if found else None


def out_of_hours_part(
    hours: SchoolDay, day: dt.date, start: dt.time | None, until: dt.time | None = None
) -> tuple[str, str] | None:
    """Like ``outside_school_hours``, with which part of the visit is out of hours: "day",
    "start" or "until"."""
    not_school = hours.not_a_school_day(day)
    if not_school is not None:
        return not_school, "day"
    span = f"({display(hours.start)} to {display(hours.end)})"
    if start is not None and not hours.contains(dt.datetime.combine(day, start)):
        return f"{display(start)} is outside school hours {span}", "start"
    if until is not None and until > hours.end:
        return f"The visit runs until {display(until)}, after school hours end {span}", "until"
    if until is not None and start is not None and until < start:
        return (
            f"The visit runs past midnight (until {display(until)}), after school hours end "
            f"{span}",
            "until",
        )
    return None


def visit_outside_hours(hours: SchoolDay, form: FormModel) -> tuple[str, str] | None:
    """Why and where a visit (planned on a risk assessment, made on a report) falls outside
    school hours: the reason, and the field to point at; None in school hours."""
    start, start_field = visit_start(form)
    until, until_field = visit_end(form)
    found = out_of_hours_part(hours, form.visit_date, start, until)
    if found is None:
        return None
    why, part = found
    return why, until_field if part == "until" else start_field
