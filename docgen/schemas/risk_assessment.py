"""Home Visit Risk Assessment: every field of Appendix 1 of the ATT Home Visit Procedure, in its
order, followed by the approvals both policies require and the visit arrangements Westside's
policy requires the school to hold. Every field beyond the appendix says why (``source=``),
every change of its wording says what changed (``wording=``)."""

from __future__ import annotations

from typing import ClassVar, Literal

from docgen.schemas.base import (
    FormModel,
    Part,
    SignOffLine,
    When,
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
from docgen.schemas.types import UPN, ClockTime, Line, Name, Text, UKDate, YesNo, fold

# What people write in "Are there any known risks ...?" to say there are none (folded).
NO_KNOWN_RISKS = frozenset({
    "none", "none known", "no", "nil", "nothing", "nothing known", "no known risks",
    "no risks", "no known risk", "none identified", "no concerns", "none noted", "not known",
})

# Why fields beyond Appendix 1 are asked (docs/forms.md lists them).
IDENTITY = ("Practice: identifies the pupil beyond the name (the school's records, CPOMS); "
            "optional.")
PURPOSE = ("The reasons both policies list for a home visit (ATT §3.1, Westside Home visits), "
           "so that a visit for a reason the policy does not list is noticed.")
AUTHORISED = ("ATT §1.1 “All home visits conducted by staff must be authorised by the "
              "Designated Safeguarding Lead (DSL), prior to taking place”; Westside (Home "
              "visits) “All home visits will require the authorisation of the headteacher”.")
SPECIFIC = ("ATT §7.1 “a Home Visit Risk Assessment must be completed and approved where the "
            "situation presents anything other than a low risk”.")
HIGH_RISK = ("Appendix 1 “If the risk for a visit is deemed high, the Principal must grant "
             "permission for the visit to go ahead”.")
ITINERARY = ("Westside (Personal safety) “an itinerary with expected departure and arrival "
             "times”; the office check-in sheet calls staff from these times.")
# When the questions of a visit apply (docgen.documents.applies works the facts out).
HIGH = When("overall_risk", (RiskLevel.HIGH,), because="the overall risk is not High")
ABOVE_LOW = When("overall_risk", (RiskLevel.MEDIUM, RiskLevel.HIGH),
                 because="the overall risk is Low")
KNOWN_RISKS = When(fact="known_risks", because="no known risks are recorded")
LONE = When(fact="lone_visit", because="more than one member of staff goes on the visit")
OUT_OF_HOURS = When(fact="outside_school_hours", because="the visit is in school hours")
VEHICLE_RULES = ("ra.vehicle-details", "ra.vehicle-approved")

VEHICLES = ("Westside (Personal safety) “Details of the vehicles used ... including make, "
            "model, registration number and colour, will be held by the school”.")


class Vulnerability(Part):
    """'Is the pupil': any number of the four boxes may be ticked."""

    tick_boxes: ClassVar[bool] = True

    cp_cin_early_help: YesNo = field("CP/CIN/ Early Help", "Child protection, child in need or "
                                     "Early Help plan.", default=False)
    cme: YesNo = field("CME", "Child missing education.", default=False)
    ehcp: YesNo = field("EHCP", "Has an Education, Health and Care Plan.", default=False)
    other: YesNo = field("Other Vulnerability", "Any other vulnerability.", default=False)
    other_details: Line | None = line_field(
        "Other vulnerability details", "What the other vulnerability is.", default=None,
        when=When("other", because="no other vulnerability is ticked"),
        source="Practice: a ticked 'Other Vulnerability' box tells the reader nothing without "
        "what it is.",
    )


class VisitReason(Part):
    """'Reason for Visit': one or more boxes."""

    tick_boxes: ClassVar[bool] = True

    requested_by_la: YesNo = field(
        "Requested by Local Authority", "The local authority asked for the visit.", default=False
    )
    concerns_from_academy: YesNo = field(
        "Concerns from Academy", "The visit follows concerns raised in the academy.",
        default=False,
    )
    requested_by_parent: YesNo = field(
        "Requested by parent/carer",
        "The parent or carer asked for the visit, e.g. to collect a work pack.",
        default=False,
        source="Appendix 1's two boxes force a false answer for a visit a family asked for "
        "(a work pack a parent asked for ticked 'Concerns from Academy'). ATT §3.1 lists "
        "“Dropping off or collecting work for a pupil”; Westside (Home visits) lists "
        "discussions where “the parent cannot attend school”.",
    )

    def any(self) -> bool:
        return self.requested_by_la or self.concerns_from_academy or self.requested_by_parent


class RiskAssessment(FormModel):
    form_name: ClassVar[str] = "risk-assessment"
    form_title: ClassVar[str] = "Home Visit Risk Assessment"
    paper: ClassVar[str] = "Appendix 1 (Home Visit Risk Assessment) of the ATT Home Visit Procedure"
    sheet_title: ClassVar[str] = "Risk assessment"
    workbook_notes: ClassVar[tuple[str, ...]] = (
        "The hazard matrix is folded away (click the + beside it to open it): leave a cell "
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
        "Date of birth", "The pupil's date of birth, DD/MM/YYYY. Optional.", default=None,
        source=IDENTITY,
    )
    upn: UPN | None = upn_field()
    address: Text = text_field(
        "Address to be visited", "Full address including postcode.", max_length=500
    )
    visit_date: UKDate = field("Date of Visit", "The date of the visit, DD/MM/YYYY.")
    vulnerability: Vulnerability = field(
        "Is the pupil", "Tick every box that applies.", default_factory=Vulnerability,
        prefix="Is the pupil",
        wording="Appendix 1's boxes, any number of which may be ticked, with a line to say "
        "what an 'Other Vulnerability' is.",
    )
    visit_reference: Line | None = reference_field()

    # -- Reason for visit ---------------------------------------------------------------------
    reason: VisitReason = field(
        "Reason for Visit", "Tick every box that applies.", default_factory=VisitReason,
        section="Reason for visit", prefix="Reason for Visit",
        wording="A third box, 'Requested by parent/carer', is added to Appendix 1's two.",
    )
    purpose: VisitPurpose = field(
        "Purpose of visit", "The reason for the visit, from the policy's list.",
        source=PURPOSE,
    )
    other_contact_exhausted: YesNo = field(
        "Have you exhausted all other means of contact",
        "Yes if phone calls, texts, emails and letters have been tried first.",
        wording="Appendix 1 prints a single '□Yes' box; docgen asks Yes or No, so that an "
        "unticked box is never read as an answer.",
    )
    parents_informed: YesNo | None = field(
        "Have the parents/carers been told about the visit in advance?",
        "Visits are arranged with parents/carers wherever possible.",
        default=None,
        source="ATT §1.2 “Wherever possible, parents/carers should be informed of the home "
        "visit prior to arrival”; Westside (Home visits) “scheduled in advance with the "
        "agreement of the parents, unless the visit is due to an emergency”.",
    )
    unannounced_reason: Text | None = text_field(
        "If not, why not",
        "E.g. an emergency, a welfare check when parents are not answering, a safeguarding "
        "concern.",
        default=None, max_length=2000,
        when=When("parents_informed", (False,), because="the parents/carers were told"),
        source="The exceptions both policies allow (ATT §1.2, Westside Home visits): an "
        "unannounced visit says which applies.",
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
        wording="Appendix 1 has two numbered lines for names; docgen takes up to six staff, "
        "each with role, mobile, DBS check and training (see their sources).",
    )
    lone_visit_approved: YesNo | None = field(
        "Lone visit approved by the headteacher",
        "Only if one member of staff will visit alone and the headteacher has approved it.",
        default=None, when=LONE, asked_by=("lone_visits",),
        source="Westside (Personal safety) “unless the headteacher decides it is safe and "
        "appropriate for a home visit to be conducted alone”.",
    )
    lone_working_assessment: YesNo | None = field(
        "Lone-working risk assessment completed",
        "Required before any visit by a single member of staff.",
        default=None, when=LONE, asked_by=("lone_visits",),
        source="Westside (Personal safety) “A risk assessment for an instance of lone working "
        "will be carried out before the commencement of any home visit undertaken by a single "
        "staff member”.",
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
        default=None, when=KNOWN_RISKS,
    )

    # -- Hazard matrix ------------------------------------------------------------------------
    hazards: HazardMatrix = field(
        "Hazards",
        "The generic assessment applies unless you change a cell.",
        default_factory=generic_matrix,
        section="Hazards",
        prefix="",
        collapsed=True,
        wording="Appendix 1's matrix and generic assessment, with three slips corrected: the "
        "hazard 'Illness of injury/ accident' reads 'Illness or injury/ accident'; the "
        "driving harm 'accident intruder in vehicle' reads 'accident, intruder in vehicle'; "
        "the animal control '—avoid alarming them' reads ': avoid alarming them'. The risk "
        "level of a hazard may not be lower than its likelihood allows (the policy's "
        "risk_scale); 'Severity of Harm' stays free text, as on the paper form.",
    )

    # -- Overall risk and approvals -----------------------------------------------------------
    overall_risk: RiskLevel = field(
        "Overall risk level",
        "Low, Medium or High; at least the highest risk level in the hazard matrix.",
        section="Risk level and approvals",
        source="ATT §5.2 “adapt if the situation is deemed anything other than low risk” and "
        "Appendix 1 “If the risk for a visit is deemed high, the Principal must grant "
        "permission”: both need the visit's overall level, which the paper leaves implicit.",
    )
    assessed_by: Name | None = name_field(
        "Risk assessment completed by", "Who completed this assessment.", default=None,
        source="Westside (Personal safety) “A Home Visit Risk Assessment will be conducted by "
        "a member of SLT”; a signed record says who.",
    )
    assessor_is_slt: YesNo | None = field(
        "Assessor is a member of SLT",
        "Yes if the person completing this assessment is on the senior leadership team.",
        default=None, asked_by=("ra.assessor-slt",),
        source="Westside (Personal safety) “conducted by a member of SLT”.",
    )
    authorised_by: Name | None = name_field(
        "Visit authorised by", "The person who authorised the visit.", default=None,
        source=AUTHORISED,
    )
    authoriser_role: AuthoriserRole | None = field(
        "Role of the person authorising", "Their safeguarding or leadership role.",
        default=None, source=AUTHORISED,
    )
    authorised_on: UKDate | None = field(
        "Date authorised", "When the visit was authorised; before the visit.", default=None,
        source=AUTHORISED,
    )
    approved_by: Name | None = name_field(
        "Specific risk assessment approved by",
        "Needed when the overall risk is above low.",
        default=None, source=SPECIFIC, when=ABOVE_LOW, asked_by=("ra.specific-assessment",),
    )
    approved_on: UKDate | None = field(
        "Date specific assessment approved", "When it was approved.", default=None,
        source=SPECIFIC, when=ABOVE_LOW, asked_by=("ra.specific-assessment",),
    )
    concerns_consulted: YesNo | None = field(
        "DSL and Principal consulted about the concerns",
        "Needed when there are concerns about the address, family or pupil.",
        default=None, when=KNOWN_RISKS, asked_by=("ra.concerns-consulted",),
        source="Appendix 1 footnote “If there are any concerns, the DSL and Principal must be "
        "consulted”.",
    )
    principal_permission: YesNo | None = field(
        "Principal's permission for a high-risk visit",
        "Needed when the overall risk is high.",
        default=None, source=HIGH_RISK, when=HIGH,
        asked_by=("ra.high-risk-permission", "ra.high-risk-refused"),
    )
    principal_name: Name | None = name_field(
        "Principal granting permission", "Name of the Principal.", default=None,
        source=HIGH_RISK, when=HIGH, asked_by=("ra.high-risk-permission",),
    )
    joint_visit: JointVisit | None = field(
        "Joint visit with a safeguarding partner",
        "For a high-risk visit: the decision on a joint visit with police, social care or "
        "another partner.",
        default=None, when=HIGH, asked_by=("ra.high-risk-joint-visit",),
        source="Appendix 1 “consideration should be made on whether a joint safeguarding "
        "partner visit, should be made (e.g., A joint visit with police, social care etc)”.",
    )

    # -- Visit arrangements (Westside policy) -------------------------------------------------
    planned_start: ClockTime | None = field(
        "Planned start time", "When the visit is due to start, e.g. 10:30.",
        default=None, section="Visit arrangements", source=ITINERARY,
    )
    expected_return: ClockTime | None = field(
        "Expected return time", "When staff expect to be back or finished, e.g. 12:00.",
        default=None, source=ITINERARY,
    )
    code_word_agreed: YesNo | None = field(
        "Code word agreed",
        "Yes if a code word has been agreed with the office. Never write the code word itself.",
        default=None, no_echo=True,
        source="Westside (Personal safety) “A code word will be established”; ATT §7.1 “your "
        "safe word is recorded”. Only whether one was agreed: the word itself is never "
        "written down.",
    )
    travel_mode: TravelMode | None = field(
        "How staff will travel", "Car, public transport or on foot.", default=None,
        source=VEHICLES, asked_by=VEHICLE_RULES,
    )
    vehicle: Vehicle | None = field(
        "Vehicle", "The vehicle used, if any.", default=None, prefix="Vehicle",
        source=VEHICLES, asked_by=VEHICLE_RULES,
        when=When("travel_mode", (TravelMode.VEHICLE,), because="staff do not travel by car"),
    )
    out_of_hours_reason: Text | None = text_field(
        "Why the visit must be outside school hours",
        "Only for visits outside school hours: why it is necessary and there is no reasonable "
        "alternative.",
        default=None, max_length=2000, when=OUT_OF_HOURS, asked_by=("ra.out-of-hours-reason",),
        source="Westside (Home visits) “Home visits outside of school hours will only be "
        "authorised if absolutely necessary, and there is no reasonable alternative”.",
    )
    responsible_contact: ResponsibleContact | None = field(
        "Out-of-hours responsible contact",
        "Only for visits outside school hours.",
        default=None, prefix="Out-of-hours contact", when=OUT_OF_HOURS,
        asked_by=("ra.out-of-hours-contact",),
        source="Westside (Home visits) “a responsible contact will be established to check "
        "on the welfare of staff conducting the visit”.",
    )

    def has_known_risks(self) -> bool:
        """Whether known risks are recorded: "None", "None known" or "No" record none."""
        text = self.known_risks
        return text is not None and fold(text.strip().rstrip(".!")) not in NO_KNOWN_RISKS

    def sign_offs(self, authorisers: list[AuthoriserRole]) -> list[SignOffLine]:
        roles = " or ".join(role.short for role in authorisers)
        out = [
            SignOffLine("Risk assessment completed by", self.assessed_by),
            SignOffLine(f"Authorised by ({roles})", self.authorised_by,
                        authorisers[0] if len(authorisers) == 1 else None),
        ]
        if self.overall_risk in (RiskLevel.HIGH, None):  # None: a blank form
            out.append(SignOffLine(
                "Permission for a high-risk visit (Principal)", self.principal_name,
                AuthoriserRole.HEADTEACHER,
                asked_by=("ra.high-risk-permission", "ra.high-risk-refused")))
        return out

