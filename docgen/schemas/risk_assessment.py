"""Home Visit Risk Assessment: every field of Appendix 1 of the ATT Home Visit Procedure, in its
order, followed by the approvals both policies require and the visit arrangements Westside's
policy requires the school to hold."""

from __future__ import annotations

from typing import ClassVar, Literal

from docgen.schemas.base import (
    FormModel,
    Part,
    SignOffLine,
    field,
    line_field,
    name_field,
    text_field,
)
from docgen.schemas.choices import AuthoriserRole, JointVisit, RiskLevel, TravelMode, VisitPurpose
from docgen.schemas.common import (
    ResponsibleContact,
    StaffMember,
    Vehicle,
    pupil_class_field,
    pupil_name_field,
    reference_field,
    upn_field,
)
from docgen.schemas.hazards import HazardMatrix, generic_matrix
from docgen.schemas.types import UPN, ClockTime, Line, Name, Text, UKDate, YesNo


class Vulnerability(Part):
    """'Is the pupil': any number of the four boxes may be ticked."""

    tick_boxes: ClassVar[bool] = True

    cp_cin_early_help: YesNo = field("CP/CIN/ Early Help", "Child protection, child in need or "
                                     "Early Help plan.", default=False)
    cme: YesNo = field("CME", "Child missing education.", default=False)
    ehcp: YesNo = field("EHCP", "Has an Education, Health and Care Plan.", default=False)
    other: YesNo = field("Other Vulnerability", "Any other vulnerability.", default=False)
    other_details: Line | None = line_field(
        "Other vulnerability details", "What the other vulnerability is.", default=None
    )


class VisitReason(Part):
    """'Reason for Visit': one or both boxes."""

    tick_boxes: ClassVar[bool] = True

    requested_by_la: YesNo = field(
        "Requested by Local Authority", "The local authority asked for the visit.", default=False
    )
    concerns_from_academy: YesNo = field(
        "Concerns from Academy", "The visit follows concerns raised in the academy.",
        default=False,
    )

    def any(self) -> bool:
        return self.requested_by_la or self.concerns_from_academy


class RiskAssessment(FormModel):
    form_name: ClassVar[str] = "risk-assessment"
    form_title: ClassVar[str] = "Home Visit Risk Assessment"
    sheet_title: ClassVar[str] = "Risk assessment"
    workbook_notes: ClassVar[tuple[str, ...]] = (
        "Hazard columns (folded away: click + above the columns to open them): leave a cell "
        "blank to keep the generic assessment of the Home Visit Risk Assessment; type only "
        "what differs for this visit.",
        "'Code word agreed' takes Yes or No. Never write the code word itself anywhere in "
        "this workbook.",
    )

    form: Literal["risk-assessment"] = field(
        "Form", "Always 'risk-assessment'.", default="risk-assessment", in_workbook=False
    )

    # -- Student details (Appendix 1) --------------------------------------------------------
    academy: Line = line_field(
        "Name of Academy", "The school or academy making the visit.", section="Student details"
    )
    pupil_name: Name = pupil_name_field()
    pupil_class: Line = pupil_class_field()
    date_of_birth: UKDate | None = field(
        "Date of birth", "The pupil's date of birth, DD/MM/YYYY. Optional.", default=None
    )
    upn: UPN | None = upn_field()
    address: Text = text_field(
        "Address to be visited", "Full address including postcode.", max_length=500
    )
    visit_date: UKDate = field("Date of Visit", "The date of the visit, DD/MM/YYYY.")
    vulnerability: Vulnerability = field(
        "Is the pupil", "Tick every box that applies.", default_factory=Vulnerability,
        prefix="Is the pupil",
    )
    visit_reference: Line | None = reference_field()

    # -- Reason for visit ---------------------------------------------------------------------
    reason: VisitReason = field(
        "Reason for Visit", "Tick one or both.", default_factory=VisitReason,
        section="Reason for visit", prefix="Reason for Visit",
    )
    purpose: VisitPurpose = field(
        "Purpose of visit", "The reason for the visit, from the policy's list."
    )
    other_contact_exhausted: YesNo = field(
        "Have you exhausted all other means of contact",
        "Yes if phone calls, texts, emails and letters have been tried first.",
    )
    parents_informed: YesNo | None = field(
        "Have the parents/carers been told about the visit in advance?",
        "Visits are arranged with parents/carers wherever possible.",
        default=None,
    )
    unannounced_reason: Text | None = text_field(
        "If not, why not",
        "E.g. an emergency, a welfare check when parents are not answering, a safeguarding "
        "concern.",
        default=None, max_length=2000,
    )

    # -- Staff --------------------------------------------------------------------------------
    staff: list[StaffMember] = field(
        "Which staff members will be undertaking the Home Visit",
        "Everyone going on the visit, with the mobile each will carry.",
        section="Staff",
        slots=3,
        prefix="Staff member",
        min_length=1,
        max_length=6,
    )
    lone_visit_approved: YesNo | None = field(
        "Lone visit approved by the headteacher",
        "Only if one member of staff will visit alone and the headteacher has approved it.",
        default=None,
    )
    lone_working_assessment: YesNo | None = field(
        "Lone-working risk assessment completed",
        "Required before any visit by a single member of staff.",
        default=None,
    )

    # -- Details and risks --------------------------------------------------------------------
    why_required: Text = text_field(
        "Details of why a home visit is required",
        "What has happened and why a visit, rather than a call or a meeting in school, is "
        "needed.",
        section="Details of the visit",
    )
    known_risks: Text | None = text_field(
        "Are there any known risks about this property or when visiting this family?",
        "E.g. aggressive behaviour, dogs, previous incidents. Leave blank if none are known.",
        default=None,
    )
    mitigation: Text | None = text_field(
        "What steps have you taken to mitigate these risks (if applicable)",
        "Required when known risks are recorded.",
        default=None,
    )

    # -- Hazard matrix ------------------------------------------------------------------------
    hazards: HazardMatrix = field(
        "Hazards",
        "The generic assessment applies unless you change a cell.",
        default_factory=generic_matrix,
        section="Hazards",
        prefix="",
        collapsed=True,
    )

    # -- Overall risk and approvals -----------------------------------------------------------
    overall_risk: RiskLevel = field(
        "Overall risk level",
        "Low, Medium or High; at least the highest risk level in the hazard matrix.",
        section="Risk level and approvals",
    )
    assessed_by: Name | None = name_field(
        "Risk assessment completed by", "Who completed this assessment.", default=None
    )
    assessor_is_slt: YesNo | None = field(
        "Assessor is a member of SLT",
        "Yes if the person completing this assessment is on the senior leadership team.",
        default=None,
    )
    authorised_by: Name | None = name_field(
        "Visit authorised by", "The person who authorised the visit.", default=None
    )
    authoriser_role: AuthoriserRole | None = field(
        "Role of the person authorising", "Their safeguarding or leadership role.", default=None
    )
    authorised_on: UKDate | None = field(
        "Date authorised", "When the visit was authorised; before the visit.", default=None
    )
    approved_by: Name | None = name_field(
        "Specific risk assessment approved by",
        "Needed when the overall risk is above low.",
        default=None,
    )
    approved_on: UKDate | None = field(
        "Date specific assessment approved", "When it was approved.", default=None
    )
    concerns_consulted: YesNo | None = field(
        "DSL and Principal consulted about the concerns",
        "Needed when there are concerns about the address, family or pupil.",
        default=None,
    )
    principal_permission: YesNo | None = field(
        "Principal's permission for a high-risk visit",
        "Needed when the overall risk is high.",
        default=None,
    )
    principal_name: Name | None = name_field(
        "Principal granting permission", "Name of the Principal.", default=None
    )
    joint_visit: JointVisit | None = field(
        "Joint visit with a safeguarding partner",
        "For a high-risk visit: the decision on a joint visit with police, social care or "
        "another partner.",
        default=None,
    )

    # -- Visit arrangements (Westside policy) -------------------------------------------------
    planned_start: ClockTime | None = field(
        "Planned start time", "When the visit is due to start, e.g. 10:30.",
        default=None, section="Visit arrangements",
    )
    expected_return: ClockTime | None = field(
        "Expected return time", "When staff expect to be back or finished, e.g. 12:00.",
        default=None,
    )
    code_word_agreed: YesNo | None = field(
        "Code word agreed",
        "Yes if a code word has been agreed with the office. Never write the code word itself.",
        default=None, no_echo=True,
    )
    travel_mode: TravelMode | None = field(
        "How staff will travel", "Car, public transport or on foot.", default=None
    )
    vehicle: Vehicle | None = field(
        "Vehicle", "The vehicle used, if any.", default=None, prefix="Vehicle"
    )
    out_of_hours_reason: Text | None = text_field(
        "Why the visit must be outside school hours",
        "Only for visits outside school hours: why it is necessary and there is no reasonable "
        "alternative.",
        default=None, max_length=2000,
    )
    responsible_contact: ResponsibleContact | None = field(
        "Out-of-hours responsible contact",
        "Only for visits outside school hours.",
        default=None, prefix="Out-of-hours contact",
    )

    def sign_offs(self, authorisers: list[AuthoriserRole]) -> list[SignOffLine]:
        roles = " or ".join(role.label for role in authorisers)
        out = [
            SignOffLine("Risk assessment completed by", self.assessed_by),
            SignOffLine(f"Visit authorised by ({roles})", self.authorised_by,
                        authorisers[0] if len(authorisers) == 1 else None),
        ]
        if self.overall_risk is RiskLevel.HIGH:
            out.append(SignOffLine("Principal's permission for a high-risk visit",
                                   self.principal_name, AuthoriserRole.HEADTEACHER))
        return out

