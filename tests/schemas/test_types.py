"""The field types: what a person may type, what it becomes, and how a refusal says what to do.

Each type is exercised through pydantic (``TypeAdapter``), as a form field would be, so the
error type asserted is the one that becomes docgen's issue code.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from docgen.schemas.choices import Likelihood, RiskLevel, VisitPurpose
from docgen.schemas.types import (
    UPN,
    ClockTime,
    Line,
    Name,
    Percent,
    Phone,
    Registration,
    Text,
    UKDate,
    YesNo,
    blank_text,
    display,
    upn_check_letter,
)

_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def parse(tp: Any, raw: Any) -> Any:
    adapter = _ADAPTERS.setdefault(tp, TypeAdapter(tp))
    return adapter.validate_python(raw)


def refusal(tp: Any, raw: Any) -> tuple[str, str]:
    """The error type and message for a value the type must refuse."""
    with pytest.raises(ValidationError) as caught:
        parse(tp, raw)
    errors = caught.value.errors()
    assert len(errors) == 1
    return errors[0]["type"], errors[0]["msg"]


# --------------------------------------------------------------------------- dates

D = dt.date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("03/04/2026", D(2026, 4, 3)),  # day first: 3 April, never 4 March
        ("3/4/2026", D(2026, 4, 3)),
        ("12/01/2026", D(2026, 1, 12)),
        ("3/4/26", D(2026, 4, 3)),  # two-digit year
        ("01/01/00", D(2000, 1, 1)),
        ("03-04-2026", D(2026, 4, 3)),
        ("03.04.2026", D(2026, 4, 3)),
        ("  03/04/2026  ", D(2026, 4, 3)),
        ("29/02/2028", D(2028, 2, 29)),  # a leap day
        ("2026-04-03", D(2026, 4, 3)),  # ISO
        ("2026-4-3", D(2026, 4, 3)),
        ("2026-04-03T00:00:00", D(2026, 4, 3)),  # ISO date-time at midnight
        ("2026-04-03 00:00", D(2026, 4, 3)),
        ("3 April 2026", D(2026, 4, 3)),
        ("3rd April 2026", D(2026, 4, 3)),
        ("21st September 2026", D(2026, 9, 21)),
        ("3 Apr 2026", D(2026, 4, 3)),
        ("3 apr. 2026", D(2026, 4, 3)),
        ("3 Sept 2026", D(2026, 9, 3)),
        ("3 April, 2026", D(2026, 4, 3)),
        ("3 APRIL 2026", D(2026, 4, 3)),
        (dt.datetime(2026, 4, 3, 0, 0), D(2026, 4, 3)),  # an Excel date cell
        (D(2026, 4, 3), D(2026, 4, 3)),
    ],
)
def test_uk_date_accepts(raw: Any, expected: dt.date) -> None:
    assert parse(UKDate, raw) == expected


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("11/23/2026", ["day/month", "month first", "no month 23"]),
        ("13/13/2026", ["day/month", "no month 13"]),
        ("31/02/2026", ["no day 31"]),
        ("29/02/2027", ["no day 29"]),
        ("31/04/2026", ["no day 31"]),
        ("2026-13-01", ["month"]),
        ("April 3 2026", []),  # month first in words: not a UK date
        ("3 Smarch 2026", []),
        ("tomorrow", []),
        ("03/04", []),
        ("", []),
        ("2026-04-03T10:00", []),
        (dt.datetime(2026, 4, 3, 10, 30), ["time of day"]),
        (46115, []),  # an Excel serial number, not a date cell
        (True, []),
        (dt.time(10, 0), []),
    ],
)
def test_uk_date_refuses_and_says_how_to_fix(raw: Any, says: list[str]) -> None:
    kind, message = refusal(UKDate, raw)
    assert kind == "date"
    assert "DD/MM/YYYY" in message and "03/04/2026 for 3 April 2026" in message
    for words in says:
        assert words in message


def test_month_first_date_is_never_silently_swapped() -> None:
    # 04/03/2026 could be 4 March (UK) or 3 April (US): docgen always reads it day first
    assert parse(UKDate, "04/03/2026") == D(2026, 3, 4)


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31)))
def test_any_date_written_day_first_parses_back(day: dt.date) -> None:
    assert parse(UKDate, day.strftime("%d/%m/%Y")) == day
    assert parse(UKDate, day.isoformat()) == day
    assert parse(UKDate, f"{day.day} {day.strftime('%B')} {day.year}") == day


@pytest.mark.parametrize("text", ["01/01/0001", "01/01/0026", "31/12/9999", "1899-12-31",
                                  "1 January 2101"])
def test_years_out_of_range_are_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="out of range"):
        parse(UKDate, text)


def test_a_number_for_a_date_is_called_an_excel_serial_number() -> None:
    with pytest.raises(ValidationError, match="Excel date serial number"):
        parse(UKDate, 46337)


@pytest.mark.parametrize("text", ["+()", "+-", "+1", "+12 345"])
def test_overseas_numbers_need_real_digits(text: str) -> None:
    with pytest.raises(ValidationError, match="not a phone number"):
        parse(Phone, text)


PIVOT = dt.date.today().year % 100 + 1  # two-digit years up to next year are 20xx


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2000 + PIVOT, 12, 31)))
def test_two_digit_years_up_to_next_year_are_this_century(day: dt.date) -> None:
    assert parse(UKDate, day.strftime("%d/%m/%y")) == day


@given(st.dates(min_value=D(1901 + PIVOT, 1, 1), max_value=D(1999, 12, 31)))
def test_later_two_digit_years_are_the_last_century(day: dt.date) -> None:
    # a birth date typed 01/05/99 is 1999, never 2099
    assert parse(UKDate, day.strftime("%d/%m/%y")) == day


# --------------------------------------------------------------------------- times

T = dt.time


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("14:30", T(14, 30)),
        ("14.30", T(14, 30)),
        ("9:05", T(9, 5)),
        ("09:05", T(9, 5)),
        ("00:00", T(0, 0)),
        ("23:59", T(23, 59)),
        ("14:30:59", T(14, 30)),  # seconds dropped
        ("2:30pm", T(14, 30)),
        ("2.30pm", T(14, 30)),
        ("2pm", T(14, 0)),
        ("2 pm", T(14, 0)),
        ("2:30 PM", T(14, 30)),
        ("2:30 p.m.", T(14, 30)),
        ("9am", T(9, 0)),
        ("12am", T(0, 0)),
        ("12pm", T(12, 0)),
        ("12:15am", T(0, 15)),
        ("noon", T(12, 0)),
        ("Midday", T(12, 0)),
        ("midnight", T(0, 0)),
        ("  10:30  ", T(10, 30)),
        (0.5, T(12, 0)),  # Excel stores a time as a fraction of a day
        (0.6041666667, T(14, 30)),
        (0.0, T(0, 0)),
        (T(14, 30, 15), T(14, 30)),  # an Excel time cell
        (dt.datetime(1899, 12, 30, 14, 30), T(14, 30)),  # a time cell read as a date-time
        (dt.datetime(2026, 11, 20, 14, 30), T(14, 30)),  # date and time typed together
        (dt.timedelta(hours=9, minutes=45), T(9, 45)),  # a cell formatted [h]:mm
    ],
)
def test_clock_time_accepts(raw: Any, expected: dt.time) -> None:
    assert parse(ClockTime, raw) == expected


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("25:00", []),
        ("12:60", []),
        ("13pm", ["12-hour"]),
        ("0am", ["12-hour"]),
        ("14:30pm", ["12-hour"]),
        ("14", ["minutes", "am/pm"]),  # 14:00 or 2pm? ask, do not guess
        ("1430", []),
        ("half two", []),
        ("", []),
        (1.5, []),  # a day and a half is not a time of day
        (-0.25, []),
        (True, []),
        (dt.timedelta(days=1, hours=2), ["day or more"]),
        (dt.datetime(1903, 11, 30), ["date, not a time"]),  # 1430 typed into a time cell
        (dt.datetime(2026, 11, 20), ["date, not a time"]),
    ],
)
def test_clock_time_refuses_and_says_how_to_fix(raw: Any, says: list[str]) -> None:
    kind, message = refusal(ClockTime, raw)
    assert kind == "time"
    assert "Type a time such as 14:30 or 2:30pm" in message
    for words in says:
        assert words in message


@given(st.times())
def test_any_time_written_hh_mm_parses_back(moment: dt.time) -> None:
    minute = moment.replace(second=0, microsecond=0)
    assert parse(ClockTime, moment.strftime("%H:%M")) == minute
    assert parse(ClockTime, moment.strftime("%I:%M%p")) == minute
    assert parse(ClockTime, moment.strftime("%I:%M %p").lower()) == minute


def test_clock_time_is_written_24_hour_in_json() -> None:
    adapter = TypeAdapter(ClockTime)
    assert adapter.dump_python(T(14, 5), mode="json") == "14:05"


# --------------------------------------------------------------------------- yes / no

YES = ["yes", "Yes", "YES", "yEs", "y", "Y", "true", "TRUE", "True", "t", "1", "x", "X", "✓",
       " Yes ", True, 1, 1.0]
NO = ["no", "No", "NO", "nO", "n", "N", "false", "FALSE", "False", "f", "0", " no ", False, 0,
      0.0]


@pytest.mark.parametrize("raw", YES)
def test_yes(raw: Any) -> None:
    assert parse(YesNo, raw) is True


@pytest.mark.parametrize("raw", NO)
def test_no(raw: Any) -> None:
    assert parse(YesNo, raw) is False


@pytest.mark.parametrize("raw", ["maybe", "yes please", "on", "2", 2, 0.5, "", "Ja", None])
def test_yes_no_refuses(raw: Any) -> None:
    kind, message = refusal(YesNo, raw)
    assert kind == "yes_no"
    assert message.endswith("Type Yes or No.")
    assert f"'{raw}'" in message


# --------------------------------------------------------------------------- choices


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("very_likely", Likelihood.VERY_LIKELY),  # the JSON code
        ("Very Likely", Likelihood.VERY_LIKELY),  # the printed label
        ("very likely", Likelihood.VERY_LIKELY),
        ("VERY LIKELY", Likelihood.VERY_LIKELY),
        ("  Very   Likely ", Likelihood.VERY_LIKELY),
        ("very-likely", Likelihood.VERY_LIKELY),
        ("Remote Possibility", Likelihood.REMOTE),
        ("remote", Likelihood.REMOTE),
        (Likelihood.POSSIBLE, Likelihood.POSSIBLE),
    ],
)
def test_choice_matches_label_or_code_in_any_case(raw: Any, expected: Likelihood) -> None:
    assert parse(Likelihood, raw) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Attendance issues or concerns", VisitPurpose.ATTENDANCE),
        ("attendance issues or concerns", VisitPurpose.ATTENDANCE),
        ("Supporting parents/carers to improve attendance", VisitPurpose.ATTENDANCE_SUPPORT),
        ("Other (give details)", VisitPurpose.OTHER),
        ("welfare_check", VisitPurpose.WELFARE_CHECK),
    ],
)
def test_choice_with_punctuation_in_its_label(raw: str, expected: VisitPurpose) -> None:
    assert parse(VisitPurpose, raw) is expected


@pytest.mark.parametrize("raw", ["extreme", "lo", "Low risk", ""])
def test_choice_refuses_and_lists_the_choices(raw: str) -> None:
    kind, message = refusal(RiskLevel, raw)
    assert kind == "choice"
    assert message == f"'{raw}' is not one of the choices. Pick one of: Low; Medium; High."


def test_choice_carries_its_label() -> None:
    assert RiskLevel.HIGH.value == "high" and RiskLevel.HIGH.label == "High"
    assert Likelihood.labels() == ["Remote Possibility", "Possible", "Likely", "Very Likely"]


# --------------------------------------------------------------------------- phone numbers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("07700 900123", "07700 900123"),  # kept as written
        ("07700900123", "07700900123"),
        ("  07700   900123 ", "07700 900123"),
        ("+44 7700 900123", "+44 7700 900123"),
        ("+447700900123", "+447700900123"),
        ("(0161) 496 0000", "(0161) 496 0000"),
        ("0161-496-0000", "0161-496-0000"),
        ("01632 96000", "01632 96000"),  # 10-digit numbers exist
        ("+33 1 23 45 67 89", "+33 1 23 45 67 89"),  # overseas: accepted as written
        (7700900123, "07700900123"),  # a numeric cell lost the leading zero: put it back
        (7700900123.0, "07700900123"),
        (1614960000, "01614960000"),
    ],
)
def test_phone_accepts(raw: Any, expected: str) -> None:
    assert parse(Phone, raw) == expected


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("abc", "07700 900123"),
        ("07700 9OO123", "07700 900123"),  # letter O for zero
        ("0770", "11 digits starting with 0"),
        ("077009001234567", "11 digits starting with 0"),
        ("7700900123", "11 digits starting with 0"),  # as text: not guessed
        ("+44 12", "11 digits starting with 0"),
        (7700900123.5, "not a phone number"),
    ],
)
def test_phone_refuses(raw: Any, says: str) -> None:
    kind, message = refusal(Phone, raw)
    assert kind == "phone"
    assert says in message


def test_blank_phone_counts_as_not_given() -> None:
    # the parser turns blank into None, which a required field then reports as missing
    with pytest.raises(ValidationError) as caught:
        parse(Phone, "   ")
    assert caught.value.errors()[0]["input"] is None


# --------------------------------------------------------------------------- UPN


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("B801200005001", "B801200005001"),  # the DfE's worked example
        ("b801200005001", "B801200005001"),
        ("B801 2000 0500 1", "B801200005001"),
        ("A123456789012", "A123456789012"),  # the example in docgen's own message
        ("M80120000500A", "M80120000500A"),  # temporary UPN: ends in a letter
        ("B80120000500B", "B80120000500B"),
    ],
)
def test_upn_accepts(raw: str, expected: str) -> None:
    assert parse(UPN, raw) == expected


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("A801200005001", "check letter does not match"),  # wrong check letter
        ("C801200005001", "check letter does not match"),
        ("N80120000500A", "check letter does not match"),
        ("B80120000500", "a letter followed by 12 characters"),  # one short
        ("B8012000050011", "a letter followed by 12 characters"),
        ("8801200005001", "a letter followed by 12 characters"),
        ("B8012000O5001", "a letter followed by 12 characters"),  # letter in the middle
        ("M80120000500I", "a letter followed by 12 characters"),  # I, O, S are never used
        ("M80120000500O", "a letter followed by 12 characters"),
    ],
)
def test_upn_refuses(raw: str, says: str) -> None:
    kind, message = refusal(UPN, raw)
    assert kind == "upn"
    assert says in message


def test_upn_check_letter_matches_the_dfe_algorithm() -> None:
    # weights 2..13 over characters 2..13, modulo 23, letters without I, O and S
    body = "801200005001"
    total = sum(w * int(c) for w, c in zip(range(2, 14), body, strict=True))
    assert upn_check_letter(body) == "ABCDEFGHJKLMNPQRTUVWXYZ"[total % 23] == "B"


# --------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    ("tp", "raw", "expected"),
    [
        (Line, "  Jane Smith  ", "Jane Smith"),
        (Line, "Jane Smith\r\n", "Jane Smith"),  # a line break at the end is not a second line
        (Line, "Jane   Smith", "Jane Smith"),
        (Line, "Jane\tSmith", "Jane Smith"),
        (Name, "Siobhán O'Brien-Smith & <Co>", "Siobhán O'Brien-Smith & <Co>"),
        (Name, "Sio\u0062ha\u0301n", "Siobhán"),  # combining accent normalised (NFC)
        (Line, 7, "7"),  # a class typed as a number
        (Line, 7.0, "7"),
        (Line, 8.5, "8.5"),
        (Line, "=1+1", "=1+1"),  # text that looks like a formula is just text here
        (Line, "😀 👨\u200d👩\u200d👧", "😀 👨\u200d👩\u200d👧"),  # ZWJ emoji kept
        (Line, "\U0001fa77", "\U0001fa77"),  # an emoji newer than Python's Unicode tables
        (Text, "first\r\nsecond\rthird", "first\nsecond\nthird"),  # CRLF and CR normalised
        (Text, "  line one\n  line two  \n", "line one\n  line two"),
        (Text, "a\tb", "a\tb"),
        (Text, "Zoë\n\nJosé", "Zoë\n\nJosé"),
        # pasted from Word: manual line breaks and page breaks, and a stray NUL
        (Text, "one\x0btwo\x0cthree", "one\ntwo\nthree"),
        (Text, "one\u2028two\u2029three\x85four", "one\ntwo\nthree\nfour"),
        (Line, "Jane\x0bSmith", "Jane Smith"),
        (Line, "Jane\x0c Smith", "Jane Smith"),
        (Name, "Jane\x00Smith", "JaneSmith"),
    ],
)
def test_text_accepts(tp: Any, raw: Any, expected: str) -> None:
    assert parse(tp, raw) == expected


@pytest.mark.parametrize(
    ("tp", "raw", "says"),
    [
        (Line, "first\nsecond", "single line"),
        (Line, "first\r\nsecond", "single line"),
        (Name, "Jane\x1b[31mSmith", "U+001B"),  # an ANSI escape
        (Name, "Jane\x7fSmith", "U+007F"),
        (Name, "Jane\u202eSmith", "U+202E"),  # right-to-left override
        (Name, "Jane\u202dSmith", "U+202D"),
        (Name, "Jane\u2066Smith", "U+2066"),  # left-to-right isolate
        (Text, "line\u2069", "U+2069"),
        (Text, "a\ud800b", "broken character"),  # a lone surrogate
        (Text, "a\ue000b", "U+E000"),  # private use
        (Text, "a\ufffeb", "U+FFFE"),  # a noncharacter
        (Line, dt.date(2026, 3, 8), "format the cell as Text"),  # Excel made "8/3" a date
        (Line, dt.time(10, 30), "format the cell as Text"),
        (Line, True, "Expected text"),
    ],
)
def test_text_refuses(tp: Any, raw: Any, says: str) -> None:
    kind, message = refusal(tp, raw)
    assert kind == "text"
    assert says in message


@pytest.mark.parametrize(("tp", "raw"), [(Line, "   "), (Text, " \n\t "), (Name, "\r\n"),
                                       (Text, "\x00\x0b")])
def test_blank_text_counts_as_not_given(tp: Any, raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse(tp, raw)
    assert caught.value.errors()[0]["input"] is None  # reported as a missing answer


@given(st.text())
def test_text_never_lets_a_control_or_bidi_character_through(raw: str) -> None:
    try:
        cleaned = parse(Text, raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        # NUL is dropped, then nothing visible is left (a lone soft hyphen is invisible too)
        blank = blank_text(raw)
        assert error["type"] == "text" or (error["type"] == "string_type" and blank)
        return
    assert cleaned == cleaned.strip()
    for ch in cleaned:
        assert ch in "\n\t" or ord(ch) >= 0x20
        assert not 0x7F <= ord(ch) < 0xA0
        assert ch not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


# --------------------------------------------------------------------------- other types


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("ab12 cde", "AB12 CDE"), (" AB12   CDE ", "AB12 CDE"), ("K1", "K1"), ("ab12cde", "AB12CDE")],
)
def test_registration(raw: str, expected: str) -> None:
    assert parse(Registration, raw) == expected


@pytest.mark.parametrize("raw", ["AB-12 CDE", "A", "ABCDEFGHIJK"])
def test_registration_refuses(raw: str) -> None:
    kind, message = refusal(Registration, raw)
    assert kind == "registration"
    assert "AB12 CDE" in message


@pytest.mark.parametrize(
    ("raw", "expected"), [("68.5%", 68.5), ("68.5 %", 68.5), ("90", 90.0), (75, 75.0)]
)
def test_percent(raw: Any, expected: float) -> None:
    assert parse(Percent, raw) == expected


def test_blank_percent_counts_as_not_given() -> None:
    with pytest.raises(ValidationError) as caught:
        parse(Percent, " % ")
    assert caught.value.errors()[0]["input"] is None


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, ""),
        (True, "Yes"),
        (False, "No"),
        (RiskLevel.MEDIUM, "Medium"),
        (D(2026, 4, 3), "03/04/2026"),
        (dt.datetime(2026, 4, 3, 9, 5), "03/04/2026 09:05"),
        (T(9, 5), "09:05"),
        (7.0, "7"),
        (68.5, "68.5"),
        ("text", "text"),
    ],
)
def test_display(value: Any, shown: str) -> None:
    assert display(value) == shown


# Plain ASCII text takes a fast path through cleaning (most answers are such text): it must
# give exactly what the general path gives. Spaces, tabs and line breaks are drawn often so
# that blank answers, runs of blank lines and line breaks in one-line fields come up.
_PLAIN_TEXT = st.lists(st.sampled_from([chr(c) for c in range(0x20, 0x7F)]
                                       + [" ", "\n", "\t", " \n", "\n\n", "\n \n\n"] * 8),
                       max_size=40).map("".join)


def _outcome(fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except Exception as exc:  # the same refusal, in the same words
        return ("refused", str(exc))


@given(_PLAIN_TEXT, st.booleans())
def test_the_fast_path_for_plain_text_changes_nothing(text: str, multiline: bool) -> None:
    from docgen.schemas import types

    assert types._plain(text)
    assert _outcome(types._clean, text, multiline=multiline) == _outcome(
        types._clean_text_general, text, multiline=multiline)
    assert types.pasted_changes(text, multiline=multiline) == \
        types._pasted_changes_general(text, multiline=multiline)
    assert types.blank_text(text) == types._blank_text_general(text)


@given(_PLAIN_TEXT | st.text(), st.booleans())
def test_text_passed_over_for_pasted_changes_has_none(text: str, multiline: bool) -> None:
    from docgen.schemas import types

    if not types.may_be_pasted(text):
        assert types.pasted_changes(text, multiline=multiline) is None
        assert types._pasted_changes_general(text, multiline=multiline) is None


# "n/a" and the like are recognised through a shortcut for ASCII text (every cell of a
# workbook row is asked): it must say what the general test says.
_NEARLY_NOT_APPLICABLE = st.lists(
    st.sampled_from(list("nNaA.-_/ \t\n\r\x0b\x0c\x1c\x1fxoT") + ["not applicable", "n/a"]
                    + [chr(c) for c in range(0x20, 0x7F)]),
    max_size=12).map("".join)


@given(_NEARLY_NOT_APPLICABLE | st.text(max_size=12))
def test_the_shortcut_for_not_applicable_changes_nothing(text: str) -> None:
    from docgen.schemas import types

    assert types.is_not_applicable(text) == types._is_not_applicable_general(text)


@given(_PLAIN_TEXT)
def test_the_shortcuts_of_clean_line_and_clean_multiline_change_nothing(text: str) -> None:
    from docgen.schemas import types

    assert _outcome(types.clean_line, text) == _outcome(
        types._clean_text_general, text, multiline=False)
    assert _outcome(types.clean_multiline, text) == _outcome(
        types._clean_text_general, text, multiline=True)


def test_a_choice_written_exactly_is_the_member_folding_finds() -> None:
    from docgen.schemas import choices, types

    kinds = [cls for cls in vars(choices).values()
             if isinstance(cls, type) and issubclass(cls, types.Choice) and cls is not types.Choice]
    assert kinds
    for cls in kinds:
        for member in cls:
            for text in (member.value, member.label):
                # as written: looked up directly; shouted and spaced out: found by folding
                assert cls.parse(text) is cls.parse(f"  {text.upper()} ")
