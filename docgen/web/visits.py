"""What happens to a form on the web: checked as it is typed, submitted, authorised or returned
by the person the policy names (recorded from their login, never typed), and seen on the
office's check-in board on the day of the visit.

The checks are docgen's own (``validate_record`` with the school's policy); the board's calls
are the check-in sheet's (``docgen.documents.checkins``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from docgen.documents.checkins import (
    Authorisation,
    authorisation,
    call_times,
    schedule_for,
    visit_name,
    visit_window,
)
from docgen.documents.context import Words
from docgen.policy import Policy
from docgen.policy.assessments import AssessmentIndex, AssessmentSummary
from docgen.report import Issue, Location, RecordResult, Severity
from docgen.schemas import FORMS, FormModel, RiskAssessment, VisitReport
from docgen.schemas.choices import AuthoriserRole, RiskLevel
from docgen.schemas.types import display
from docgen.validation import validate_record
from docgen.web.auth import AUTHORISER_ROLES
from docgen.web.forms import RECORDED_FROM_LOGIN, issue_name, nested
from docgen.web.store import Record, RecordStore, User

KINDS: dict[str, type[FormModel]] = {RiskAssessment.form_name: RiskAssessment,
                                     VisitReport.form_name: VisitReport}
STATUS = {
    "draft": "Draft",
    "submitted": "Waiting for authorisation",
    "returned": "Returned for changes",
    "authorised": "Authorised",
    "filed": "Filed",
}
OVERDUE_AFTER = dt.timedelta(minutes=5)  # a call not recorded this long after it is due


@dataclass
class Checked:
    """A form's answers after docgen's checks."""

    record: RecordResult
    pending: list[Issue]  # about what the authoriser records on the web, not the staff member

    @property
    def form(self) -> FormModel | None:
        return self.record.form

    @property
    def issues(self) -> list[Issue]:
        return self.record.issues

    @property
    def blocking(self) -> list[Issue]:
        return [i for i in self.record.issues if i.blocks]


def check(store: RecordStore, record: Record, policy: Policy, today: dt.date,
          extra: dict[str, str] | None = None) -> Checked:
    """Check a stored form's answers (with ``extra`` answers laid over them). A report is
    checked against the risk assessment of its visit, when it has one."""
    model = KINDS[record.kind]
    values = {**record.data, **(extra or {})}
    data = nested(model, values)
    assessments = None
    if record.kind == VisitReport.form_name and record.visit:
        ra = store.record(record.visit)
        if ra is not None:
            parsed = check(store, ra, policy, today).form
            if isinstance(parsed, RiskAssessment):
                assessments = AssessmentIndex()
                assessments.add(AssessmentSummary.of(parsed, Location(file="risk assessment")))
    result = validate_record(data, policy, today=today, source=model.form_title,
                             assessments=assessments)
    pending: list[Issue] = []
    login = RECORDED_FROM_LOGIN.get(record.kind, frozenset())
    if record.status in ("draft", "returned", "submitted") and login:
        kept: list[Issue] = []
        for issue in result.issues:
            first = issue_name(issue).split(".")[0]
            (pending if first in login else kept).append(issue)
        result.issues = kept
    return Checked(result, pending)


def visit_date_of(checked: Checked) -> str | None:
    form = checked.form
    return form.visit_date.isoformat() if form is not None else None


def welfare_of(checked: Checked) -> bool:
    form = checked.form
    return isinstance(form, VisitReport) and bool(form.welfare_concerns)


# --------------------------------------------------------------------------- authorising


def can_authorise(user: User, policy: Policy) -> bool:
    role = AUTHORISER_ROLES.get(user.role)
    return role is not None and role in policy.authorising_roles


def needs_permission(policy: Policy) -> bool:
    """Whether a high-risk visit needs the Principal's / headteacher's permission."""
    return any(policy.setting(rule) is not None
               for rule in ("ra.high-risk-permission", "ra.high-risk-refused"))


def can_permit(user: User) -> bool:
    return user.role == "headteacher"


def authorisation_answers(record: Record, user: User, policy: Policy, today: dt.date,
                          *, authorise: bool, permit: bool) -> dict[str, str]:
    """The answers the web records from a login: who authorised, in which role, on which day;
    for a high-risk visit, the headteacher's permission."""
    out: dict[str, str] = {}
    if authorise:
        role = AUTHORISER_ROLES[user.role]
        out.update({"authorised_by": user.name, "authoriser_role": role.value,
                    "authorised_on": display(today)})
        if record.data.get("overall_risk") in (RiskLevel.MEDIUM.value, RiskLevel.HIGH.value):
            out.update({"approved_by": user.name, "approved_on": display(today)})
    if permit:
        out.update({"principal_permission": "yes", "principal_name": user.name})
    return out


def status_after(form: RiskAssessment, policy: Policy) -> Authorisation:
    return authorisation(form, policy)


def role_label(role: AuthoriserRole) -> str:
    return role.label


# --------------------------------------------------------------------------- the board


@dataclass
class Call:
    due: dt.datetime
    what: str  # "office calls", "staff call in", "back safely"
    made: str = ""  # "10:12 by Olu Office"
    state: str = "later"  # later, due, overdue, made

    @property
    def key(self) -> str:
        return self.due.isoformat(timespec="minutes")


@dataclass
class BoardVisit:
    record: Record
    name: str
    form: RiskAssessment
    status: Authorisation
    calls: list[Call] = field(default_factory=list)
    outside_hours: str = ""

    @property
    def overdue(self) -> list[Call]:
        return [c for c in self.calls if c.state == "overdue"]

    @property
    def next_call(self) -> Call | None:
        return next((c for c in self.calls if c.state in ("due", "overdue", "later")), None)


def missed_call_advice(visit: BoardVisit, policy: Policy) -> str:
    """What the policy says to do about a missed check-in."""
    who = "; ".join(f"{m.name} on {m.mobile}" if m.mobile else m.name for m in visit.form.staff)
    head = Words(policy.wording)("the headteacher")  # "the Principal" at an ATT academy
    return (f"Call {who} now. If they cannot be contacted or located, tell {head} at once. "
            "Call the police (999) if there is concern for their welfare.")


def board(store: RecordStore, policy: Policy, now: dt.datetime,
          names: Callable[[int], str]) -> list[BoardVisit]:
    """Today's visits (submitted or authorised), earliest first, each with its calls."""
    today = now.date()
    schedule = schedule_for(policy)
    visits: list[BoardVisit] = []
    records = store.records(kind=RiskAssessment.form_name, visit_date=today.isoformat(),
                            statuses=("submitted", "authorised"))
    parsed: list[tuple[Record, RiskAssessment]] = []
    for record in records:
        form = check(store, record, policy, today).form
        if isinstance(form, RiskAssessment):
            parsed.append((record, form))
    parsed.sort(key=lambda p: (p[1].planned_start is None, p[1].planned_start or dt.time(0)))
    for index, (record, form) in enumerate(parsed, start=1):
        visit = BoardVisit(record, visit_name(form, index), form, authorisation(form, policy))
        window = visit_window(form)
        made = store.calls(record.id)
        if window is not None:
            begin, end = window
            due = call_times(begin, end, schedule)
            whats = ["office calls"] + ["staff call in"] * (len(due) - 1)
            for moment, what in [*zip(due, whats, strict=True), (end, "back safely")]:
                call = Call(moment, what)
                if call.key in made:
                    at, by = made[call.key]
                    call.made = f"{at[11:16]} by {names(by)}"
                    call.state = "made"
                elif now > moment + OVERDUE_AFTER:
                    call.state = "overdue"
                elif now >= moment:
                    call.state = "due"
                visit.calls.append(call)
        visits.append(visit)
    return visits


def record_label(record: Record, checked: Checked | None = None) -> str:
    """A short name for a record on a list: the pupil and the date, as typed."""
    pupil = record.data.get("pupil_name", "").strip() or "(no pupil named yet)"
    date = record.data.get("visit_date", "").strip()
    return f"{pupil}, {date}" if date else pupil


def kind_title(kind: str) -> str:
    return FORMS[kind].form_title


def form_issue(message: str) -> Issue:
    return Issue("web", Severity.ERROR, message, Location(file="web"))


# Blank answers: not shown as errors beside their fields until a submission is tried (a new
# form is not a page of red), only counted.
UNANSWERED = frozenset({"required", "too-few"})


def unanswered(issue: Issue) -> bool:
    return issue.code in UNANSWERED


def summary_counts(issues: Sequence[Issue]) -> tuple[int, int, int]:
    """Questions still to answer, errors to put right, warnings to check."""
    missing = sum(1 for i in issues if unanswered(i))
    errors = sum(1 for i in issues if i.is_error) - missing
    return missing, errors, len(issues) - errors - missing
