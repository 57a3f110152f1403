"""The attendance codes of the DfE's *Working together to improve school attendance* (August
2024), as a register export writes them, in the four groups that the arithmetic needs.

- **present**: ``/`` and ``\\`` (morning and afternoon), ``L`` (late before the register closed);
- **attending elsewhere** (an approved educational activity, counted as present): ``K`` (education
  arranged by the local authority), ``V`` (educational visit or trip), ``P`` (approved sporting
  activity), ``W`` (work experience), ``B`` (any other approved educational activity);
- **authorised absence**: ``C`` (exceptional circumstances), ``C1`` (regulated performance or
  employment abroad), ``C2`` (part-time timetable), ``E`` (suspended or excluded, no alternative
  provision), ``I`` (illness), ``J1`` (interview), ``M`` (medical or dental appointment), ``R``
  (religious observance), ``S`` (study leave), ``T`` (mobile child travelling);
- **unauthorised absence**: ``G`` (holiday not authorised), ``N`` (no reason yet), ``O`` (other or
  unknown circumstances), ``U`` (arrived after the register closed);
- **not a possible session** (not counted at all): ``Q`` (no access arrangements), ``Y1``-``Y7``
  (transport, partial or whole closure, detention, public health, other unavoidable), ``D``
  (dual registered, at the other school), ``X`` (not of compulsory school age), ``Z`` (not yet
  on roll), ``#`` (planned whole-school closure).
"""

from __future__ import annotations

from enum import StrEnum


class Group(StrEnum):
    PRESENT = "present"
    ELSEWHERE = "attending elsewhere"
    AUTHORISED = "authorised absence"
    UNAUTHORISED = "unauthorised absence"
    NOT_POSSIBLE = "not a possible session"


# The meaning of each code, in the words a letter to a family may use.
MEANINGS: dict[str, tuple[Group, str]] = {
    "/": (Group.PRESENT, "present (morning)"),
    "\\": (Group.PRESENT, "present (afternoon)"),
    "L": (Group.PRESENT, "late, before the register closed"),
    "K": (Group.ELSEWHERE, "education arranged by the local authority"),
    "V": (Group.ELSEWHERE, "educational visit or trip"),
    "P": (Group.ELSEWHERE, "approved sporting activity"),
    "W": (Group.ELSEWHERE, "work experience"),
    "B": (Group.ELSEWHERE, "other approved educational activity"),
    "C": (Group.AUTHORISED, "leave in exceptional circumstances"),
    "C1": (Group.AUTHORISED, "leave for a regulated performance or employment abroad"),
    "C2": (Group.AUTHORISED, "part-time timetable"),
    "E": (Group.AUTHORISED, "suspension or exclusion"),
    "I": (Group.AUTHORISED, "illness"),
    "J1": (Group.AUTHORISED, "interview"),
    "M": (Group.AUTHORISED, "medical or dental appointment"),
    "R": (Group.AUTHORISED, "religious observance"),
    "S": (Group.AUTHORISED, "study leave"),
    "T": (Group.AUTHORISED, "mobile child travelling"),
    "G": (Group.UNAUTHORISED, "holiday not authorised by the school"),
    "N": (Group.UNAUTHORISED, "no reason given yet"),
    "O": (Group.UNAUTHORISED, "absence not authorised"),
    "U": (Group.UNAUTHORISED, "arrived after the register closed"),
    "Q": (Group.NOT_POSSIBLE, "no access arrangements"),
    "Y1": (Group.NOT_POSSIBLE, "transport not available"),
    "Y2": (Group.NOT_POSSIBLE, "widespread transport disruption"),
    "Y3": (Group.NOT_POSSIBLE, "part of the school closed"),
    "Y4": (Group.NOT_POSSIBLE, "whole school closed"),
    "Y5": (Group.NOT_POSSIBLE, "in criminal justice detention"),
    "Y6": (Group.NOT_POSSIBLE, "public health guidance"),
    "Y7": (Group.NOT_POSSIBLE, "other unavoidable cause"),
    "D": (Group.NOT_POSSIBLE, "dual registered, at the other school"),
    "X": (Group.NOT_POSSIBLE, "not of compulsory school age"),
    "Z": (Group.NOT_POSSIBLE, "not yet on roll"),
    "#": (Group.NOT_POSSIBLE, "planned whole-school closure"),
}

CODES = frozenset(MEANINGS)
# what a register export writes for a session with no mark (yet): not a session to count
NO_MARK = frozenset({"", "-"})
_TWO = frozenset(c for c in CODES if len(c) == 2)  # C1 C2 J1 Y1..Y7


def group(code: str) -> Group:
    return MEANINGS[code][0]


def meaning(code: str) -> str:
    return MEANINGS[code][1]


class UnknownCode(ValueError):
    """A mark that is not a 2024 DfE code; ``code`` is the part that could not be read."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def split_marks(text: str) -> list[str]:
    """The codes in one cell, left to right: ``/\\`` is a morning and an afternoon, ``NC1`` is
    ``N`` then ``C1``, ``/ N`` and ``/,N`` too. Two-character codes (``C1 C2 J1 Y1``-``Y7``) are
    read first: no one-character code is a digit, so the reading is never ambiguous. A ``-`` is a
    session with no mark; an unknown code raises ``UnknownCode``."""
    marks: list[str] = []
    i = 0
    text = text.strip().upper()
    while i < len(text):
        ch = text[i]
        if ch in " ,;|":
            i += 1
            continue
        pair = text[i:i + 2]
        if pair in _TWO:
            marks.append(pair)
            i += 2
        elif ch in CODES:
            marks.append(ch)
            i += 1
        elif ch == "-":
            marks.append("-")
            i += 1
        else:
            end = i + 1
            while end < len(text) and text[end] not in " ,;|":
                end += 1
            raise UnknownCode(text[i:end])
    return marks
