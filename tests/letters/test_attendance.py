"""The attendance arithmetic, against figures worked out by hand: every code group, the
percentage and its rounding, the thresholds at their edges, the rolling ten school weeks and
the last three months."""

from __future__ import annotations

import datetime as dt

import pytest

from docgen.letters.attendance import Attendance, Counts, Session, months_before, percent_text
from docgen.letters.codes import CODES, Group, UnknownCode, group, split_marks

MONDAY = dt.date(2026, 9, 7)


def week(start: dt.date, marks: str) -> list[Session]:
    """Ten marks (Monday am to Friday pm) for the week starting ``start``."""
    codes = split_marks(marks)
    assert len(codes) == 10, marks
    return [Session(start + dt.timedelta(days=i // 2), "am" if i % 2 == 0 else "pm", code)
            for i, code in enumerate(codes)]


def weeks(*patterns: str, start: dt.date = MONDAY) -> list[Session]:
    out: list[Session] = []
    for i, marks in enumerate(patterns):
        out += week(start + dt.timedelta(weeks=i), marks)
    return out


def test_every_code_falls_in_its_group() -> None:
    expected = {
        Group.PRESENT: "/ \\ L", Group.ELSEWHERE: "K V P W B",
        Group.AUTHORISED: "C C1 C2 E I J1 M R S T", Group.UNAUTHORISED: "G N O U",
        Group.NOT_POSSIBLE: "Q Y1 Y2 Y3 Y4 Y5 Y6 Y7 D X Z #",
    }
    for g, codes in expected.items():
        assert {group(c) for c in codes.split()} == {g}
    assert sum(len(c.split()) for c in expected.values()) == len(CODES)


def test_each_group_counts_as_the_guidance_says() -> None:
    # 2 present, 2 elsewhere (counted present), 2 authorised, 2 unauthorised, 2 not possible
    sessions = week(MONDAY, "/\\ KV IM NG #Y4")
    counts = Attendance.from_register(sessions).counts
    assert counts == Counts(possible=8, attended=4, authorised=2, unauthorised=2)
    assert counts.missed == 4 and counts.percent == 50.0


def test_marks_in_a_cell_are_read_two_character_codes_first() -> None:
    assert split_marks("/\\") == ["/", "\\"]
    assert split_marks("NC1") == ["N", "C1"]
    assert split_marks("y7 j1") == ["Y7", "J1"]
    assert split_marks("/,N") == ["/", "N"]
    assert split_marks("- /") == ["-", "/"]
    with pytest.raises(UnknownCode) as error:
        split_marks("/A")
    assert error.value.code == "A"
    with pytest.raises(UnknownCode):
        split_marks("C9")


def test_a_percentage_is_rounded_half_up_for_letters_but_compared_exactly() -> None:
    assert percent_text(84.25) == "84.3%"
    assert percent_text(2 / 3 * 100) == "66.7%"
    assert percent_text(100.0) == "100.0%"
    # 139 of 199 is 69.849...%: shown as 69.8%, below 70
    assert Counts(199, 139, 0, 60).below(70)
    # 140 of 200 is exactly 70%: not below
    assert not Counts(200, 140, 0, 60).below(70)
    # 1399 of 1999 is 69.98%, shown as 70.0% but still below 70
    low = Counts(1999, 1399, 0, 600)
    assert low.shown() == "70.0%" and low.below(70)


def test_persistent_and_severe_absence_at_their_edges() -> None:
    # missing exactly 10% (attendance 90.0%) is persistent absence (DfE: 10% or more)
    assert Counts(100, 90, 10, 0).missing_at_least(10)
    assert not Counts(1000, 901, 99, 0).missing_at_least(10)  # 9.9% missed
    assert Counts(100, 50, 25, 25).missing_at_least(50)  # exactly half: severe
    assert not Counts(100, 51, 49, 0).missing_at_least(50)
    assert not Counts(0, 0, 0, 0).missing_at_least(10)  # nothing possible: nothing missed


def test_absences_are_listed_by_reason() -> None:
    sessions = week(MONDAY, "II IM NN G/ /\\")
    absences = Attendance.from_register(sessions).absences()
    assert [(a.code, a.sessions, a.authorised) for a in absences] == [
        ("I", 3, True), ("M", 1, True), ("N", 2, False), ("G", 1, False)]
    days = Attendance.from_register(sessions).unauthorised_days()
    assert days == [(MONDAY + dt.timedelta(days=2), ("am", "pm")),
                    (MONDAY + dt.timedelta(days=3), ("am",))]


def test_the_rolling_window_takes_the_worst_ten_school_weeks() -> None:
    clean = "/\\/\\/\\/\\/\\"
    # 12 weeks: unauthorised N in weeks 1 (4), 6 (3) and 12 (4)
    patterns = [clean] * 12
    patterns[0] = "NNNN/\\/\\/\\"
    patterns[5] = "NNN\\/\\/\\/\\"
    patterns[11] = "NNNN/\\/\\/\\"
    attendance = Attendance.from_register(weeks(*patterns))
    window = attendance.worst_window()
    assert window is not None
    # weeks 1-10 hold 7, weeks 2-11 hold 3, weeks 3-12 hold 7: the earliest of the worst
    assert (window.unauthorised, window.weeks, window.start) == (7, 10, MONDAY)
    assert attendance.unauthorised_in_window() == 7


def test_weeks_without_a_possible_session_are_not_school_weeks() -> None:
    clean = "/\\/\\/\\/\\/\\"
    # weeks 1 and 11 each hold 5 unauthorised sessions, ten calendar weeks apart; between them
    # a whole week of planned closure (#) is not a school week: the two fall in one window
    patterns = ["NNNNN\\/\\/\\"] + [clean] * 4 + ["##########"] + [clean] * 4 + \
        ["NNNNN\\/\\/\\"]
    attendance = Attendance.from_register(weeks(*patterns))
    assert attendance.worst_window() is not None
    assert attendance.unauthorised_in_window() == 10
    # without the closure week counted out, they would be eleven school weeks apart
    patterns[5] = clean
    assert Attendance.from_register(weeks(*patterns)).unauthorised_in_window() == 5


def test_a_register_shorter_than_the_window_is_one_window() -> None:
    attendance = Attendance.from_register(weeks("NNNNNNNNNN", "NNNNN\\/\\/\\"))
    window = attendance.worst_window()
    assert window is not None and (window.weeks, window.unauthorised) == (2, 15)


def test_summary_figures_give_no_window_unless_the_export_does() -> None:
    summary = Attendance(dt.date(2026, 9, 1), dt.date(2026, 12, 11), Counts(100, 80, 5, 15))
    assert summary.worst_window() is None and summary.unauthorised_in_window() is None
    stated = Attendance(dt.date(2026, 9, 1), dt.date(2026, 12, 11), Counts(100, 80, 5, 15),
                        stated_window_unauthorised=12)
    assert stated.unauthorised_in_window() == 12


def test_the_last_three_months_start_the_day_after_the_same_date() -> None:
    assert months_before(dt.date(2026, 12, 11), 3) == dt.date(2026, 9, 11)
    assert months_before(dt.date(2026, 5, 31), 3) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2027, 1, 15), 3) == dt.date(2026, 10, 15)
    # a register from Monday 7 September; its last day Friday 11 December
    patterns = ["NNNNNNNNNN", "NNNNNNNNNN"] + ["/\\/\\/\\/\\/\\"] * 12 + ["/\\/\\/\\/\\/\\"]
    attendance = Attendance.from_register(weeks(*patterns))
    assert attendance.end == dt.date(2026, 12, 18)
    span = attendance.last_months(3)
    assert span is not None
    start, end, counts = span
    assert start == dt.date(2026, 9, 19) and end == dt.date(2026, 12, 18)
    # the first two weeks (all N) are outside the three months: 13 clean weeks remain
    assert counts == Counts(130, 130, 0, 0)
    assert attendance.covers_months(3)


def test_summary_figures_count_for_three_months_only_when_they_cover_them() -> None:
    short = Attendance(dt.date(2026, 9, 2), dt.date(2026, 11, 20), Counts(112, 70, 2, 40))
    assert short.last_months(3) is None
    covering = Attendance(dt.date(2026, 9, 2), dt.date(2026, 12, 2), Counts(126, 80, 6, 40))
    assert covering.last_months(3) == (dt.date(2026, 9, 2), dt.date(2026, 12, 2),
                                       covering.counts)


def test_attendance_since_an_agreement_counts_the_days_after_it() -> None:
    attendance = Attendance.from_register(weeks("NNNNNNNNNN", "/\\/\\/\\NNNN"))
    since = attendance.since(MONDAY + dt.timedelta(days=7))  # the second Monday
    assert since == Counts(8, 4, 0, 4)  # Tuesday to Friday of the second week
    summary = Attendance(dt.date(2026, 11, 2), dt.date(2026, 11, 20), Counts(30, 20, 0, 10))
    assert summary.since(dt.date(2026, 11, 1)) == summary.counts
    assert summary.since(dt.date(2026, 11, 5)) is None  # the figures start before it
