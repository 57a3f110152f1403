"""A school's home-visit policy as data: the knobs the rules read, and for each rule whether it
applies, how severe a breach is, and the paragraph of the policy it enforces.

Presets live in ``presets/*.toml``; a school's own file (TOML or YAML) either sets everything or
``extends`` a preset and overrides what differs.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from docgen.policy.hours import SchoolDay
from docgen.schemas import FORMS
from docgen.schemas.choices import AuthoriserRole, Likelihood, RiskLevel, VisitPurpose
from docgen.schemas.types import ClockTime

SeverityName = Literal["error", "warning", "off"]


class RuleSetting(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    severity: SeverityName = Field(
        description="error blocks documents; warning is printed and carried on them; off skips"
    )
    cite: str = Field(
        default="", description="The policy paragraph this rule enforces, quoted briefly"
    )

    @field_validator("severity", mode="before")
    @classmethod
    def _yaml_off(cls, value: object) -> object:
        # YAML 1.1 reads an unquoted `severity: off` as the boolean false
        return "off" if value is False else value


class CheckIns(BaseModel):
    """When the office calls staff on a visit (Westside: ten minutes in, then every two
    hours). Used by the office check-in sheet."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    first_after_minutes: int | None = Field(default=None, ge=0, le=24 * 60)
    every_minutes: int | None = Field(default=None, ge=15, le=24 * 60)


class RiskScale(BaseModel):
    """The risk scale of the hazard matrix, as far as it can be written down.

    Appendix 1 rates each hazard's likelihood from a closed list and its severity of harm in
    free text (as on the paper form), then gives it a risk level. Only the likelihood can be
    read, so the scale says, for each likelihood, the lowest risk level a hazard of that
    likelihood may be given; the assessor raises it further for a severe harm. The default:
    a Likely or Very Likely hazard is never Low (the generic assessment rates every hazard a
    Remote Possibility, Low)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    minimum_level: dict[Likelihood, RiskLevel] = Field(
        default_factory=lambda: {Likelihood.LIKELY: RiskLevel.MEDIUM,
                                 Likelihood.VERY_LIKELY: RiskLevel.MEDIUM},
        description="For each likelihood, the lowest risk level a hazard may be given "
        "(likelihoods not named: any level)",
    )

    def lowest_level(self, likelihood: Likelihood) -> RiskLevel:
        return self.minimum_level.get(likelihood, RiskLevel.LOW)


class LetterRules(BaseModel):
    """When letters are due (``docgen letters``): the attendance stages, agreements and the
    notification to the local authority. Figures follow the DfE's *Working together to improve
    school attendance* (2024) and the national framework for penalty notices."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    persistent_absence_percent: float = Field(
        default=10, gt=0, le=100,
        description="A pupil missing this share of possible sessions or more is persistently "
        "absent (DfE: 10%): attendance-concern letters are due",
    )
    severe_absence_percent: float = Field(
        default=50, gt=0, le=100,
        description="Missing this share or more is severe absence (DfE: 50%)",
    )
    stage_interval_days: int = Field(
        default=14, ge=1, le=365,
        description="The next stage's letter is due no sooner than this after the last one",
    )
    stage_expires_days: int = Field(
        default=365, ge=30, le=3650,
        description="A letter older than this no longer counts: stages start again at 1",
    )
    warning_unauthorised_sessions: int = Field(
        default=10, ge=1, le=100,
        description="The formal warning (the last stage) is due only when unauthorised absence "
        "reaches this many sessions in window_weeks school weeks (the national penalty notice "
        "threshold: 10 in 10)",
    )
    window_weeks: int = Field(default=10, ge=1, le=52,
                              description="The rolling window, in school weeks")
    agreements: bool = Field(
        default=False,
        description="Attendance agreements made on visits are followed by reminder letters "
        "and a follow-up visit (Westside: attendance officer visits)",
    )
    agreement_target_percent: float = Field(
        default=90, gt=0, le=100,
        description="Attendance since an agreement below this is a shortfall (an export may "
        "give each agreement's own target)",
    )
    agreement_min_sessions: int = Field(
        default=10, ge=1, le=400,
        description="Sessions since an agreement before it is judged",
    )
    notify_months: int = Field(default=3, ge=1, le=12,
                               description="The period of attendance_notify_below, in months")
    notify_min_weeks: int = Field(
        default=8, ge=1, le=52,
        description="School weeks of register the period must hold to be judged",
    )
    notify_again_after_days: int = Field(
        default=91, ge=1, le=3650,
        description="The authority is not notified again about a pupil before this",
    )
    reply_school_days: int = Field(
        default=5, ge=1, le=30,
        description="School days a family is given to reply or rearrange",
    )
    cite: dict[str, str] = Field(
        default_factory=dict,
        description="For each letter, the policy paragraph that calls for it, quoted briefly",
    )


class FormText(BaseModel):
    """What a policy prints on one of its forms, in its own words: the notes the paper form
    carries (printed under the title) and footnotes on its questions (by field name, printed
    after the question's section)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(default="", description="Where the notes come from, e.g. Appendix 1")
    notes: list[str] = Field(default_factory=list, description="The form's own notes")
    footnotes: dict[str, str] = Field(
        default_factory=dict, description="Footnotes on questions, by the question's field name"
    )

    @property
    def empty(self) -> bool:
        return not self.notes and not self.footnotes


# What a field may be asked for besides a rule (``field(asked_by=...)``): features of a policy.
FEATURES = ("lone_visits",)


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="Short name, e.g. att")
    name: str = Field(description="The policy's title")
    document: str = Field(description="The source document, for citations")
    min_staff: int = Field(default=2, ge=1, le=6, description="Staff on every visit")
    lone_visits: Literal["never", "with_headteacher_approval"] = Field(
        default="never",
        description="Whether one member of staff may visit alone, and on what condition",
    )
    authorisers: list[AuthoriserRole] = Field(
        min_length=1, description="Roles that may authorise a visit"
    )
    deputy_dsl_may_authorise: bool = Field(
        default=False,
        description="Where the DSL may authorise a visit, a Deputy DSL may too",
    )
    purposes: list[VisitPurpose] = Field(
        min_length=1, description="Purposes the policy lists for a home visit"
    )
    school_day: SchoolDay = Field(default_factory=SchoolDay)
    evening_from: ClockTime | None = Field(
        default=None, description="Visits starting at or after this time are evening visits"
    )
    max_wait_minutes: int | None = Field(
        default=None, ge=0, description="Longest wait when nobody answers"
    )
    attendance_notify_below: float | None = Field(
        default=None, ge=0, le=100,
        description="Attendance (%) over three months below which the authorities are notified",
    )
    checkins: CheckIns = Field(default_factory=CheckIns)
    risk_scale: RiskScale = Field(default_factory=RiskScale)
    letters: LetterRules = Field(default_factory=LetterRules)
    rules: dict[str, RuleSetting] = Field(default_factory=dict)
    wording: dict[str, str] = Field(
        default_factory=dict,
        description="The policy's words for what the forms name otherwise, e.g. "
        "headteacher = \"Principal\": printed documents use them",
    )
    forms: dict[str, FormText] = Field(
        default_factory=dict,
        description="Notes and footnotes printed on each form (risk-assessment, visit-report)",
    )

    @field_validator("forms")
    @classmethod
    def _known_forms(cls, value: dict[str, FormText]) -> dict[str, FormText]:
        for name, text in value.items():
            if name not in FORMS:
                raise ValueError(f"'{name}' is not a form; the forms are {', '.join(FORMS)}")
            unknown = sorted(set(text.footnotes) - set(FORMS[name].model_fields))
            if unknown:
                raise ValueError(f"footnotes of {name} name no question: {', '.join(unknown)}")
        return value

    @field_validator("purposes", mode="before")
    @classmethod
    def _all_purposes(cls, value: object) -> object:
        if value == "all":
            return list(VisitPurpose)
        return value

    @property
    def authorising_roles(self) -> list[AuthoriserRole]:
        """Who may authorise a visit: the policy's roles, with the Deputy DSL where the
        policy lets a deputy authorise for the DSL."""
        roles = list(self.authorisers)
        if (self.deputy_dsl_may_authorise and AuthoriserRole.DSL in roles
                and AuthoriserRole.DEPUTY_DSL not in roles):
            roles.insert(roles.index(AuthoriserRole.DSL) + 1, AuthoriserRole.DEPUTY_DSL)
        return roles

    def asks(self, name: str) -> bool:
        """Whether the policy asks a question that ``field(asked_by=...)`` ties to ``name``: a
        rule that is on, or a feature of the policy (``lone_visits``: one member of staff may
        visit alone)."""
        if name == "lone_visits":
            return self.lone_visits != "never"
        return self.setting(name) is not None

    def form_text(self, form: str) -> FormText:
        return self.forms.get(form) or FormText()

    def setting(self, rule_id: str) -> RuleSetting | None:
        setting = self.rules.get(rule_id)
        if setting is None or setting.severity == "off":
            return None
        return setting
