"""The forms docgen knows. A new form is a new module here (and its templates), added to FORMS."""

from __future__ import annotations

from docgen.schemas.base import FormModel
from docgen.schemas.risk_assessment import RiskAssessment
from docgen.schemas.visit_report import VisitReport

FORMS: dict[str, type[FormModel]] = {
    model.form_name: model for model in (RiskAssessment, VisitReport)
}


class UnknownForm(KeyError):
    """A form name docgen does not know."""


def get_form(name: str) -> type[FormModel]:
    try:
        return FORMS[name]
    except KeyError:
        known = ", ".join(FORMS)
        raise UnknownForm(f"unknown form '{name}'; known forms: {known}") from None


__all__ = ["FORMS", "FormModel", "RiskAssessment", "UnknownForm", "VisitReport", "get_form"]
