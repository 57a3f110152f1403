"""Checks of a visit report against the risk assessment of its visit (matched by the visit
reference, else the pupil and the date; see ``docgen.policy.assessments``). They run only when
assessments were looked up (``CheckContext.assessments``); otherwise they stay silent."""

from __future__ import annotations

from collections.abc import Iterator

from docgen.policy.assessments import AssessmentSummary
from docgen.policy.model import Policy
from docgen.policy.registry import CheckContext, Finding, rule
from docgen.schemas import VisitReport
from docgen.schemas.types import display

VR = VisitReport


def _assessment(vr: VR, ctx: CheckContext) -> AssessmentSummary | None:
    return ctx.assessments.find(vr.visit_key()) if ctx.assessments is not None else None


def _where(summary: AssessmentSummary) -> str:
    return f"the risk assessment at {summary.location}"


@rule("report.assessment-missing", "A report has a risk assessment behind it", VR)
def assessment_missing(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if ctx.assessments is None or _assessment(vr, ctx) is not None:
        return
    how = (f"visit reference {vr.visit_reference}" if vr.visit_reference
           else f"pupil {vr.pupil_name} on {display(vr.visit_date)}")
    yield Finding(
        f"No risk assessment was given for this visit ({how}). A risk assessment is completed "
        "before every visit: include it, or give both forms the same visit reference.",
        ("visit_reference",),
    )


@rule("report.assessment-staff", "The report's staff were on the risk assessment", VR)
def assessment_staff(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    summary = _assessment(vr, ctx)
    if summary is None:
        return
    for i, name in enumerate(vr.staff_attending):
        if not summary.has_staff(name):
            yield Finding(
                f"{name} attended but is not on {_where(summary)} (which names "
                f"{', '.join(summary.staff)}). Staff on a visit are those assessed and "
                "authorised for it; tell the DSL who went.",
                ("staff_attending", i),
                name,
            )


@rule("report.assessment-date", "The visit took place on the date assessed", VR)
def assessment_date(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    summary = _assessment(vr, ctx)
    if summary is not None and summary.visit_date != vr.visit_date:
        yield Finding(
            f"The visit took place on {display(vr.visit_date)}, but {_where(summary)} is for "
            f"{display(summary.visit_date)}. Check the date, or update the risk assessment for "
            "the day of the visit.",
            ("visit_date",),
            display(vr.visit_date),
        )


@rule("report.assessment-authorised", "The visit was authorised before it took place", VR)
def assessment_authorised(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    summary = _assessment(vr, ctx)
    if summary is None:
        return
    if not summary.authorised or summary.authorised_on is None:
        yield Finding(
            f"{_where(summary).capitalize()} records no authorisation, so the visit went "
            "ahead unauthorised. Every visit is authorised before it takes place; tell the "
            "DSL.",
            ("visit_date",),
        )
    elif summary.authorised_on > vr.visit_date:
        yield Finding(
            f"The visit on {display(vr.visit_date)} was authorised only on "
            f"{display(summary.authorised_on)} ({_where(summary)}). Every visit is "
            "authorised before it takes place; tell the DSL.",
            ("visit_date",),
        )
