"""The closed lists a form offers: each becomes a dropdown in the workbook and an enum in the
JSON Schema. Labels are the words printed on the forms."""

from __future__ import annotations

from docgen.schemas.types import Choice


class RiskLevel(Choice):
    LOW = ("low", "Low")
    MEDIUM = ("medium", "Medium")
    HIGH = ("high", "High")

    @property
    def rank(self) -> int:
        return list(RiskLevel).index(self)


class Likelihood(Choice):
    REMOTE = ("remote", "Remote Possibility")
    POSSIBLE = ("possible", "Possible")
    LIKELY = ("likely", "Likely")
    VERY_LIKELY = ("very_likely", "Very Likely")


class VisitPurpose(Choice):
    """Why the visit is made: ATT procedure section 3 and Westside's 'Home visits' list."""

    REFUSING_SCHOOL = ("refusing_school", "Pupil refusing to come into school")
    ATTENDANCE = ("attendance", "Attendance issues or concerns")
    ATTENDANCE_SUPPORT = (
        "attendance_support",
        "Supporting parents/carers to improve attendance",
    )
    HOME_EDUCATED = ("home_educated", "Pupil being educated at home")
    NO_CONTACT = ("no_contact", "All other means of contact have failed")
    PARENT_MEETING = ("parent_meeting", "Meeting parents/carers at home")
    WELFARE_CHECK = ("welfare_check", "Establishing that an absent pupil is safe")
    COLLECT_OR_DROP_OFF = ("collect_or_drop_off", "Collecting or dropping off a pupil")
    WORK_OR_EQUIPMENT = ("work_or_equipment", "Dropping off or collecting work or equipment")
    LONG_ABSENCE = ("long_absence", "Keeping in touch during a long absence")
    SUSPECTED_HOLIDAY = ("suspected_holiday", "Investigating a suspected term-time holiday")
    TUTORING = ("tutoring", "Delivering tutoring")
    OTHER = ("other", "Other (give details)")

    @property
    def is_attendance(self) -> bool:
        return self in {
            VisitPurpose.ATTENDANCE,
            VisitPurpose.ATTENDANCE_SUPPORT,
            VisitPurpose.REFUSING_SCHOOL,
            VisitPurpose.SUSPECTED_HOLIDAY,
        }


class AuthoriserRole(Choice):
    DSL = ("dsl", "Designated Safeguarding Lead (DSL)")
    DEPUTY_DSL = ("deputy_dsl", "Deputy DSL")
    HEADTEACHER = ("headteacher", "Headteacher / Principal")
    OTHER = ("other", "Other")

    @property
    def short(self) -> str:
        """The role as a signature line names it: "Authorised by (DSL)"."""
        return "DSL" if self is AuthoriserRole.DSL else self.label


class TravelMode(Choice):
    VEHICLE = ("vehicle", "Car or other vehicle")
    PUBLIC_TRANSPORT = ("public_transport", "Public transport")
    ON_FOOT = ("on_foot", "On foot")


class JointVisit(Choice):
    """The recorded decision on a joint visit with a safeguarding partner (ATT Appendix 1)."""

    POLICE = ("police", "Joint visit with police")
    SOCIAL_CARE = ("social_care", "Joint visit with social care")
    OTHER_PARTNER = ("other_partner", "Joint visit with another safeguarding partner")
    NOT_NEEDED = ("not_needed", "Considered: joint visit not needed")


class Animals(Choice):
    """Where any animals at the home were during the visit."""

    NONE = ("none", "No animals")
    SECURED = ("secured", "Kept in another room or outside")
    IN_ROOM = ("in_room", "In the room during the visit")


class SpokenTo(Choice):
    """Whether staff spoke to the pupil, and who else was there."""

    ALONE = ("alone", "Yes, alone")
    WITH_PARENT = ("with_parent", "Yes, with a parent/carer present")
    WITH_OTHER = ("with_other", "Yes, with someone else present")
    NOT_SPOKEN = ("not_spoken", "No")


class LadoReferral(Choice):
    """The headteacher's decision on an allegation against staff: a referral to the Local
    Authority Designated Officer, or handling as a low-level concern."""

    REFERRED = ("referred", "Referred to the LADO")
    LOW_LEVEL = ("low_level", "Not referred: handled as a low-level concern")
    UNDECIDED = ("undecided", "Not yet decided")
