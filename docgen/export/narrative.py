"""The incident text of an export record: a factual narrative composed from the form, in full
sentences, full names and no abbreviations (DSL is "Designated Safeguarding Lead"), with what
staff wrote quoted as they wrote it.

Each answer the narrative knows gets its sentence; an answer it does not know (a field added to
the form later) is still told, as "Label: answer", so nothing on the form is left out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from docgen.schemas import RiskAssessment, VisitReport
from docgen.schemas.choices import Animals, AuthoriserRole, LadoReferral, RiskLevel, SpokenTo
from docgen.schemas.hazards import GENERIC
from docgen.schemas.types import display

DSL = "Designated Safeguarding Lead"
LADO = "Local Authority Designated Officer"
ROLES = {  # the roles in full: the choice labels carry abbreviations
    AuthoriserRole.DSL: DSL,
    AuthoriserRole.DEPUTY_DSL: f"Deputy {DSL}",
    AuthoriserRole.HEADTEACHER: "Headteacher or Principal",
    AuthoriserRole.OTHER: "another role",
}


def long_date(day: dt.date) -> str:
    """``20 November 2026``."""
    return f"{day.day} {day:%B %Y}"


def listed(items: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _yes_no(value: bool | None, yes: str, no: str) -> str:
    if value is None:
        return ""
    return yes if value else no


def _quoted(lead: str, text: str | None) -> str:
    """A lead-in and the staff's own words, as written (a paragraph of its own)."""
    return f"{lead}: {text}" if text else ""


class _Writer:
    """Paragraphs of sentences; the fields told are remembered, for the rest."""

    def __init__(self, form: Any) -> None:
        self.form = form
        self.paragraphs: list[list[str]] = []
        self.told: set[str] = set()

    def get(self, name: str) -> Any:
        self.told.add(name)
        return getattr(self.form, name)

    def paragraph(self, *sentences: str) -> None:
        kept = [s for s in sentences if s]
        if kept:
            self.paragraphs.append(kept)

    def rest(self, skip: Iterable[str]) -> None:
        """Every answered field not told yet, as "Label: answer"."""
        skipped = set(skip) | self.told
        lines = []
        for name, info in type(self.form).model_fields.items():
            value = getattr(self.form, name)
            if name in skipped or value is None or value == [] or name == "form":
                continue
            shown = "; ".join(display(v) for v in value) if isinstance(value, list) \
                else display(value)
            lines.append(f"{info.title or name}: {shown}")
        if lines:
            self.paragraphs.append(["Further answers on the form:", *lines])

    def text(self) -> str:
        out = []
        for sentences in self.paragraphs:
            if sentences and sentences[0] == "Further answers on the form:":
                out.append("\n".join(sentences))
            else:
                out.append(" ".join(sentences))
        return "\n\n".join(out)


# Fields the record carries elsewhere, not told in the incident text.
REPORT_ELSEWHERE = ("pupil_name", "date_of_birth", "upn")


def report_narrative(report: VisitReport) -> str:
    """The incident text of a visit report."""
    w = _Writer(report)
    pupil = w.get("pupil_name")
    staff = listed(w.get("staff_attending"))
    when = f"On {long_date(w.get('visit_date'))} at {display(w.get('visit_time'))}"
    klass = w.get("pupil_class")
    reference = w.get("visit_reference")
    w.paragraph(
        f"{when}, {staff} made a home visit to {pupil}{f' (class {klass})' if klass else ''}.",
        f"The school's reference for the visit: {reference}." if reference else "",
        f"The purpose of the visit was: {w.get('purpose').label}.",
    )
    w.paragraph(_quoted("The reason for the visit, as recorded", w.get("reason")))
    w.paragraph(
        _yes_no(w.get("dsl_consulted"), f"The {DSL} was consulted before the visit.",
                f"The {DSL} was not consulted before the visit."),
        _yes_no(w.get("risk_assessment_done"),
                "A risk assessment was completed or consulted before the visit.",
                "No risk assessment was completed or consulted before the visit."),
        _yes_no(w.get("other_methods_exhausted"),
                "All other methods of communication were tried first.",
                "Not all other methods of communication were tried first."),
    )
    _arrival(w)
    _home(w, pupil)
    _pupil(w, pupil)
    _observed(w)
    _welfare(w)
    _staff_safety(w)
    w.paragraph(_quoted("What was discussed", w.get("discussed")))
    w.paragraph(_quoted("What was agreed", w.get("agreed")))
    review = w.get("agreement_review_date")
    if review is not None:
        w.paragraph(f"The agreement will be reviewed on {long_date(review)}.")
    _attendance(w, pupil)
    w.paragraph(_quoted("Future action", w.get("future_action")))
    _inform(w)
    w.rest(REPORT_ELSEWHERE)
    return w.text()


def _arrival(w: _Writer) -> None:
    arrived, left = w.get("arrival_time"), w.get("leaving_time")
    if arrived and left:
        w.paragraph(f"Staff arrived at {display(arrived)} and left at {display(left)}.")
    elif arrived:
        w.paragraph(f"Staff arrived at {display(arrived)}.")
    elif left:
        w.paragraph(f"Staff left at {display(left)}.")


def _home(w: _Writer, pupil: str) -> None:
    home = w.get("anyone_home")
    waited = w.get("minutes_waited")
    letter = w.get("letter_left")
    if not home:
        w.paragraph(
            "Nobody was home.",
            f"Staff waited {waited} minute{'s' if waited != 1 else ''}." if waited is not None
            else "",
            _yes_no(letter, "An academy home visit letter was left.",
                    "No academy home visit letter was left."),
        )
    who = w.get("who_was_home")
    if home:
        w.paragraph("" if who else "Somebody was home.",
                    f"Staff waited {waited} minute{'s' if waited != 1 else ''}."
                    if waited is not None else "",
                    _yes_no(letter, "An academy home visit letter was left.", ""))
    w.paragraph(_quoted("Who was home", who))
    w.paragraph(
        _yes_no(w.get("id_shown"), "Staff showed their identification on arrival.",
                "Staff did not show their identification on arrival."),
        _yes_no(w.get("entered_property"), "Staff entered the property.",
                "Staff did not enter the property."),
        _yes_no(w.get("adult_present"),
                "An appropriate adult was present while staff were inside.",
                "No appropriate adult was present while staff were inside."),
        _yes_no(w.get("entered_bedroom"), "Staff went into a child's bedroom.",
                "Staff did not go into a child's bedroom."),
        _animals(w.get("animals")),
        _yes_no(w.get("door_open"), "The door of the room was kept open during tutoring.",
                "The door of the room was not kept open during tutoring."),
    )


def _animals(animals: Animals | None) -> str:
    return {
        None: "",
        Animals.NONE: "There were no animals at the home.",
        Animals.SECURED: "The animals at the home were kept in another room or outside.",
        Animals.IN_ROOM: "Animals were in the room during the visit.",
    }[animals]


def _pupil(w: _Writer, pupil: str) -> None:
    spoken = w.get("pupil_spoken_to")
    present = w.get("spoken_to_with")
    who = f" ({present})" if present else ""
    said = {
        None: "",
        SpokenTo.ALONE: f"Staff spoke to {pupil} alone.",
        SpokenTo.WITH_PARENT: f"Staff spoke to {pupil} with a parent or carer present{who}.",
        SpokenTo.WITH_OTHER: f"Staff spoke to {pupil} with someone else present{who}.",
        SpokenTo.NOT_SPOKEN: f"Staff did not speak to {pupil}.",
    }[spoken]
    if present and spoken not in (SpokenTo.WITH_PARENT, SpokenTo.WITH_OTHER):
        said += f" Present when staff spoke to the pupil: {present}"
    w.paragraph(_yes_no(w.get("pupil_seen"), f"{pupil} was seen.", f"{pupil} was not seen."),
                said)


def _observed(w: _Writer) -> None:
    w.paragraph(_quoted("The condition of the property", w.get("property_condition")))
    unusual = w.get("anything_unusual")
    details = w.get("unusual_details")
    if unusual and details:
        w.paragraph(_quoted("Something unusual happened", details))
    else:
        w.paragraph(_yes_no(unusual, "Something unusual happened.",
                            "Nothing unusual happened."),
                    _quoted("What happened", details))
    w.paragraph(_yes_no(w.get("incident_reported"),
                        "The incident has been reported to the headteacher.",
                        "The incident has not yet been reported to the headteacher."))


def _welfare(w: _Writer) -> None:
    concerns = w.get("welfare_concerns")
    details = w.get("welfare_details")
    if concerns and details:
        w.paragraph(_quoted("There were concerns for the welfare of the pupil", details))
    else:
        w.paragraph(_yes_no(concerns, "There were concerns for the welfare of the pupil.",
                            "There were no concerns for the welfare of the pupil."),
                    _quoted("Details of the welfare concerns", details))
    referral = w.get("social_care_referral")
    on, by = w.get("referral_date"), w.get("referral_by")
    made = "A referral was made to children's social care"
    if on:
        made += f" on {long_date(on)}"
    if by:
        made += f" by {by}"
    w.paragraph(
        _yes_no(w.get("concerns_reported_to_dsl"),
                f"The concerns have been reported to the {DSL}.",
                f"The concerns have not yet been reported to the {DSL}."),
        _yes_no(w.get("immediate_danger"), "Staff believed the pupil was in immediate danger.",
                "Staff did not believe the pupil was in immediate danger."),
        _yes_no(w.get("police_called"), "The police were called (999).",
                "The police were not called."),
        _yes_no(referral, made + ".", "No referral has been made to children's social care."),
        "" if referral else (f"Referral date: {long_date(on)}." if on else ""),
        "" if referral else (f"Referral by: {by}." if by else ""),
    )


def _staff_safety(w: _Writer) -> None:
    lado = w.get("lado_referral")
    w.paragraph(
        _yes_no(w.get("threatened"), "Staff were threatened, or violence was used.", ""),
        _yes_no(w.get("threat_police"), "The police were contacted about the threat or violence.",
                "The police were not contacted about the threat or violence."),
        _yes_no(w.get("physical_intervention"), "Staff used physical intervention.", ""),
        _yes_no(w.get("allegation_made"), "An allegation was made against a member of staff.",
                ""),
        {None: "",
         LadoReferral.REFERRED: f"It was referred to the {LADO}.",
         LadoReferral.LOW_LEVEL: f"It was not referred to the {LADO}: it is handled as a "
                                 "low-level concern.",
         LadoReferral.UNDECIDED: f"No decision has yet been made on a referral to the {LADO}.",
         }[lado],
        _yes_no(w.get("left_for_safety"),
                "Staff cancelled or left the visit because they felt unsafe.", ""),
        _yes_no(w.get("safety_reported"), "This has been reported in writing to the headteacher.",
                "This has not yet been reported in writing to the headteacher."),
        _yes_no(w.get("left_safely_reported"),
                "Staff told the academy when they had left the home.",
                "Staff did not tell the academy when they had left the home."),
    )


def _attendance(w: _Writer, pupil: str) -> None:
    percent = w.get("attendance_percent")
    start, end = w.get("attendance_from"), w.get("attendance_to")
    notified_on, notified_by = w.get("authorities_notified_on"), w.get("authorities_notified_by")
    sentences = []
    if percent is not None:
        span = (f"from {long_date(start)} to {long_date(end)}" if start and end
                else "over the last three months")
        sentences.append(f"{pupil}'s attendance {span} was {display(percent)}%.")
    elif start or end:
        sentences.append(f"Attendance period: {display(start)} to {display(end)}.")
    if notified_on or notified_by:
        notified = "The authorities were notified of the low attendance"
        notified += f" on {long_date(notified_on)}" if notified_on else ""
        notified += f" by {notified_by}" if notified_by else ""
        sentences.append(notified + ".")
    w.paragraph(*sentences)


def _inform(w: _Writer) -> None:
    others, who, by = w.get("inform_others"), w.get("inform_who"), w.get("inform_by")
    w.paragraph(_yes_no(others, "Others need to be informed about the visit.",
                        "Nobody else needs to be informed about the visit."),
                f"{by} will pass on this information." if by else "")
    w.paragraph(_quoted("Who needs to be informed", who))


def report_actions(report: VisitReport) -> list[str]:
    """Future actions and agreements, with who does them and by when where the form says."""
    actions = []
    if report.agreed:
        review = (f" (to be reviewed by {long_date(report.agreement_review_date)})"
                  if report.agreement_review_date else "")
        actions.append(f"Agreed with the family{review}: {report.agreed}")
    elif report.agreement_review_date:
        actions.append(f"Review the agreement by {long_date(report.agreement_review_date)}.")
    if report.future_action:
        actions.append(f"Future action: {report.future_action}")
    if report.inform_who:
        owner = report.inform_by or "Staff"
        actions.append(f"{owner} to inform: {report.inform_who}")
    elif report.inform_by:
        actions.append(f"{report.inform_by} to pass on the information about the visit.")
    return actions


# ------------------------------------------------------------------ risk assessments

# What the risk assessment's record leaves to its PDF: the address, the staff's mobiles, the
# vehicle and the code-word question are for the visit's safety, not the pupil's file.
ASSESSMENT_LEFT_TO_PDF = ("academy", "address", "staff", "vehicle", "code_word_agreed",
                          "travel_mode", "responsible_contact", "planned_start",
                          "expected_return", "pupil_name", "date_of_birth", "upn",
                          "visit_reference", "hazards", "vulnerability", "reason",
                          "lone_visit_approved", "lone_working_assessment", "assessed_by",
                          "assessor_is_slt", "out_of_hours_reason", "concerns_consulted",
                          "parents_informed", "unannounced_reason", "other_contact_exhausted")


def assessment_narrative(ra: RiskAssessment) -> str:
    """The incident text of a risk assessment exported on its own (above low risk)."""
    w = _Writer(ra)
    pupil = w.get("pupil_name")
    staff = [f"{m.name} ({m.role})" if m.role else m.name for m in ra.staff]
    start = ra.planned_start
    when = long_date(w.get("visit_date")) + (f" at {display(start)}" if start else "")
    level: RiskLevel = w.get("overall_risk")
    klass = w.get("pupil_class")
    reference = w.get("visit_reference")
    w.paragraph(
        f"Specific home visit risk assessment for the visit to {pupil}"
        f"{f' (class {klass})' if klass else ''} on {when}, by {listed(staff)}.",
        f"The school's reference for the visit: {reference}." if reference else "",
        f"Overall risk level: {level.label}.",
        f"The purpose of the visit: {w.get('purpose').label}.",
    )
    w.paragraph(_quoted("Why a home visit is required", w.get("why_required")))
    w.paragraph(_quoted("Known risks", w.get("known_risks")))
    w.paragraph(_quoted("Steps taken to mitigate these risks", w.get("mitigation")))
    above = [
        f"{type(ra.hazards).model_fields[name].title} ({cell.likelihood.label}, "
        f"{cell.risk_level.label})"
        for name, cell in ra.hazards.items() if cell.risk_level is not RiskLevel.LOW
        or cell.model_dump() != GENERIC[name]
    ]
    if above:
        w.paragraph("Hazards assessed differently from the generic assessment: "
                    + "; ".join(above) + ".")
    w.paragraph(*_approvals(w))
    w.rest(ASSESSMENT_LEFT_TO_PDF)
    return w.text()


def _approvals(w: _Writer) -> list[str]:
    """Who authorised the visit, approved the assessment and gave the Principal's permission;
    what is recorded of each, even in part."""
    by, role, on = w.get("authorised_by"), w.get("authoriser_role"), w.get("authorised_on")
    as_role = f" ({ROLES[role]})" if role else ""
    dated = f" on {long_date(on)}" if on else ""
    if by:
        authorised = f"The visit was authorised by {by}{as_role}{dated}."
    elif role or on:
        authorised = (f"The visit's authorisation is recorded{dated}"
                      f"{f', by the {ROLES[role]}' if role else ''}, without a name.")
    else:
        authorised = "No authorisation of the visit is recorded."
    approver, approved_on = w.get("approved_by"), w.get("approved_on")
    when = f" on {long_date(approved_on)}" if approved_on else ""
    if approver:
        approved = f"The specific risk assessment was approved by {approver}{when}."
    elif approved_on:
        approved = f"The specific risk assessment's approval is recorded{when}, without a name."
    else:
        approved = "No approval of the specific risk assessment is recorded."
    permission, principal = w.get("principal_permission"), w.get("principal_name")
    named = f", {principal}," if principal else ""
    if permission is True:
        allowed = f"The Principal{named} gave permission for the visit."
    elif permission is False:
        allowed = f"The Principal{named} has not given permission for the visit."
    else:
        allowed = (f"The Principal named for the permission: {principal}." if principal
                   else "The Principal's permission for the visit is not recorded.")
    joint = w.get("joint_visit")
    return [authorised, approved, allowed,
            f"Joint visit with a safeguarding partner: {joint.label}." if joint else ""]
