"""The words a category table is written in: what a record is (``form:``), why the visit was
made (``purpose:``), how risky it was (``risk:``) and what the visit found (a finding such as
``welfare-concern``). A school's table (``[[export.categories]]`` in school.toml) may use only
these; an unknown word is an error naming it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from docgen.schemas import RiskAssessment, VisitReport
from docgen.schemas.choices import RiskLevel, VisitPurpose
from docgen.schemas.types import _FORBIDDEN

CATEGORY_SEPARATOR = " / "  # between a category and its sub-category, in text

# What a visit report can have found, each with the answers that make it so.
FINDINGS: dict[str, str] = {
    "nobody-home": "Nobody was home.",
    "pupil-not-seen": "The pupil was not seen.",
    "welfare-concern": "There were concerns for the pupil's welfare.",
    "immediate-danger": "Staff believed the pupil was in immediate danger.",
    "police-called": "The police were called (999), or contacted about a threat.",
    "social-care-referral": "A referral was made to children's social care.",
    "incident": "Something unusual happened on the visit.",
    "threat-or-violence": "Staff were threatened, or violence was used.",
    "physical-intervention": "Staff used physical intervention.",
    "allegation": "An allegation was made against a member of staff.",
    "left-for-safety": "Staff cancelled or left the visit because they felt unsafe.",
    "agreement": "An agreement was made with the family.",
    "authorities-notified": "The authorities were notified of low attendance.",
    "safeguarding-alert": "The record carries a safeguarding alert (a gap still to be "
                          "reported, e.g. a welfare concern not yet with the DSL).",
}


def conditions() -> dict[str, str]:
    """Every condition a category table may use, with what it means."""
    out = {f"form:{form.form_name}": f"The record is a {form.form_title.lower()}."
           for form in (VisitReport, RiskAssessment)}
    out.update({f"purpose:{p.value}": f"The purpose of the visit is “{p.label}”."
                for p in VisitPurpose})
    out.update({f"risk:{r.value}": f"The visit's overall risk level is {r.label}."
                for r in RiskLevel})
    out.update(FINDINGS)
    return out


@dataclass(frozen=True)
class Facts:
    """What the conditions are tested against, for one record."""

    form: str
    purpose: VisitPurpose
    risk: RiskLevel | None = None
    findings: frozenset[str] = frozenset()

    def holds(self, condition: str) -> bool:
        kind, _, value = condition.partition(":")
        if kind == "form" and value:
            return self.form == value
        if kind == "purpose" and value:
            return self.purpose.value == value
        if kind == "risk" and value:
            return self.risk is not None and self.risk.value == value
        return condition in self.findings


def report_findings(report: VisitReport, *, alerts: bool) -> frozenset[str]:
    """The findings of a visit report (``alerts``: it carries a safeguarding alert)."""
    found = {
        "nobody-home": report.anyone_home is False,
        "pupil-not-seen": report.pupil_seen is False,
        "welfare-concern": report.welfare_concerns is True,
        "immediate-danger": report.immediate_danger is True,
        "police-called": report.police_called is True or report.threat_police is True,
        "social-care-referral": report.social_care_referral is True,
        "incident": report.anything_unusual is True,
        "threat-or-violence": report.threatened is True,
        "physical-intervention": report.physical_intervention is True,
        "allegation": report.allegation_made is True,
        "left-for-safety": report.left_for_safety is True,
        "agreement": report.agreed is not None,
        "authorities-notified": report.authorities_notified_on is not None,
        "safeguarding-alert": alerts,
    }
    return frozenset(name for name, yes in found.items() if yes)


def check_conditions(names: list[str]) -> None:
    """Raise ValueError naming the first condition docgen does not know."""
    known = conditions()
    for name in names:
        if name not in known:
            guess = difflib.get_close_matches(name, list(known), n=1)
            hint = f"did you mean '{guess[0]}'?" if guess else (
                "use form:, purpose:, risk: or a finding (" + ", ".join(FINDINGS) + ")")
            raise ValueError(f"unknown condition '{name}'; {hint}")


def check_category_name(value: str) -> str:
    """A category or sub-category name as the school's system shows it: one line, no control
    characters, and not containing the separator docgen writes between the two."""
    text = " ".join(value.split())
    if _FORBIDDEN.search(value.replace("\n", " ").replace("\t", " ")):
        raise ValueError("contains an invisible control character; retype it")
    if CATEGORY_SEPARATOR in f" {text} ":
        raise ValueError(f"'{text}' contains '{CATEGORY_SEPARATOR}', which docgen writes "
                         "between a category and its sub-category: give them separately "
                         "(category = ..., subcategory = ...)")
    return text
