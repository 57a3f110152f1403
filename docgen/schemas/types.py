"""Field types that accept what a person types, and reject the rest with a message that says
how to fix it.

Each type is an ``Annotated`` pydantic type with a before-validator. Parsers raise
``PydanticCustomError`` whose error type is docgen's issue code (``date``, ``time``, ``yes_no``
...), so a failure reads the same from a workbook cell and from JSON.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, Self

from pydantic import (
    BeforeValidator,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

# --------------------------------------------------------------------------- choices


class Choice(StrEnum):
    """An enum whose members carry the words printed on the form.

    The value is a stable code for JSON (``medium``); the label is what a person reads and picks
    from a dropdown (``Medium``). Both are accepted, in any case and spacing.
    """

    label: str

    def __new__(cls, value: str, label: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def labels(cls) -> list[str]:
        return [m.label for m in cls]

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(cls.parse, handler(source))

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        target = handler.resolve_ref_schema(json_schema)
        # the parser takes a code or a label (JSON files use either), so the schema does too
        codes = [m.value for m in cls]
        target["enum"] = codes + [label for label in cls.labels() if label not in codes]
        target["x-labels"] = {m.value: m.label for m in cls}
        return json_schema

    @classmethod
    def parse(cls, raw: Any) -> Any:
        if isinstance(raw, cls) or not isinstance(raw, str):
            return raw
        member = _choice_exact(cls).get(raw)
        if member is None:
            member = _choice_keys(cls).get(_fold(raw))
        if member is not None:
            return member
        choices = "; ".join(cls.labels())
        raise PydanticCustomError(
            "choice",
            "'{value}' is not one of the choices. Pick one of: {choices}.",
            {"value": raw, "choices": choices},
        )


@cache
def _choice_keys(cls: type[Choice]) -> dict[str, Choice]:
    """Each member by the folded form of its code and of its label."""
    keys: dict[str, Choice] = {}
    for member in cls:
        keys.setdefault(_fold(member.value), member)
        keys.setdefault(_fold(member.label), member)
    return keys


@cache
def _choice_exact(cls: type[Choice]) -> dict[str, Choice]:
    """What ``_choice_keys`` finds for each code and label exactly as written (what a dropdown
    or a JSON file gives, nearly always), by the text itself: no folding to look it up."""
    keys = _choice_keys(cls)
    return {text: keys[_fold(text)] for member in cls for text in (member.value, member.label)}


_DASHES = re.compile(r"[\u2010-\u2015\-_/]")


def _fold(text: str) -> str:
    """Case-, space- and dash-insensitive key for matching what people type."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_DASHES.sub(" ", text).split())


def fold(text: str) -> str:
    return _fold(text)


# What people write in a cell or field to say "nothing here": an optional answer written so is
# no answer (folded: "N/A" is "n a", a lone dash folds to "").
_NOT_APPLICABLE = frozenset({"", "n a", "na", "n.a.", "n.a", "not applicable"})


def is_not_applicable(value: Any) -> bool:
    """True for "n/a", "N/A", "-", "–" and the like."""
    if not isinstance(value, str):
        return False
    if value.isascii():
        # folded ASCII keeps its letters and dots, lower-cased: every word above starts with
        # n, so text whose first such character is another (most answers) is none of them
        head = value.lstrip(_ASCII_FOLDED_AWAY)
        if head and head[0] not in "nN.":
            return False
    return _is_not_applicable_general(value)


# what ``_fold`` turns into spaces, and the white space str.split() drops, in ASCII
_ASCII_FOLDED_AWAY = "-_/ \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"


def _is_not_applicable_general(value: str) -> bool:
    return _fold(value.strip().rstrip(".")) in _NOT_APPLICABLE and bool(value.strip())


# --------------------------------------------------------------------------- yes / no

_YES = {"yes", "y", "true", "t", "1", "✓", "✔", "x"}
_NO = {"no", "n", "false", "f", "0"}


def parse_yes_no(raw: Any) -> Any:
    if isinstance(raw, str):  # most answers: tested first (text is never a bool or a number)
        key = raw.strip().casefold()
        if key in _YES:
            return True
        if key in _NO:
            return False
    elif isinstance(raw, bool):
        return raw
    elif isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    raise PydanticCustomError(
        "yes_no", "'{value}' is not a yes/no answer. Type Yes or No.", {"value": str(raw)}
    )


def _yes_no_text(value: bool) -> str:
    return "Yes" if value else "No"


def _any_case(word: str) -> str:
    """A JSON Schema (ECMA-262) pattern fragment matching ``word`` in any case."""
    return "".join(f"[{ch.upper()}{ch.lower()}]" if ch.isalpha() else re.escape(ch) for ch in word)


_YES_NO_PATTERN = (
    r"^\s*(" + "|".join(_any_case(w) for w in sorted(_YES | _NO, key=lambda w: (-len(w), w)))
    + r")\s*$"
)

YesNo = Annotated[
    bool,
    BeforeValidator(parse_yes_no),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "boolean"},
                {"type": "string", "pattern": _YES_NO_PATTERN},
                {"enum": [0, 1]},
            ],
            "description": "true/false, or Yes/No, Y/N, TRUE/FALSE in any case.",
        }
    ),
]


# --------------------------------------------------------------------------- dates

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_NUMERIC_UK = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
# matched against lower-cased text: an ISO date-time at midnight is accepted as a date
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ]00:00(?::00(?:\.0+)?)?)?$")
_WORDY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
# The shapes parse_uk_date reads, for the JSON Schema (ECMA-262; the parser has the last word).
_DATE_PATTERN = (
    r"^\s*(\d{1,2}[/.\-]\d{1,2}[/.\-](\d{2}|\d{4})"
    r"|\d{4}-\d{1,2}-\d{1,2}([Tt ]00:00(:00(\.0+)?)?)?"
    r"|\d{1,2}([Ss][Tt]|[Nn][Dd]|[Rr][Dd]|[Tt][Hh])?\s+[A-Za-z]+\.?,?\s+\d{4})\s*$"
)
_DATE_HINT = "Type the date as DD/MM/YYYY, for example 03/04/2026 for 3 April 2026."


def _date_error(raw: Any, reason: str = "") -> PydanticCustomError:
    return PydanticCustomError(
        "date",
        "'{value}' is not a date{reason}. " + _DATE_HINT,
        {"value": str(raw), "reason": reason},
    )


FIRST_YEAR, LAST_YEAR = 1900, 2100  # no pupil, visit or approval falls outside these


def _make_date(raw: Any, year: int, month: int, day: int, *, two_digit: bool = False) -> dt.date:
    if two_digit:
        # two-digit years: up to next year is this century (26 is 2026), the rest the last
        # (99 is 1999): a visit is never far in the future, a birth date never in it
        year += 2000 if year <= dt.date.today().year % 100 + 1 else 1900
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise _date_error(raw, f" (the year {year} is out of range; check it)")
    if not 1 <= month <= 12:
        reason = (
            " (dates are day/month/year, and there is no month "
            f"{month}; did you type the month first?)"
        )
        raise _date_error(raw, reason)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _date_error(raw, f" (there is no day {day} in that month)") from None


def parse_uk_date(raw: Any) -> Any:
    """UK dates only: ``03/04/2026`` is 3 April. Also ISO ``2026-04-03``, ``3 April 2026`` and
    Excel date cells. Never month-first."""
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time(0, 0):
            raise _date_error(raw, " (it has a time of day; this field is a date only)")
        return _make_date(raw, raw.year, raw.month, raw.day)
    if isinstance(raw, dt.date):
        return _make_date(raw, raw.year, raw.month, raw.day)
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 1 <= raw < 2_958_466:
        raise _date_error(raw, " (it looks like an Excel date serial number: format the cell "
                               "as a date, DD/MM/YYYY)")
    if not isinstance(raw, str):
        raise _date_error(raw)
    text = raw.strip().lower()
    if m := _NUMERIC_UK.match(text):
        day, month, year = (int(g) for g in m.groups())
        return _make_date(raw, year, month, day, two_digit=len(m.group(3)) == 2)
    if m := _ISO.match(text):
        year, month, day = (int(g) for g in m.groups())
        return _make_date(raw, year, month, day)
    if m := _WORDY.match(text):
        month_name = m.group(2)
        if month_name not in _MONTHS:
            raise _date_error(raw)
        return _make_date(raw, int(m.group(3)), _MONTHS[month_name], int(m.group(1)))
    raise _date_error(raw)


def format_uk_date(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


UKDate = Annotated[
    dt.date,
    BeforeValidator(parse_uk_date),
    WithJsonSchema(
        {
            # no "format": "date": that means ISO only, and UK dates are accepted too
            "type": "string",
            "pattern": _DATE_PATTERN,
            "description": "ISO 2026-04-03 or UK 03/04/2026 (day first), or 3 April 2026.",
        }
    ),
]

# --------------------------------------------------------------------------- times

_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")
# The shapes parse_clock_time reads, for the JSON Schema (ECMA-262).
_TIME_PATTERN = (
    r"^\s*(\d{1,2}(\s*[:.]\s*\d{2}){0,2}\s*([AaPp]\.?\s*[Mm]\.?)?"
    r"|[Nn][Oo][Oo][Nn]|[Mm][Ii][Dd][Dd][Aa][Yy]|[Mm][Ii][Dd][Nn][Ii][Gg][Hh][Tt])\s*$"
)
_TIME_HINT = "Type a time such as 14:30 or 2:30pm."


def _time_error(raw: Any, reason: str = "") -> PydanticCustomError:
    return PydanticCustomError(
        "time",
        "'{value}' is not a time{reason}. " + _TIME_HINT,
        {"value": str(raw), "reason": reason},
    )


# The day a time-only Excel cell falls on when read as a date-time (1900 and 1904 systems).
_EXCEL_TIME_DAYS = {dt.date(1899, 12, 30), dt.date(1899, 12, 31), dt.date(1904, 1, 1)}


def parse_clock_time(raw: Any) -> Any:
    """``14:30``, ``14.30``, ``2:30pm``, ``2pm``, ``noon``, Excel time cells and day fractions."""
    if isinstance(raw, dt.datetime):
        if raw.time() == dt.time(0, 0) and raw.date() not in _EXCEL_TIME_DAYS:
            # a date and no time of day: a date in the wrong column, or a number such as 1430
            # that Excel read as a count of days
            raise _time_error(raw, " (the cell holds a date, not a time of day)")
        return raw.time().replace(second=0, microsecond=0)
    if isinstance(raw, dt.time):
        return raw.replace(second=0, microsecond=0)
    if isinstance(raw, dt.timedelta):  # an Excel cell formatted as a duration, [h]:mm
        seconds = raw.total_seconds()
        if 0 <= seconds < 24 * 3600:
            minutes = round(seconds / 60)
            return dt.time(minutes // 60 % 24, minutes % 60)
        raise _time_error(raw, " (it is a duration of a day or more)")
    if isinstance(raw, float | int) and not isinstance(raw, bool) and 0 <= raw < 1:
        minutes = round(raw * 24 * 60)
        return dt.time(minutes // 60 % 24, minutes % 60)
    if not isinstance(raw, str):
        raise _time_error(raw)
    text = raw.strip().lower().replace(" ", "")
    if text in {"noon", "midday"}:
        return dt.time(12, 0)
    if text == "midnight":
        return dt.time(0, 0)
    m = _TIME.match(text)
    if not m:
        raise _time_error(raw)
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    suffix = (m.group(4) or "").replace(".", "")
    if suffix:
        if not 1 <= hour <= 12:
            raise _time_error(
                raw, f" (with {suffix} the hour is 1 to 12; {hour} is not a 12-hour time)"
            )
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif m.group(2) is None:
        raise _time_error(raw, " (give the minutes, or am/pm)")
    if hour > 23 or minute > 59:
        raise _time_error(raw)
    return dt.time(hour, minute)


def format_clock_time(value: dt.time) -> str:
    return value.strftime("%H:%M")


ClockTime = Annotated[
    dt.time,
    BeforeValidator(parse_clock_time),
    PlainSerializer(format_clock_time, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _TIME_PATTERN,
            "description": "A time of day, 24-hour 14:30 or 12-hour 2:30pm.",
        }
    ),
]

# --------------------------------------------------------------------------- text

# Characters never allowed in text: controls other than tab and newline, bidi overrides
# (they can make a printed name read differently from what is stored), surrogates, private-use
# points and Unicode noncharacters. Other unassigned points are allowed: to an older Unicode
# database than the sender's phone, a new emoji is unassigned.
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
# One character class, searched in C: controls (Cc) but tab and newline, surrogates (Cs),
# private use (Co), bidi controls, noncharacters.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff"
    "\U000f0000-\U000ffffd\U00100000-\U0010fffd" + _BIDI_CONTROLS + _NONCHARACTERS + "]"
)

# What text pasted from Word and other programs carries, and what it becomes: a vertical tab
# for each manual line break (Shift+Enter), a form feed for a page break, the line and
# paragraph separators of other systems. In a single-line field each becomes a space. NUL
# (left by some exports) is dropped. Excel stores a vertical tab in a cell as _x000B_, which
# the workbook reader decodes to the character.
_PASTED_BREAKS = {
    "\x0b": ("a manual line break (vertical tab)", "manual line breaks (vertical tabs)"),
    "\x0c": ("a page break (form feed)", "page breaks (form feeds)"),
    "\x85": ("a next-line character", "next-line characters"),
    "\u2028": ("a line separator", "line separators"),
    "\u2029": ("a paragraph separator", "paragraph separators"),
}
_DROPPED = {"\x00": ("a NUL character", "NUL characters")}


# Runs of more than one blank line (20,000 line breaks printed 337 empty pages): one is kept.
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
# Letters that print as nothing: Hangul fillers, the Mongolian vowel separator, braille blank.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u180e\u2800")


def _plain(text: str) -> bool:
    """Printable ASCII with tabs and line breaks: the common case, tested in C. Such text
    holds nothing to clean, refuse or warn about (but runs of blank lines), and is visible
    as soon as it holds a character that is not white space."""
    return text.isascii() and (text.isprintable()
                               or text.replace("\n", " ").replace("\t", " ").isprintable())


def _visible(text: str) -> bool:
    """Whether a reader would see anything: a name of zero-width spaces and Hangul fillers is
    no name."""
    return any(
        not ch.isspace() and ch not in _INVISIBLE_LETTERS and unicodedata.category(ch) != "Cf"
        for ch in text
    )


def blank_text(text: str) -> bool:
    """Whether ``text`` holds nothing a reader would see (white space, zero-width and other
    invisible characters, NUL): such an answer is no answer."""
    if _plain(text):
        return not text.strip()
    return _blank_text_general(text)


def _blank_text_general(text: str) -> bool:
    return not _visible(text.replace("\x00", ""))


def forbidden_character(ch: str) -> bool:
    """A character no text may hold (tab and newline are allowed; see ``describe_character``
    for why each kind is refused)."""
    return _FORBIDDEN.match(ch) is not None


def describe_character(ch: str) -> str:
    """What is wrong with a refused character, in words: ``contains ... (U+202E)``."""
    code = f"U+{ord(ch):04X}"
    category = unicodedata.category(ch)
    if ch in _BIDI_CONTROLS:
        return (f"contains a text-direction control ({code}), which makes the text print in a "
                "different order from how it is stored")
    if category == "Cs":
        return (f"contains a broken character ({code}: half of a character, such as an "
                "emoji, that was cut in two)")
    if category == "Co":
        return f"contains a private-use character ({code}) that no font prints the same way"
    if ch == "\n":
        return "contains a line break"
    if category == "Cc" or ch == "\t":
        return f"contains an invisible control character ({code})"
    return f"contains a character that is not text ({code})"


def may_be_pasted(text: str) -> bool:
    """False when ``pasted_changes`` finds nothing in ``text`` for any field (plain text on
    one line: most answers), so that a caller walking a whole record can pass it over."""
    return "\n" in text or not _plain(text)


def pasted_changes(text: str, *, multiline: bool) -> str | None:
    """What ``_clean`` changes in ``text`` (pasted line and page breaks, NUL), in words; None
    when it changes none of these."""
    if _plain(text) and not (multiline and "\n" in text
                             and _BLANK_LINES.search(text.strip())):
        return None
    return _pasted_changes_general(text, multiline=multiline)


def _pasted_changes_general(text: str, *, multiline: bool) -> str | None:
    changes = []
    for ch, (one, many) in _PASTED_BREAKS.items():
        if n := text.count(ch):
            into = ("a line break" if n == 1 else "line breaks") if multiline else (
                "a space" if n == 1 else "spaces")
            changes.append(f"{one if n == 1 else f'{n} {many}'} became {into}")
    for ch, (one, many) in _DROPPED.items():
        if n := text.count(ch):
            changes.append(f"{one} was removed" if n == 1 else f"{n} {many} were removed")
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    for ch in _PASTED_BREAKS:
        lines = lines.replace(ch, "\n")
    if multiline and (n := len(_BLANK_LINES.findall(lines.strip()))):
        changes.append("a run of blank lines was shortened to one blank line" if n == 1
                       else f"{n} runs of blank lines were shortened to one blank line each")
    if text.strip() and not _visible(text):
        changes.append("it held only invisible characters, so it counts as blank")
    return "; ".join(changes) or None


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _clean(raw: Any, *, multiline: bool) -> Any:
    if type(raw) is not str:  # most answers are text: the other types' checks come after
        raw = _as_text(raw)
        if not isinstance(raw, str):
            return raw  # let pydantic report the type error
    if _plain(raw) and (multiline or "\n" not in raw.strip()):
        # what the general case does to such text, without its per-character work
        plain = _BLANK_LINES.sub("\n\n", raw.strip()) if multiline else " ".join(raw.split())
        return plain or None
    return _clean_text_general(raw, multiline=multiline)


def _as_text(raw: Any) -> Any:
    """A number as text; refuses a yes/no or a date; anything else as it is."""
    if isinstance(raw, bool):
        raise PydanticCustomError("text", "Expected text, got {value}.", {"value": str(raw)})
    if isinstance(raw, dt.date | dt.time):
        # Excel turns text such as 8/3 or 10:30 into a date or time in a General cell
        raise PydanticCustomError(
            "text",
            "Excel has turned this text into a date or time ({value}); format the cell as "
            "Text and type it again.",
            {"value": display(raw)},
        )
    if isinstance(raw, float) and raw.is_integer():
        raw = str(int(raw))
    elif isinstance(raw, int | float):
        raw = str(raw)
    return raw


def _clean_text_general(raw: str, *, multiline: bool) -> str | None:
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    for ch in _PASTED_BREAKS:
        text = text.replace(ch, "\n" if multiline else " ")
    for ch in _DROPPED:
        text = text.replace(ch, "")
    text = unicodedata.normalize("NFC", text)
    if not multiline and "\n" in text.strip():  # a line break at either end is just space
        raise PydanticCustomError(
            "text", "This field is a single line; remove the line breaks.", {}
        )
    bad = _FORBIDDEN.search(text)
    if bad is not None:
        raise PydanticCustomError(
            "text", "{problem}; retype the text without it.",
            {"problem": _sentence(describe_character(bad.group()))},
        )
    text = text.strip()
    text = _BLANK_LINES.sub("\n\n", text) if multiline else " ".join(text.split())
    return text if _visible(text) else None


def clean_line(raw: Any) -> Any:
    return _clean(raw, multiline=False)


def clean_multiline(raw: Any) -> Any:
    return _clean(raw, multiline=True)


NAME_MAX = 120
LINE_MAX = 300
TEXT_MAX = 20_000

# Each type carries its longest length, so that a list of them (the staff attending) is bounded
# too; a field may set a lower limit with ``max_length``.
Name = Annotated[str, BeforeValidator(clean_line), StringConstraints(max_length=NAME_MAX)]
Line = Annotated[str, BeforeValidator(clean_line), StringConstraints(max_length=LINE_MAX)]
Text = Annotated[str, BeforeValidator(clean_multiline), StringConstraints(max_length=TEXT_MAX)]

# --------------------------------------------------------------------------- phone numbers

PHONE_MAX = 30  # characters: 15 digits (the most any number has) and its spaces and dashes
_PHONE_HINT = "Type a UK number such as 07700 900123 or +44 7700 900123."


def parse_uk_phone(raw: Any) -> Any:
    """A UK phone number, kept as the person wrote it but checked for a plausible length.

    A number typed into a numeric Excel cell loses its leading zero (7700900123): put it back.
    """
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if isinstance(raw, float) and not raw.is_integer():
            raise PydanticCustomError("phone", "'{value}' is not a phone number.", {"value": raw})
        digits = str(int(raw))
        raw = "0" + digits if len(digits) == 10 else digits
    if not isinstance(raw, str):
        return raw
    text = " ".join(raw.split())
    if not text:
        return None
    if len(text) > PHONE_MAX:  # "07700 900123" and 20,000 dashes printed as one line
        raise PydanticCustomError(
            "phone", "'{value}' is too long for a phone number. " + _PHONE_HINT, {"value": raw}
        )
    if not re.fullmatch(r"\+?[\d ()\-]+", text):
        raise PydanticCustomError(
            "phone", "'{value}' is not a phone number. " + _PHONE_HINT, {"value": raw}
        )
    digits = re.sub(r"\D", "", text)
    if text.startswith("+"):
        national = "0" + digits[2:] if digits.startswith("44") else None
        if national is None:
            if not 7 <= len(digits) <= 15:  # E.164: at most 15 digits
                raise PydanticCustomError(
                    "phone", "'{value}' is not a phone number. " + _PHONE_HINT, {"value": raw}
                )
            return text  # an overseas number: accept as written
    else:
        national = digits
    if not (national.startswith("0") and len(national) in (10, 11)):
        raise PydanticCustomError(
            "phone",
            "'{value}' does not look like a UK number (it should have 11 digits starting "
            "with 0). " + _PHONE_HINT,
            {"value": raw},
        )
    return text


Phone = Annotated[str, BeforeValidator(parse_uk_phone)]

# --------------------------------------------------------------------------- UPN

# DfE Unique Pupil Number: a check letter, then 12 characters; the check letter is the weighted
# sum of characters 2-13 (weights 2..13) modulo 23, read from this alphabet (no I, O or S).
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")


def upn_check_letter(body: str) -> str:
    """The check letter for the 12 characters after it (the last may be a letter)."""
    total = 0
    for weight, ch in enumerate(body, start=2):
        total += weight * (int(ch) if ch.isdigit() else _UPN_LETTERS.index(ch))
    return _UPN_LETTERS[total % 23]


def parse_upn(raw: Any) -> Any:
    if not isinstance(raw, str):
        return raw
    text = raw.replace(" ", "").upper()
    if not text:
        return None
    if not _UPN.match(text) or (text[-1].isalpha() and text[-1] not in _UPN_LETTERS):
        raise PydanticCustomError(
            "upn",
            "'{value}' is not a Unique Pupil Number: a UPN is a letter followed by 12 "
            "characters, e.g. A123456789012. Leave it blank if you do not know it.",
            {"value": raw},
        )
    if upn_check_letter(text[1:]) != text[0]:
        raise PydanticCustomError(
            "upn",
            "'{value}' is not a valid Unique Pupil Number (its check letter does not match); "
            "copy it again from the pupil record.",
            {"value": raw},
        )
    return text


UPN = Annotated[str, BeforeValidator(parse_upn)]

# --------------------------------------------------------------------------- registrations

_REG = re.compile(r"^[A-Z0-9 ]{2,10}$")


def parse_registration(raw: Any) -> Any:
    if not isinstance(raw, str):
        return raw
    text = " ".join(raw.upper().split())
    if not text:
        return None
    if not _REG.match(text):
        raise PydanticCustomError(
            "registration",
            "'{value}' is not a vehicle registration; use letters and digits, e.g. AB12 CDE.",
            {"value": raw},
        )
    return text


Registration = Annotated[str, BeforeValidator(parse_registration)]

# Values printed on one line, never wrapped: numbers read out or copied (a phone number, a
# vehicle registration). Printed forms keep them whole.
UNBROKEN_PARSERS = (parse_uk_phone, parse_registration)


def display(value: Any) -> str:
    """How a value is shown to people: UK dates, 24-hour times, Yes/No, choice labels."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no_text(value)
    if isinstance(value, Choice):
        return value.label
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return format_uk_date(value)
    if isinstance(value, dt.time):
        return format_clock_time(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- numbers


def parse_percent(raw: Any) -> Any:
    if isinstance(raw, str):
        text = raw.strip().rstrip("%").strip()
        return text or None
    return raw


Percent = Annotated[float, BeforeValidator(parse_percent)]
