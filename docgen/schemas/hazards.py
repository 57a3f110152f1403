"""The hazard matrix of the ATT Home Visit Risk Assessment (Appendix 1).

Five hazards, each assessed for individuals at risk, severity of harm, likelihood, risk level
and controls. Every cell defaults to the appendix's generic assessment; a visit overrides only
what differs (a JSON object with some keys, or workbook cells left blank for the rest).
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import ConfigDict, model_validator

from docgen.schemas.base import Part, field, text_field
from docgen.schemas.choices import Likelihood, RiskLevel
from docgen.schemas.types import Text

HAZARD_TEXT_MAX = 2_000
HAZARD_CONTROLS_MAX = 5_000


def _nothing_required(schema: dict[str, Any]) -> None:
    """In JSON every hazard and every cell may be left out: the generic assessment fills it
    (``HazardMatrix._fill_generic``), so the JSON Schema must not call them required."""
    schema.pop("required", None)


class HazardAssessment(Part):
    model_config = ConfigDict(json_schema_extra=_nothing_required)

    # A cell of the printed matrix is a fifth of the page wide: these limits keep the matrix
    # to a few pages (20,000 characters in each cell printed 55 pages of narrow columns), and
    # leave room for a long list of controls (24 numbered lines are 3,100 characters).
    individuals_at_risk: Text = text_field(
        "Individuals at Risk", "Who may be harmed. Leave blank for the generic assessment.",
        max_length=HAZARD_TEXT_MAX,
    )
    severity_of_harm: Text = text_field(
        "Severity of Harm", "What harm could occur. Leave blank for the generic assessment.",
        max_length=HAZARD_TEXT_MAX,
    )
    likelihood: Likelihood = field(
        "Likelihood",
        "How likely the harm is for this visit. Leave blank for the generic "
        "'Remote Possibility'.",
    )
    risk_level: RiskLevel = field(
        "Risk Level", "Low, Medium or High for this hazard. Leave blank for the generic 'Low'."
    )
    controls: Text = text_field(
        "Controls",
        "How the risk is reduced, one control per line. Leave blank for the generic controls.",
        max_length=HAZARD_CONTROLS_MAX,
    )


_STAFF = "Member of staff may be harmed"

GENERIC: dict[str, dict[str, Any]] = {
    "aggressive_person": {
        "individuals_at_risk": _STAFF,
        "severity_of_harm": "Major injury may occur",
        "controls": "\n".join(
            [
                "Refer to home visit policy",
                "Risk reduced by:",
                "Informing DSL",
                "2 person visit if aware of home circumstances",
                "Inform reception and sign out, so others are aware of your whereabouts",
                "Take a mobile phone for communication",
                "Arrange a code word that you can share with school contact if you are in "
                "danger",
            ]
        ),
    },
    "driving": {
        "individuals_at_risk": _STAFF,
        "severity_of_harm": "Vehicle breakdown, accident, intruder in vehicle when "
        "unattended, use of mobile phone",
        "controls": "\n".join(
            [
                "Maintain vehicle properly",
                "Belong to a breakdown organisation",
                "Carry torch, phone etc for emergency",
                "Advise team or partner where you are going",
                "Phone in if plan changes",
                "Do not leave valuables in car (e.g., laptop)",
                "Avoid risky areas",
            ]
        ),
    },
    "public_areas": {
        "individuals_at_risk": _STAFF,
        "severity_of_harm": "Attack\nTheft of property",
        "controls": "\n".join(
            [
                "Back down from confrontation",
                "Call for help",
                "Use attack alarm",
                "Keep valuables secure and out of sight or disguised",
                "Surrender valuables if personal safety is at risk",
                "Use staff bus or public transport if available",
                "Post incident support",
            ]
        ),
    },
    "illness_or_injury": {
        "individuals_at_risk": _STAFF,
        "severity_of_harm": "Illness or injury",
        "controls": "\n".join(
            [
                "Alert Emergency services if appropriate",
                "Take mobile communications",
                "Alert team members if able to",
                "Ensure access to phone",
                "Take prescribed medication as directed or as needed",
                "Complete injury at work protocol on return",
            ]
        ),
    },
    "animals": {
        "individuals_at_risk": _STAFF,
        "severity_of_harm": "Major injury may occur",
        "controls": "\n".join(
            [
                "Avoid contact with animals",
                "Seek local advice before entering premises with animals",
                "Appropriate behaviour near animals: avoid alarming them, e.g. sudden movements",
            ]
        ),
    },
}
for _cells in GENERIC.values():
    _cells.setdefault("likelihood", Likelihood.REMOTE)
    _cells.setdefault("risk_level", RiskLevel.LOW)


_GENERIC_HELP = "Any cell left blank keeps the generic assessment."


class HazardMatrix(Part):
    """The five hazards in the appendix's order."""

    model_config = ConfigDict(json_schema_extra=_nothing_required)
    blank_means: ClassVar[dict[str, dict[str, Any]]] = GENERIC

    aggressive_person: HazardAssessment = field(
        "Aggressive or violent parent/ pupil/ family member",
        "Aggression or violence at the address. " + _GENERIC_HELP,
        prefix="Aggressive person hazard",
    )
    driving: HazardAssessment = field(
        "Driving", "Travelling to and from the visit by car. " + _GENERIC_HELP,
        prefix="Driving hazard",
    )
    public_areas: HazardAssessment = field(
        "Movement through public areas",
        "Walking or waiting in public on the way. " + _GENERIC_HELP,
        prefix="Public areas hazard",
    )
    illness_or_injury: HazardAssessment = field(
        "Illness or injury/ accident",
        "Staff falling ill or being hurt during the visit. " + _GENERIC_HELP,
        prefix="Illness or injury hazard",
    )
    animals: HazardAssessment = field(
        "Attack by dog or other animal", "Dogs or other animals at the address. " + _GENERIC_HELP,
        prefix="Animals hazard",
    )

    @model_validator(mode="before")
    @classmethod
    def _fill_generic(cls, data: Any) -> Any:
        """Start every hazard from the generic assessment and lay the given cells over it."""
        if data is None:
            data = {}
        if not isinstance(data, dict):
            return data
        merged: dict[str, Any] = dict(data)
        for name, generic in GENERIC.items():
            given = data.get(name)
            if given is None:
                merged[name] = dict(generic)
            elif isinstance(given, dict):
                overrides = {k: v for k, v in given.items() if not _blank(v)}
                merged[name] = {**generic, **overrides}
        return merged

    def is_generic(self) -> bool:
        """True when no cell differs from the appendix's generic assessment."""
        return all(
            getattr(self, name).model_dump() == generic for name, generic in GENERIC.items()
        )

    def highest_risk(self) -> RiskLevel:
        levels: list[RiskLevel] = [cell.risk_level for _, cell in self.items()]
        return max(levels, key=lambda level: level.rank)

    def items(self) -> list[tuple[str, HazardAssessment]]:
        """The hazards in the appendix's order, by field name."""
        return [(name, getattr(self, name)) for name in type(self).model_fields]


# Every hazard of the matrix has its generic assessment, and nothing else does.
if set(GENERIC) != set(HazardMatrix.model_fields):  # pragma: no cover
    raise RuntimeError("GENERIC and HazardMatrix must name the same hazards")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def generic_matrix() -> HazardMatrix:
    return HazardMatrix.model_validate({})
