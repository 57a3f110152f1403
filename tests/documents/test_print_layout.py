"""Long, messy and blank forms print well, in PDF and in Word: no blank or nearly blank page,
no heading ending a page, the hazard matrix breaking between rows with its header row on every
page, the sign-off whole, a continued section named at the top of its page; mobile numbers on
one line; the Word file carrying the PDF's labels in bold, headings, notes and legend.

Each document is rendered once for the module (a long form takes a second or two)."""

from __future__ import annotations

import io
from functools import cache
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from docgen.config import SAMPLE_SCHOOL
from docgen.documents.context import blank_document, build_document
from docgen.documents.document import Document
from docgen.documents.docx import DocxRenderer
from docgen.documents.pdf import PdfRenderer
from docgen.policy import load_policy
from docgen.schemas import RiskAssessment, VisitReport
from docgen.validation import validate_record
from tests.conftest import TODAY
from tests.documents.long_records import long_risk_assessment, long_visit_report
from tests.documents.pages import MATRIX_HEADER, layout_problems, pages, squash

NBSP = "\u00a0"


def _built(data: dict[str, Any], preset: str) -> Document:
    policy = load_policy(preset)
    record = validate_record(data, policy, today=TODAY)
    assert record.form is not None and record.usable, [i.message for i in record.issues]
    return build_document(record.form, SAMPLE_SCHOOL, policy, record.issues)


@cache
def documents() -> dict[str, Document]:
    return {
        "long risk assessment": _built(long_risk_assessment(), "att"),
        "long visit report": _built(long_visit_report(), "westside"),
        "blank risk assessment": blank_document(RiskAssessment, SAMPLE_SCHOOL,
                                                load_policy("westside")),
        "blank visit report": blank_document(VisitReport, SAMPLE_SCHOOL, load_policy("att")),
    }


@cache
def renderers() -> tuple[PdfRenderer, DocxRenderer]:
    return PdfRenderer(), DocxRenderer()


@cache
def pdf(name: str) -> bytes:
    return renderers()[0].render(documents()[name])


@cache
def word(name: str) -> Any:
    return docx.Document(io.BytesIO(renderers()[1].render(documents()[name])))


NAMES = ["long risk assessment", "long visit report", "blank risk assessment",
         "blank visit report"]
# at most this many pages: none wasted (a long form's 5,000-character answers take pages)
MOST_PAGES = {"long risk assessment": 12, "long visit report": 13,
              "blank risk assessment": 4, "blank visit report": 4}


@pytest.mark.parametrize("name", NAMES)
def test_the_pages_read_well(name: str) -> None:
    document = documents()[name]
    rendered = pdf(name)
    assert layout_problems(rendered, document) == []
    count = len(pages(rendered))
    assert 2 <= count <= MOST_PAGES[name]


def test_a_long_section_names_itself_on_every_page_it_runs_on_to() -> None:
    found = pages(pdf("long risk assessment"))
    continued = [p.continued for p in found]
    assert "Details of the visit" in continued  # 5,000-character answers run on
    # the matrix runs over pages, its header row on each
    hazard_pages = [p for p in found if p.continued == "Hazards"]
    assert hazard_pages
    for page in hazard_pages:
        assert squash(MATRIX_HEADER) in squash(page.text)
    # the sign-off, on the last page, comes with the form's last answers
    last = found[-1]
    assert "Signatures" in last.body
    assert squash("Out-of-hours responsible contact") in squash(last.text)


def test_mobile_numbers_never_wrap() -> None:
    text = "\n".join(p.text for p in pages(pdf("long risk assessment")))
    for i in range(6):
        number = f"07700 90010{i}"
        assert any(number in line.replace(NBSP, " ") for line in text.split("\n")), number


def test_a_blank_form_has_room_to_write_and_boxes_to_tick() -> None:
    text = " ".join(p.text for p in pages(pdf("blank risk assessment")))
    assert text.count("☐") > 40 and "☒" not in text
    for question in ("Lone visit approved by the headteacher", "Vehicle",
                     "Why the visit must be outside school hours", "Purpose of visit"):
        assert squash(question) in squash(text)
    # Westside's form says headteacher (the sample school's headteacher is named "Principal")
    assert "Principal" not in text.replace(SAMPLE_SCHOOL.school.headteacher, "")


# --------------------------------------------------------------------------- the Word file


def paragraphs(opened: Any) -> list[Any]:
    return [docx.text.paragraph.Paragraph(p, opened) for p in opened.element.body.iter(qn("w:p"))]


def style_chain_bold(paragraph: Any) -> bool:
    style = paragraph.style
    while style is not None:
        if style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    return False


@pytest.mark.parametrize("name", NAMES)
def test_the_word_file_says_what_the_pdf_says(name: str) -> None:
    document = documents()[name]
    opened = word(name)
    text = "\n".join(p.text for p in paragraphs(opened)).replace(NBSP, " ")
    position = 0
    for item in document.texts():
        found = text.find(item, position)
        assert found >= 0, f"{item!r} missing or out of order"
        position = found + len(item)
    # the same headings as the PDF: each section, then the sign-off
    headings = [p.text for p in paragraphs(opened) if p.style.name == "Heading 1"]
    assert headings == [s.title for s in document.sections] + ["Signatures"]


def test_word_labels_are_bold_and_the_notes_print() -> None:
    opened = word("long risk assessment")
    labels = [p for p in paragraphs(opened) if p.text == "Name of pupil"]
    assert labels and all(style_chain_bold(p) for p in labels)
    notes = [p.text for p in paragraphs(opened) if p.style.name == "Form Notes"]
    assert any("Home Visits Folder" in n for n in notes)
    legend = [p.text for p in paragraphs(opened) if p.style.name == "Form Small"]
    assert legend == ["Entries in bold differ from the generic risk assessment."]


def test_word_sign_off_never_splits_and_matrix_header_repeats() -> None:
    opened = word("long risk assessment")
    signoff = next(t for t in opened.tables if t.rows[0].cells[0].text == "Role")
    for row in signoff.rows:
        cant = row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}")
        assert cant is not None and cant.get(qn("w:val")) == "true"
        for cell in row.cells:
            for paragraph in cell.paragraphs:  # kept with the next: the table on one page
                assert paragraph._p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
    assert [r.cells[0].text for r in signoff.rows[1:]] == [
        "Risk assessment completed by", "Authorised by (DSL)",
        "Permission for a high-risk visit (Principal)"]
    matrix = next(t for t in opened.tables if t.rows[0].cells[0].text == "Hazards")
    assert matrix.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None


def test_word_mobile_numbers_and_tick_boxes_in_the_staff_grid() -> None:
    opened = word("long risk assessment")
    staff = next(t for t in opened.tables if t.rows[0].cells[0].text == "Name"
                 and t.rows[0].cells[2].text == "Mobile number")
    assert staff.rows[1].cells[2].text == f"07700{NBSP}900100"
    assert "☒" in staff.rows[1].cells[3].text and "Yes" in staff.rows[1].cells[3].text
