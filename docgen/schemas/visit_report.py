"""Home Visit Report: every field of Appendix 2 of the ATT Home Visit Procedure, in its order,
with the pupil's identity (so the CPOMS export can name the child) and the few further answers
the two policies' rules need."""

from __future__ import annotations

from typing import ClassVar, Literal

from docgen.schemas.base import FormModel, SignOffLine, field, name_field, text_field
from docgen.schemas.choices import Animals, AuthoriserRole, VisitPurpose
from docgen.schemas.common import (
    pupil_class_field,
    pupil_name_field,
    reference_field,
    upn_field,
)
from docgen.schemas.types import UPN, ClockTime, Line, Name, Percent, Text, UKDate, YesNo


class VisitReport(FormModel):
    form_name: ClassVar[str] = "visit-report"
    form_title: ClassVar[str] = "Home Visit Report"
    sheet_title: ClassVar[str] = "Visit report"

    form: Literal["visit-report"] = field(
        "Form", "Always 'visit-report'.", default="visit-report", in_workbook=False
    )

    # -- The pupil ----------------------------------------------------------------------------
    pupil_name: Name = pupil_name_field()
    date_of_birth: UKDate = field("Date of birth", "The pupil's date of birth, DD/MM/YYYY.")
    upn: UPN | None = upn_field()
    pupil_class: Line = pupil_class_field()
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
        "Purpose of visit", "The reason for the visit, from the policy's list."
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
        default=None,
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
        default=None, section="Details of the visit", max_length=2000,
    )
    entered_property: YesNo | None = field(
        "Did you enter the property?", "Answer when somebody was home.", default=None
    )
    anything_unusual: YesNo | None = field(
        "Did anything unusual happen?", "Yes if anything unusual or any incident happened.",
        default=None,
    )
    unusual_details: Text | None = text_field(
        "What happened?", "Details of anything unusual, as soon as possible after the visit.",
        default=None,
    )
    arrival_time: ClockTime | None = field(
        "What time did you arrive?", "e.g. 10:35.", default=None
    )
    leaving_time: ClockTime | None = field(
        "What time did you leave?", "e.g. 11:05.", default=None
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
        "Details of the welfare concerns", "What the concerns are, factually.", default=None
    )
    discussed: Text | None = text_field(
        "What was discussed?", "The main points discussed, factually.", default=None
    )
    agreed: Text | None = text_field(
        "What was agreed?",
        "Any agreement with the parents/carers, e.g. on attendance; it is kept on the pupil's "
        "record.",
        default=None,
    )
    future_action: Text | None = text_field(
        "What future action will you take?", "Next steps and by when.", default=None
    )
    inform_others: YesNo | None = field(
        "Does anyone else need to be informed about the visit?",
        "Yes if anyone else must be told, e.g. the DSL, the local authority, social care.",
        default=None,
    )
    inform_who: Text | None = text_field(
        "Who needs to be informed?", "Answer when someone else needs to be informed.",
        default=None, max_length=2000,
    )
    inform_by: Name | None = name_field(
        "Who will pass on this information?", "The member of staff who will tell them.",
        default=None,
    )

    # -- Policy follow-up ---------------------------------------------------------------------
    concerns_reported_to_dsl: YesNo | None = field(
        "Have the welfare concerns been reported to the DSL?",
        "Answer when there were welfare concerns.",
        default=None, section="Safeguarding and follow-up",
    )
    adult_present: YesNo | None = field(
        "Was an appropriate adult present while you were inside?",
        "Answer when you entered the property.",
        default=None,
    )
    id_shown: YesNo | None = field(
        "Did you show your identification on arrival?",
        "Staff carry identification (not on a lanyard) and show it, at least on a first visit.",
        default=None,
    )
    animals: Animals | None = field(
        "Were there animals at the home?",
        "Animals are kept out of the room where the meeting takes place.",
        default=None,
    )
    entered_bedroom: YesNo | None = field(
        "Did you go into a child's bedroom?",
        "Staff do not enter a child's bedroom (tutoring only where no other space exists).",
        default=None,
    )
    door_open: YesNo | None = field(
        "Tutoring: was the door of the room kept open?",
        "Answer for a tutoring visit.",
        default=None,
    )
    incident_reported: YesNo | None = field(
        "Has anything unusual been reported to the headteacher?",
        "Answer when anything unusual or any incident happened.",
        default=None,
    )
    minutes_waited: int | None = field(
        "If nobody was home, how long did you wait (minutes)?",
        "Whole minutes.",
        default=None, ge=0, le=600,
    )
    left_for_safety: YesNo | None = field(
        "Did you cancel or leave the visit because you felt unsafe?",
        "Yes if the visit was cancelled or ended because of concerns for your safety.",
        default=None,
    )
    safety_reported: YesNo | None = field(
        "Has this been reported in writing to the headteacher?",
        "Answer when the visit was cancelled or ended for safety.",
        default=None,
    )
    left_safely_reported: YesNo | None = field(
        "Did you tell the academy when you had left the home?",
        "Staff not returning straight to the academy phone to say they have left safely.",
        default=None,
    )
    attendance_percent: Percent | None = field(
        "Pupil's attendance over the last three months (%)",
        "From the register, e.g. 68.5. Optional; used for the policy's attendance threshold.",
        default=None, ge=0, le=100,
    )

    def sign_offs(self, authorisers: list[AuthoriserRole]) -> list[SignOffLine]:
        staff = [SignOffLine(f"Staff attending {i}", name)
                 for i, name in enumerate(self.staff_attending, start=1)]
        return [*staff, SignOffLine("Report received by the Designated Safeguarding Lead",
                                    signer=AuthoriserRole.DSL)]
