"""Checks that read both forms the same way: the purpose of the visit, when it happens, and
whether other means of contact came first."""

from __future__ import annotations

from collections.abc import Iterator

from docgen.policy.hours import visit_end, visit_start
from docgen.policy.model import Policy
from docgen.policy.registry import CheckContext, Finding, rule
from docgen.schemas import RiskAssessment, VisitReport
from docgen.schemas.choices import VisitPurpose
from docgen.schemas.types import display

Form = RiskAssessment | VisitReport


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
    evening_from = policy.evening_from
    start, name = visit_start(form)
    if evening_from is None or start is None:
        return
    until, until_name = visit_end(form)
    if start >= evening_from:
        when = display(start)
    elif until is not None and (
        until > evening_from
        # a planned return before the start runs past midnight; a report's leaving time
        # before its arrival is a mistake that report.times reports
        or (until < start and isinstance(form, RiskAssessment))
    ):
        when, name = f"until {display(until)}", until_name
    else:
        return
    yield Finding(
        f"An evening visit ({when}): it is strongly recommended that no one makes an evening "
        "home visit. Arrange a daytime visit if at all possible.",
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


def birth_after_visit(form: Form) -> Iterator[Finding]:
    """A date of birth after the visit (or in the future) is a typing mistake."""
    born = form.date_of_birth
    if born is not None and born > form.visit_date:
        yield Finding(
            f"The date of birth {display(born)} is after the date of the visit "
            f"{display(form.visit_date)}. Check both dates (DD/MM/YYYY).",
            ("date_of_birth",),
            display(born),
        )
