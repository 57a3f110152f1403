"""Which letter is due, and why: the stages as the register says they went, the agreement
letters, the notification to the local authority, and letters from visit forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from docgen.letters.attendance import Attendance, Counts
from docgen.letters.due import assessment_letters, attendance_letters, report_letters
from docgen.letters.pupils import Pupil
from docgen.policy import Policy
from docgen.register.letters import AgreementEntry, LetterEntry
from docgen.schemas import RiskAssessment, VisitReport
from tests.letters.test_attendance import weeks

TODAY = dt.date(2026, 11, 23)
PERIOD = (dt.date(2026, 9, 2), dt.date(2026, 11, 20))


def pupil(possible: int = 100, attended: int = 85, authorised: int = 5,
          unauthorised: int = 10, **kw: Any) -> Pupil:
    return Pupil("Oliver Nowak", Attendance(*PERIOD, Counts(possible, attended, authorised,
                                                            unauthorised), **kw))


def sent(letter: str, stage: int | None, day: dt.date, *, input_hash: str = "earlier",
         ident: int = 1) -> LetterEntry:
    return LetterEntry(ident, 1, "Oliver Nowak", letter, stage, day, f"REF{ident}",
                       "Ms Anna Nowak", "family", "", input_hash, "")


def kinds(decision: Any) -> list[str]:
    return [d.kind.name for d in decision.due]


def test_a_persistently_absent_pupil_is_due_stage_1(att: Policy) -> None:
    decision = attendance_letters(pupil(attended=90, authorised=5, unauthorised=5), att,
                                  today=TODAY)
    assert kinds(decision) == ["attendance-concern-1"]
    reason = decision.due[0].reason
    assert "attendance 90.0% (90 of 100 sessions)" in reason and "persistently absent" in reason
    assert "§3.1" in reason  # the policy's citation


def test_no_letter_above_the_threshold_and_the_manifest_says_why(att: Policy) -> None:
    decision = attendance_letters(pupil(attended=91, authorised=5, unauthorised=4), att,
                                  today=TODAY)
    assert decision.due == []
    assert "not persistently absent" in decision.notes[0]


def test_stage_2_follows_stage_1_after_the_interval(att: Policy) -> None:
    history = [sent("attendance-concern", 1, dt.date(2026, 10, 19))]
    decision = attendance_letters(pupil(), att, today=TODAY, history=history)
    assert kinds(decision) == ["attendance-concern-2"]
    assert "stage 1 sent on 19 October 2026" in decision.due[0].reason
    too_soon = attendance_letters(pupil(), att, today=dt.date(2026, 11, 1), history=history)
    assert too_soon.due == []
    assert "stage 2 is not due before 2 November 2026" in too_soon.notes[0]
    # exactly the interval later: due
    on_the_day = attendance_letters(pupil(), att, today=dt.date(2026, 11, 2), history=history)
    assert kinds(on_the_day) == ["attendance-concern-2"]


def test_the_formal_warning_needs_the_penalty_threshold(att: Policy) -> None:
    history = [sent("attendance-concern", 1, dt.date(2026, 10, 5), ident=1),
               sent("attendance-concern", 2, dt.date(2026, 10, 26), ident=2)]
    nine = attendance_letters(pupil(stated_window_unauthorised=9), att, today=TODAY,
                              history=history)
    assert nine.due == [] and "below the penalty notice threshold of 10" in nine.notes[0]
    ten = attendance_letters(pupil(stated_window_unauthorised=10), att, today=TODAY,
                             history=history)
    assert kinds(ten) == ["attendance-concern-3"]
    unknown = attendance_letters(pupil(), att, today=TODAY, history=history)
    assert unknown.due == [] and "does not give" in unknown.notes[0]
    done = attendance_letters(pupil(stated_window_unauthorised=12), att, today=TODAY,
                              history=[*history, sent("attendance-concern", 3,
                                                      dt.date(2026, 11, 9), ident=3)])
    assert done.due == [] and "Notice to Improve" in done.notes[0]


def test_a_rerun_of_the_same_input_makes_the_same_letter(att: Policy) -> None:
    first = attendance_letters(pupil(), att, today=TODAY, input_hash="row")
    letter = first.due[0]
    made = sent("attendance-concern", 1, TODAY, input_hash="row")
    made = LetterEntry(made.id, 1, made.pupil, made.letter, 1, TODAY, letter.reference,
                       made.addressee, "family", "", "row", "")
    again = attendance_letters(pupil(), att, today=dt.date(2026, 12, 20), history=[made],
                               input_hash="row")
    # the same row again, even weeks later: the same letter, with its first date
    assert kinds(again) == ["attendance-concern-1"]
    assert (again.due[0].letter_date, again.due[0].reference) == (TODAY, letter.reference)
    # a new export: stage 2
    new = attendance_letters(pupil(), att, today=dt.date(2026, 12, 20), history=[made],
                             input_hash="new export")
    assert kinds(new) == ["attendance-concern-2"]


def test_letters_older_than_the_expiry_no_longer_count(att: Policy) -> None:
    history = [sent("attendance-concern", 2, dt.date(2025, 10, 1))]
    assert kinds(attendance_letters(pupil(), att, today=TODAY, history=history)) == \
        ["attendance-concern-1"]


def register_pupil(patterns: list[str], **kw: Any) -> Pupil:
    return Pupil("Oliver Nowak", Attendance.from_register(weeks(*patterns)), **kw)


CLEAN = "/\\/\\/\\/\\/\\"
SHORT = "/\\/\\NNNN/\\"  # 60%


def test_an_agreement_kept_calls_for_nothing_and_one_broken_for_a_reminder(
        westside: Policy) -> None:
    agreed = dt.date(2026, 9, 13)  # the Sunday after the first week
    kept = register_pupil(["NNNNNNNNNN", CLEAN, CLEAN], agreement_date=agreed)
    decision = attendance_letters(kept, westside, today=TODAY)
    # attendance overall is 66.7%, but the agreement is being kept: no concern letter
    assert decision.due == [] and "keeping to the agreement of 13 September" in \
        decision.notes[0]
    broken = register_pupil(["NNNNNNNNNN", CLEAN, SHORT], agreement_date=agreed)
    decision = attendance_letters(broken, westside, today=TODAY)
    assert kinds(decision) == ["agreement-reminder"]
    assert "below its target of 90%" in decision.due[0].reason
    assert decision.due[0].facts["since_percent"] == "80.0%"


def test_the_follow_up_visit_comes_after_a_reminder(westside: Policy) -> None:
    agreed = dt.date(2026, 9, 13)
    broken = register_pupil(["NNNNNNNNNN", CLEAN, SHORT], agreement_date=agreed)
    reminded = [sent("agreement-reminder", None, dt.date(2026, 10, 1))]
    decision = attendance_letters(broken, westside, today=TODAY, history=reminded)
    assert kinds(decision) == ["follow-up-visit"]
    assert decision.due[0].facts["reminder_date"] == "1 October 2026"
    soon = attendance_letters(broken, westside, today=dt.date(2026, 10, 8), history=reminded)
    assert soon.due == [] and "not due before 15 October 2026" in soon.notes[0]
    after = attendance_letters(broken, westside, today=TODAY, history=[
        *reminded, sent("follow-up-visit", None, dt.date(2026, 10, 20), ident=2)])
    assert after.due == [] and "arrange the visit" in after.notes[0]


def test_an_agreement_from_the_register_counts_too(westside: Policy) -> None:
    broken = register_pupil(["NNNNNNNNNN", CLEAN, SHORT])
    agreements = [AgreementEntry("Oliver Nowak", dt.date(2026, 9, 13), None, "HV-1", "")]
    decision = attendance_letters(broken, westside, today=TODAY, agreements=agreements)
    assert kinds(decision) == ["agreement-reminder"]
    # ATT has no agreement letters: the concern stage instead
    from docgen.policy import load_policy

    att = attendance_letters(broken, load_policy("att"), today=TODAY, agreements=agreements)
    assert kinds(att) == ["attendance-concern-1"]


def test_below_70_percent_over_three_months_notifies_the_authority(westside: Policy) -> None:
    # 14 weeks from 7 September to 11 December, 60% in each of the last ten: from 12 September
    # (the last three months) 90 of 130 sessions, 69.2%
    patterns = [CLEAN] * 4 + ["/\\/\\/\\NNNN"] * 10
    low = register_pupil(patterns)
    decision = attendance_letters(low, westside, today=dt.date(2026, 12, 14))
    assert "la-notification" in kinds(decision)
    notice = next(d for d in decision.due if d.kind.name == "la-notification")
    assert notice.facts["notify_from"] == "12 September 2026"
    assert (notice.facts["notify_attended"], notice.facts["notify_possible"],
            notice.facts["notify_percent"]) == (90, 130, "69.2%")
    assert "below 70% over 3 months" in notice.reason
    again = attendance_letters(low, westside, today=dt.date(2026, 12, 14), history=[
        sent("la-notification", None, dt.date(2026, 11, 2))])
    assert "la-notification" not in kinds(again)
    assert any("notified on 2 November 2026" in n for n in again.notes)
    # ATT has no such rule
    from docgen.policy import load_policy

    assert "la-notification" not in kinds(attendance_letters(
        low, load_policy("att"), today=dt.date(2026, 12, 14)))


def test_a_short_register_is_not_judged_on_three_months(westside: Policy) -> None:
    short = register_pupil(["NNNNNNNNNN"] * 3)
    decision = attendance_letters(short, westside, today=TODAY)
    assert "la-notification" not in kinds(decision)
    assert any("not notified yet" in n for n in decision.notes)


def test_only_the_letters_asked_for(westside: Policy) -> None:
    low = register_pupil([CLEAN] * 4 + ["/\\/\\/\\NNNN"] * 10)
    only = attendance_letters(low, westside, today=dt.date(2026, 12, 14),
                              wanted=frozenset({"attendance-concern"}))
    assert kinds(only) == ["attendance-concern-1"]


@pytest.fixture
def ra_form(ra: dict[str, Any]) -> RiskAssessment:
    return RiskAssessment.model_validate(ra)


def test_an_appointment_letter_for_an_announced_authorised_visit_to_come(
        ra: dict[str, Any], att: Policy) -> None:
    form = RiskAssessment.model_validate(ra)
    assert [d.kind.name for d in assessment_letters(form, att, today=TODAY,
                                                    wanted=None).due] == ["visit-appointment"]
    past = assessment_letters(form, att, today=TODAY + dt.timedelta(days=1), wanted=None)
    assert past.due == [] and "has passed" in past.notes[0]
    unannounced = RiskAssessment.model_validate({**ra, "parents_informed": False,
                                                 "unannounced_reason": "Welfare check"})
    assert "unannounced" in assessment_letters(unannounced, att, today=TODAY,
                                               wanted=None).notes[0]
    unauthorised = RiskAssessment.model_validate({**ra, "authorised_by": None})
    assert "not authorised yet" in assessment_letters(unauthorised, att, today=TODAY,
                                                      wanted=None).notes[0]
    missed = assessment_letters(form, att, today=TODAY, wanted=frozenset({"missed-you"}))
    assert [d.kind.name for d in missed.due] == ["missed-you"]


def test_report_letters(report: dict[str, Any], westside: Policy) -> None:
    form = VisitReport.model_validate(report)
    decision = report_letters(form, westside, today=TODAY, wanted=None)
    assert [d.kind.name for d in decision.due] == ["record-of-agreement"]
    unsafe = VisitReport.model_validate({**report, "left_for_safety": True,
                                         "safety_reported": False, "agreed": None})
    decision = report_letters(unsafe, westside, today=TODAY, wanted=None)
    assert [d.kind.name for d in decision.due] == ["visit-cancelled"]
    assert "nothing was agreed" in decision.notes[0]
