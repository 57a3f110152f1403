"""Every letter docgen makes, declared once: its name, what it is made from, who it is for, the
placeholders its wording may use (with an example of each) and those it must use.

A school's own wording (``letters/wording/NAME.html`` in its template folder) is checked against
this before any letter is made: a placeholder not listed here, or a required one missing, is an
error naming it. The examples make the sample letter the check renders, and the README's table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Source = Literal["attendance", "risk-assessment", "visit-report"]
Audience = Literal["family", "local-authority", "headteacher"]


@dataclass(frozen=True)
class Placeholder:
    name: str
    help: str
    example: Any
    fields: tuple[str, ...] = ()  # a list's items have these attributes


def _p(name: str, help: str, example: Any, fields: tuple[str, ...] = ()) -> Placeholder:
    return Placeholder(name, help, example, fields)


COMMON: tuple[Placeholder, ...] = (
    _p("pupil_name", "The pupil's full name", "Oliver Nowak"),
    _p("pupil_forename", "The pupil's first name", "Oliver"),
    _p("pupil_class", "The pupil's class or registration group (may be blank)", "8JR"),
    _p("school_name", "The school's name", "Westside School"),
    _p("letter_date", "The date of the letter", "23 November 2026"),
    _p("reference", "The letter's reference", "AC1-20261123-K7QA"),
    _p("addressee_names", "Who the letter is addressed to", "Ms Anna Nowak"),
    _p("contact_name", "The named contact", "Ms Joy Green"),
    _p("contact_role", "The contact's role (may be blank)", "Attendance Lead"),
    _p("contact_phone", "The contact's direct number", "01632 960457"),
    _p("contact_email", "The contact's email (may be blank)", "attendance@westside.example"),
    _p("signatory", "Who signs the letter", "Thomas Adeyemi"),
    _p("signatory_role", "Their role", "Headteacher"),
    _p("reply_by", "The date by which to reply or rearrange", "30 November 2026"),
)

ATTENDANCE: tuple[Placeholder, ...] = (
    _p("period_from", "First day of the figures", "2 September 2026"),
    _p("period_to", "Last day of the figures", "20 November 2026"),
    _p("possible", "Sessions possible (two a day)", 112),
    _p("attended", "Sessions attended", 92),
    _p("missed", "Sessions missed", 20),
    _p("authorised", "Sessions of authorised absence", 8),
    _p("unauthorised", "Sessions of unauthorised absence", 12),
    _p("attendance_percent", "Attendance over the period", "82.1%"),
    _p("persistent", "True when missing 10% or more (persistent absence)", True),
    _p("severe", "True when missing 50% or more (severe absence)", False),
    _p("absences", "Each reason for absence and its sessions",
       ({"reason": "illness", "sessions": 8, "authorised": True},
        {"reason": "no reason given yet", "sessions": 12, "authorised": False}),
       ("reason", "sessions", "authorised")),
    _p("unauthorised_dates", "The days of unauthorised absence (from a session register)",
       ("Monday 5 October 2026 (morning and afternoon)",)),
    _p("window_unauthorised", "The most unauthorised sessions in any window_weeks school "
       "weeks (may be none)", 12),
    _p("window_weeks", "The window, in school weeks", 10),
    _p("window_from", "When that window starts (may be blank)", "14 September 2026"),
    _p("window_to", "When it ends (may be blank)", "20 November 2026"),
    _p("penalty_threshold", "Unauthorised sessions in the window that can lead to a penalty "
       "notice", 10),
    _p("support", "The support the school offers", ("a meeting with our attendance lead",)),
    _p("previous_letters", "Letters sent before about attendance",
       ({"title": "Your child's attendance", "date": "26 October 2026"},), ("title", "date")),
)

AGREEMENT: tuple[Placeholder, ...] = (
    _p("agreement_date", "When the agreement was made", "2 November 2026"),
    _p("agreement_target", "The attendance it aims for", "90%"),
    _p("since_percent", "Attendance since the agreement", "80.0%"),
    _p("since_possible", "Sessions possible since", 30),
    _p("since_attended", "Sessions attended since", 24),
    _p("reminder_date", "When the reminder was sent (blank before one is)", "9 November 2026"),
)

NOTIFICATION: tuple[Placeholder, ...] = (
    _p("pupil_dob", "Date of birth (may be blank)", "1 May 2013"),
    _p("pupil_upn", "Unique Pupil Number (may be blank)", "A123456789012"),
    _p("notify_below", "The threshold", "70%"),
    _p("notify_from", "First day of the three months", "21 August 2026"),
    _p("notify_to", "Last day", "20 November 2026"),
    _p("notify_possible", "Sessions possible in those months", 112),
    _p("notify_attended", "Sessions attended", 74),
    _p("notify_percent", "Attendance over those months", "66.1%"),
    _p("history", "Letters, visits and agreements from the register, oldest first",
       ({"date": "26 October 2026", "what": "Letter: Your child's attendance (stage 1)"},),
       ("date", "what")),
    _p("parents", "Every parent with parental responsibility, with their address",
       ({"name": "Ms Anna Nowak", "relationship": "Mother", "address": "12 Elm Road, Eastmoor "
         "EM1 3AB"},), ("name", "relationship", "address")),
    _p("local_authority", "The local authority's attendance team", "Eastmoor Council"),
    _p("local_authority_address", "Their address (may be blank)", "Town Hall, Eastmoor"),
)

VISIT: tuple[Placeholder, ...] = (
    _p("visit_date", "The date of the visit", "Tuesday 24 November 2026"),
    _p("visit_time", "The time (may be blank)", "10:30"),
    _p("visit_address", "Where (may be blank)", "12 Elm Road, Eastmoor EM1 3AB"),
    _p("staff", "Who comes", ({"name": "Joy Green", "role": "Attendance Officer"},),
       ("name", "role")),
)

APPOINTMENT: tuple[Placeholder, ...] = (
    _p("visit_purpose", "Why, in neutral words", "to talk with you about how we can support "
       "Oliver to come to school every day"),
)

AGREED: tuple[Placeholder, ...] = (
    _p("agreed_parent", "What the parents agreed (lines starting 'Parent:')",
       ("make sure Oliver is up by 7:30",)),
    _p("agreed_pupil", "What the pupil agreed (lines starting 'Pupil:')",
       ("come to breakfast club",)),
    _p("agreed_school", "What the school agreed (lines starting 'School:')",
       ("a daily check-in with Ms Green",)),
    _p("agreed_other", "What was agreed, lines without a prefix", ()),
    _p("support_offered", "Support offered (lines starting 'Support:')",
       ("a place at breakfast club",)),
    _p("review_date", "When the agreement is reviewed (may be blank)", "4 December 2026"),
)

CANCELLED: tuple[Placeholder, ...] = (
    _p("visit_reference", "The visit's reference (may be blank)", "HV-2026-031"),
    _p("arrival_time", "When staff arrived (may be blank)", "10:35"),
    _p("leaving_time", "When they left (may be blank)", "10:40"),
    _p("what_happened", "What happened, as recorded", ("A man at the door shouted at staff.",)),
    _p("threatened", "Whether staff were threatened or violence used", "Yes"),
    _p("police", "Whether and how the police were involved",
       "Yes: the police were contacted"),
    _p("reported_in_writing", "Whether the report is already with the headteacher", "No"),
    _p("next_steps", "Next steps, as recorded", ("Offer a meeting in school instead.",)),
)


@dataclass(frozen=True)
class LetterKind:
    name: str  # the wording template's name
    family: str  # what --letter selects
    title: str  # the subject line when the wording gives none
    source: Source
    audience: Audience
    code: str  # the start of its reference
    placeholders: tuple[Placeholder, ...]
    required: tuple[str, ...]
    stage: int | None = None

    @property
    def allowed(self) -> dict[str, Placeholder]:
        return {p.name: p for p in (*COMMON, *self.placeholders)}

    def example(self) -> dict[str, Any]:
        return {p.name: p.example for p in (*COMMON, *self.placeholders)}


_CONCERN_REQUIRED = ("pupil_name", "period_from", "period_to", "possible", "attended",
                     "attendance_percent", "contact_name", "contact_phone")

KINDS: dict[str, LetterKind] = {k.name: k for k in (
    LetterKind("visit-appointment", "visit-appointment", "A home visit", "risk-assessment",
               "family", "VA", (*VISIT, *APPOINTMENT),
               ("pupil_name", "visit_date", "staff", "contact_phone")),
    LetterKind("missed-you", "missed-you", "Sorry we missed you", "risk-assessment", "family",
               "MY", VISIT, ("pupil_name", "visit_date", "staff", "reply_by", "contact_phone")),
    LetterKind("record-of-agreement", "record-of-agreement", "What we agreed",
               "visit-report", "family", "AG", (*VISIT, *AGREED),
               ("pupil_name", "visit_date", "contact_phone")),
    LetterKind("visit-cancelled", "visit-cancelled", "Home visit cancelled for staff safety",
               "visit-report", "headteacher", "VC", (*VISIT, *CANCELLED),
               ("pupil_name", "visit_date", "staff", "police", "next_steps")),
    LetterKind("agreement-reminder", "agreement-reminder", "Our attendance agreement",
               "attendance", "family", "AR", (*ATTENDANCE, *AGREEMENT),
               ("pupil_name", "agreement_date", "since_percent", "agreement_target",
                "contact_phone")),
    LetterKind("follow-up-visit", "follow-up-visit", "A follow-up home visit", "attendance",
               "family", "FV", (*ATTENDANCE, *AGREEMENT),
               ("pupil_name", "agreement_date", "since_percent", "reminder_date",
                "contact_phone")),
    LetterKind("attendance-concern-1", "attendance-concern", "Your child's attendance",
               "attendance", "family", "AC", ATTENDANCE,
               (*_CONCERN_REQUIRED, "missed", "absences", "support"), stage=1),
    LetterKind("attendance-concern-2", "attendance-concern",
               "Your child's attendance: an invitation to meet", "attendance", "family", "AC",
               ATTENDANCE, (*_CONCERN_REQUIRED, "missed", "support", "reply_by"), stage=2),
    LetterKind("attendance-concern-3", "attendance-concern",
               "Your child's attendance: formal warning", "attendance", "family", "AC",
               ATTENDANCE, (*_CONCERN_REQUIRED, "missed", "unauthorised",
                            "window_unauthorised", "penalty_threshold", "support"), stage=3),
    LetterKind("la-notification", "la-notification",
               "Notification of low attendance", "attendance", "local-authority", "LA",
               (*ATTENDANCE, *NOTIFICATION),
               ("pupil_name", "notify_from", "notify_to", "notify_percent", "history",
                "parents")),
)}

FAMILIES: dict[str, tuple[LetterKind, ...]] = {}
for _kind in KINDS.values():
    FAMILIES[_kind.family] = (*FAMILIES.get(_kind.family, ()), _kind)
del _kind

# What each input gives when no --letter is named; missed-you only when asked for.
BY_DEFAULT: dict[Source, tuple[str, ...]] = {
    "attendance": ("agreement-reminder", "follow-up-visit", "attendance-concern",
                   "la-notification"),
    "risk-assessment": ("visit-appointment",),
    "visit-report": ("record-of-agreement", "visit-cancelled"),
}


def family_source(family: str) -> Source:
    return FAMILIES[family][0].source
