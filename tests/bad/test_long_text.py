"""Long text without spaces: every free-text field filled to its limit with one unbroken
word. It used to take minutes to lay out (each line laid out the rest of the paragraph); now
long runs carry invisible break opportunities, words break at the edge of their cell, and
fields whose limit could not print sensibly (a hazard cell a fifth of a page wide) are
limited at validation. scripts/measure_layout.py measures the times."""

from __future__ import annotations

import importlib.util
import io
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from docgen.config import SAMPLE_SCHOOL
from docgen.documents.context import build_document
from docgen.documents.document import Document
from docgen.documents.docx import DocxRenderer
from docgen.documents.line_breaks import EVERY, LONG_RUN, ZWSP, breakable
from docgen.documents.pdf import PdfRenderer
from docgen.policy import load_policy
from docgen.report import ExitCode
from docgen.schemas import FORMS

from .conftest import TODAY, docx_text, pdf_text, run, squash

ROOT = Path(__file__).resolve().parents[2]


def _measure() -> ModuleType:
    spec = importlib.util.spec_from_file_location("measure_layout",
                                                  ROOT / "scripts" / "measure_layout.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pdf_renderer() -> PdfRenderer:
    return PdfRenderer()


def _at_limits(form: str) -> tuple[dict[str, Any], Document]:
    measure = _measure()
    data = measure.fill(FORMS[form], measure.sample(form))
    parsed = FORMS[form].model_validate(data)
    return data, build_document(parsed, SAMPLE_SCHOOL, load_policy("att"))


@pytest.mark.parametrize("form", list(FORMS))
def test_no_long_run_is_left_without_break_opportunities(pdf_renderer: PdfRenderer,
                                                         form: str) -> None:
    """Why layout is linear: WeasyPrint never meets a run it must lay out whole per line."""
    _, document = _at_limits(form)
    html = pdf_renderer.render_html(document)
    body = re.sub(r"<[^>]*>", " ", html.split("<body", 1)[1].split(">", 1)[1])
    longest = max((len(run) for run in re.findall(rf"[^\s{ZWSP}]+", body)), default=0)
    assert longest < LONG_RUN


def test_every_field_at_its_limit_without_spaces(pdf_renderer: PdfRenderer) -> None:
    """The record that did not finish in 20 minutes: about 30 pages now, nothing lost."""
    data, document = _at_limits("risk-assessment")
    pdf = pdf_renderer.render(document)
    word = docx_text(DocxRenderer().render(document))
    values = [v for v in _texts(data) if len(v) > 100]
    assert len(values) >= 8
    for value in values:
        assert value in word
    # Text extracted from a PDF runs line by line across the columns of a table, so a value
    # in a table is not one piece of the extracted text: count that every character printed.
    printed = squash(pdf_text(pdf))
    assert len(printed) >= sum(len(v) for v in _texts(data))
    assert len(PdfReader(io.BytesIO(pdf)).pages) <= 40


def _texts(data: Any) -> list[str]:
    if isinstance(data, dict):
        return [t for v in data.values() for t in _texts(v)]
    if isinstance(data, list):
        return [t for v in data for t in _texts(v)]
    return [data] if isinstance(data, str) else []


def test_a_hazard_cell_is_limited_to_what_prints(write_json: Callable[..., Path],
                                                 ra: dict[str, Any]) -> None:
    ra["hazards"] = {"driving": {"controls": "x" * 5001, "severity_of_harm": "y" * 2001}}
    result = run("validate", write_json(ra), "--today", TODAY)
    assert result.exit_code == ExitCode.INVALID
    assert ("error   $.hazards.driving.controls Driving hazard: Controls: Too long: 5001 "
            "characters where at most 5000 are allowed. Shorten it.") in result.output
    assert ("error   $.hazards.driving.severity_of_harm Driving hazard: Severity of Harm: Too "
            "long: 2001 characters where at most 2000 are allowed.") in result.output


# --------------------------------------------------------------------------- breakable


@given(st.text())
def test_break_opportunities_never_change_the_text(text: str) -> None:
    assert breakable(text).replace(ZWSP, "") == text.replace(ZWSP, "") or ZWSP in text


@given(st.text(alphabet="abcXYZ019-/_.:@", min_size=LONG_RUN))
def test_a_long_run_gets_an_opportunity_every_few_characters(text: str) -> None:
    pieces = breakable(text).split(ZWSP)
    assert max(len(p) for p in pieces) <= max(EVERY, 1) or len(text) < LONG_RUN


@pytest.mark.parametrize("unit", [
    "e\u0301",  # e and a combining acute accent
    "\U0001f469\u200d\U0001f467\u200d\U0001f466",  # a family: emoji joined by ZWJ
    "\U0001f44d\U0001f3fd",  # thumbs up, medium skin tone
    "\U0001f1ec\U0001f1e7",  # the UK flag: two regional indicators
    "\u0915\u094d\u0937",  # Devanagari conjunct
])
def test_a_character_made_of_several_code_points_is_never_split(unit: str) -> None:
    out = breakable(unit * 30)
    assert out.replace(ZWSP, "") == unit * 30
    assert all(piece and piece.count(unit) * len(unit) == len(piece)
               for piece in out.split(ZWSP)), out


def test_ordinary_text_is_left_alone() -> None:
    text = "Attendance has fallen since September; mum says Jane has been unwell."
    assert breakable(text) == text
