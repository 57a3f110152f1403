"""Checks on a Home Visit Risk Assessment."""

from __future__ import annotations

from collections.abc import Iterator

from docgen.policy.hours import visit_outside_hours
from docgen.policy.model import Policy
from docgen.policy.registry import CheckContext, Finding, rule
from docgen.policy.rules.shared import birth_after_visit
from docgen.report import Severity
from docgen.schemas import RiskAssessment
from docgen.schemas.choices import RiskLevel, TravelMode
from docgen.schemas.types import display

FORM = "Home Visit Risk Assessment (ATT Appendix 1)"
RA = RiskAssessment


def _roles(policy: Policy) -> str:
    return " or ".join(role.label for role in policy.authorising_roles)


# ------------------------------------------------------------------------- form rules


@rule("ra.reason", "At least one reason for the visit is ticked", RA, form_rule=True, cite=FORM)
def reason_ticked(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if not ra.reason.any():
        yield Finding(
            "Tick at least one reason for the visit: Requested by Local Authority, Concerns "
            "from Academy, or Requested by parent/carer.",
            ("reason", "requested_by_la"),
        )


@rule("ra.birth-date", "The pupil's date of birth is before the visit", RA, form_rule=True,
      cite=FORM)
def birth_date(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    yield from birth_after_visit(ra)


@rule("ra.overall-risk", "The overall risk level is at least the highest hazard's risk level",
      RA, form_rule=True, cite=FORM)
def overall_risk(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    highest = ra.hazards.highest_risk()
    if ra.overall_risk.rank < highest.rank:
        hazards = [
            _hazard_label(ra, name) for name, cell in ra.hazards.items()
            if cell.risk_level is highest
        ]
        yield Finding(
            f"The overall risk level is {ra.overall_risk.label}, but the hazard matrix rates "
            f"{'; '.join(hazards)} as {highest.label}. Raise the overall level to at least "
            f"{highest.label}, or reassess the hazard.",
            ("overall_risk",),
            ra.overall_risk.label,
        )


@rule("ra.other-vulnerability", "'Other Vulnerability' says what it is", RA,
      form_rule=True, severity=Severity.WARNING, cite=FORM)
def other_vulnerability(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if ra.vulnerability.other and not ra.vulnerability.other_details:
        yield Finding(
            "'Other Vulnerability' is ticked: say what the vulnerability is.",
            ("vulnerability", "other_details"),
        )


@rule("ra.mitigation", "Known risks have mitigating steps recorded", RA,
      form_rule=True, severity=Severity.WARNING, cite=FORM)
def mitigation(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if ra.has_known_risks() and not ra.mitigation:
        yield Finding(
            "Known risks are recorded but no steps to mitigate them. Say what has been done to "
            "reduce each risk.",
            ("mitigation",),
        )


@rule("ra.return-time", "The expected return is after the planned start", RA,
      form_rule=True, severity=Severity.WARNING, cite=FORM)
def return_time(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    start, back = ra.planned_start, ra.expected_return
    if start is None or back is None:
        return
    if back == start:
        yield Finding(
            f"The expected return ({display(back)}) is the same as the planned start. Give the "
            "time staff expect to be back.",
            ("expected_return",),
        )
    elif back < start:
        yield Finding(
            f"The expected return ({display(back)}) is earlier than the planned start "
            f"({display(start)}), so the visit runs past midnight. If it does not, correct the "
            "times.",
            ("expected_return",),
        )


# ------------------------------------------------------------------------- staff


@rule("ra.staff-count", "Enough staff go on the visit (lone visits only as the policy allows)",
      RA)
def staff_count(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    count = len(ra.staff)
    if count >= policy.min_staff:
        return
    if policy.lone_visits == "with_headteacher_approval" and count == 1:
        if ra.lone_visit_approved is not True:
            yield Finding(
                "Only one member of staff is named. A lone visit needs the headteacher's "
                "approval: record it, or add a second member of staff.",
                ("lone_visit_approved",),
            )
        if ra.lone_working_assessment is not True:
            yield Finding(
                "Only one member of staff is named. A lone-working risk assessment must be "
                "carried out before a lone visit: complete it and answer Yes.",
                ("lone_working_assessment",),
            )
        return
    yield Finding(
        f"{count} member{'s' if count != 1 else ''} of staff named; the policy requires "
        f"{policy.min_staff}. Add the colleague who will go with you.",
        ("staff", count, "name"),
    )


@rule("ra.staff-mobile", "Every member of staff on the visit has a mobile number recorded", RA)
def staff_mobile(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    for i, member in enumerate(ra.staff):
        if not member.mobile:
            yield Finding(
                f"No mobile number for {member.name}. Record the mobile they will carry; the "
                "office must be able to reach them.",
                ("staff", i, "mobile"),
            )


@rule("ra.staff-dbs", "Every member of staff on the visit has an appropriate DBS check", RA)
def staff_dbs(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    for i, member in enumerate(ra.staff):
        if member.dbs_checked is not True:
            state = "is recorded as No" if member.dbs_checked is False else "is not recorded"
            yield Finding(
                f"The DBS check for {member.name} {state}. Staff are assigned to a home visit "
                "only once the school holds an appropriate DBS check.",
                ("staff", i, "dbs_checked"),
            )


@rule("ra.staff-violence-training", "Every member of staff on the visit is trained in "
      "preventing violence", RA)
def staff_violence_training(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    for i, member in enumerate(ra.staff):
        if member.violence_training is not True:
            state = ("is recorded as No" if member.violence_training is False
                     else "is not recorded")
            yield Finding(
                f"Training in preventing violence for {member.name} {state}. Staff visiting "
                "homes are trained in strategies for the prevention of violence before they "
                "go: arrange the training or send a trained colleague.",
                ("staff", i, "violence_training"),
            )


@rule("ra.staff-trained", "At least one member of staff is trained in home visiting", RA)
def staff_trained(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if not any(member.home_visit_trained for member in ra.staff):
        yield Finding(
            "Nobody on the visit is recorded as trained in home visiting. Where possible, "
            "include a trained colleague (e.g. an education welfare officer).",
            ("staff", 0, "home_visit_trained"),
        )


# ------------------------------------------------------------------------- approvals


@rule("ra.authorised", "The visit's authorisation is recorded (who, role, when)", RA)
def authorised(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    missing = [
        name for name in ("authorised_by", "authoriser_role", "authorised_on")
        if getattr(ra, name) is None
    ]
    if missing:
        yield Finding(
            f"The visit must be authorised by the {_roles(policy)} before it takes place; "
            "record who authorised it, their role and the date.",
            (missing[0],),
        )


@rule("ra.authoriser-role", "The visit is authorised by the role the policy names", RA)
def authoriser_role(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if ra.authoriser_role is not None and ra.authoriser_role not in policy.authorising_roles:
        yield Finding(
            f"The visit is authorised by the {ra.authoriser_role.label}, but the policy "
            f"requires the {_roles(policy)}. Get their authorisation.",
            ("authoriser_role",),
            ra.authoriser_role.label,
        )


@rule("ra.authorised-before", "The visit was authorised before it took place", RA)
def authorised_before(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if ra.authorised_on is not None and ra.authorised_on > ra.visit_date:
        yield Finding(
            f"Authorised on {display(ra.authorised_on)}, after the visit on "
            f"{display(ra.visit_date)}. A visit is authorised before it takes place; check the "
            "dates.",
            ("authorised_on",),
            display(ra.authorised_on),
        )


@rule("ra.assessor-slt", "The risk assessment is conducted by a member of SLT", RA)
def assessor_slt(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if ra.assessed_by is None:
        yield Finding(
            "Record who conducted the risk assessment: a member of the senior leadership team.",
            ("assessed_by",),
        )
    if ra.assessor_is_slt is not True:
        yield Finding(
            "The risk assessment must be conducted by a member of the senior leadership team: "
            "record who completed it and answer Yes once an SLT member has.",
            ("assessor_is_slt",),
        )


# ------------------------------------------------------------------------- risk


def _hazard_label(ra: RA, name: str) -> str:
    return type(ra.hazards).model_fields[name].title or name


@rule("ra.hazard-level", "No hazard's risk level is lower than its likelihood allows "
      "(the policy's risk scale)", RA)
def hazard_level(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    for name, cell in ra.hazards.items():
        lowest = policy.risk_scale.lowest_level(cell.likelihood)
        if cell.risk_level.rank < lowest.rank:
            yield Finding(
                f"'{_hazard_label(ra, name)}' is rated {cell.likelihood.label} but its risk "
                f"level is {cell.risk_level.label}: a {cell.likelihood.label} hazard is at "
                f"least {lowest.label}. Raise its risk level (and the overall level with it), "
                "or reassess the likelihood.",
                ("hazards", name, "risk_level"),
                cell.risk_level.label,
            )


@rule("ra.known-risks-low", "Known risks recorded with an overall risk of Low are questioned",
      RA)
def known_risks_low(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if ra.has_known_risks() and ra.overall_risk is RiskLevel.LOW:
        yield Finding(
            "Known risks are recorded, yet the overall risk is Low. Check the assessment: "
            "concerns about the address, family or pupil call for a new assessment of "
            "likelihood and risk, and a risk above Low needs a specific assessment approved.",
            ("overall_risk",),
            ra.overall_risk.label,
        )


@rule("ra.specific-assessment", "A risk above low has its specific assessment approved", RA)
def specific_assessment(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if ra.overall_risk is RiskLevel.LOW:
        return
    for name in ("approved_by", "approved_on"):
        if getattr(ra, name) is None:
            yield Finding(
                f"The risk is {ra.overall_risk.label}: a specific risk assessment must be "
                "completed and approved before the visit (and uploaded to CPOMS). Record who "
                "approved it and when.",
                (name,),
            )
            return
    if ra.approved_on is not None and ra.approved_on > ra.visit_date:
        yield Finding(
            f"The specific risk assessment was approved on {display(ra.approved_on)}, after "
            f"the visit on {display(ra.visit_date)}. It must be approved before the visit; "
            "check the dates.",
            ("approved_on",),
            display(ra.approved_on),
        )


@rule("ra.high-risk-permission", "A high-risk visit has the Principal's permission", RA)
def high_risk_permission(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if ra.overall_risk is not RiskLevel.HIGH:
        return
    if ra.principal_permission is None or ra.principal_name is None:
        field = "principal_permission" if ra.principal_permission is None else "principal_name"
        yield Finding(
            "The risk is High: the Principal must grant permission for the visit to go ahead. "
            "Record their permission and name.",
            (field,),
        )


@rule("ra.high-risk-refused", "A high-risk visit the Principal refused does not go ahead", RA)
def high_risk_refused(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if ra.overall_risk is RiskLevel.HIGH and ra.principal_permission is False:
        yield Finding(
            "The Principal has not granted permission for this high-risk visit: it must not go "
            "ahead.",
            ("principal_permission",),
            "No",
        )


@rule("ra.high-risk-joint-visit", "A high-risk visit records the decision on a joint visit",
      RA)
def high_risk_joint_visit(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if ra.overall_risk is RiskLevel.HIGH and ra.joint_visit is None:
        yield Finding(
            "The risk is High: consider a joint visit with a safeguarding partner (police, "
            "social care) and record the decision.",
            ("joint_visit",),
        )


@rule("ra.concerns-consulted", "Known concerns were discussed with the DSL and Principal", RA)
def concerns_consulted(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if ra.has_known_risks() and ra.concerns_consulted is not True:
        yield Finding(
            "Concerns about the address, family or pupil are recorded: the DSL and Principal "
            "must be consulted. Answer Yes once they have been.",
            ("concerns_consulted",),
        )


@rule("ra.reassess-hazards", "Known concerns lead to a new assessment of likelihood and risk",
      RA)
def reassess_hazards(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if ra.has_known_risks() and ra.hazards.is_generic():
        yield Finding(
            "Known risks are recorded, but the hazard matrix is still the generic assessment. "
            "Make a new assessment of likelihood and risk level for the hazards concerned.",
            ("hazards", "aggressive_person", "likelihood"),
        )


# ------------------------------------------------------------------------- arrangements


@rule("ra.parents-informed", "An unannounced visit says why the parents were not told", RA)
def parents_informed(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if ra.parents_informed is False and not ra.unannounced_reason:
        yield Finding(
            "The parents/carers have not been told about the visit. Visits are arranged in "
            "advance unless there is an emergency or immediate concern: say which.",
            ("unannounced_reason",),
        )


@rule("ra.times", "Planned start and expected return times are recorded", RA)
def times(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    for name, what in (("planned_start", "planned start"), ("expected_return",
                                                              "expected return")):
        if getattr(ra, name) is None:
            yield Finding(
                f"Record the {what} time: the office holds an itinerary for every visit and "
                "calls staff on a schedule.",
                (name,),
            )


@rule("ra.code-word", "A code word is agreed (the word itself is never recorded)", RA)
def code_word(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if ra.code_word_agreed is not True:
        yield Finding(
            "Agree a code word with the office (and your colleague) so you can discreetly ask "
            "for help, then answer Yes. Never write the word itself on the form.",
            ("code_word_agreed",),
        )


@rule("ra.out-of-hours-contact", "A visit outside school hours has a responsible contact", RA)
def out_of_hours_contact(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    outside = visit_outside_hours(policy.school_day, ra)
    if outside is None:
        return
    why = outside[0]
    contact = ra.responsible_contact
    for name in ("name", "phone"):
        if contact is None or getattr(contact, name) is None:
            yield Finding(
                f"{why}: a responsible contact must be established to check on the staff's "
                f"welfare. Record their {'name' if name == 'name' else 'phone number'}.",
                ("responsible_contact", name),
            )


@rule("ra.out-of-hours-reason", "A visit outside school hours says why it cannot wait", RA)
def out_of_hours_reason(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    outside = visit_outside_hours(policy.school_day, ra)
    if outside is not None and not ra.out_of_hours_reason:
        why = outside[0]
        yield Finding(
            f"{why}: out-of-hours visits are authorised only if absolutely necessary "
            "with no reasonable alternative. Record why.",
            ("out_of_hours_reason",),
        )


def _uses_vehicle(ra: RA) -> bool:
    return ra.travel_mode is TravelMode.VEHICLE or ra.vehicle is not None


@rule("ra.vehicle-details", "A vehicle's make, model, registration and colour are recorded", RA)
def vehicle_details(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if ra.travel_mode is None:
        yield Finding(
            "Say how staff will travel: the school holds the details of any vehicle used.",
            ("travel_mode",),
        )
        return
    if not _uses_vehicle(ra):
        return
    missing = ra.vehicle.missing_details() if ra.vehicle else ["make", "model", "registration",
                                                               "colour"]
    if missing:
        yield Finding(
            f"The vehicle's {', '.join(missing)} must be recorded; the school holds the make, "
            "model, registration and colour of every vehicle used.",
            ("vehicle", missing[0]),
        )


@rule("ra.vehicle-approved", "The vehicle is approved by the school (no personal vehicles)", RA)
def vehicle_approved(ra: RA, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if _uses_vehicle(ra) and (ra.vehicle is None or ra.vehicle.school_approved is not True):
        yield Finding(
            "Visits use only vehicles approved by the school; personal vehicles are not "
            "permitted. Use an approved vehicle and answer Yes.",
            ("vehicle", "school_approved"),
        )
