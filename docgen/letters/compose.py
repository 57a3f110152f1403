"""From a letter that is due to the ``Letter`` a renderer prints: the placeholders its wording
is given (``kinds``), who it is addressed to, who signs it.

Family letters never carry safeguarding detail: the wording is given the pupil, the dates and
figures, and for a visit its purpose in neutral words (``PURPOSES``), never the reasons written
on a risk assessment, its risks, or anything of the code word. What a visit report says was
agreed goes to the family because it is what they agreed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docgen.config import SchoolConfig
from docgen.documents.document import SchoolHeader
from docgen.letters.due import Due, uk_date, uk_day
from docgen.letters.kinds import KINDS
from docgen.letters.letter import Letter
from docgen.letters.pupils import Household, Pupil, join_names
from docgen.letters.templates import Wording
from docgen.policy.hours import SchoolDay
from docgen.policy.model import Policy
from docgen.register.letters import AgreementEntry, LetterEntry, VisitEntry
from docgen.schemas import RiskAssessment, VisitReport
from docgen.schemas.choices import VisitPurpose

# A visit's purpose as an appointment letter gives it: neutral words, never the details.
PURPOSES: dict[VisitPurpose, str] = {
    VisitPurpose.REFUSING_SCHOOL: "to talk with you about how we can help {f} feel able to "
                                  "come to school",
    VisitPurpose.ATTENDANCE: "to talk with you about {f}'s attendance and how we can help",
    VisitPurpose.ATTENDANCE_SUPPORT: "to talk with you about how we can support {f} to come "
                                     "to school every day",
    VisitPurpose.HOME_EDUCATED: "to talk with you about {f}'s education at home",
    VisitPurpose.NO_CONTACT: "because we have not been able to reach you, and would like to "
                             "talk with you about {f}",
    VisitPurpose.PARENT_MEETING: "to meet you and talk about {f}",
    VisitPurpose.WELFARE_CHECK: "to see you and {f} and talk about how things are going",
    VisitPurpose.COLLECT_OR_DROP_OFF: "to collect or drop off {f}",
    VisitPurpose.WORK_OR_EQUIPMENT: "to bring or collect school work for {f}",
    VisitPurpose.LONG_ABSENCE: "to keep in touch with {f} while {f} is away from school",
    VisitPurpose.SUSPECTED_HOLIDAY: "to talk with you about {f}'s recent absence",
    VisitPurpose.TUTORING: "for {f}'s tutoring",
    VisitPurpose.OTHER: "to talk with you about {f}",
}
TITLES = {"family": "Private and confidential: to the parent or carer of {pupil}",
          "local-authority": "Private and confidential: for the local authority's attendance "
                             "team",
          "headteacher": "Private and confidential: for the headteacher"}


@dataclass(frozen=True)
class Sender:
    """Who signs, and who families contact (school.toml [letters]; the headteacher and the
    main office number when it says nothing)."""

    signatory: str
    signatory_role: str
    contact: str
    contact_role: str
    phone: str
    email: str

    @property
    def contact_line(self) -> str:
        who = f"{self.contact}, {self.contact_role}" if self.contact_role else self.contact
        return f"{who}: {self.phone}" if self.phone else who


def sender(config: SchoolConfig) -> Sender:
    letters, school = config.letters, config.school
    signatory = letters.signatory or school.headteacher or school.name
    role = letters.signatory_role or ("Headteacher" if not letters.signatory else "")
    contact = letters.contact or signatory
    contact_role = letters.contact_role or ("" if letters.contact else role)
    return Sender(signatory, role, contact, contact_role, letters.contact_phone or school.phone,
                  letters.contact_email)


def school_header(config: SchoolConfig) -> SchoolHeader:
    school = config.school
    return SchoolHeader(name=school.name, address=school.address, phone=school.phone,
                        logo=str(school.logo) if school.logo else None, trust=school.trust)


def school_days_after(day: dt.date, count: int, school_day: SchoolDay) -> dt.date:
    """The ``count``-th school day after ``day`` (weekends, closures and holidays skipped)."""
    current = day
    found = 0
    for _ in range(count * 7 + 370):  # never more than a year of holidays
        current += dt.timedelta(days=1)
        if school_day.not_a_school_day(current) is None:
            found += 1
            if found >= count:
                return current
    return current


@dataclass(frozen=True)
class Addressee:
    """Who a letter goes to: the name line(s), the address, the greeting."""

    names: str
    address: tuple[str, ...]
    salutation: str

    @property
    def recipient(self) -> tuple[str, ...]:
        return (self.names, *self.address) if self.names else self.address


def household_addressee(household: Household) -> Addressee:
    return Addressee(household.names, household.address, f"Dear {household.greeting}")


def unnamed_addressee(pupil: str, address: tuple[str, ...] = ()) -> Addressee:
    return Addressee(f"The parent or carer of {pupil}", address, "Dear Parent or Carer")


class Composer:
    """Makes the letters of one run: one school, one policy, one wording."""

    def __init__(self, config: SchoolConfig, policy: Policy, wording: Wording) -> None:
        self.config = config
        self.policy = policy
        self.wording = wording
        self.sender = sender(config)
        self.school = school_header(config)

    def letter(self, due: Due, pupil_name: str, pupil_class: str, to: Addressee,
               facts: dict[str, Any]) -> Letter:
        kind = due.kind
        context = {**self.common(due, pupil_name, pupil_class, to), **due.facts, **facts}
        missing = [name for name in kind.allowed if name not in context]
        if missing:  # a bug in docgen, not in a template
            raise ValueError(f"{kind.name}: no value for {', '.join(missing)}")
        title, body = self.wording.render(kind, context)
        s = self.sender
        audience = kind.audience
        signatory, role = s.signatory, s.signatory_role
        if kind.name == "visit-cancelled":
            signatory = join_names([p["name"] for p in facts.get("staff", ())]) or signatory
            role = "Staff on the visit"
        return Letter(
            kind=kind.name, title=title, school=self.school,
            confidential=TITLES[audience].format(pupil=pupil_name), recipient=to.recipient,
            date=uk_date(due.letter_date), reference=due.reference,
            salutation=to.salutation, body=body, closing="Yours sincerely",
            signatory=signatory, signatory_role=role, pupil=pupil_name,
            contact=s.contact_line,
            marking="" if audience == "family" else self.config.documents.marking,
            audience=audience)

    def common(self, due: Due, pupil_name: str, pupil_class: str,
               to: Addressee) -> dict[str, Any]:
        s = self.sender
        reply = school_days_after(due.letter_date, self.policy.letters.reply_school_days,
                                  self.policy.school_day)
        return {
            "pupil_name": pupil_name, "pupil_forename": forename(pupil_name),
            "pupil_class": pupil_class, "school_name": self.config.school.name,
            "letter_date": uk_date(due.letter_date), "reference": due.reference,
            "addressee_names": to.names, "contact_name": s.contact, "contact_role": s.contact_role,
            "contact_phone": s.phone, "contact_email": s.email, "signatory": s.signatory,
            "signatory_role": s.signatory_role, "reply_by": uk_date(reply),
        }

    # ------------------------------------------------------------ addressees

    def local_authority(self) -> Addressee:
        letters = self.config.letters
        name = letters.local_authority or "The local authority's attendance team"
        address = tuple(p.strip() for p in letters.local_authority_address.split(",")
                        if p.strip())
        return Addressee(name, address, "Dear Colleague")

    def headteacher(self) -> Addressee:
        head = self.config.school.headteacher
        return Addressee(head or "The headteacher", (self.config.school.name,),
                         f"Dear {head}" if head else "Dear Headteacher")


def forename(name: str) -> str:
    parts = name.split()
    return parts[0] if parts else name


# --------------------------------------------------------------------------- attendance facts


def attendance_facts(pupil: Pupil, policy: Policy, config: SchoolConfig,
                     history: Sequence[LetterEntry]) -> dict[str, Any]:
    a = pupil.figures
    c = a.counts
    rules = policy.letters
    window = a.worst_window()
    earlier = [h for h in history if h.letter in ("attendance-concern", "agreement-reminder",
                                                  "follow-up-visit")]
    return {
        "period_from": uk_date(a.start), "period_to": uk_date(a.end),
        "possible": c.possible, "attended": c.attended, "missed": c.missed,
        "authorised": c.authorised, "unauthorised": c.unauthorised,
        "attendance_percent": c.shown(),
        "persistent": c.missing_at_least(rules.persistent_absence_percent),
        "severe": c.missing_at_least(rules.severe_absence_percent),
        "absences": [{"reason": x.reason, "sessions": x.sessions, "authorised": x.authorised}
                     for x in a.absences()],
        "unauthorised_dates": _listed(a.unauthorised_days()),
        "window_unauthorised": a.unauthorised_in_window(),
        "window_weeks": window.weeks if window else rules.window_weeks,
        "window_from": uk_date(window.start) if window else "",
        "window_to": uk_date(window.end) if window else "",
        "penalty_threshold": rules.warning_unauthorised_sessions,
        "support": list(config.letters.support),
        "previous_letters": [{"title": _letter_title(h), "date": uk_date(h.letter_date)}
                             for h in _distinct(earlier)],
        # the agreement's, filled in when one is due
        "agreement_date": "", "agreement_target": "", "since_percent": "",
        "since_possible": 0, "since_attended": 0, "reminder_date": "",
    }


MAX_DAYS_LISTED = 15


def _listed(days: list[tuple[dt.date, tuple[str, ...]]]) -> list[str]:
    """The days a letter lists: the most recent ``MAX_DAYS_LISTED``, after a line saying how
    many came before and from when."""
    shown = [f"{uk_day(day)} ({_halves(halves)})" for day, halves in days[-MAX_DAYS_LISTED:]]
    earlier = len(days) - MAX_DAYS_LISTED
    if earlier <= 0:
        return shown
    return [f"{earlier} earlier day{'s' if earlier != 1 else ''}, from {uk_day(days[0][0])}",
            *shown]


def _halves(halves: tuple[str, ...]) -> str:
    if set(halves) >= {"am", "pm"}:
        return "morning and afternoon"
    return "morning" if "am" in halves else "afternoon"


def _distinct(entries: Sequence[LetterEntry]) -> list[LetterEntry]:
    """One entry per letter (the copies to each household share a reference)."""
    seen: dict[str, LetterEntry] = {}
    for entry in entries:
        seen.setdefault(entry.reference, entry)
    return sorted(seen.values(), key=lambda e: (e.letter_date, e.id))


def _letter_title(entry: LetterEntry) -> str:
    family = entry.letter
    names = [k for k in KINDS.values() if k.family == family
             and (k.stage or None) == (entry.stage or None)]
    title = names[0].title if names else family.replace("-", " ").capitalize()
    return f"{title} (stage {entry.stage})" if entry.stage else title


def notification_facts(pupil: Pupil, config: SchoolConfig, letters: Sequence[LetterEntry],
                       visits: Sequence[VisitEntry],
                       agreements: Sequence[AgreementEntry]) -> dict[str, Any]:
    """What the local authority is told beyond the figures: who the parents are and what the
    school has done, from the register."""
    events: list[tuple[dt.date, str]] = []
    for entry in _distinct(letters):
        if entry.audience == "family":
            events.append((entry.letter_date, f"Letter: {_letter_title(entry)}"))
        elif entry.letter == "la-notification":
            events.append((entry.letter_date, "Notification to the local authority"))
    for visit in visits:
        what = "Home visit" if visit.kind == "visit-report" else "Home visit planned"
        ref = f" ({visit.reference})" if visit.reference else ""
        events.append((visit.visit_date, what + ref))
    for agreement in agreements:
        review = f", to be reviewed on {uk_date(agreement.review_on)}" \
            if agreement.review_on else ""
        events.append((agreement.made_on, f"Attendance agreement made{review}"))
    letters_cfg = config.letters
    return {
        "pupil_dob": uk_date(pupil.date_of_birth), "pupil_upn": pupil.upn,
        "history": [{"date": uk_date(day), "what": what} for day, what in sorted(events)],
        "parents": [{"name": c.formal_name, "relationship": c.relationship,
                     "address": ", ".join(c.address) or "no address held"}
                    for c in pupil.contacts if c.has_responsibility],
        "local_authority": letters_cfg.local_authority or "The local authority's attendance "
                                                          "team",
        "local_authority_address": letters_cfg.local_authority_address,
    }


# --------------------------------------------------------------------------- visit facts


def _staff_of_assessment(ra: RiskAssessment) -> list[dict[str, str]]:
    return [{"name": s.name, "role": s.role or ""} for s in ra.staff]


def assessment_facts(ra: RiskAssessment) -> dict[str, Any]:
    f = forename(ra.pupil_name)
    return {
        "visit_date": uk_day(ra.visit_date),
        "visit_time": ra.planned_start.strftime("%H:%M") if ra.planned_start else "",
        "visit_address": ", ".join(address_lines(ra.address)),
        "staff": _staff_of_assessment(ra),
        "visit_purpose": PURPOSES.get(ra.purpose, PURPOSES[VisitPurpose.OTHER]).format(f=f),
    }


def address_lines(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for line in text.splitlines() for part in line.split(",")
                 if part.strip())


_PREFIX = re.compile(r"^\s*(?:[-•*]\s*)?([A-Za-z][A-Za-z /']{0,30}?)\s*:\s*(.+?)\s*$")
_WHO = {"parent": "agreed_parent", "parents": "agreed_parent", "carer": "agreed_parent",
        "parent/carer": "agreed_parent", "parents/carers": "agreed_parent",
        "family": "agreed_parent", "mum": "agreed_parent", "dad": "agreed_parent",
        "pupil": "agreed_pupil", "child": "agreed_pupil", "student": "agreed_pupil",
        "school": "agreed_school", "academy": "agreed_school",
        "support": "support_offered", "support offered": "support_offered"}


def agreement_parts(text: str | None, pupil: str) -> dict[str, list[str]]:
    """What each side agreed, from lines such as ``Parent: ...``, ``Pupil: ...`` (or the
    pupil's first name), ``School: ...`` and ``Support: ...``; other lines as they are."""
    out: dict[str, list[str]] = {"agreed_parent": [], "agreed_pupil": [], "agreed_school": [],
                                 "agreed_other": [], "support_offered": []}
    first = forename(pupil).casefold()
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        match = _PREFIX.match(line)
        if match:
            who = match.group(1).strip().casefold()
            key = _WHO.get(who) or ("agreed_pupil" if who == first else None)
            if key:
                out[key].append(_sentence(match.group(2)))
                continue
        out["agreed_other"].append(_sentence(line.strip().lstrip("-•* ").strip()))
    return out


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def report_facts(report: VisitReport) -> dict[str, Any]:
    yes_no = {True: "Yes", False: "No", None: "Not recorded"}
    police = "Not recorded"
    if report.threat_police or report.police_called:
        police = "Yes: the police were contacted"
    elif report.threat_police is False or report.police_called is False:
        police = "No: the police were not contacted"
    return {
        "visit_date": uk_day(report.visit_date),
        "visit_time": report.visit_time.strftime("%H:%M"),
        "visit_address": "",
        "staff": [{"name": name, "role": ""} for name in report.staff_attending],
        **agreement_parts(report.agreed, report.pupil_name),
        "review_date": uk_date(report.agreement_review_date),
        "visit_reference": report.visit_reference or "",
        "arrival_time": report.arrival_time.strftime("%H:%M") if report.arrival_time else "",
        "leaving_time": report.leaving_time.strftime("%H:%M") if report.leaving_time else "",
        "what_happened": _lines(report.unusual_details),
        "threatened": yes_no[report.threatened],
        "police": police,
        "reported_in_writing": yes_no[report.safety_reported],
        "next_steps": _lines(report.future_action),
    }


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
