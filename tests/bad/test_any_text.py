"""Property: any text in any free-text field is either refused with a message located at that
field, or kept: the DOCX reopens with it, and the PDF's extracted text contains it. (The CSV
and JSON exports will join this when they exist.)

Example counts are kept small so the suite stays fast: a PDF with Chinese in it takes about
two seconds."""

from __future__ import annotations

import copy
import datetime as dt
import unicodedata
from functools import cache
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from docgen.config import SAMPLE_SCHOOL
from docgen.documents.context import build_document
from docgen.documents.docx import DocxRenderer
from docgen.documents.pdf import PdfRenderer
from docgen.glyphs import missing_glyphs
from docgen.policy import load_policy
from docgen.report import json_path
from docgen.schemas import FORMS
from docgen.schemas.fields import FieldNode, tree
from docgen.schemas.fields import Path as FieldPath
from docgen.validation import validate_record

from .conftest import docx_text, pdf_text, squash

TODAY = dt.date(2026, 11, 23)
HOSTILE = ["\x0b", "\x0c", "\x00", "\u202e", "\u2066", "\ud800", "\ue000", "\ufffe", "\x1b[31m",
           "<b>", "{{ 7*7 }}", "{% raw %}", "&amp;", "\u200d", "e\u0301", "李小龙", "👨\u200d👩",
           "x" * 60, "\n", "\t", "\r\n", "  ", "=SUM(A1)", "'", '"', "\\", "}}", "{{"]


def _free_text_paths(model: Any, at: FieldPath = ()) -> list[tuple[FieldPath, FieldNode]]:
    out: list[tuple[FieldPath, FieldNode]] = []
    for node in tree(model):
        path = (*at, node.name, 0) if node.is_list else (*at, node.name)
        if node.is_part:
            out += _free_text_paths(node.model, path)
        elif node.free_text:
            out.append((path, node))
    return out


@cache
def _fields() -> list[tuple[str, FieldPath, int]]:
    """(form, path, most characters) of every free-text field of both forms."""
    return [(form, path, node.max_chars or 300)
            for form, model in FORMS.items() for path, node in _free_text_paths(model)]


def _base(form: str, ra: dict[str, Any], report: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(ra if form == "risk-assessment" else report)


def _put(data: dict[str, Any], path: FieldPath, value: str) -> None:
    """Set ``value`` at ``path`` (list indexes are 0: the first staff member, say), making
    the parts on the way."""
    node: Any = data
    for step, following in zip(path, (*path[1:], None), strict=True):
        if following is None:
            node[step] = value
        elif isinstance(step, int):
            if not node:
                node.append({})
            node = node[step]
        else:
            if not isinstance(node.get(step), dict | list):
                node[step] = [] if isinstance(following, int) else {}
            if isinstance(following, int) and not node[step]:
                node[step].append({} if len(path) > path.index(step) + 2 else "")
            node = node[step]


def _kept(form: Any, path: FieldPath) -> Any:
    value = form
    for step in path:
        value = value[step] if isinstance(step, int) else getattr(value, step)
    return value


texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8)), max_size=12).map("".join),
)


def _outcome(form_name: str, path: FieldPath, text: str,
             ra: dict[str, Any], report: dict[str, Any]) -> Any:
    data = _base(form_name, ra, report)
    _put(data, path, text)
    record = validate_record(data, "att", today=TODAY)
    where = json_path(path, "$")
    errors = [i for i in record.issues if i.is_error and i.location.path == where]
    if errors:  # by the field's type, or by a policy rule (a blank answer the policy needs)
        event("refused at its field")
        for issue in errors:
            assert issue.message and issue.field
            assert not issue.message.startswith(("Input should", "String should", "Value error"))
        return None
    assert record.form is not None and not record.errors, (
        [(i.location.path, i.message) for i in record.errors], where)
    return record


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(_fields()), text=texts)
def test_any_text_is_refused_at_its_field_or_kept_in_the_docx(
    field: tuple[str, FieldPath, int], text: str, ra: dict[str, Any], report: dict[str, Any],
) -> None:
    form_name, path, most = field
    record = _outcome(form_name, path, text[:most], ra, report)
    if record is None:
        return
    value = _kept(record.form, path)
    if value is None:  # blank text is no answer
        event("blank")
        return
    event("kept")
    document = build_document(record.form, SAMPLE_SCHOOL, load_policy("att"), record.issues)
    assert squash(value) in squash(docx_text(_docx().render(document)))


@cache
def _docx() -> DocxRenderer:
    return DocxRenderer()


@cache
def _pdf() -> PdfRenderer:
    return PdfRenderer()


def _extracts_faithfully(ch: str) -> bool:
    """Characters whose printed order and shape are their stored ones: text extracted from a
    PDF gives right-to-left, reordering (Indic) and combining scripts back in visual order."""
    category = unicodedata.category(ch)
    if category.startswith(("M", "C", "Z")) or ch in "\n\t":
        return False
    if unicodedata.bidirectional(ch) in ("R", "AL", "AN", "RLE", "RLO", "RLI", "NSM"):
        return False
    name = unicodedata.name(ch, "")
    return not any(script in name for script in (
        "DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA",
        "MALAYALAM", "SINHALA", "THAI", "LAO", "TIBETAN", "MYANMAR", "KHMER", "HANGUL JAMO"))


# Scripts whose extracted text comes back in stored order: Latin, Greek, Cyrillic, Chinese,
# Japanese kana, Korean syllables, symbols, emoji; and any other character now and then.
_RANGES = [(0x20, 0x7E), (0xA1, 0x17F), (0x370, 0x3FF), (0x400, 0x4FF), (0x2000, 0x22FF),
           (0x2600, 0x27BF), (0x3040, 0x30FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3),
           (0x1F300, 0x1F64F), (0x1F900, 0x1F9FF)]
printable = st.text(
    st.one_of(*[st.characters(min_codepoint=a, max_codepoint=b) for a, b in _RANGES],
              st.characters(codec="utf-8")).filter(_extracts_faithfully),
    min_size=1, max_size=60)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(_fields()), text=printable)
def test_any_printable_text_is_in_the_pdf(field: tuple[str, FieldPath, int], text: str,
                                          ra: dict[str, Any], report: dict[str, Any]) -> None:
    form_name, path, most = field
    record = _outcome(form_name, path, text[:most], ra, report)
    if record is None:
        return
    value = _kept(record.form, path)
    event("blank" if value is None else "no glyph" if missing_glyphs(value) else "printed")
    if value is None or missing_glyphs(value):
        # a character no font has prints as a box, and is warned about at the field instead
        assert value is None or any(i.code == "no-glyph" and
                                    i.location.path == json_path(path, "$")
                                    for i in record.issues)
        return
    document = build_document(record.form, SAMPLE_SCHOOL, load_policy("att"), record.issues)
    printed = squash(pdf_text(_pdf().render(document)))
    assert _nfc(squash(value)) in _nfc(printed)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)
