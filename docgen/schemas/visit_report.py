"""Home Visit Report: every field of Appendix 2 of the ATT Home Visit Procedure, in its order,
with the pupil's identity (so the CPOMS export can name the child) and the further answers the
two policies' rules need. Every field beyond the appendix says why (``source=``), every change
of its wording says what changed (``wording=``)."""

from __future__ import annotations

from typing import ClassVar, Literal

from docgen.schemas.base import (
    FormModel,
    SignOffLine,
    When,
    field,
    line_field,
    name_field,
    text_field,
)
from docgen.schemas.choices import Animals, AuthoriserRole, LadoReferral, SpokenTo, VisitPurpose
from docgen.schemas.common import (
    pupil_class_field,
    pupil_name_field,
    reference_field,
    upn_field,
)
from docgen.schemas.types import UPN, ClockTime, Line, Name, Percent, Text, UKDate, YesNo

# When the questions of a visit apply (docgen.documents.applies works the facts out).
HOME = When("anyone_home", because="nobody was home")
NOBODY_HOME = When("anyone_home", (False,), because="somebody was home")
INSIDE = When("entered_property", because="staff did not go inside")
CONCERNS = When("welfare_concerns", because="there were no welfare concerns")
INCIDENT_HAPPENED = When(fact="incident", because="nothing unusual happened")
INFORM = When("inform_others", because="nobody else needs to be informed")
ATTENDANCE_RULES = ("report.attendance-period", "report.attendance-threshold")
ATTENDANCE_VISIT = When(fact="attendance_visit", because="the visit was not about attendance")
LOW_ATTENDANCE = When(fact="attendance_below_threshold",
                      because="attendance is not below the policy's threshold")

# Why fields beyond Appendix 2 are asked (docs/forms.md lists them).
IDENTITY = ("Appendix 2 has no pupil details: a report must name the child to be filed on "
            "CPOMS (“To be included on CPOMS, as a record of the visit”).")
PURPOSE = ("The reasons both policies list for a home visit (ATT §3.1, Westside Home visits): "
           "the policy's checks depend on it (attendance, tutoring, welfare visits).")
DANGER = ("ATT §5.3 “If you feel that a child/young person is in immediate danger contact "
          "emergency services 999”; Westside (Child protection and safeguarding) “Serious "
          "concerns about a pupil's immediate welfare will be reported to the police and any "
          "relevant agencies”.")
REFERRAL = ("ATT §5.3 “If appropriate the Safeguarding Lead will make a referral to social "
            "care”; Westside “reported to the police and any relevant agencies”. The date and "
            "who made it are what the DSL's record needs.")
SEEN = ("ATT §3.1 “establish that a pupil is safe”; Westside (Home visits) “To establish the "
        "welfare of a pupil”: a welfare visit is only done when the pupil is seen; practice "
        "(Working Together to Safeguard Children) is to record whether the child was seen, "
        "and seen alone.")
INCIDENT = ("ATT §6.3 “If an incident occurs, the visitor should record all details as soon "
            "as possible”; Westside (Home visits) “Any issues or incidents during a home visit "
            "will be reported to the headteacher”.")
ATTENDANCE = ("Westside (Attendance officer visits) “If the pupil's attendance falls below "
              "70% over the course of three months, the appropriate authorities will be "
              "notified”: the period shows the percentage is over three months, the "
              "notification clears the warning.")


class VisitReport(FormModel):
    form_name: ClassVar[str] = "visit-report"
    form_title: ClassVar[str] = "Home Visit Report"
    paper: ClassVar[str] = "Appendix 2 (Home Visit Report) of the ATT Home Visit Procedure"
    sheet_title: ClassVar[str] = "Visit report"

    form: Literal["visit-report"] = field(
        "Form", "Always 'visit-report'.", default="visit-report", in_workbook=False
    )

    # -- The pupil ----------------------------------------------------------------------------
    pupil_name: Name = pupil_name_field(source=IDENTITY)
    date_of_birth: UKDate = field("Date of birth", "The pupil's date of birth, DD/MM/YYYY.",
                                  source=IDENTITY)
    upn: UPN | None = upn_field()
    pupil_class: Line = pupil_class_field(source=IDENTITY)
    visit_reference: Line | None = reference_field()

    # -- Appendix 2: the visit ----------------------------------------------------------------
    staff_attending: list[Name] = field(
        "Staff attending",
        "Full name of each member of staff on the visit.",
        section="The visit",
        slots=3,
        prefix="Staff attending",
        min_length=1,
        max_length=6,
    )
    visit_date: UKDate = field("Date of Visit", "The date of the visit, DD/MM/YYYY.")
    visit_time: ClockTime = field("Time of Visit", "When the visit took place, e.g. 10:30.")
    purpose: VisitPurpose = field(
        "Purpose of visit", "The reason for the visit, from the policy's list.",
        source=PURPOSE,
    )
    reason: Text = text_field(
        "Reason for visit?", "Why the visit was made, in a sentence or two.", max_length=5000
    )
    dsl_consulted: YesNo = field(
        "Was the DSL consulted regarding your visit?",
        "Yes if the Designated Safeguarding Lead was consulted before the visit.",
    )
    anyone_home: YesNo = field("Was anyone home?", "Yes if anyone answered the door.")
    letter_left: YesNo | None = field(
        "Did you leave an academy home visit letter if they were not home?",
        "Answer when nobody was home.",
        default=None, when=NOBODY_HOME,
    )
    risk_assessment_done: YesNo = field(
        "Was a risk assessment completed/ consulted?",
        "Yes if the home visit risk assessment was completed or read before the visit.",
    )
    other_methods_exhausted: YesNo = field(
        "Did you exhaust all other methods of communication first?",
        "Yes if calls, texts, emails and letters were tried first.",
    )

    # -- Appendix 2: details of the visit -----------------------------------------------------
    who_was_home: Text | None = text_field(
        "Who was home?",
        "Names and relationship to the pupil, e.g. Mother (Ms J Smith), younger brother.",
        default=None, section="Details of the visit", max_length=2000, when=HOME,
        wording="Appendix 2's 'Details of the visit' is one box with a list of prompts; "
        "docgen asks each prompt as its own question, in the list's order.",
    )
    entered_property: YesNo | None = field(
        "Did you enter the property?", "Answer when somebody was home.", default=None,
        when=HOME,
    )
    anything_unusual: YesNo | None = field(
        "Did anything unusual happen?", "Yes if anything unusual or any incident happened.",
        default=None,
    )
    unusual_details: Text | None = text_field(
        "What happened?", "Details of anything unusual, as soon as possible after the visit.",
        default=None, source=INCIDENT, when=INCIDENT_HAPPENED,
    )
    arrival_time: ClockTime | None = field(
        "What time did you arrive?", "e.g. 10:35.", default=None,
        wording="Appendix 2 asks 'What time did you arrive and leave?' as one prompt; docgen "
        "asks for each time, so that the visit's length and out-of-hours part can be checked.",
    )
    leaving_time: ClockTime | None = field(
        "What time did you leave?", "e.g. 11:05.", default=None,
        wording="See 'What time did you arrive?'.",
    )
    property_condition: Text | None = text_field(
        "What condition was the property in?", "What you saw, factually.", default=None
    )
    welfare_concerns: YesNo | None = field(
        "Were there any concerns for the welfare of the pupil?",
        "Yes if anything you saw or heard worries you about the pupil's welfare.",
        default=None,
    )
    welfare_details: Text | None = text_field(
        "Details of the welfare concerns", "What the concerns are, factually.", default=None,
        when=CONCERNS,
        source="ATT §5.4 “Any child protection concerns arising from home visits ... should be "
        "recorded on CPOMS”: a Yes without the concern is no record.",
    )
    discussed: Text | None = text_field(
        "What was discussed?", "The main points discussed, factually.", default=None,
        when=HOME,
    )
    agreed: Text | None = text_field(
        "What was agreed?",
        "Any agreement with the parents/carers, e.g. on attendance; it is kept on the pupil's "
        "record.",
        default=None, when=HOME,
    )
    agreement_review_date: UKDate | None = field(
        "When will the agreement be reviewed?",
        "The date by which the school checks the agreement is kept, DD/MM/YYYY.",
        default=None, when=When(fact="agreement", because="nothing was agreed"),
        asked_by=("report.agreement-review",),
        source="Westside (Attendance officer visits) “Reminder letters will be sent to the "
        "pupil's parents if the pupil fails to adhere to the agreements made during the home "
        "visit. Continued failure to adhere to the agreement will result in a follow-up "
        "visit”: the review date is when that is checked.",
    )
    future_action: Text | None = text_field(
        "What future action will you take?", "Next steps and by when.", default=None
    )
    inform_others: YesNo | None = field(
        "Does anyone else need to be informed about the visit?",
        "Yes if anyone else must be told, e.g. the DSL, the local authority, social care.",
        default=None,
        wording="Appendix 2's prompt 'Does anyone else need to be informed about the visit and "
        "who will pass on this information' is asked as three questions: whether, who, and by "
        "whom.",
    )
    inform_who: Text | None = text_field(
        "Who needs to be informed?", "Answer when someone else needs to be informed.",
        default=None, max_length=2000, when=INFORM,
    )
    inform_by: Name | None = name_field(
        "Who will pass on this information?", "The member of staff who will tell them.",
        default=None, when=INFORM,
    )

    # -- The pupil's safety -------------------------------------------------------------------
    pupil_seen: YesNo | None = field(
        "Did you see the pupil?",
        "Yes if you saw the pupil yourself during the visit.",
        default=None, section="The pupil's safety", source=SEEN, when=HOME,
    )
    pupil_spoken_to: SpokenTo | None = field(
        "Did you speak to the pupil?",
        "Whether you spoke to the pupil, and whether anyone else was there.",
        default=None, source=SEEN, when=When("pupil_seen", because="the pupil was not seen"),
    )
    spoken_to_with: Line | None = line_field(
        "Who was present when you spoke to the pupil?",
        "Name and relationship, e.g. Mother (Ms J Smith).",
        default=None, source=SEEN,
        when=When("pupil_spoken_to", (SpokenTo.WITH_PARENT, SpokenTo.WITH_OTHER),
                  because="nobody else was there when staff spoke to the pupil"),
    )
    concerns_reported_to_dsl: YesNo | None = field(
        "Have the welfare concerns been reported to the DSL?",
        "Answer when there were welfare concerns.",
        default=None, when=CONCERNS,
        source="ATT §5.3 “you must report disclosures or suspicions to the Designated "
        "Safeguarding Lead”; Westside “will report any safeguarding concerns to the DSL or a "
        "deputy as soon as possible”.",
    )
    immediate_danger: YesNo | None = field(
        "Did you believe the pupil was in immediate danger?",
        "Answer when there were welfare concerns.",
        default=None, source=DANGER, when=CONCERNS,
    )
    police_called: YesNo | None = field(
        "Were the police called (999)?",
        "Answer when the pupil was in immediate danger.",
        default=None, source=DANGER,
        when=When("immediate_danger", because="the pupil was not in immediate danger"),
    )
    social_care_referral: YesNo | None = field(
        "Was a referral made to children's social care?",
        "Yes once a referral has been made (usually by the DSL).",
        default=None, source=REFERRAL, when=CONCERNS,
    )
    referral_date: UKDate | None = field(
        "Date of the referral", "When the referral was made, DD/MM/YYYY.", default=None,
        source=REFERRAL, when=When("social_care_referral", because="no referral was made"),
    )
    referral_by: Name | None = name_field(
        "Referral made by", "Who made the referral.", default=None, source=REFERRAL,
        when=When("social_care_referral", because="no referral was made"),
    )

    # -- Policy follow-up ---------------------------------------------------------------------
    adult_present: YesNo | None = field(
        "Was an appropriate adult present while you were inside?",
        "Answer when you entered the property.",
        default=None, section="Safeguarding and follow-up", when=INSIDE,
        source="ATT §5.3 “Do not enter the premises unless invited in by a responsible "
        "adult”; Westside “Staff will never enter a home or stay inside without an appropriate "
        "adult present”.",
    )
    id_shown: YesNo | None = field(
        "Did you show your identification on arrival?",
        "Staff carry identification (not on a lanyard) and show it, at least on a first visit.",
        default=None, when=HOME,
        source="ATT §5.3 “have identification available ... do not use a necklace lanyard”; "
        "Westside “Staff will carry an identity card, which is shown upon arrival”.",
    )
    animals: Animals | None = field(
        "Were there animals at the home?",
        "Animals are kept out of the room where the meeting takes place.",
        default=None, when=HOME,
        source="ATT §5.3 “Ensure that there are no animals in the room where a meeting takes "
        "place”; Westside (Home visits) on potentially dangerous animals.",
    )
    entered_bedroom: YesNo | None = field(
        "Did you go into a child's bedroom?",
        "Staff do not enter a child's bedroom (tutoring only where no other space exists).",
        default=None, when=INSIDE, asked_by=("report.bedroom", "report.tutoring-bedroom"),
        source="ATT §5.3 “Do not enter a child's/young person's bedroom”; Westside (Tutoring) "
        "“Tutoring will not be delivered in a pupil's bedroom, unless no alternative suitable "
        "space is available”.",
    )
    door_open: YesNo | None = field(
        "Tutoring: was the door of the room kept open?",
        "Answer for a tutoring visit.",
        default=None, asked_by=("report.tutoring-door",),
        when=When("purpose", (VisitPurpose.TUTORING,), because="the visit was not for tutoring"),
        source="Westside (Tutoring) “The door of a room where tutoring is delivered will always "
        "be kept open”.",
    )
    incident_reported: YesNo | None = field(
        "Has anything unusual been reported to the headteacher?",
        "Answer when anything unusual happened, staff were threatened, physical intervention "
        "was used or an allegation was made.",
        default=None, source=INCIDENT, when=INCIDENT_HAPPENED,
    )
    threatened: YesNo | None = field(
        "Were staff threatened, or was violence used?",
        "Yes if anyone threatened staff or used violence during the visit.",
        default=None,
        source="Westside (Personal safety) “The police will be contacted where there is a "
        "threat or use of violence”; ATT §7.3 'If you feel threatened' and §6.3 on recording "
        "incidents.",
    )
    threat_police: YesNo | None = field(
        "Were the police contacted about the threat or violence?",
        "Answer when staff were threatened or violence was used.",
        default=None, asked_by=("report.threat-police",),
        when=When("threatened", because="staff were not threatened"),
        source="Westside (Personal safety) “The police will be contacted where there is a "
        "threat or use of violence”.",
    )
    physical_intervention: YesNo | None = field(
        "Did staff use physical intervention?",
        "Yes if a member of staff physically intervened, e.g. to prevent injury.",
        default=None, when=HOME,
        source="Westside (Child protection and safeguarding) “Staff will make a record of the "
        "incident as soon as reasonably possible and share it with the headteacher”.",
    )
    allegation_made: YesNo | None = field(
        "Was an allegation made against a member of staff?",
        "Yes if anyone accused a member of staff of abuse or misconduct during or after the "
        "visit.",
        default=None,
        source="ATT §6.4 “If an accusation of abuse is made against the visit/visitor, advice "
        "should be sought from the Principal as soon as possible”; Westside “Any allegations "
        "made against staff ... will be dealt with in accordance with the Low-level "
        "Safeguarding Concerns Policy or Allegations of Abuse Against Staff Policy”.",
    )
    lado_referral: LadoReferral | None = field(
        "Allegation: referral to the LADO",
        "The headteacher's decision on referring the allegation to the Local Authority "
        "Designated Officer.",
        default=None, when=When("allegation_made", because="no allegation was made"),
        source="Practice under Keeping children safe in education, Part 4 (the route of "
        "Westside's Allegations of Abuse Against Staff Policy): the headteacher decides "
        "whether an allegation goes to the LADO or is a low-level concern.",
    )
    minutes_waited: int | None = field(
        "If nobody was home, how long did you wait (minutes)?",
        "Whole minutes.",
        default=None, ge=0, le=600, when=NOBODY_HOME, asked_by=("report.wait-time",),
        source="Westside (Home visits) “staff will wait no longer than 20 minutes”.",
    )
    left_for_safety: YesNo | None = field(
        "Did you cancel or leave the visit because you felt unsafe?",
        "Yes if the visit was cancelled or ended because of concerns for your safety.",
        default=None,
        source="Westside (Home visits) “If a visit is cancelled because of concerns over "
        "safety, the reason ... will be communicated in writing to the headteacher”; ATT §7.3.",
    )
    safety_reported: YesNo | None = field(
        "Has this been reported in writing to the headteacher?",
        "Answer when the visit was cancelled or ended for safety.",
        default=None,
        when=When("left_for_safety", because="the visit was not cancelled or ended for safety"),
        source="Westside (Home visits), as for the question before.",
    )
    left_safely_reported: YesNo | None = field(
        "Did you tell the academy when you had left the home?",
        "Staff not returning straight to the academy phone to say they have left safely.",
        default=None, asked_by=("report.left-safely",),
        source="ATT §5.4 “telephone the academy after the visit to say you have left the home "
        "visit”; §7.4.",
    )
    attendance_percent: Percent | None = field(
        "Pupil's attendance over the last three months (%)",
        "From the register, e.g. 68.5. Optional; used for the policy's attendance threshold.",
        default=None, ge=0, le=100, source=ATTENDANCE, asked_by=ATTENDANCE_RULES,
        when=ATTENDANCE_VISIT,
    )
    attendance_from: UKDate | None = field(
        "Attendance period from",
        "The first day the attendance percentage covers, DD/MM/YYYY.",
        default=None, source=ATTENDANCE, asked_by=ATTENDANCE_RULES, when=ATTENDANCE_VISIT,
    )
    attendance_to: UKDate | None = field(
        "Attendance period to",
        "The last day the attendance percentage covers, DD/MM/YYYY.",
        default=None, source=ATTENDANCE, asked_by=ATTENDANCE_RULES, when=ATTENDANCE_VISIT,
    )
    authorities_notified_on: UKDate | None = field(
        "Date the authorities were notified of low attendance",
        "Answer when attendance is below the policy's threshold, DD/MM/YYYY.",
        default=None, source=ATTENDANCE, asked_by=("report.attendance-threshold",),
        when=LOW_ATTENDANCE,
    )
    authorities_notified_by: Name | None = name_field(
        "Authorities notified by", "Who notified them.", default=None, source=ATTENDANCE,
        asked_by=("report.attendance-threshold",), when=LOW_ATTENDANCE,
    )

    def sign_offs(self, authorisers: list[AuthoriserRole]) -> list[SignOffLine]:
        names: list[str | None] = [*self.staff_attending] if self.staff_attending \
            else [None, None]  # a blank form: two lines to sign
        staff = [SignOffLine("Staff member on the visit", name) for name in names]
        return [*staff, SignOffLine("Report received by (DSL)", signer=AuthoriserRole.DSL)]
