"""Break opportunities in long unbroken text, for the PDF.

WeasyPrint finds where a line ends by laying out the rest of the paragraph; when a paragraph
has no break opportunity (a 20,000-character reference, a pasted URL, a key held down), it lays
out the whole remaining paragraph for every line, so layout time grows with the square of the
length (a 16,000-character word in a hazard cell: 10 s; the form with every field at its
limit: minutes). An invisible zero-width space every few characters of such a run gives it
break opportunities: lines then end where the text reaches the edge, and layout time grows
linearly. The zero-width space is never extracted as text and never goes into the DOCX or
the data.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

ZWSP = "\u200b"
LONG_RUN = 24  # runs of non-space characters at least this long get break opportunities
EVERY = 4  # characters between two opportunities

_RUN = re.compile(rf"\S{{{LONG_RUN},}}")
_ZWJ = "\u200d"


def breakable(value: object) -> str:
    """``value`` as text, with a zero-width space every few characters of any long run of
    non-space characters (never inside a character made of several code points: a letter and
    its accents, an emoji sequence, a flag)."""
    text = "" if value is None else str(value)
    if len(text) < LONG_RUN:
        return text
    return _RUN.sub(_break_run, text)


def _break_run(match: re.Match[str]) -> str:
    run = match.group(0)
    out = [run[0]]
    since = 1
    for prev, ch in itertools.pairwise(run):
        if since >= EVERY and not _joined(prev, ch):
            out.append(ZWSP)
            since = 0
        out.append(ch)
        since += 1
    return "".join(out)


def _joined(prev: str, ch: str) -> bool:
    """Whether ``ch`` continues the character ``prev`` belongs to."""
    if ch == ZWSP or prev == ZWSP:
        return True
    if prev == _ZWJ or ch == _ZWJ:
        return True
    code = ord(ch)
    if unicodedata.category(ch) in ("Mn", "Mc", "Me"):  # accents, variation selectors
        return True
    if unicodedata.combining(prev) == 9:  # a virama joins the next consonant (Indic scripts)
        return True
    if 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F:  # skin tones, tag letters
        return True
    if 0x1F1E6 <= code <= 0x1F1FF and 0x1F1E6 <= ord(prev) <= 0x1F1FF:  # a flag's pair
        return True
    return unicodedata.category(prev) == "Cs" or unicodedata.category(ch) == "Cs"
