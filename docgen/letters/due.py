"""Which letters a record calls for, and why (or why none): the rules of the school's policy
(``Policy.letters``) applied to a pupil's attendance, to a visit's risk assessment or report,
and to what the register says was sent before.

Attendance (at most one letter to the family, and the notification to the authority):

- an **agreement** (Westside: attendance officer visits) whose attendance since falls short of
  its target calls for a reminder, then (no sooner than ``stage_interval_days`` after it) the
  follow-up visit notice; an agreement being kept calls for nothing more;
- otherwise a **persistently absent** pupil (missing ``persistent_absence_percent`` or more)
  is due the next **attendance-concern** stage: 1 (concern), 2 (invitation to meet), 3 (formal
  warning), each no sooner than ``stage_interval_days`` after the last, and the formal warning
  only when unauthorised absence has reached the penalty notice threshold;
- attendance below ``attendance_notify_below`` over ``notify_months`` months calls for the
  **notification to the local authority**, not again within ``notify_again_after_days``.

The register's letters made from this very record (the same input) do not count as earlier
letters: a rerun makes the same letter again, with its first date and reference, so the
pipeline finds it unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from base64 import b32encode
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from docgen.letters.attendance import Counts
from docgen.letters.kinds import FAMILIES, KINDS, LetterKind
from docgen.letters.pupils import Pupil
from docgen.policy.model import Policy
from docgen.register import fold_name
from docgen.register.letters import AgreementEntry, LetterEntry
from docgen.schemas import RiskAssessment, VisitReport


@dataclass(frozen=True)
class Due:
    """A letter that is due: its kind, why, and the date and reference it carries."""

    kind: LetterKind
    reason: str
    letter_date: dt.date
    reference: str
    facts: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass
class Decision:
    due: list[Due] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # why a letter is not due


def uk_date(day: dt.date | None) -> str:
    """``23 November 2026``."""
    return f"{day.day} {day:%B %Y}" if day else ""


def uk_day(day: dt.date) -> str:
    """``Monday 23 November 2026``."""
    return f"{day:%A} {uk_date(day)}"


def reference(prefix: str, kind: LetterKind, day: dt.date, pupil: str) -> str:
    """``AC2-20261123-K7QA``: the letter's code and stage, its date, four characters from the
    pupil's name (the same letter about the same pupil on the same day: the same reference)."""
    digest = hashlib.blake2b(f"{fold_name(pupil)}|{kind.name}".encode(), digest_size=5).digest()
    tail = b32encode(digest).decode()[:4]
    start = f"{prefix}-" if prefix else ""
    return f"{start}{kind.code}{kind.stage or ''}-{day:%Y%m%d}-{tail}"


class Dater:
    """Dates and references for the letters of one record: a letter this record made before
    keeps its date and reference."""

    def __init__(self, today: dt.date, prefix: str, pupil: str,
                 same_input: Sequence[LetterEntry]) -> None:
        self.today = today
        self.prefix = prefix
        self.pupil = pupil
        self.same = same_input

    def due(self, kind: LetterKind, reason: str, facts: dict[str, Any] | None = None) -> Due:
        for entry in self.same:
            if entry.letter == kind.family and (entry.stage or None) == kind.stage:
                return Due(kind, reason, entry.letter_date, entry.reference, facts or {})
        return Due(kind, reason, self.today, reference(self.prefix, kind, self.today,
                                                       self.pupil), facts or {})


def _cite(policy: Policy, family: str) -> str:
    cite = policy.letters.cite.get(family, "")
    return f" ({cite})" if cite else ""


def _shown(counts: Counts) -> str:
    return f"{counts.shown()} ({counts.attended} of {counts.possible} sessions)"


# --------------------------------------------------------------------------- attendance


def attendance_letters(pupil: Pupil, policy: Policy, *, today: dt.date,
                       history: Sequence[LetterEntry] = (),
                       agreements: Sequence[AgreementEntry] = (),
                       wanted: frozenset[str] | None = None, input_hash: str = "",
                       prefix: str = "") -> Decision:
    rules = policy.letters
    want = wanted if wanted is not None else frozenset(FAMILIES)
    same = [h for h in history if h.input_hash == input_hash]
    expiry = today - dt.timedelta(days=rules.stage_expires_days)
    earlier = [h for h in history if h.input_hash != input_hash and h.letter_date >= expiry
               and h.letter_date <= today]
    dater = Dater(today, prefix, pupil.name, same)
    decision = Decision()
    a = pupil.figures
    counts = a.counts
    period = f"{uk_date(a.start)} to {uk_date(a.end)}"
    family_letter = False
    if rules.agreements and want & {"agreement-reminder", "follow-up-visit"}:
        family_letter = _agreement(pupil, policy, earlier, agreements, today, want, dater,
                                   decision)
    if not family_letter and "attendance-concern" in want:
        if counts.missing_at_least(rules.persistent_absence_percent):
            _concern(pupil, policy, earlier, today, dater, decision)
        else:
            decision.notes.append(
                f"attendance {_shown(counts)} from {period}: not persistently absent (missing "
                f"less than {rules.persistent_absence_percent:g}% of sessions); no letter due")
    if policy.attendance_notify_below is not None and "la-notification" in want:
        _notification(pupil, policy, earlier, today, dater, decision)
    return decision


def _agreement(pupil: Pupil, policy: Policy, earlier: list[LetterEntry],
               agreements: Sequence[AgreementEntry], today: dt.date, want: frozenset[str],
               dater: Dater, decision: Decision) -> bool:
    """Reminder or follow-up on an attendance agreement; True when the agreement decides the
    family's letter (one due, or the agreement is being kept)."""
    rules = policy.letters
    made = [d for d in (pupil.agreement_date, *(g.made_on for g in agreements))
            if d is not None and d <= today]
    if not made:
        return False
    agreed = max(made)
    target = pupil.agreement_target or rules.agreement_target_percent
    since = pupil.figures.since(agreed)
    when = uk_date(agreed)
    if since is None:
        decision.notes.append(f"agreement of {when}: the export's figures do not show "
                              "attendance since it (give a session register)")
        return False
    if since.possible < rules.agreement_min_sessions:
        decision.notes.append(f"agreement of {when}: only {since.possible} sessions since; it "
                              f"is judged after {rules.agreement_min_sessions}")
        return True
    facts = {"agreement_date": when, "agreement_target": f"{target:g}%",
             "since_percent": since.shown(), "since_possible": since.possible,
             "since_attended": since.attended, "reminder_date": ""}
    if not since.below(target):
        decision.notes.append(f"keeping to the agreement of {when}: attendance since "
                              f"{_shown(since)}, target {target:g}%; no letter due")
        return True
    shortfall = (f"attendance since the agreement of {when} is {_shown(since)}, below its "
                 f"target of {target:g}%")
    reminders = [h for h in earlier if h.letter == "agreement-reminder" and h.letter_date > agreed]
    followups = [h for h in earlier if h.letter == "follow-up-visit" and h.letter_date > agreed]
    if followups:
        decision.notes.append(f"{shortfall}; the follow-up visit notice was sent on "
                              f"{uk_date(followups[-1].letter_date)}: arrange the visit")
        return True
    if not reminders:
        if "agreement-reminder" in want:
            decision.due.append(dater.due(KINDS["agreement-reminder"], shortfall
                                          + _cite(policy, "agreement-reminder"), facts))
        return True
    last = reminders[-1].letter_date
    facts["reminder_date"] = uk_date(last)
    next_on = last + dt.timedelta(days=rules.stage_interval_days)
    if today < next_on:
        decision.notes.append(f"{shortfall}; reminder sent on {uk_date(last)}: the follow-up "
                              f"visit notice is not due before {uk_date(next_on)}")
        return True
    if "follow-up-visit" in want:
        decision.due.append(dater.due(
            KINDS["follow-up-visit"], f"{shortfall}, still, after the reminder of "
            f"{uk_date(last)}" + _cite(policy, "follow-up-visit"), facts))
    return True


def _concern(pupil: Pupil, policy: Policy, earlier: list[LetterEntry], today: dt.date,
             dater: Dater, decision: Decision) -> None:
    rules = policy.letters
    a = pupil.figures
    counts = a.counts
    missing = counts.missed * 100 / counts.possible
    absent = (f"attendance {_shown(counts)} from {uk_date(a.start)} to {uk_date(a.end)}: "
              f"missing {missing:.1f}% of sessions, "
              + ("severely absent" if counts.missing_at_least(rules.severe_absence_percent)
                 else "persistently absent")
              + f" (DfE: {rules.persistent_absence_percent:g}% or more)")
    sent = [h for h in earlier if h.letter == "attendance-concern" and h.stage]
    stage = 1
    if sent:
        last = max(sent, key=lambda h: (h.letter_date, h.stage or 0, h.id))
        last_stage = last.stage or 1
        next_on = last.letter_date + dt.timedelta(days=rules.stage_interval_days)
        if last_stage >= 3:
            decision.notes.append(
                f"{absent}; the formal warning (stage 3) was sent on "
                f"{uk_date(last.letter_date)}: the next step is the school's decision on a "
                "Notice to Improve or a penalty notice, not a letter")
            return
        if today < next_on:
            decision.notes.append(
                f"{absent}; stage {last_stage} was sent on {uk_date(last.letter_date)}: stage "
                f"{last_stage + 1} is not due before {uk_date(next_on)}")
            return
        stage = last_stage + 1
    if stage == 3:
        window = a.unauthorised_in_window()
        threshold = rules.warning_unauthorised_sessions
        if window is None:
            decision.notes.append(
                f"{absent}; stage 2 was sent: a formal warning needs the unauthorised sessions "
                f"in {rules.window_weeks} school weeks, which the export does not give (give a "
                "session register, or the column 'Unauthorised sessions in the last 10 school "
                "weeks')")
            return
        if window < threshold:
            decision.notes.append(
                f"{absent}; stage 2 was sent, but unauthorised absence ({window} sessions in "
                f"{rules.window_weeks} school weeks) is below the penalty notice threshold of "
                f"{threshold}: no formal warning; continue the support")
            return
        absent += (f"; {window} unauthorised sessions in {rules.window_weeks} school weeks "
                   f"(threshold {threshold})")
    reason = f"stage {stage}: {absent}"
    if sent:
        reason += f"; stage {stage - 1} sent on {uk_date(max(h.letter_date for h in sent))}"
    decision.due.append(dater.due(KINDS[f"attendance-concern-{stage}"],
                                  reason + _cite(policy, "attendance-concern")))


def _notification(pupil: Pupil, policy: Policy, earlier: list[LetterEntry], today: dt.date,
                  dater: Dater, decision: Decision) -> None:
    rules = policy.letters
    below = policy.attendance_notify_below
    assert below is not None
    a = pupil.figures
    months = rules.notify_months
    span = a.last_months(months)
    if span is None:
        if a.counts.below(below):
            decision.notes.append(
                f"attendance is below {below:g}% ({_shown(a.counts)}), but the figures cover "
                f"less than {months} months: the authority is not notified yet")
        return
    start, end, counts = span
    if a.is_register:
        weeks = a.school_weeks_from(start)
        if weeks < rules.notify_min_weeks:
            if counts.below(below):
                decision.notes.append(
                    f"attendance is below {below:g}% ({_shown(counts)}), but the register holds "
                    f"only {weeks} school weeks of the last {months} months: the authority is "
                    "not notified yet")
            return
    if not counts.below(below):
        return
    reason = (f"attendance {_shown(counts)} from {uk_date(start)} to {uk_date(end)} is below "
              f"{below:g}% over {months} months")
    notices = [h for h in earlier if h.letter == "la-notification"]
    if notices:
        last = notices[-1].letter_date
        again = last + dt.timedelta(days=rules.notify_again_after_days)
        if today < again:
            decision.notes.append(f"{reason}; the local authority was notified on "
                                  f"{uk_date(last)} (not again before {uk_date(again)})")
            return
    facts = {"notify_below": f"{below:g}%", "notify_from": uk_date(start),
             "notify_to": uk_date(end), "notify_possible": counts.possible,
             "notify_attended": counts.attended, "notify_percent": counts.shown()}
    decision.due.append(dater.due(KINDS["la-notification"],
                                  reason + _cite(policy, "la-notification"), facts))


# --------------------------------------------------------------------------- visits


def assessment_letters(ra: RiskAssessment, policy: Policy, *, today: dt.date,
                       wanted: frozenset[str] | None, history: Sequence[LetterEntry] = (),
                       input_hash: str = "", prefix: str = "") -> Decision:
    """Before a visit: the appointment letter (if the visit is announced, authorised and
    still to come); the 'sorry we missed you' letter only when asked for."""
    want = wanted if wanted is not None else frozenset({"visit-appointment"})
    dater = Dater(today, prefix, ra.pupil_name,
                  [h for h in history if h.input_hash == input_hash])
    decision = Decision()
    when = uk_day(ra.visit_date)
    if "visit-appointment" in want:
        if ra.parents_informed is False:
            decision.notes.append("an unannounced visit (the assessment says the parents are "
                                  "not told in advance): no appointment letter")
        elif not ra.authorised_by:
            decision.notes.append("the visit is not authorised yet: the appointment letter is "
                                  "made once the authorisation is recorded")
        elif ra.visit_date < today:
            decision.notes.append(f"the visit ({when}) has passed: no appointment letter")
        else:
            decision.due.append(dater.due(KINDS["visit-appointment"], f"a visit on {when}"
                                          + _cite(policy, "visit-appointment")))
    if "missed-you" in want:
        decision.due.append(dater.due(KINDS["missed-you"], f"to leave if nobody is home on "
                                      f"{when}" + _cite(policy, "missed-you")))
    return decision


def report_letters(report: VisitReport, policy: Policy, *, today: dt.date,
                   wanted: frozenset[str] | None, history: Sequence[LetterEntry] = (),
                   input_hash: str = "", prefix: str = "") -> Decision:
    """After a visit: the record of what was agreed, and the written report to the
    headteacher of a visit cancelled or ended for staff safety."""
    want = wanted if wanted is not None else frozenset({"record-of-agreement",
                                                        "visit-cancelled"})
    dater = Dater(today, prefix, report.pupil_name,
                  [h for h in history if h.input_hash == input_hash])
    decision = Decision()
    when = uk_date(report.visit_date)
    if "record-of-agreement" in want:
        if report.anyone_home and report.agreed:
            decision.due.append(dater.due(KINDS["record-of-agreement"],
                                          f"agreement made on the visit of {when}"
                                          + _cite(policy, "record-of-agreement")))
        elif not report.anyone_home:
            decision.notes.append(f"nobody was home on {when}: no agreement to record")
        else:
            decision.notes.append(f"nothing was agreed on the visit of {when} (the report's "
                                  "'What was agreed?' is blank)")
    if "visit-cancelled" in want and report.left_for_safety:
        decision.due.append(dater.due(KINDS["visit-cancelled"],
                                      f"the visit of {when} was cancelled or ended for staff "
                                      "safety" + _cite(policy, "visit-cancelled")))
    return decision
