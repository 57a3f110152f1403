"""Which characters the PDF can print, and a warning for a field holding one it cannot.

WeasyPrint draws each character with docgen's own fonts, then falls back to any font on the
computer that has it (scripts/install-system-deps.sh installs Debian's Noto fonts: Chinese,
Japanese, Korean, Arabic and Urdu, Indic scripts, emoji...). A character no font has prints as
an empty box, and nothing else would say so: a pupil's name in a script the computer lacks
would silently print as boxes. The Word document is not affected (Word brings its own fonts).

The check is cheap: text that is plain ASCII is never looked at; otherwise each character is
looked up in the set of code points the fonts cover, read once per process from fontconfig's
own cache (the same font list WeasyPrint uses), never by laying anything out.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from docgen.report import Issue, Severity, make_issue
from docgen.schemas.fields import FieldNode, tree
from docgen.schemas.fields import Path as FieldPath
from docgen.schemas.parse import Locator

OWN_FONTS = Path(__file__).resolve().parent / "templates" / "fonts"
MAX_LISTED = 5  # characters named in one warning


class Coverage:
    """The code points some font on this computer (or of docgen's own) can draw."""

    def __init__(self, has: Any, charset: Any) -> None:
        self._has = has
        self._charset = charset  # kept alive for as long as the lookups are

    def __contains__(self, ch: str) -> bool:
        return bool(self._has(self._charset, ord(ch)))


class _FontSet(ctypes.Structure):
    _fields_ = (("nfont", ctypes.c_int), ("sfont", ctypes.c_int),
                ("fonts", ctypes.POINTER(ctypes.c_void_p)))


@cache
def coverage() -> Coverage | None:
    """The union of every font's character set, or None where fontconfig cannot be loaded
    (then nothing can be said, and nothing is warned)."""
    name = ctypes.util.find_library("fontconfig")
    if name is None:
        return None
    try:
        fc = ctypes.CDLL(name)
        fc.FcInitLoadConfigAndFonts.restype = ctypes.c_void_p
        fc.FcConfigAppFontAddFile.argtypes = (ctypes.c_void_p, ctypes.c_char_p)
        fc.FcConfigGetFonts.restype = ctypes.POINTER(_FontSet)
        fc.FcConfigGetFonts.argtypes = (ctypes.c_void_p, ctypes.c_int)
        fc.FcPatternGetCharSet.argtypes = (ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                           ctypes.POINTER(ctypes.c_void_p))
        fc.FcCharSetCreate.restype = ctypes.c_void_p
        fc.FcCharSetMerge.argtypes = (ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)
        fc.FcCharSetHasChar.argtypes = (ctypes.c_void_p, ctypes.c_uint32)
        config = fc.FcInitLoadConfigAndFonts()
        if not config:
            return None
        for font in sorted(OWN_FONTS.glob("*.ttf")):
            fc.FcConfigAppFontAddFile(config, str(font).encode())
        union = fc.FcCharSetCreate()
        for which in (0, 1):  # FcSetSystem, FcSetApplication (docgen's own fonts)
            fonts = fc.FcConfigGetFonts(config, which)
            if not fonts:
                continue
            for i in range(fonts.contents.nfont):
                charset = ctypes.c_void_p()
                if fc.FcPatternGetCharSet(fonts.contents.fonts[i], b"charset", 0,
                                          ctypes.byref(charset)) == 0:
                    fc.FcCharSetMerge(union, charset, None)
    except (OSError, AttributeError, ValueError):
        return None
    return Coverage(fc.FcCharSetHasChar, union)


def _ignorable(ch: str) -> bool:
    """Characters no font needs to draw: line breaks, joiners, variation selectors, tags,
    combining marks drawn with their letter by the font that has the letter."""
    code = ord(ch)
    return (
        ch in "\n\t"
        or unicodedata.category(ch) in ("Cf", "Mn", "Me", "Zl", "Zp")
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
    )


def missing_glyphs(text: str, fonts: Coverage | None = None) -> list[str]:
    """The characters of ``text`` that no font can print, each once, in order."""
    if text.isascii():
        return []
    fonts = fonts if fonts is not None else coverage()
    if fonts is None:
        return []
    seen: list[str] = []
    for ch in dict.fromkeys(text):
        if not ch.isascii() and not _ignorable(ch) and ch not in fonts:
            seen.append(ch)
    return seen


def glyph_warnings(form: BaseModel, locate: Locator) -> list[Issue]:
    """A warning at each free-text field of ``form`` holding a character the PDF would print
    as an empty box."""
    out = []
    for path, text in _free_texts(form, ()):
        absent = missing_glyphs(text)
        if not absent:
            continue
        named = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in absent[:MAX_LISTED])
        more = f" and {len(absent) - MAX_LISTED} more" if len(absent) > MAX_LISTED else ""
        place = locate(path)
        out.append(make_issue(
            "no-glyph",
            f"No font on this computer can print {named}{more}: the PDF shows an empty box "
            "instead (the Word document is not affected). Install a font that has it (on "
            "Debian: fonts-noto-core, fonts-noto-cjk, fonts-noto-color-emoji), or check the "
            "text.",
            place.location, severity=Severity.WARNING, field=place.label,
        ))
    return out


@cache
def _text_nodes(model: type[BaseModel]) -> tuple[FieldNode, ...]:
    """The fields of ``model`` that hold free text or parts, in declaration order: the only
    ones ``_free_texts`` looks into."""
    return tuple(node for node in tree(model) if node.is_part or node.free_text)


def _free_texts(model: BaseModel, at: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    """Each free text of ``model`` but plain ASCII (``missing_glyphs`` finds nothing in it), with
    its path, in reading order."""
    for node in _text_nodes(type(model)):
        value = getattr(model, node.name, None)
        if value is None:
            continue
        items = enumerate(value) if node.is_list else ((None, value),)
        for index, item in items:
            if node.is_part and isinstance(item, BaseModel):
                path = (*at, node.name) if index is None else (*at, node.name, index)
                yield from _free_texts(item, path)
            elif node.free_text and isinstance(item, str) and not item.isascii():
                yield ((*at, node.name) if index is None else (*at, node.name, index)), item
