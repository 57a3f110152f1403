"""Which questions a printed form asks: those the school's policy asks (``field(asked_by=...)``)
that apply to the visit (``field(when=When(...))``).

Both are declared on the fields; this module only evaluates them. A question left out is always
one left empty: an answer given is printed, whatever the policy or the other answers say. A
blank form (``blank=True``) asks every question its policy asks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from docgen.policy import RULES, Policy
from docgen.policy.hours import visit_outside_hours, visit_start
from docgen.policy.model import FEATURES
from docgen.policy.rules.visit_report import incidents
from docgen.schemas import FORMS, RiskAssessment, VisitReport
from docgen.schemas.base import Part
from docgen.schemas.fields import FieldNode, by_name, tree

Fact = Callable[[Any, Policy], "bool | None"]


def _known_risks(form: RiskAssessment, policy: Policy) -> bool | None:
    return form.has_known_risks()


def _lone_visit(form: RiskAssessment, policy: Policy) -> bool | None:
    return len(form.staff) == 1 if form.staff else None


def _outside_school_hours(form: RiskAssessment | VisitReport, policy: Policy) -> bool | None:
    """True outside school hours; False in them; None when the time is not known yet."""
    if form.visit_date is None:  # a draft on the web
        return None
    if visit_outside_hours(policy.school_day, form) is not None:
        return True
    start, _ = visit_start(form)
    return False if start is not None else None


def _incident(form: VisitReport, policy: Policy) -> bool | None:
    return bool(incidents(form))


def _agreement(form: VisitReport, policy: Policy) -> bool | None:
    return form.agreed is not None


def _attendance_visit(form: VisitReport, policy: Policy) -> bool | None:
    return form.purpose.is_attendance if form.purpose is not None else None


def _attendance_below_threshold(form: VisitReport, policy: Policy) -> bool | None:
    threshold = policy.attendance_notify_below
    if threshold is None:
        return False
    if form.attendance_percent is None:
        return None
    return form.attendance_percent < threshold


# The facts a field's ``When(fact=...)`` may name: True or False, or None when not yet known
# (a draft on the web may not have the answers a fact reads yet).
FACTS: dict[str, Fact] = {
    "known_risks": _known_risks,
    "lone_visit": _lone_visit,
    "outside_school_hours": _outside_school_hours,
    "incident": _incident,
    "agreement": _agreement,
    "attendance_visit": _attendance_visit,
    "attendance_below_threshold": _attendance_below_threshold,
}


# What each fact says, for the documentation of the forms (docs/forms.md).
FACT_WORDS: dict[str, str] = {
    "known_risks": "known risks are recorded",
    "lone_visit": "one member of staff visits alone",
    "outside_school_hours": "the visit is outside the policy's school hours",
    "incident": "anything unusual happened (or a threat, physical intervention or allegation)",
    "agreement": "something was agreed",
    "attendance_visit": "the visit is about attendance",
    "attendance_below_threshold": "attendance is below the policy's threshold",
}
if set(FACT_WORDS) != set(FACTS):  # pragma: no cover - a fact added without its words
    raise RuntimeError("FACT_WORDS and FACTS must name the same facts")


def declared_conditions() -> list[tuple[str, type[BaseModel], FieldNode]]:
    """Every (form name, model, field) with a condition or an ``asked_by``, at any depth."""
    out = []

    def walk(form: str, model: type[BaseModel]) -> None:
        for node in tree(model):
            if node.when is not None or node.asked_by:
                out.append((form, model, node))
            if node.is_part:
                walk(form, node.model)

    for name, model in FORMS.items():
        walk(name, model)
    return out


def is_empty(value: Any) -> bool:
    """Nothing to print: no answer, an empty list, or a part whose every field is empty."""
    if value is None or value == "" or value == []:
        return True
    if isinstance(value, Part):
        return all(is_empty(getattr(value, name)) for name in type(value).model_fields)
    return False


class Applicability:
    """The questions of one form as printed under one policy."""

    def __init__(self, form: Any, policy: Policy, *, blank: bool = False) -> None:
        self.form = form
        self.policy = policy
        self.blank = blank
        self._reasons: dict[tuple[int, str], str | None] = {}

    def asked(self, node: FieldNode) -> bool:
        """Whether the policy asks the question at all."""
        return not node.asked_by or any(self.policy.asks(name) for name in node.asked_by)

    def skip(self, node: FieldNode, owner: Any) -> str | None:
        """Why the question ``node`` of ``owner`` (the form, or a part of it) is left out of
        the printed form, or None when it is printed. "" means the policy does not ask it."""
        value = getattr(owner, node.name, None) if owner is not None else None
        if not is_empty(value):
            return None
        if not self.asked(node):
            return ""
        if self.blank:
            return None
        return self.not_applying(node, owner)

    def not_applying(self, node: FieldNode, owner: Any) -> str | None:
        """Why the question does not apply to this visit, or None when it does (or when that
        is not known yet)."""
        when = node.when
        if when is None or owner is None:
            return None
        key = (id(owner), node.name)
        if key in self._reasons:
            return self._reasons[key]
        self._reasons[key] = None  # a condition never loops back on itself
        reason: str | None
        if when.fact:
            holds = FACTS[when.fact](self.form, self.policy)
            reason = when.because if holds is False else None
        else:
            model: type[BaseModel] = type(owner)
            control = by_name(model)[when.field]
            value = getattr(owner, when.field)
            if value is None:
                # what follows an answer not given does not apply either: say why the answer
                # is missing (its own question does not apply), or that it is
                reason = self.not_applying(control, owner) or \
                    f"'{control.label}' is not answered"
            else:
                reason = None if value in when.values else when.because
        self._reasons[key] = reason
        return reason


def _check_declarations() -> None:
    """Every condition names a field of its own model or a known fact; every ``asked_by`` a
    rule or a feature a policy can have (checked once, when docgen starts)."""
    for form, model, node in declared_conditions():
        where = f"{form}: {model.__name__}.{node.name}"
        unknown = [name for name in node.asked_by if name not in RULES and name not in FEATURES]
        if unknown:  # pragma: no cover - a mistake in a schema
            raise RuntimeError(f"{where}: asked_by names no rule or feature: {unknown}")
        when = node.when
        if when is None:
            continue
        if when.fact and when.fact not in FACTS:  # pragma: no cover
            raise RuntimeError(f"{where}: unknown fact {when.fact!r}")
        if when.field and when.field not in model.model_fields:  # pragma: no cover
            raise RuntimeError(f"{where}: condition on {when.field!r}, not a field beside it")


_check_declarations()
