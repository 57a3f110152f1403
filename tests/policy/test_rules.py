"""Every policy check, failing and passing, under each preset that switches it on.

The fail table below has one row per (rule, preset, variant): a change to a form that is valid
under the preset, and what the rule must then report: the severity the preset gives it, where
the issue points (JSON path and printed field label) and the words its message must contain.
A meta-test makes sure every rule in ``RULES`` has a row, so a new rule without a test fails
the suite. A row for a check of a report against its risk assessment gives the assessment
(``assessment``: changes to the preset's valid risk assessment), which the run then holds.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from docgen.policy import PRESETS, RULES, CheckContext, Policy, active_rules, load_policy
from docgen.policy.assessments import AssessmentIndex, AssessmentSummary
from docgen.policy.catalogue import checks_markdown
from docgen.policy.hours import Term
from docgen.policy.registry import rule as register_rule
from docgen.report import Issue, Location, RecordResult
from docgen.schemas import FormModel, RiskAssessment, VisitReport
from docgen.schemas.choices import Likelihood, RiskLevel
from docgen.validation import validate_record

DROP = object()  # a change that removes the key

BOTH = ("att", "westside")
ERROR, WARNING = "error", "warning"

RA_FORM = "Home Visit Risk Assessment (ATT Appendix 1)"
REPORT_FORM = "Home Visit Report (ATT Appendix 2)"

# Parts of a valid form that some changes need.
HIGH_RISK = {
    "overall_risk": "high",
    "approved_by": "Dee Lead",
    "approved_on": "2026-11-20",
    "principal_permission": True,
    "principal_name": "Pat Principal",
    "joint_visit": "not_needed",
}
KNOWN_RISKS = {
    "known_risks": "Large dog at the address; father has been verbally aggressive.",
    "mitigation": "Family asked to keep the dog in another room; two staff attend.",
    "concerns_consulted": True,
    "hazards": {"animals": {"likelihood": "possible", "risk_level": "low"}},
}
NOBODY_HOME = {
    "anyone_home": False,
    "letter_left": True,
    "minutes_waited": 10,
    "who_was_home": DROP,
    "entered_property": DROP,
    "adult_present": DROP,
    "welfare_concerns": DROP,
    "discussed": DROP,
    "agreed": DROP,
    "arrival_time": DROP,
    "leaving_time": DROP,
}
ONE_STAFF = {"staff.1": DROP}
LONE_APPROVED = {"staff.1": DROP, "lone_visit_approved": True, "lone_working_assessment": True}
OUT_OF_HOURS_OK = {
    "out_of_hours_reason": "Father works days; the only time both parents are home.",
    "responsible_contact": {"name": "Dee Lead", "phone": "07700 900099"},
}
SATURDAY = "2026-11-21"
PERIOD = {"attendance_from": "20/08/2026", "attendance_to": "19/11/2026"}
WELFARE = {"welfare_concerns": True, "welfare_details": "Pupil had an unexplained bruise.",
           "concerns_reported_to_dsl": True, "immediate_danger": False}
INCIDENT = {"unusual_details": "Father shouted and raised a fist.", "incident_reported": True}
# The risk assessment of the base report's visit (the same pupil and date), authorised before.
ASSESSED = {"visit_date": "2026-11-20", "authorised_on": "2026-11-18"}
BY_REFERENCE = {"visit_reference": "HV-2026-001"}
FORM_MODELS: dict[str, type[FormModel]] = {"ra": RiskAssessment, "report": VisitReport}


# --------------------------------------------------------------------------- helpers


def apply(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Apply ``{"a.0.b": value}`` changes in order; DROP removes the key or list item."""
    for dotted, value in changes.items():
        *parents, last = dotted.split(".")
        node: Any = data
        for step in parents:
            node = node[int(step)] if isinstance(node, list) else node.setdefault(step, {})
        key: Any = int(last) if isinstance(node, list) else last
        if value is DROP:
            if isinstance(node, list):
                del node[key]
            else:
                node.pop(key, None)
        elif isinstance(node, list) and key == len(node):
            node.append(copy.deepcopy(value))
        else:
            node[key] = copy.deepcopy(value)
    return data


def merged(*parts: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in parts:
        out.update(part)
    return out


def _id(rule: str, policy: str, form: str, name: str) -> str:
    parts = [rule, policy]
    if len(RULES[rule].forms) > 1:  # a rule on both forms: say which
        parts.append(form)
    return "-".join([*parts, name] if name else parts)


@dataclass(frozen=True)
class Fail:
    rule: str
    policy: str
    form: str  # "ra" or "report"
    changes: dict[str, Any]
    severity: str
    at: tuple[tuple[str, str], ...]  # every (JSON path, field label) the rule reports
    words: tuple[str, ...] = ()
    name: str = ""
    assessment: dict[str, Any] | None = None  # the run's risk assessment, as changes

    def param(self) -> Any:
        return pytest.param(self, id=_id(self.rule, self.policy, self.form, self.name))


@dataclass(frozen=True)
class Pass:
    rule: str
    policy: str
    form: str
    changes: dict[str, Any] = field(default_factory=dict)
    name: str = ""
    assessment: dict[str, Any] | None = None

    def param(self) -> Any:
        return pytest.param(self, id=_id(self.rule, self.policy, self.form, self.name))


def fails(rule: str, policies: tuple[str, ...] | str, form: str, changes: dict[str, Any],
          severity: str | dict[str, str], at: list[tuple[str, str]], words: tuple[str, ...] = (),
          name: str = "", assessment: dict[str, Any] | None = None) -> list[Fail]:
    """Rows for one variant under each of ``policies``; ``severity`` may differ per policy."""
    policies = (policies,) if isinstance(policies, str) else policies
    return [
        Fail(rule, p, form, changes, severity if isinstance(severity, str) else severity[p],
             tuple(at), words, name, assessment)
        for p in policies
    ]


def passes(rule: str, policies: tuple[str, ...] | str, form: str, changes: dict[str, Any],
           name: str, assessment: dict[str, Any] | None = None) -> list[Pass]:
    policies = (policies,) if isinstance(policies, str) else policies
    return [Pass(rule, p, form, changes, name, assessment) for p in policies]


# --------------------------------------------------------------------------- the fail table

FAIL: list[Fail] = [
    # -- visit: both forms ----------------------------------------------------------------------
    *fails("visit.purpose", "att", "ra", {"purpose": "tutoring"}, WARNING,
           [("$.purpose", "Purpose of visit")], ("Delivering tutoring", "not a reason")),
    *fails("visit.purpose", "att", "report", {"purpose": "tutoring"}, WARNING,
           [("$.purpose", "Purpose of visit")], ("Delivering tutoring",)),
    *fails("visit.evening", "att", "ra", {"planned_start": "18:00", "expected_return": "19:00"},
           WARNING, [("$.planned_start", "Planned start time")], ("evening", "18:00"),
           name="at-evening-start"),
    *fails("visit.evening", "att", "ra", {"planned_start": "17:00", "expected_return": "17:45"},
           WARNING, [("$.planned_start", "Planned start time")], ("evening", "17:00"),
           name="from-17:00"),
    *fails("visit.evening", "att", "ra", {"planned_start": "16:30", "expected_return": "17:30"},
           WARNING, [("$.expected_return", "Expected return time")], ("until 17:30",),
           name="runs-into-evening"),
    *fails("visit.evening", "att", "report",
           {"visit_time": "7:30pm", "arrival_time": "19:30", "leaving_time": "20:00"},
           WARNING, [("$.visit_time", "Time of Visit")], ("evening", "19:30")),
    *fails("visit.contact-exhausted", BOTH, "ra", {"other_contact_exhausted": False}, WARNING,
           [("$.other_contact_exhausted", "Have you exhausted all other means of contact")],
           ("not been exhausted",)),
    *fails("visit.contact-exhausted", BOTH, "report", {"other_methods_exhausted": "No"},
           WARNING,
           [("$.other_methods_exhausted",
             "Did you exhaust all other methods of communication first?")],
           ("not been exhausted",)),
    # -- risk assessment: form rules (every policy) -----------------------------------------------
    *fails("ra.reason", BOTH, "ra", {"reason": {"concerns_from_academy": False}}, ERROR,
           [("$.reason.requested_by_la", "Reason for Visit: Requested by Local Authority")],
           ("at least one reason",)),
    *fails("ra.birth-date", BOTH, "ra", {"date_of_birth": "2026-11-24"}, ERROR,
           [("$.date_of_birth", "Date of birth")], ("after the date of the visit",)),
    *fails("report.birth-date", BOTH, "report", {"date_of_birth": "2026-11-21"}, ERROR,
           [("$.date_of_birth", "Date of birth")], ("after the date of the visit",)),
    *fails("ra.overall-risk", BOTH, "ra",
           {"hazards": {"animals": {"likelihood": "likely", "risk_level": "medium"}}}, ERROR,
           [("$.overall_risk", "Overall risk level")],
           ("Low", "Attack by dog or other animal", "Medium")),
    *fails("ra.other-vulnerability", BOTH, "ra", {"vulnerability": {"other": True}}, WARNING,
           [("$.vulnerability.other_details", "Is the pupil: Other vulnerability details")],
           ("Other Vulnerability",)),
    *fails("ra.mitigation", BOTH, "ra", {"known_risks": "A dog that bites."}, WARNING,
           [("$.mitigation",
             "What steps have you taken to mitigate these risks (if applicable)")],
           ("mitigate",)),
    *fails("ra.return-time", BOTH, "ra", {"planned_start": "10:00", "expected_return": "10:00"},
           WARNING, [("$.expected_return", "Expected return time")], ("same as",),
           name="same-time"),
    *fails("ra.return-time", BOTH, "ra",
           {"planned_start": "22:30", "expected_return": "00:15", **OUT_OF_HOURS_OK}, WARNING,
           [("$.expected_return", "Expected return time")], ("00:15", "22:30", "midnight"),
           name="crosses-midnight"),
    # -- risk assessment: staff ----------------------------------------------------------------
    *fails("ra.staff-count", "att", "ra", ONE_STAFF, ERROR,
           [("$.staff[1].name", "Staff member 2: Name")], ("1 member of staff", "requires 2"),
           name="one-staff"),
    *fails("ra.staff-count", "att", "ra", LONE_APPROVED, ERROR,
           [("$.staff[1].name", "Staff member 2: Name")], ("requires 2",),
           name="lone-approval-not-enough"),
    *fails("ra.staff-count", "westside", "ra", ONE_STAFF, ERROR,
           [("$.lone_visit_approved", "Lone visit approved by the headteacher"),
            ("$.lone_working_assessment", "Lone-working risk assessment completed")],
           ("headteacher's approval", "lone-working risk assessment"), name="lone-unapproved"),
    *fails("ra.staff-count", "westside", "ra", {**LONE_APPROVED, "lone_visit_approved": False},
           ERROR, [("$.lone_visit_approved", "Lone visit approved by the headteacher")],
           ("headteacher's approval",), name="headteacher-said-no"),
    *fails("ra.staff-count", "westside", "ra",
           {**LONE_APPROVED, "lone_working_assessment": DROP}, ERROR,
           [("$.lone_working_assessment", "Lone-working risk assessment completed")],
           ("lone-working risk assessment",), name="no-lone-working-assessment"),
    *fails("ra.staff-mobile", BOTH, "ra", {"staff.1.mobile": DROP}, ERROR,
           [("$.staff[1].mobile", "Staff member 2: Mobile number")], ("Bo Brown", "mobile")),
    *fails("ra.staff-dbs", BOTH, "ra", {"staff.1.dbs_checked": False}, ERROR,
           [("$.staff[1].dbs_checked", "Staff member 2: DBS check in place")],
           ("Bo Brown", "recorded as No", "DBS"), name="dbs-no"),
    *fails("ra.staff-dbs", BOTH, "ra", {"staff.0.dbs_checked": DROP}, ERROR,
           [("$.staff[0].dbs_checked", "Staff member 1: DBS check in place")],
           ("Alex Adams", "not recorded"), name="dbs-blank"),
    *fails("ra.staff-violence-training", "westside", "ra",
           {"staff.1.violence_training": False}, ERROR,
           [("$.staff[1].violence_training", "Staff member 2: Trained in preventing violence")],
           ("Bo Brown", "recorded as No", "prevention of violence"), name="no"),
    *fails("ra.staff-violence-training", "westside", "ra",
           {"staff.0.violence_training": DROP, "staff.1.violence_training": DROP}, ERROR,
           [("$.staff[0].violence_training", "Staff member 1: Trained in preventing violence"),
            ("$.staff[1].violence_training", "Staff member 2: Trained in preventing violence")],
           ("Alex Adams", "Bo Brown", "not recorded"), name="blank"),
    *fails("ra.staff-trained", "westside", "ra", {"staff.0.home_visit_trained": False},
           WARNING, [("$.staff[0].home_visit_trained", "Staff member 1: Trained in home visiting")],
           ("trained in home visiting",)),
    # -- risk assessment: approvals -------------------------------------------------------------
    *fails("ra.authorised", "att", "ra", {"authorised_by": DROP}, WARNING,
           [("$.authorised_by", "Visit authorised by")],
           ("Designated Safeguarding Lead (DSL)", "before it takes place"), name="who"),
    *fails("ra.authorised", "westside", "ra", {"authorised_by": DROP}, WARNING,
           [("$.authorised_by", "Visit authorised by")], ("Headteacher / Principal",),
           name="who"),
    *fails("ra.authorised", BOTH, "ra", {"authoriser_role": DROP}, WARNING,
           [("$.authoriser_role", "Role of the person authorising")], ("their role",),
           name="role"),
    *fails("ra.authorised", BOTH, "ra", {"authorised_on": DROP}, WARNING,
           [("$.authorised_on", "Date authorised")], ("the date",), name="when"),
    *fails("ra.authoriser-role", "att", "ra", {"authoriser_role": "headteacher"}, ERROR,
           [("$.authoriser_role", "Role of the person authorising")],
           ("Headteacher / Principal", "requires the Designated Safeguarding Lead (DSL)"),
           name="headteacher"),
    *fails("ra.authoriser-role", "att", "ra", {"authoriser_role": "Deputy DSL"}, ERROR,
           [("$.authoriser_role", "Role of the person authorising")], ("Deputy DSL",),
           name="deputy"),
    *fails("ra.authoriser-role", "westside", "ra", {"authoriser_role": "dsl"}, ERROR,
           [("$.authoriser_role", "Role of the person authorising")],
           ("Designated Safeguarding Lead (DSL)", "requires the Headteacher / Principal")),
    *fails("ra.authorised-before", BOTH, "ra", {"authorised_on": "24/11/2026"}, ERROR,
           [("$.authorised_on", "Date authorised")], ("24/11/2026", "23/11/2026", "after")),
    *fails("ra.assessor-slt", "westside", "ra", {"assessor_is_slt": False}, ERROR,
           [("$.assessor_is_slt", "Assessor is a member of SLT")], ("senior leadership",),
           name="no"),
    *fails("ra.assessor-slt", "westside", "ra", {"assessor_is_slt": DROP}, ERROR,
           [("$.assessor_is_slt", "Assessor is a member of SLT")], ("senior leadership",),
           name="blank"),
    *fails("ra.assessor-slt", "westside", "ra", {"assessed_by": DROP}, ERROR,
           [("$.assessed_by", "Risk assessment completed by")], ("who conducted",),
           name="nobody-named"),
    # -- risk assessment: risk ------------------------------------------------------------------
    *fails("ra.specific-assessment", "att", "ra", {"overall_risk": "medium"}, WARNING,
           [("$.approved_by", "Specific risk assessment approved by")],
           ("Medium", "approved"), name="not-approved"),
    *fails("ra.specific-assessment", "att", "ra",
           {"overall_risk": "medium", "approved_by": "Dee Lead"}, WARNING,
           [("$.approved_on", "Date specific assessment approved")], ("Medium",),
           name="no-date"),
    *fails("ra.specific-assessment", "att", "ra", {**HIGH_RISK, "approved_on": DROP}, WARNING,
           [("$.approved_on", "Date specific assessment approved")], ("High",),
           name="high"),
    *fails("ra.specific-assessment", "att", "ra", {**HIGH_RISK, "approved_on": "24/11/2026"},
           WARNING, [("$.approved_on", "Date specific assessment approved")],
           ("approved on 24/11/2026", "after the visit on 23/11/2026"), name="approved-after"),
    *fails("ra.high-risk-permission", "att", "ra", {**HIGH_RISK, "principal_permission": DROP},
           WARNING, [("$.principal_permission", "Principal's permission for a high-risk visit")],
           ("High", "Principal"), name="no-permission"),
    *fails("ra.high-risk-permission", "att", "ra", {**HIGH_RISK, "principal_name": DROP},
           WARNING, [("$.principal_name", "Principal granting permission")], ("name",),
           name="no-name"),
    *fails("ra.high-risk-refused", "att", "ra", {**HIGH_RISK, "principal_permission": False},
           ERROR, [("$.principal_permission", "Principal's permission for a high-risk visit")],
           ("must not go ahead",)),
    *fails("ra.high-risk-joint-visit", "att", "ra", {**HIGH_RISK, "joint_visit": DROP},
           WARNING, [("$.joint_visit", "Joint visit with a safeguarding partner")],
           ("joint visit", "safeguarding partner")),
    *fails("ra.concerns-consulted", "att", "ra", {**KNOWN_RISKS, "concerns_consulted": DROP},
           WARNING,
           [("$.concerns_consulted", "DSL and Principal consulted about the concerns")],
           ("DSL and Principal",), name="blank"),
    *fails("ra.concerns-consulted", "att", "ra", {**KNOWN_RISKS, "concerns_consulted": False},
           WARNING,
           [("$.concerns_consulted", "DSL and Principal consulted about the concerns")],
           ("DSL and Principal",), name="no"),
    *fails("ra.reassess-hazards", BOTH, "ra", {**KNOWN_RISKS, "hazards": DROP}, WARNING,
           [("$.hazards.aggressive_person.likelihood", "Aggressive person hazard: Likelihood")],
           ("generic", "likelihood")),
    # "Very Likely" aggression rated Low, overall Low: the level cannot be dodged
    *fails("ra.hazard-level", BOTH, "ra",
           {"hazards": {"aggressive_person": {"likelihood": "Very Likely", "risk_level": "Low"}}},
           ERROR,
           [("$.hazards.aggressive_person.risk_level", "Aggressive person hazard: Risk Level")],
           ("Very Likely", "Low", "at least Medium"), name="very-likely-low"),
    *fails("ra.hazard-level", BOTH, "ra",
           {"hazards": {"animals": {"likelihood": "likely"},
                        "driving": {"likelihood": "very_likely"}}}, ERROR,
           [("$.hazards.driving.risk_level", "Driving hazard: Risk Level"),
            ("$.hazards.animals.risk_level", "Animals hazard: Risk Level")],
           ("'Driving' is rated Very Likely", "'Attack by dog or other animal' is rated Likely"),
           name="two-hazards-generic-low"),
    *fails("ra.known-risks-low", BOTH, "ra", KNOWN_RISKS, WARNING,
           [("$.overall_risk", "Overall risk level")], ("Known risks", "overall risk is Low")),
    # -- risk assessment: arrangements ----------------------------------------------------------
    *fails("ra.parents-informed", BOTH, "ra", {"parents_informed": False}, WARNING,
           [("$.unannounced_reason", "If not, why not")], ("emergency",)),
    *fails("ra.times", "westside", "ra", {"planned_start": DROP}, ERROR,
           [("$.planned_start", "Planned start time")], ("planned start", "itinerary"),
           name="start"),
    *fails("ra.times", "westside", "ra", {"expected_return": DROP}, ERROR,
           [("$.expected_return", "Expected return time")], ("expected return",),
           name="return"),
    *fails("ra.code-word", BOTH, "ra", {"code_word_agreed": False}, ERROR,
           [("$.code_word_agreed", "Code word agreed")], ("code word", "Never write"),
           name="no"),
    *fails("ra.code-word", BOTH, "ra", {"code_word_agreed": DROP}, ERROR,
           [("$.code_word_agreed", "Code word agreed")], ("code word",), name="blank"),
    *fails("ra.out-of-hours-contact", "westside", "ra",
           {"planned_start": "16:00", "expected_return": "17:00",
            "out_of_hours_reason": "Parents work days."}, ERROR,
           [("$.responsible_contact.name", "Out-of-hours contact: Name"),
            ("$.responsible_contact.phone", "Out-of-hours contact: Phone number")],
           ("16:00", "outside school hours", "08:30 to 15:30", "responsible contact"),
           name="after-school"),
    *fails("ra.out-of-hours-contact", "westside", "ra",
           {"planned_start": "07:45", "expected_return": "08:45",
            "out_of_hours_reason": "Before the parent's shift.",
            "responsible_contact": {"name": "Dee Lead"}}, ERROR,
           [("$.responsible_contact.phone", "Out-of-hours contact: Phone number")],
           ("07:45", "phone number"), name="early-no-phone"),
    *fails("ra.out-of-hours-contact", "westside", "ra",
           {"visit_date": SATURDAY, "out_of_hours_reason": "Emergency welfare check.",
            "responsible_contact": {"phone": "07700 900099"}}, ERROR,
           [("$.responsible_contact.name", "Out-of-hours contact: Name")],
           ("Saturday 21/11/2026", "not a school day"), name="weekend"),
    *fails("ra.out-of-hours-contact", "westside", "ra",
           {"planned_start": "15:30", "expected_return": "16:30",
            "out_of_hours_reason": "Parents work days."}, ERROR,
           [("$.responsible_contact.name", "Out-of-hours contact: Name"),
            ("$.responsible_contact.phone", "Out-of-hours contact: Phone number")],
           ("15:30",), name="starts-as-school-ends"),
    *fails("ra.out-of-hours-contact", "westside", "ra",
           {"planned_start": "15:00", "expected_return": "17:00",
            "out_of_hours_reason": "Parents work days."}, ERROR,
           [("$.responsible_contact.name", "Out-of-hours contact: Name"),
            ("$.responsible_contact.phone", "Out-of-hours contact: Phone number")],
           ("17:00", "after school hours end"), name="runs-past-school-day"),
    *fails("ra.out-of-hours-reason", "westside", "ra",
           {"planned_start": "16:00", "expected_return": "17:00",
            "responsible_contact": OUT_OF_HOURS_OK["responsible_contact"]}, ERROR,
           [("$.out_of_hours_reason", "Why the visit must be outside school hours")],
           ("16:00", "absolutely necessary"), name="after-school"),
    *fails("ra.out-of-hours-reason", "westside", "ra",
           {"visit_date": "22/11/2026",
            "responsible_contact": OUT_OF_HOURS_OK["responsible_contact"]}, ERROR,
           [("$.out_of_hours_reason", "Why the visit must be outside school hours")],
           ("Sunday",), name="weekend"),
    *fails("ra.vehicle-details", "westside", "ra", {"vehicle.colour": DROP}, ERROR,
           [("$.vehicle.colour", "Vehicle: Colour")], ("colour", "make, model, registration"),
           name="no-colour"),
    *fails("ra.vehicle-details", "westside", "ra",
           {"vehicle.make": DROP, "vehicle.registration": DROP}, ERROR,
           [("$.vehicle.make", "Vehicle: Make")], ("make, registration must be recorded",),
           name="two-missing"),
    *fails("ra.vehicle-details", "westside", "ra", {"vehicle": DROP}, ERROR,
           [("$.vehicle.make", "Vehicle: Make")], ("make, model, registration, colour",),
           name="no-vehicle"),
    *fails("ra.vehicle-details", "westside", "ra",
           {"travel_mode": "on_foot", "vehicle.registration": DROP}, ERROR,
           [("$.vehicle.registration", "Vehicle: Registration number")], ("registration",),
           name="vehicle-given-anyway"),
    *fails("ra.vehicle-details", "westside", "ra", {"travel_mode": DROP, "vehicle": DROP},
           ERROR, [("$.travel_mode", "How staff will travel")], ("how staff will travel",),
           name="travel-unknown"),
    *fails("ra.vehicle-approved", "westside", "ra", {"vehicle.school_approved": False}, ERROR,
           [("$.vehicle.school_approved", "Vehicle: Approved by the school")],
           ("approved by the school", "personal vehicles"), name="not-approved"),
    *fails("ra.vehicle-approved", "westside", "ra", {"vehicle": DROP}, ERROR,
           [("$.vehicle.school_approved", "Vehicle: Approved by the school")],
           ("personal vehicles",), name="no-vehicle"),
    # -- visit report: form rules (every policy) ------------------------------------------------
    *fails("report.date", BOTH, "report", {"visit_date": "24/11/2026"}, ERROR,
           [("$.visit_date", "Date of Visit")], ("24/11/2026", "future", "23/11/2026")),
    *fails("report.times", BOTH, "report", {"leaving_time": "10:00"}, ERROR,
           [("$.leaving_time", "What time did you leave?")], ("10:00", "not after"),
           name="equal"),
    *fails("report.times", BOTH, "report", {"leaving_time": "9:50am"}, ERROR,
           [("$.leaving_time", "What time did you leave?")], ("09:50", "10:00"),
           name="before"),
    *fails("report.letter-answered", BOTH, "report", {**NOBODY_HOME, "letter_left": DROP},
           ERROR,
           [("$.letter_left",
             "Did you leave an academy home visit letter if they were not home?")],
           ("Nobody was home", "letter")),
    *[
        row
        for name, label in (
            ("who_was_home", "Who was home?"),
            ("entered_property", "Did you enter the property?"),
            ("welfare_concerns", "Were there any concerns for the welfare of the pupil?"),
            ("discussed", "What was discussed?"),
        )
        for row in fails("report.home-details", BOTH, "report",
                         {name: DROP, "adult_present": DROP} if name == "entered_property"
                         else {name: DROP},
                         ERROR, [(f"$.{name}", label)], ("Somebody was home", label),
                         name=name)
    ],
    *fails("report.adult-answered", BOTH, "report", {"adult_present": DROP}, ERROR,
           [("$.adult_present", "Was an appropriate adult present while you were inside?")],
           ("say whether",)),
    *fails("report.unusual-details", BOTH, "report", {"anything_unusual": True}, ERROR,
           [("$.unusual_details", "What happened?")], ("unusual",)),
    *fails("report.welfare-details", BOTH, "report", {**WELFARE, "welfare_details": DROP},
           ERROR, [("$.welfare_details", "Details of the welfare concerns")], ("welfare",),
           name="no-details"),
    *fails("report.welfare-details", BOTH, "report", {**WELFARE, "immediate_danger": DROP},
           ERROR,
           [("$.immediate_danger", "Did you believe the pupil was in immediate danger?")],
           ("immediate danger",), name="danger-unanswered"),
    *fails("report.referral-details", BOTH, "report", {"social_care_referral": True}, ERROR,
           [("$.referral_date", "Date of the referral"), ("$.referral_by", "Referral made by")],
           ("record its date", "record who made it"), name="both"),
    *fails("report.referral-details", BOTH, "report",
           {"social_care_referral": True, "referral_date": "24/11/2026",
            "referral_by": "Dee Lead"}, ERROR,
           [("$.referral_date", "Date of the referral")], ("24/11/2026", "in the future"),
           name="future"),
    *fails("report.inform-who", BOTH, "report", {"inform_others": True}, ERROR,
           [("$.inform_who", "Who needs to be informed?"),
            ("$.inform_by", "Who will pass on this information?")],
           ("who needs to be informed", "who will pass on"), name="both"),
    *fails("report.inform-who", BOTH, "report",
           {"inform_others": True, "inform_who": "Social care"}, ERROR,
           [("$.inform_by", "Who will pass on this information?")], ("who will pass on",),
           name="by"),
    # -- visit report: policy rules -------------------------------------------------------------
    *fails("report.staff-count", "att", "report", {"staff_attending": ["Alex Adams"]}, WARNING,
           [("$.staff_attending[1]", "Staff attending 2")], ("1 member of staff", "requires 2")),
    *fails("report.staff-count", "westside", "report", {"staff_attending": ["Alex Adams"]},
           WARNING, [("$.staff_attending[0]", "Staff attending 1")],
           ("headteacher approved a lone visit", "lone-working risk assessment")),
    *fails("report.dsl-consulted", "att", "report", {"dsl_consulted": False}, WARNING,
           [("$.dsl_consulted", "Was the DSL consulted regarding your visit?")],
           ("DSL was not consulted",)),
    *fails("report.risk-assessment", BOTH, "report", {"risk_assessment_done": False},
           WARNING,
           [("$.risk_assessment_done", "Was a risk assessment completed/ consulted?")],
           ("No risk assessment",)),
    *fails("report.letter-left", "att", "report", {**NOBODY_HOME, "letter_left": False},
           WARNING,
           [("$.letter_left",
             "Did you leave an academy home visit letter if they were not home?")],
           ("no home visit letter",)),
    *fails("report.wait-time", "westside", "report", {**NOBODY_HOME, "minutes_waited": 21},
           WARNING,
           [("$.minutes_waited", "If nobody was home, how long did you wait (minutes)?")],
           ("21 minutes", "no longer than 20 minutes")),
    *fails("report.adult-present", BOTH, "report", {"adult_present": False}, WARNING,
           [("$.adult_present", "Was an appropriate adult present while you were inside?")],
           ("without an appropriate adult",)),
    *fails("report.welfare-dsl", BOTH, "report",
           {"welfare_concerns": True, "welfare_details": "Pupil had an unexplained bruise."},
           ERROR,
           [("$.concerns_reported_to_dsl", "Have the welfare concerns been reported to the DSL?")],
           ("DSL", "CPOMS"), name="unanswered"),
    *fails("report.welfare-dsl", BOTH, "report",
           {"welfare_concerns": True, "welfare_details": "Pupil had an unexplained bruise.",
            "concerns_reported_to_dsl": False}, ERROR,
           [("$.concerns_reported_to_dsl", "Have the welfare concerns been reported to the DSL?")],
           ("DSL",), name="not-reported"),
    *fails("report.danger-police", BOTH, "report", {**WELFARE, "immediate_danger": True},
           ERROR, [("$.police_called", "Were the police called (999)?")],
           ("immediate danger", "999"), name="unanswered"),
    *fails("report.danger-police", BOTH, "report",
           {**WELFARE, "immediate_danger": True, "police_called": False}, ERROR,
           [("$.police_called", "Were the police called (999)?")], ("999",), name="no"),
    *fails("report.pupil-seen", BOTH, "report",
           {"purpose": "welfare_check", "pupil_seen": False}, WARNING,
           [("$.pupil_seen", "Did you see the pupil?")],
           ("pupil was not seen", "Tell the DSL", "referral to children's social care",
            "police"), name="not-seen"),
    *fails("report.pupil-seen", BOTH, "report", {"purpose": "welfare_check", **NOBODY_HOME},
           WARNING, [("$.pupil_seen", "Did you see the pupil?")],
           ("not recorded as seen",), name="nobody-home"),
    *fails("report.safety-reported", BOTH, "report", {"left_for_safety": True}, ERROR,
           [("$.safety_reported", "Has this been reported in writing to the headteacher?")],
           ("in writing to the headteacher",)),
    *fails("report.identification", BOTH, "report", {"id_shown": False}, WARNING,
           [("$.id_shown", "Did you show your identification on arrival?")],
           ("identification",)),
    *fails("report.animals", BOTH, "report", {"animals": "In the room during the visit"},
           WARNING, [("$.animals", "Were there animals at the home?")],
           ("another room", "end the visit")),
    *fails("report.bedroom", "att", "report", {"entered_bedroom": True}, WARNING,
           [("$.entered_bedroom", "Did you go into a child's bedroom?")],
           ("do not enter a child's bedroom",)),
    *fails("report.tutoring-bedroom", "westside", "report",
           {"entered_bedroom": True, "purpose": "tutoring", "door_open": True}, WARNING,
           [("$.entered_bedroom", "Did you go into a child's bedroom?")],
           ("no other suitable space",)),
    *fails("report.tutoring-door", "westside", "report",
           {"purpose": "tutoring", "door_open": False}, WARNING,
           [("$.door_open", "Tutoring: was the door of the room kept open?")],
           ("was not kept open",), name="closed"),
    *fails("report.tutoring-door", "westside", "report", {"purpose": "tutoring"}, WARNING,
           [("$.door_open", "Tutoring: was the door of the room kept open?")],
           ("not recorded",), name="unanswered"),
    *fails("report.incident-reported", BOTH, "report",
           {"anything_unusual": True, "unusual_details": "Raised voices next door."}, ERROR,
           [("$.incident_reported", "Has anything unusual been reported to the headteacher?")],
           ("Something unusual happened", "headteacher / Principal"), name="unusual"),
    *fails("report.incident-reported", BOTH, "report",
           {**INCIDENT, "incident_reported": False, "allegation_made": True,
            "lado_referral": "referred"}, ERROR,
           [("$.incident_reported", "Has anything unusual been reported to the headteacher?")],
           ("An allegation was made against a member of staff",), name="allegation"),
    *fails("report.incident-reported", BOTH, "report",
           {**INCIDENT, "incident_reported": DROP, "threatened": True, "threat_police": True},
           ERROR,
           [("$.incident_reported", "Has anything unusual been reported to the headteacher?")],
           ("Staff were threatened",), name="threat"),
    *fails("report.incident-reported", BOTH, "report",
           {**INCIDENT, "incident_reported": DROP, "physical_intervention": True}, ERROR,
           [("$.incident_reported", "Has anything unusual been reported to the headteacher?")],
           ("physical intervention",), name="intervention"),
    *fails("report.unusual-details", BOTH, "report",
           {"threatened": True, "threat_police": True, "incident_reported": True}, ERROR,
           [("$.unusual_details", "What happened?")], ("Staff were threatened",),
           name="threat"),
    *fails("report.threat-police", "westside", "report",
           {**INCIDENT, "threatened": True}, ERROR,
           [("$.threat_police", "Were the police contacted about the threat or violence?")],
           ("contact the police",), name="unanswered"),
    *fails("report.threat-police", "westside", "report",
           {**INCIDENT, "threatened": True, "threat_police": False}, ERROR,
           [("$.threat_police", "Were the police contacted about the threat or violence?")],
           ("contact the police",), name="no"),
    *fails("report.allegation-lado", BOTH, "report", {**INCIDENT, "allegation_made": True},
           WARNING, [("$.lado_referral", "Allegation: referral to the LADO")],
           ("LADO", "low-level concern", "Record the decision"), name="unanswered"),
    *fails("report.allegation-lado", BOTH, "report",
           {**INCIDENT, "allegation_made": True, "lado_referral": "Not yet decided"}, WARNING,
           [("$.lado_referral", "Allegation: referral to the LADO")], ("LADO",),
           name="undecided"),
    *fails("report.left-safely", "att", "report", {"left_safely_reported": False}, WARNING,
           [("$.left_safely_reported", "Did you tell the academy when you had left the home?")],
           ("left the home safely",)),
    *fails("report.agreements", "westside", "report", {"agreed": DROP}, WARNING,
           [("$.agreed", "What was agreed?")], ("attendance", "record what was agreed"),
           name="attendance"),
    *fails("report.agreements", "westside", "report",
           {"agreed": DROP, "purpose": "suspected_holiday"}, WARNING,
           [("$.agreed", "What was agreed?")], ("record what was agreed",), name="holiday"),
    *fails("report.attendance-threshold", "westside", "report",
           {"attendance_percent": "69.5%", **PERIOD}, WARNING,
           [("$.authorities_notified_on",
             "Date the authorities were notified of low attendance")],
           ("69.5%", "below 70%", "authorities", "by whom"), name="not-notified"),
    *fails("report.attendance-threshold", "westside", "report",
           {"attendance_percent": 55, **PERIOD, "authorities_notified_on": "19/11/2026"},
           WARNING, [("$.authorities_notified_by", "Authorities notified by")],
           ("who notified",), name="notified-by-nobody"),
    *fails("report.attendance-period", "westside", "report", {"attendance_percent": 82},
           WARNING, [("$.attendance_from", "Attendance period from")],
           ("period the attendance percentage covers", "three months"), name="no-period"),
    *fails("report.attendance-period", "westside", "report",
           {"attendance_percent": 82, "attendance_from": "20/08/2026"}, WARNING,
           [("$.attendance_to", "Attendance period to")], ("from and to",), name="no-end"),
    *fails("report.attendance-period", "westside", "report",
           {"attendance_percent": 82, "attendance_from": "20/11/2026",
            "attendance_to": "20/08/2026"}, WARNING,
           [("$.attendance_to", "Attendance period to")], ("ends (20/08/2026) before it starts",),
           name="backwards"),
    *fails("report.attendance-period", "westside", "report",
           {"attendance_percent": 82, "attendance_from": "21/08/2026",
            "attendance_to": "21/11/2026"}, WARNING,
           [("$.attendance_to", "Attendance period to")], ("after the visit",),
           name="after-the-visit"),
    *fails("report.agreement-review", "westside", "report", {"agreement_review_date": DROP},
           WARNING, [("$.agreement_review_date", "When will the agreement be reviewed?")],
           ("reviewed", "reminder letter", "follow-up visit"), name="no-date"),
    *fails("report.agreement-review", "westside", "report",
           {"agreement_review_date": "20/11/2026"}, WARNING,
           [("$.agreement_review_date", "When will the agreement be reviewed?")],
           ("not after the visit",), name="on-the-visit-day"),
    # -- visit report against its risk assessment -------------------------------------------
    *fails("report.assessment-missing", BOTH, "report", {}, WARNING,
           [("$.visit_reference", "Visit reference")],
           ("No risk assessment", "Jane Smith on 20/11/2026", "same visit reference"),
           assessment={"visit_date": "2026-11-19", "authorised_on": "2026-11-18"},
           name="other-visit-only"),
    *fails("report.assessment-missing", BOTH, "report", BY_REFERENCE, WARNING,
           [("$.visit_reference", "Visit reference")], ("visit reference HV-2026-001",),
           assessment={**ASSESSED, "visit_reference": "HV-2026-002"}, name="other-reference"),
    *fails("report.assessment-staff", BOTH, "report",
           {"staff_attending": ["alex  ADAMS", "Cy Cole"]}, WARNING,
           [("$.staff_attending[1]", "Staff attending 2")],
           ("Cy Cole attended", "Alex Adams, Bo Brown", "assessments.json"),
           assessment=ASSESSED),
    *fails("report.assessment-date", BOTH, "report", BY_REFERENCE, WARNING,
           [("$.visit_date", "Date of Visit")], ("20/11/2026", "is for 19/11/2026"),
           assessment={**BY_REFERENCE, "visit_date": "2026-11-19",
                       "authorised_on": "2026-11-18"}),
    *fails("report.assessment-authorised", BOTH, "report", {}, WARNING,
           [("$.visit_date", "Date of Visit")], ("records no authorisation", "unauthorised"),
           assessment={**ASSESSED, "authorised_by": DROP}, name="never"),
    *fails("report.assessment-authorised", BOTH, "report", BY_REFERENCE, WARNING,
           [("$.visit_date", "Date of Visit")], ("authorised only on 21/11/2026",),
           assessment={**BY_REFERENCE, "visit_date": "2026-11-25",
                       "authorised_on": "2026-11-21"}, name="afterwards"),
    *fails("report.out-of-hours", "westside", "report",
           {"visit_time": "16:00", "arrival_time": "16:00", "leaving_time": "16:30"}, WARNING,
           [("$.visit_time", "Time of Visit")], ("16:00", "outside school hours"),
           name="after-school"),
    *fails("report.out-of-hours", "westside", "report", {"visit_date": SATURDAY}, WARNING,
           [("$.visit_time", "Time of Visit")], ("Saturday", "not a school day"),
           name="weekend"),
    *fails("report.out-of-hours", "westside", "report",
           {"visit_time": "15:00", "arrival_time": "15:00", "leaving_time": "16:15"}, WARNING,
           [("$.leaving_time", "What time did you leave?")], ("16:15", "after school hours end"),
           name="runs-past-school-day"),
]

# --------------------------------------------------------------------------- near misses

PASS: list[Pass] = [
    *passes("ra.reason", BOTH, "ra",
            {"reason": {"concerns_from_academy": False, "requested_by_parent": "Yes"}},
            "requested-by-parent"),
    *passes("ra.hazard-level", BOTH, "ra",
            {"hazards": {"aggressive_person": {"likelihood": "possible", "risk_level": "low"}}},
            "possible-may-be-low"),
    *passes("ra.hazard-level", BOTH, "ra",
            {**HIGH_RISK, "hazards": {"aggressive_person": {"likelihood": "very_likely",
                                                            "risk_level": "high"}}},
            "very-likely-high"),
    *passes("ra.known-risks-low", BOTH, "ra",
            {**KNOWN_RISKS, "overall_risk": "medium", "approved_by": "Dee Lead",
             "approved_on": "2026-11-20"}, "medium"),
    Pass("ra.staff-violence-training", "westside", "ra", {}, "both-trained"),
    Pass("visit.purpose", "att", "ra", {"purpose": "other"}, "other-is-always-allowed"),
    Pass("visit.purpose", "att", "report", {"purpose": "welfare_check"}, "listed"),
    Pass("visit.evening", "att", "ra", {"planned_start": "16:00", "expected_return": "17:00"},
         "ends-as-evening-begins"),
    Pass("visit.evening", "att", "report", {"arrival_time": "14:30", "leaving_time": "14:10"},
         "leaving-before-arrival-is-a-mistake-not-midnight"),
    Pass("visit.evening", "att", "ra", {"planned_start": DROP, "expected_return": DROP},
         "no-time-given"),
    Pass("ra.return-time", "westside", "ra",
         {"planned_start": "10:00", "expected_return": "10:01"}, "a-minute-later"),
    Pass("ra.staff-count", "westside", "ra", LONE_APPROVED, "approved-lone-visit"),
    Pass("ra.staff-count", "att", "ra",
         {"staff.2": {"name": "Cy Cole", "mobile": "07700 900003"}}, "three-staff"),
    Pass("ra.staff-trained", "westside", "ra",
         {"staff.0.home_visit_trained": DROP, "staff.1.home_visit_trained": True},
         "second-member-trained"),
    Pass("ra.authorised-before", "att", "ra", {"authorised_on": "23/11/2026"}, "same-day"),
    Pass("ra.specific-assessment", "att", "ra",
         {"overall_risk": "medium", "approved_by": "Dee Lead", "approved_on": "2026-11-20"},
         "medium-approved"),
    Pass("ra.specific-assessment", "att", "ra", {**HIGH_RISK, "approved_on": "23/11/2026"},
         "approved-on-the-day"),
    *[Pass(r, "att", "ra", HIGH_RISK, "high-risk-complete")
      for r in ("ra.specific-assessment", "ra.high-risk-permission", "ra.high-risk-refused",
                "ra.high-risk-joint-visit")],
    Pass("ra.high-risk-refused", "att", "ra", {"principal_permission": False},
         "refusal-of-a-low-risk-visit"),
    *[Pass(r, p, "ra", KNOWN_RISKS, "reassessed")
      for r in ("ra.reassess-hazards", "ra.concerns-consulted", "ra.mitigation")
      for p in BOTH],
    Pass("ra.parents-informed", "att", "ra",
         {"parents_informed": False, "unannounced_reason": "Emergency welfare check."},
         "reason-given"),
    Pass("ra.parents-informed", "att", "ra", {"parents_informed": DROP}, "unanswered"),
    *[Pass(r, "westside", "ra", {"planned_start": "08:30", "expected_return": "15:30"},
           "whole-school-day")
      for r in ("ra.out-of-hours-contact", "ra.out-of-hours-reason")],
    *[Pass(r, "westside", "ra", {"visit_date": SATURDAY, **OUT_OF_HOURS_OK}, "weekend-arranged")
      for r in ("ra.out-of-hours-contact", "ra.out-of-hours-reason")],
    *[Pass(r, "att", "ra", {"visit_date": SATURDAY, "planned_start": "19:00",
                            "expected_return": "20:00"}, "off-for-att")
      for r in ("ra.out-of-hours-contact", "ra.out-of-hours-reason")],
    *[Pass(r, "westside", "ra", {"travel_mode": mode, "vehicle": DROP}, mode)
      for r in ("ra.vehicle-details", "ra.vehicle-approved")
      for mode in ("on_foot", "public_transport")],
    Pass("report.times", "att", "report", {"arrival_time": DROP}, "no-arrival-time"),
    Pass("report.letter-left", "att", "report", NOBODY_HOME, "letter-left"),
    Pass("report.letter-answered", "att", "report",
         {"letter_left": DROP}, "somebody-home"),
    Pass("report.home-details", "westside", "report", NOBODY_HOME, "nobody-home"),
    Pass("report.wait-time", "westside", "report", {**NOBODY_HOME, "minutes_waited": 20},
         "exactly-20"),
    Pass("report.animals", "att", "report", {"animals": "secured"}, "kept-out"),
    Pass("report.tutoring-bedroom", "westside", "report", {"entered_bedroom": True},
         "not-tutoring: Westside's rule is about tutoring"),
    Pass("report.tutoring-door", "westside", "report",
         {"purpose": "tutoring", "door_open": True}, "open"),
    Pass("report.tutoring-door", "westside", "report", {"purpose": "tutoring", **NOBODY_HOME},
         "nobody-home"),
    Pass("report.incident-reported", "westside", "report",
         {"anything_unusual": True, "unusual_details": "x", "incident_reported": True},
         "reported"),
    Pass("report.attendance-threshold", "westside", "report", {"attendance_percent": 70},
         "exactly-70"),
    Pass("report.adult-present", "att", "report",
         {"entered_property": False, "adult_present": DROP}, "stayed-outside"),
    Pass("report.welfare-dsl", "att", "report",
         {"welfare_concerns": True, "welfare_details": "A bruise.",
          "concerns_reported_to_dsl": True}, "reported"),
    Pass("report.agreements", "westside", "report",
         {"agreed": DROP, "purpose": "welfare_check"}, "not-an-attendance-visit"),
    Pass("report.agreements", "westside", "report", {**NOBODY_HOME}, "nobody-home"),
    Pass("report.out-of-hours", "westside", "report",
         {"visit_time": "08:30", "arrival_time": "15:00", "leaving_time": "15:30"},
         "within-school-day"),
    Pass("report.staff-count", "att", "report",
         {"staff_attending": ["Alex Adams", "Bo Brown", "Cy Cole"]}, "three-staff"),
    *passes("report.welfare-details", BOTH, "report", WELFARE, "complete"),
    *passes("report.referral-details", BOTH, "report",
            {"social_care_referral": True, "referral_date": "20/11/2026",
             "referral_by": "Dee Lead"}, "complete"),
    *passes("report.referral-details", BOTH, "report", {"social_care_referral": False},
            "no-referral"),
    *passes("report.danger-police", BOTH, "report",
            {**WELFARE, "immediate_danger": True, "police_called": True}, "police-called"),
    *passes("report.pupil-seen", BOTH, "report",
            {"purpose": "welfare_check", "pupil_seen": True,
             "pupil_spoken_to": "Yes, with a parent/carer present",
             "spoken_to_with": "Mother"}, "seen"),
    *passes("report.pupil-seen", BOTH, "report", {"pupil_seen": False},
            "not-a-welfare-visit"),
    *passes("report.incident-reported", BOTH, "report",
            {**INCIDENT, "allegation_made": True, "lado_referral": "low_level"}, "reported"),
    Pass("report.threat-police", "westside", "report",
         {**INCIDENT, "threatened": True, "threat_police": True}, "police-contacted"),
    *passes("report.allegation-lado", BOTH, "report",
            {**INCIDENT, "allegation_made": True, "lado_referral": "Referred to the LADO"},
            "referred"),
    Pass("report.attendance-threshold", "westside", "report",
         {"attendance_percent": 55, **PERIOD, "authorities_notified_on": "19/11/2026",
          "authorities_notified_by": "Dee Lead"}, "notified"),
    Pass("report.attendance-period", "westside", "report",
         {"attendance_percent": 82, **PERIOD}, "three-months"),
    Pass("report.agreement-review", "westside", "report",
         {"agreed": DROP, "agreement_review_date": DROP}, "no-agreement"),
    *passes("report.assessment-missing", BOTH, "report", {}, "matched-by-pupil-and-date",
            assessment=ASSESSED),
    *passes("report.assessment-missing", BOTH, "report", {}, "none-looked-up"),
    *passes("report.assessment-missing", BOTH, "report",
            {**BY_REFERENCE, "visit_date": "2026-11-19"}, "matched-by-reference",
            assessment={**ASSESSED, "visit_reference": " hv-2026-001 "}),
    *passes("report.assessment-staff", BOTH, "report",
            {"staff_attending": ["Bo Brown"]}, "fewer-staff", assessment=ASSESSED),
    *passes("report.assessment-authorised", BOTH, "report", {}, "authorised-on-the-day",
            assessment={**ASSESSED, "authorised_on": "2026-11-20"}),
]


# --------------------------------------------------------------------------- running


@pytest.fixture(scope="module")
def policies() -> dict[str, Policy]:
    return {name: load_policy(name) for name in PRESETS}


@pytest.fixture
def base(
    valid_ra: Callable[[str], dict[str, Any]], report: dict[str, Any]
) -> Callable[[str, str], dict[str, Any]]:
    """base(form, policy): a fresh form that is valid under the preset."""

    def build(form: str, policy: str) -> dict[str, Any]:
        return valid_ra(policy) if form == "ra" else copy.deepcopy(report)

    return build


@pytest.fixture
def run(
    policies: dict[str, Policy], ctx: CheckContext, valid_ra: Callable[[str], dict[str, Any]]
) -> Callable[..., RecordResult]:
    """run(data, policy, assessment=None): validate ``data``; ``assessment`` (changes to the
    preset's valid risk assessment) is the run's risk assessment a report is checked against."""

    def validate(data: dict[str, Any], policy: str,
                 assessment: dict[str, Any] | None = None) -> RecordResult:
        index = None
        if assessment is not None:
            ra = RiskAssessment.model_validate(apply(valid_ra(policy), assessment))
            index = AssessmentIndex([AssessmentSummary.of(ra, Location("assessments.json"))])
        record = validate_record(data, policies[policy], today=ctx.today, assessments=index)
        assert record.form is not None, [f"{i.code}: {i.message}" for i in record.issues]
        return record

    return validate


def issues_of(record: RecordResult, code: str) -> list[Issue]:
    return [i for i in record.issues if i.code == code]


@pytest.mark.parametrize("row", [r.param() for r in FAIL])
def test_rule_fails(row: Fail, base: Any, run: Any, policies: dict[str, Policy]) -> None:
    record = run(apply(base(row.form, row.policy), row.changes), row.policy, row.assessment)
    hits = issues_of(record, row.rule)
    assert hits, f"{row.rule} did not fire; got {[i.code for i in record.issues]}"
    assert [(i.location.path, i.field) for i in hits] == list(row.at)
    rule = RULES[row.rule]
    for issue in hits:
        assert issue.severity.value == row.severity
        assert issue.rule == row.rule
        assert issue.location.file == "<data>"
        # a rule whose purpose is to make something be reported never blocks the record
        assert issue.blocking is not rule.never_blocks
        assert bool(issue.alert) is rule.never_blocks
    if rule.never_blocks and row.severity == ERROR and all(i.rule == row.rule
                                                           for i in record.errors):
        assert record.usable and not record.ok
    messages = " | ".join(i.message for i in hits)
    for word in row.words:
        assert word.casefold() in messages.casefold(), f"{word!r} not in {messages!r}"
    # The citation: the form for form rules, the policy's paragraph for policy rules.
    if rule.form_rule:
        expected = RA_FORM if RiskAssessment in rule.forms else REPORT_FORM
        assert all(i.citation == expected for i in hits)
    else:
        policy = policies[row.policy]
        setting = policy.setting(row.rule)
        assert setting is not None and setting.cite
        assert all(i.citation == f"{policy.name}: {setting.cite}" for i in hits)


@pytest.mark.parametrize("policy", PRESETS)
@pytest.mark.parametrize("rule_id", list(RULES))
def test_valid_form_passes(rule_id: str, policy: str, base: Any, run: Any) -> None:
    """The valid base form of each form the rule reads raises nothing, so not this rule."""
    forms = [name for name, model in FORM_MODELS.items() if model in RULES[rule_id].forms]
    assert forms
    for form in forms:
        record = run(base(form, policy), policy)
        assert issues_of(record, rule_id) == []
        assert record.issues == []


@pytest.mark.parametrize("row", [r.param() for r in PASS])
def test_rule_passes(row: Pass, base: Any, run: Any) -> None:
    record = run(apply(base(row.form, row.policy), row.changes), row.policy, row.assessment)
    assert issues_of(record, row.rule) == [], [i.message for i in record.issues]


def _switched_off() -> Iterator[Any]:
    """Each fail row of a policy rule, replayed under every preset that switches it off."""
    for row in FAIL:
        if RULES[row.rule].form_rule:
            continue
        for other in PRESETS:
            if other != row.policy and load_policy(other).setting(row.rule) is None:
                name = _id(row.rule, row.policy, row.form, row.name)
                yield pytest.param(row, other, id=f"{name}-under-{other}")


@pytest.mark.parametrize(("row", "policy"), list(_switched_off()))
def test_rule_off_does_not_fire(row: Fail, policy: str, base: Any, run: Any,
                                policies: dict[str, Policy]) -> None:
    form = FORM_MODELS[row.form]
    assert row.rule not in [r.id for r, _, _ in active_rules(form, policies[policy])]
    record = run(apply(base(row.form, policy), row.changes), policy, row.assessment)
    assert issues_of(record, row.rule) == []


def test_staff_dbs_is_required_under_both_presets_and_a_school_may_switch_it_off(
    policies: dict[str, Policy], base: Any, run: Any, ctx: CheckContext
) -> None:
    changes = {"staff.1.dbs_checked": False}
    for name in BOTH:
        record = run(apply(base("ra", name), changes), name)
        assert [i.severity.value for i in issues_of(record, "ra.staff-dbs")] == [ERROR]
    rules = {**policies["att"].rules}
    rules["ra.staff-dbs"] = rules["ra.staff-dbs"].model_copy(update={"severity": "off"})
    relaxed = policies["att"].model_copy(update={"rules": rules})
    data = apply(base("ra", "att"), changes)
    assert issues_of(validate_record(data, relaxed, today=ctx.today), "ra.staff-dbs") == []


def test_a_deputy_dsl_authorises_only_where_the_policy_allows(
    policies: dict[str, Policy], base: Any, ctx: CheckContext
) -> None:
    data = apply(base("ra", "att"), {"authoriser_role": "deputy_dsl"})
    assert [i.code for i in validate_record(data, policies["att"], today=ctx.today).issues] == [
        "ra.authoriser-role"]
    trust = policies["att"].model_copy(update={"deputy_dsl_may_authorise": True})
    assert validate_record(data, trust, today=ctx.today).issues == []
    message = validate_record(apply(base("ra", "att"), {"authoriser_role": "headteacher"}),
                              trust, today=ctx.today).issues[0].message
    assert "requires the Designated Safeguarding Lead (DSL) or Deputy DSL" in message


def test_the_risk_scale_is_the_policy_s(policies: dict[str, Policy], base: Any,
                                        ctx: CheckContext) -> None:
    """A school that rates Very Likely at least High: Medium no longer passes."""
    scale = policies["att"].risk_scale.model_copy(update={"minimum_level": {
        **policies["att"].risk_scale.minimum_level, Likelihood.VERY_LIKELY: RiskLevel.HIGH}})
    strict = policies["att"].model_copy(update={"risk_scale": scale})
    data = apply(base("ra", "att"), {
        "overall_risk": "medium", "approved_by": "Dee Lead", "approved_on": "2026-11-20",
        "hazards": {"aggressive_person": {"likelihood": "very_likely", "risk_level": "medium"}}})
    assert issues_of(validate_record(data, policies["att"], today=ctx.today),
                     "ra.hazard-level") == []
    hits = issues_of(validate_record(data, strict, today=ctx.today), "ra.hazard-level")
    assert [i.message.split(":")[0] for i in hits] == [
        "'Aggressive or violent parent/ pupil/ family member' is rated Very Likely but its "
        "risk level is Medium"]
    assert "at least High" in hits[0].message


@pytest.mark.parametrize("policy", BOTH)
def test_a_report_matching_its_assessment_passes_every_check(policy: str, base: Any,
                                                              run: Any) -> None:
    record = run(base("report", policy), policy, ASSESSED)
    assert record.issues == []


def test_out_of_hours_counts_the_school_holidays_and_closures(base: Any,
                                                               ctx: CheckContext) -> None:
    westside = load_policy("westside")
    day = westside.school_day.model_copy(update={
        "terms": [Term(start=dt.date(2026, 9, 2), end=dt.date(2026, 11, 20))],
        "closures": [dt.date(2026, 11, 19)]})
    termly = westside.model_copy(update={"school_day": day})
    holiday = apply(base("ra", "westside"), {})  # Monday 23/11/2026: after the term ended
    found = {i.code: i.message for i in validate_record(holiday, termly, today=ctx.today).issues}
    assert set(found) == {"ra.out-of-hours-contact", "ra.out-of-hours-reason"}
    assert "Monday 23/11/2026 is in the school holidays" in found["ra.out-of-hours-reason"]
    closed = apply(base("ra", "westside"), {"visit_date": "2026-11-19",
                                            "authorised_on": "2026-11-16"})
    found = {i.code: i.message for i in validate_record(closed, termly, today=ctx.today).issues}
    assert set(found) == {"ra.out-of-hours-contact", "ra.out-of-hours-reason"}
    assert "Thursday 19/11/2026 is a day the school is closed" in found["ra.out-of-hours-reason"]
    in_term = apply(base("ra", "westside"), {"visit_date": "2026-11-20"})  # the term's last day
    assert validate_record(in_term, termly, today=ctx.today).issues == []
    # without terms, any weekday is a school day (the presets)
    assert validate_record(holiday, westside, today=ctx.today).issues == []


def test_lone_visit_under_att_gives_one_issue_not_the_westside_ones(base: Any, run: Any) -> None:
    record = run(apply(base("ra", "att"), ONE_STAFF), "att")
    assert [i.location.path for i in issues_of(record, "ra.staff-count")] == ["$.staff[1].name"]


def test_form_rules_apply_under_a_policy_that_lists_no_rules(base: Any, ctx: CheckContext) -> None:
    bare = load_policy("att").model_copy(update={"rules": {}})
    data = apply(base("ra", "att"), {"reason": {}, "staff.1.mobile": DROP})
    codes = [i.code for i in validate_record(data, bare, today=ctx.today).issues]
    assert codes == ["ra.reason"]


def test_out_of_hours_follows_the_policy_school_day(base: Any, ctx: CheckContext) -> None:
    westside = load_policy("westside")
    later = westside.model_copy(update={"school_day": westside.school_day.model_copy(
        update={"start": dt.time(9, 0), "end": dt.time(17, 0)})})
    data = apply(base("ra", "westside"), {"planned_start": "08:45", "expected_return": "16:30"})
    codes = {i.code for i in validate_record(data, later, today=ctx.today).issues}
    assert {"ra.out-of-hours-contact", "ra.out-of-hours-reason"} <= codes
    data = apply(base("ra", "westside"), {"planned_start": "09:00", "expected_return": "16:30"})
    assert validate_record(data, later, today=ctx.today).issues == []


def test_report_date_uses_the_given_today(base: Any) -> None:
    data = base("report", "att")
    data["visit_date"] = "2026-11-23"
    on_the_day = validate_record(data, "att", today=dt.date(2026, 11, 23))
    day_before = validate_record(data, "att", today=dt.date(2026, 11, 22))
    assert issues_of(on_the_day, "report.date") == []
    assert [i.value for i in issues_of(day_before, "report.date")] == ["23/11/2026"]


def test_code_word_itself_is_never_echoed(base: Any, ctx: CheckContext) -> None:
    data = apply(base("ra", "att"), {"code_word_agreed": "bluebird"})
    record = validate_record(data, "att", today=ctx.today)
    assert record.form is None
    assert all("bluebird" not in (i.message + str(i.value)) for i in record.issues)


# --------------------------------------------------------------------------- meta


def test_every_rule_has_a_failing_row() -> None:
    missing = sorted(set(RULES) - {row.rule for row in FAIL})
    assert missing == [], f"rules without a failing test: {missing}"


def test_every_rule_fails_under_every_preset_that_runs_it() -> None:
    covered = {(row.rule, row.policy) for row in FAIL}
    wanted = {
        (rule.id, name)
        for rule in RULES.values()
        for name in PRESETS
        if rule.form_rule or load_policy(name).setting(rule.id) is not None
    }
    assert sorted(wanted - covered) == []
    assert sorted(covered - wanted) == [], "rows for a preset that switches the rule off"


def test_every_rule_of_both_forms_is_tested_on_both_forms() -> None:
    for rule in RULES.values():
        if len(rule.forms) > 1:
            forms = {row.form for row in FAIL if row.rule == rule.id}
            assert forms == {"ra", "report"}, rule.id


def test_rules_that_make_something_be_reported_never_block() -> None:
    never = {r.id for r in RULES.values() if r.never_blocks}
    assert {"report.welfare-dsl", "report.welfare-details", "report.danger-police",
            "report.referral-details", "report.incident-reported", "report.threat-police",
            "report.safety-reported", "report.allegation-lado", "report.pupil-seen",
            "report.attendance-threshold"} == never
    assert all(RULES[r].alert for r in never)
    table = checks_markdown([load_policy(p) for p in PRESETS])
    assert "Welfare concerns are reported to the DSL *(never blocks)*" in table
    assert "Enough staff attended the visit |" in table  # a plain check: no mark


def test_a_rule_that_never_blocks_needs_its_alert() -> None:
    with pytest.raises(ValueError, match="never blocks needs its alert"):
        register_rule("report.x", "X", VisitReport, never_blocks=True)
    with pytest.raises(ValueError, match="never blocks needs its alert"):
        register_rule("report.x", "X", VisitReport, alert="Do it now")
    assert "report.x" not in RULES


def test_rows_are_distinct() -> None:
    ids = [_id(r.rule, r.policy, r.form, r.name) for r in FAIL]
    assert len(ids) == len(set(ids))
    assert {r.form for r in FAIL} == {"ra", "report"}
    for row in FAIL:
        forms = RULES[row.rule].forms
        assert FORM_MODELS[row.form] in forms, row
