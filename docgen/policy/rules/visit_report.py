"""Checks on a Home Visit Report."""

from __future__ import annotations

from collections.abc import Iterator

from docgen.policy.hours import visit_outside_hours
from docgen.policy.model import Policy
from docgen.policy.registry import CheckContext, Finding, rule
from docgen.policy.rules.shared import birth_after_visit
from docgen.schemas import VisitReport
from docgen.schemas.choices import Animals, LadoReferral, VisitPurpose
from docgen.schemas.types import display

FORM = "Home Visit Report (ATT Appendix 2)"
VR = VisitReport


# ------------------------------------------------------------------------- form rules


@rule("report.date", "The visit date is not in the future", VR, form_rule=True, cite=FORM)
def date_not_future(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.visit_date > ctx.today:
        yield Finding(
            f"The visit date {display(vr.visit_date)} is in the future (today is "
            f"{display(ctx.today)}). A report records a visit that has happened; check the "
            "date (DD/MM/YYYY).",
            ("visit_date",),
            display(vr.visit_date),
        )


@rule("report.birth-date", "The pupil's date of birth is before the visit", VR,
      form_rule=True, cite=FORM)
def birth_date(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    yield from birth_after_visit(vr)


@rule("report.times", "The leaving time is after the arrival time", VR,
      form_rule=True, cite=FORM)
def times_in_order(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.arrival_time and vr.leaving_time and vr.leaving_time <= vr.arrival_time:
        yield Finding(
            f"Left at {display(vr.leaving_time)}, which is not after the arrival at "
            f"{display(vr.arrival_time)}. Check both times (24-hour, or with am/pm).",
            ("leaving_time",),
            display(vr.leaving_time),
        )


@rule("report.letter-answered", "When nobody was home, the letter question is answered", VR,
      form_rule=True, cite=FORM)
def letter_answered(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.anyone_home is False and vr.letter_left is None:
        yield Finding(
            "Nobody was home: answer whether you left an academy home visit letter.",
            ("letter_left",),
        )


@rule("report.home-details", "When somebody was home, the details of the visit are answered",
      VR, form_rule=True, cite=FORM)
def home_details(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.anyone_home is not True:
        return
    for name in ("who_was_home", "entered_property", "welfare_concerns", "discussed"):
        if getattr(vr, name) is None:
            label = VisitReport.model_fields[name].title
            yield Finding(f"Somebody was home: answer '{label}'.", (name,))


@rule("report.adult-answered", "Staff who entered say whether an appropriate adult was there",
      VR, form_rule=True, cite=FORM)
def adult_answered(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.entered_property and vr.adult_present is None:
        yield Finding(
            "You entered the property: say whether an appropriate adult was present.",
            ("adult_present",),
        )


def incidents(vr: VR) -> list[str]:
    """What happened that must be reported: anything unusual, a threat or violence, physical
    intervention, an allegation against staff."""
    out = []
    if vr.allegation_made:
        out.append("An allegation was made against a member of staff")
    if vr.threatened:
        out.append("Staff were threatened or violence was used")
    if vr.physical_intervention:
        out.append("Staff used physical intervention")
    if vr.anything_unusual and not out:
        out.append("Something unusual happened")
    return out


@rule("report.unusual-details", "Anything unusual, any threat, intervention or allegation is "
      "described", VR, form_rule=True, cite=FORM)
def unusual_details(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    happened = incidents(vr)
    if happened and not vr.unusual_details:
        yield Finding(
            f"{'; '.join(happened)}: record all the details in 'What happened?' as soon as "
            "possible, while you remember them precisely.",
            ("unusual_details",),
        )


@rule("report.welfare-details", "Welfare concerns are described, and say whether the pupil "
      "was in immediate danger", VR, form_rule=True, cite=FORM, never_blocks=True,
      alert="Welfare concern not fully recorded: complete it and tell the DSL now")
def welfare_details(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if not vr.welfare_concerns:
        return
    if not vr.welfare_details:
        yield Finding(
            "There were concerns for the pupil's welfare: describe them factually.",
            ("welfare_details",),
        )
    if vr.immediate_danger is None:
        yield Finding(
            "There were concerns for the pupil's welfare: say whether you believed the pupil "
            "was in immediate danger.",
            ("immediate_danger",),
        )


@rule("report.referral-details", "A referral to children's social care says when and by whom",
      VR, form_rule=True, cite=FORM, never_blocks=True,
      alert="Referral to children's social care not fully recorded: add its date and who "
      "made it")
def referral_details(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if not vr.social_care_referral:
        return
    if vr.referral_date is None:
        yield Finding("A referral to children's social care was made: record its date.",
                      ("referral_date",))
    elif vr.referral_date > ctx.today:
        yield Finding(
            f"The referral is dated {display(vr.referral_date)}, in the future (today is "
            f"{display(ctx.today)}). Record the date it was made.",
            ("referral_date",),
            display(vr.referral_date),
        )
    if not vr.referral_by:
        yield Finding("A referral to children's social care was made: record who made it.",
                      ("referral_by",))


@rule("report.inform-who", "Who must be informed, and who will tell them, are named", VR,
      form_rule=True, cite=FORM)
def inform_who(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.inform_others:
        if not vr.inform_who:
            yield Finding("Say who needs to be informed about the visit.", ("inform_who",))
        if not vr.inform_by:
            yield Finding("Say who will pass on this information.", ("inform_by",))


# ------------------------------------------------------------------------- policy rules


@rule("report.staff-count", "Enough staff attended the visit", VR)
def staff_count(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    count = len(vr.staff_attending)
    if count >= policy.min_staff:
        return
    if policy.lone_visits == "with_headteacher_approval" and count == 1:
        yield Finding(
            "One member of staff attended. Check that the headteacher approved a lone visit "
            "and a lone-working risk assessment was done before it.",
            ("staff_attending", 0),
        )
    else:
        yield Finding(
            f"{count} member{'s' if count != 1 else ''} of staff attended; the policy requires "
            f"{policy.min_staff} on every visit. Name everyone who attended.",
            ("staff_attending", min(count, 2)),
        )


@rule("report.dsl-consulted", "The DSL was consulted about the visit", VR)
def dsl_consulted(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.dsl_consulted is False:
        yield Finding(
            "The DSL was not consulted. Every home visit is authorised by the DSL before it "
            "takes place; tell the DSL about this visit now.",
            ("dsl_consulted",),
            "No",
        )


@rule("report.risk-assessment", "A risk assessment was completed or consulted", VR)
def risk_assessment(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.risk_assessment_done is False:
        yield Finding(
            "No risk assessment was completed or consulted before the visit. Read (and adapt) "
            "the Home Visit Risk Assessment before every visit.",
            ("risk_assessment_done",),
            "No",
        )


@rule("report.letter-left", "When nobody was home, an academy home visit letter was left", VR)
def letter_left(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.anyone_home is False and vr.letter_left is False:
        yield Finding(
            "Nobody was home and no home visit letter was left. Leave (or post) the academy's "
            "home visit letter so the family knows the school called.",
            ("letter_left",),
            "No",
        )


@rule("report.wait-time", "Staff waited no longer than the policy allows", VR)
def wait_time(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    limit = policy.max_wait_minutes
    if limit is not None and vr.minutes_waited is not None and vr.minutes_waited > limit:
        yield Finding(
            f"Staff waited {vr.minutes_waited} minutes; wait no longer than {limit} minutes "
            "for parents who are not present, then cancel the visit.",
            ("minutes_waited",),
            vr.minutes_waited,
        )


@rule("report.adult-present", "Staff entered the home only with an appropriate adult present",
      VR)
def adult_present(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.entered_property and vr.adult_present is False:
        yield Finding(
            "Staff entered the home without an appropriate adult present. Staff never enter "
            "or stay in a home without one; the DSL must know.",
            ("adult_present",),
            "No",
        )


@rule("report.danger-police", "A pupil in immediate danger is reported to the police (999)",
      VR, never_blocks=True,
      alert="Pupil in immediate danger: police (999) not recorded as called. Call now")
def danger_police(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.immediate_danger and vr.police_called is not True:
        yield Finding(
            "You believed the pupil was in immediate danger: call the police on 999 and tell "
            "the DSL, then answer Yes.",
            ("police_called",),
        )


@rule("report.welfare-dsl", "Welfare concerns are reported to the DSL", VR, never_blocks=True,
      alert="Welfare concern not yet reported to the DSL: report it now")
def welfare_dsl(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.welfare_concerns and vr.concerns_reported_to_dsl is not True:
        yield Finding(
            "There were welfare concerns: report them to the DSL (or a deputy) as soon as "
            "possible, record them on CPOMS, then answer Yes.",
            ("concerns_reported_to_dsl",),
        )


@rule("report.safety-reported", "A visit ended for staff safety is reported", VR,
      never_blocks=True,
      alert="Visit ended for staff safety not yet reported in writing: report it now")
def safety_reported(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.left_for_safety and vr.safety_reported is not True:
        yield Finding(
            "The visit was cancelled or ended because of concerns for staff safety: report the "
            "reason in writing to the headteacher, then answer Yes.",
            ("safety_reported",),
        )


@rule("report.agreements", "Agreements from an attendance visit are recorded", VR)
def agreements(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.purpose.is_attendance and vr.anyone_home and not vr.agreed:
        yield Finding(
            "An attendance visit where the family was home: record what was agreed; it is kept "
            "in the pupil's attendance record and reminder letters follow if it is not kept.",
            ("agreed",),
        )


@rule("report.agreement-review", "An agreement with the family has its review date", VR)
def agreement_review(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if not vr.agreed:
        return
    review = vr.agreement_review_date
    if review is None:
        yield Finding(
            "An agreement is recorded: give the date it will be reviewed. If it is not kept, "
            "a reminder letter follows, and a follow-up visit if it is still not kept.",
            ("agreement_review_date",),
        )
    elif review <= vr.visit_date:
        yield Finding(
            f"The agreement's review date {display(review)} is not after the visit "
            f"({display(vr.visit_date)}). Check the date.",
            ("agreement_review_date",),
            display(review),
        )


@rule("report.attendance-threshold", "Attendance below the threshold is notified (date and by "
      "whom)", VR, never_blocks=True,
      alert="Low attendance not yet notified to the authorities: notify them now")
def attendance_threshold(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    limit = policy.attendance_notify_below
    if limit is None or vr.attendance_percent is None or vr.attendance_percent >= limit:
        return
    below = (f"Attendance of {display(vr.attendance_percent)}% over three months is below "
             f"{display(limit)}%")
    if vr.authorities_notified_on is None:
        yield Finding(
            f"{below}: the appropriate authorities must be notified so that legal proceedings "
            "can be considered. Record the date they were notified and by whom.",
            ("authorities_notified_on",),
            vr.attendance_percent,
        )
    elif not vr.authorities_notified_by:
        yield Finding(
            f"{below}: record who notified the authorities.",
            ("authorities_notified_by",),
        )


@rule("report.attendance-period", "An attendance percentage says the period it covers", VR)
def attendance_period(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.attendance_percent is None:
        return
    start, end = vr.attendance_from, vr.attendance_to
    if start is None or end is None:
        yield Finding(
            "Give the period the attendance percentage covers (from and to): the threshold is "
            "over the course of three months.",
            ("attendance_from" if start is None else "attendance_to",),
        )
    elif end < start:
        yield Finding(
            f"The attendance period ends ({display(end)}) before it starts ({display(start)}). "
            "Check the dates.",
            ("attendance_to",),
            display(end),
        )
    elif end > vr.visit_date:
        yield Finding(
            f"The attendance period ends {display(end)}, after the visit on "
            f"{display(vr.visit_date)}: the percentage can only cover days already past. "
            "Check the dates.",
            ("attendance_to",),
            display(end),
        )


@rule("report.out-of-hours", "A visit outside school hours is flagged", VR)
def out_of_hours(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    outside = visit_outside_hours(policy.school_day, vr)
    if outside is not None:
        why, field = outside
        yield Finding(
            f"{why}. Out-of-hours visits need the headteacher's authorisation and a responsible "
            "contact checking on staff; make sure both were in place.",
            (field,),
        )


@rule("report.identification", "Staff showed their identification on arrival", VR)
def identification(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.id_shown is False:
        yield Finding(
            "Identification was not shown. Carry your school identification (not on a "
            "lanyard) and show it on arrival.",
            ("id_shown",),
            "No",
        )


@rule("report.animals", "No animals were in the room during the visit", VR)
def animals(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.animals is Animals.IN_ROOM:
        yield Finding(
            "Animals were in the room during the visit. Ask for them to be kept in another "
            "room or outside; if that is refused, end the visit.",
            ("animals",),
            vr.animals.label,
        )


@rule("report.bedroom", "Staff did not go into a child's bedroom", VR)
def bedroom(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.entered_bedroom:
        yield Finding(
            "Staff went into a child's bedroom. Staff do not enter a child's bedroom; the DSL "
            "must know why it happened.",
            ("entered_bedroom",),
            "Yes",
        )


@rule("report.tutoring-bedroom", "Tutoring was not in a bedroom unless nowhere else would do",
      VR)
def tutoring_bedroom(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.entered_bedroom and vr.purpose is VisitPurpose.TUTORING:
        yield Finding(
            "Tutoring took place in a bedroom: that is only for when no other suitable space "
            "is available. Record why in the report.",
            ("entered_bedroom",),
            "Yes",
        )


@rule("report.tutoring-door", "Tutoring took place with the door kept open", VR)
def tutoring_door(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.purpose is VisitPurpose.TUTORING and vr.entered_property and vr.door_open is not True:
        state = "was not kept open" if vr.door_open is False else "is not recorded as open"
        yield Finding(
            f"The door of the tutoring room {state}. The door of a room where tutoring is "
            "delivered is always kept open.",
            ("door_open",),
        )


@rule("report.incident-reported", "Anything unusual, any threat, intervention or allegation "
      "is reported to the headteacher / Principal", VR, never_blocks=True,
      alert="Incident not yet reported to the headteacher: report it now")
def incident_reported(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    happened = incidents(vr)
    if happened and vr.incident_reported is not True:
        yield Finding(
            f"{'; '.join(happened)}: report it to the headteacher / Principal as soon as "
            "possible, then answer Yes.",
            ("incident_reported",),
            alert=("Allegation against staff not yet reported to the headteacher: report it "
                   "now") if vr.allegation_made else None,
        )


@rule("report.threat-police", "A threat or use of violence against staff is reported to the "
      "police", VR, never_blocks=True,
      alert="Threat or violence against staff: police not recorded as contacted")
def threat_police(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.threatened and vr.threat_police is not True:
        yield Finding(
            "Staff were threatened or violence was used: contact the police, then answer Yes.",
            ("threat_police",),
        )


@rule("report.allegation-lado", "An allegation against staff has the headteacher's decision "
      "on a LADO referral", VR, never_blocks=True,
      alert="Allegation against staff: no decision yet on a referral to the LADO")
def allegation_lado(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.allegation_made and vr.lado_referral in (None, LadoReferral.UNDECIDED):
        yield Finding(
            "An allegation was made against a member of staff: the headteacher / Principal "
            "decides, under the allegations procedure, whether it is referred to the LADO "
            "(Local Authority Designated Officer) or handled as a low-level concern. Record "
            "the decision.",
            ("lado_referral",),
        )


@rule("report.pupil-seen", "On a welfare visit, the pupil was seen", VR, never_blocks=True,
      alert="Welfare visit: the pupil was not seen. Tell the DSL today")
def pupil_seen(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.purpose is VisitPurpose.WELFARE_CHECK and vr.pupil_seen is not True:
        state = "was not seen" if vr.pupil_seen is False else "is not recorded as seen"
        yield Finding(
            f"A welfare visit where the pupil {state}: the pupil's safety is not established. "
            "Tell the DSL (or a deputy) today; the DSL decides on the next step: further "
            "contact, a referral to children's social care, or the police where there are "
            "serious concerns for the pupil's immediate welfare.",
            ("pupil_seen",),
        )


@rule("report.left-safely", "Staff told the academy when they had left the home", VR)
def left_safely(vr: VR, policy: Policy, ctx: CheckContext) -> Iterator[Finding]:
    if vr.left_safely_reported is False:
        yield Finding(
            "If you are not returning straight to the academy, telephone to say you have left "
            "the home safely.",
            ("left_safely_reported",),
            "No",
        )
