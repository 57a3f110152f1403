"""Parts both forms use: who the pupil is, and who the staff are."""

from __future__ import annotations

from typing import Any

from docgen.schemas.base import Part, field, line_field, name_field
from docgen.schemas.types import Line, Name, Phone, Registration, YesNo


class StaffMember(Part):
    name: Name = name_field("Name", "Full name of the member of staff.")
    role: Line | None = line_field(
        "Role", "Job title, e.g. Attendance Officer.", default=None,
        source="ATT §5.2 “Before departing clarify each person's role in the home visit”.",
    )
    mobile: Phone | None = field(
        "Mobile number",
        "The mobile the member of staff carries on the visit; the office holds it.",
        default=None,
        source="Westside (Personal safety) “The number will be recorded and held by the school "
        "office”; ATT §7.1 “your mobile telephone number ... is recorded”.",
    )
    dbs_checked: YesNo | None = field(
        "DBS check in place",
        "Yes if the school holds an appropriate DBS check for this member of staff.",
        default=None, asked_by=("ra.staff-dbs",),
        source="Westside (Child protection and safeguarding) “Prior to a staff member being "
        "assigned to undertake a home visit, the school will ensure the staff member has the "
        "appropriate level of DBS check”; for ATT, the safer-recruitment checks of Keeping "
        "children safe in education.",
    )
    home_visit_trained: YesNo | None = field(
        "Trained in home visiting",
        "Yes if this member of staff is trained in home visiting (e.g. an education welfare "
        "officer).",
        default=None, asked_by=("ra.staff-trained",),
        source="Westside (Training) “Where possible, at least one staff member in attendance "
        "will be specifically trained in home visiting”.",
    )
    violence_training: YesNo | None = field(
        "Trained in preventing violence",
        "Yes if this member of staff has had the training in strategies for the prevention of "
        "violence.",
        default=None, asked_by=("ra.staff-violence-training",),
        source="Westside (Training) “Before performing their duties, staff conducting home "
        "visits will undergo the appropriate training in strategies for the prevention of "
        "violence”.",
    )


class Vehicle(Part):
    make: Line | None = line_field("Make", "e.g. Ford.", default=None)
    model: Line | None = line_field("Model", "e.g. Focus.", default=None)
    registration: Registration | None = field(
        "Registration number", "e.g. AB12 CDE.", default=None
    )
    colour: Line | None = line_field("Colour", "e.g. Silver.", default=None)
    school_approved: YesNo | None = field(
        "Approved by the school",
        "Yes if the school has approved this vehicle for home visits.",
        default=None,
    )

    def missing_details(self) -> list[str]:
        return [n for n in ("make", "model", "registration", "colour") if getattr(self, n) is None]


class ResponsibleContact(Part):
    name: Name | None = name_field(
        "Name", "Who checks on the staff's welfare during an out-of-hours visit.", default=None
    )
    phone: Phone | None = field("Phone number", "How staff reach them.", default=None)


# Field declarations shared by both forms: identical wording on both papers.
def pupil_name_field(**kw: Any) -> Any:
    return name_field("Name of pupil", "The pupil's full legal name.", section="Student details",
                      **kw)


def pupil_class_field(**kw: Any) -> Any:
    return line_field("Class", "Form or class, e.g. 8JR or Year 8.", **kw)


def upn_field() -> Any:
    return field(
        "UPN",
        "Unique Pupil Number, 13 characters, from the pupil record. Optional.",
        default=None,
        source="Practice: the pupil's number in the school's records and CPOMS; optional.",
    )


def reference_field() -> Any:
    return line_field(
        "Visit reference",
        "Your own reference for this visit, e.g. HV-2026-014. Use the same one on the risk "
        "assessment and the report so they can be linked.",
        default=None,
        source="Practice: links a visit's report to its risk assessment (a report is checked "
        "against the assessment of its visit) and names the visit on the office check-in "
        "sheet without naming the pupil.",
    )

