"""Checks that read both forms the same way: the purpose of the visit, when it happens, and
whether other means of contact came first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from docgen.policy.model import Policy
from docgen.policy.registry import CheckContext, Finding, rule
from docgen.schemas import RiskAssessment, VisitReport
from docgen.schemas.choices import VisitPurpose
from docgen.schemas.types import display

Form = RiskAssessment | VisitReport


def visit_start(form: Form) -> tuple[dt.time | None, str]:
    """The time the visit starts, and the field it comes from."""
    if isinstance(form, RiskAssessment):
        return form.planned_start, "planned_start"
    return form.visit_time, "visit_time"


def outside_school_hours(policy: Policy, day: dt.date, start: dt.time | None) -> str | None:
    """Why a visit falls outside school hours, or None if it does not."""
    if policy.school_day.weekdays_only and day.weekday() >= 5:
        return f"{day.strftime('%A')} {display(day)} is not a school day"
    if start is None:
        return None
    if not policy.school_day.contains(dt.datetime.combine(day, start)):
        return (
            f"{display(start)} is outside school hours "
            f"({display(policy.school_day.start)} to {display(policy.school_day.end)})"
        )
    return None


@rule("visit.purpose", "The purpose of the visit is one the policy lists",
      RiskAssessment, VisitReport)
def purpose_listed(form: Form, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if form.purpose not in policy.purposes and form.purpose is not VisitPurpose.OTHER:
        yield Finding(
            f"'{form.purpose.label}' is not a reason for a home visit that the policy lists. "
            "Check that a home visit is the right tool, or choose the purpose that fits.",
            ("purpose",),
        )


@rule("visit.evening", "Evening visits are flagged", RiskAssessment, VisitReport)
def evening(form: Form, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    start, name = visit_start(form)
    if policy.evening_from and start and start >= policy.evening_from:
        yield Finding(
            f"An evening visit ({display(start)}): it is strongly recommended that no one makes "
            "an evening home visit. Arrange a daytime visit if at all possible.",
            (name,),
        )


@rule("visit.contact-exhausted", "Other means of contact were tried before visiting",
      RiskAssessment, VisitReport)
def contact_exhausted(form: Form, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if isinstance(form, RiskAssessment):
        answer, name = form.other_contact_exhausted, "other_contact_exhausted"
    else:
        answer, name = form.other_methods_exhausted, "other_methods_exhausted"
    if answer is False:
        yield Finding(
            "Other means of contact have not been exhausted. Make sure a visit is necessary: "
            "try calls, texts, email or a meeting in school first, or record why a visit cannot "
            "wait.",
            (name,),
        )
