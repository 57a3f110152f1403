"""What a printed PDF's pages hold, read back with pypdf: the checks every rendered form must
pass, for the samples (tests/documents/test_pdf.py) and for long, messy and blank forms
(tests/documents/test_print_layout.py).

A page's text reads its content first, then the running header (pages after the first: a
continued section's heading and the marking), then the footer."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

from pypdf import PdfReader

from docgen.documents.document import Document

SIGNATURES = "Signatures"
CONTINUED = " (continued)"
MATRIX_HEADER = "Attack by dog or other animal"  # the matrix header row's last column


def squash(text: str) -> str:
    return "".join(text.split())


@dataclass(frozen=True)
class Page:
    number: int
    body: list[str]  # the lines of the page's content
    header: str  # the running header ("" on the first page)
    text: str  # everything on the page

    @property
    def continued(self) -> str:
        """The heading of the section the header says runs on to this page, or ""."""
        at = self.header.find(CONTINUED)
        return self.header[:at].strip() if at >= 0 else ""


@lru_cache(maxsize=64)
def pages(pdf: bytes) -> tuple[Page, ...]:
    """The pages of ``pdf`` (read once: pypdf takes a while over a long form)."""
    out = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        text = page.extract_text()
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        furniture = 1 if number == 1 else 2  # the footer; the header after the first page
        header = lines[-2] if number > 1 and len(lines) >= 2 else ""
        out.append(Page(number, lines[:-furniture], header, text))
    return tuple(out)


def layout_problems(pdf: bytes, doc: Document) -> list[str]:
    """Every way the pages of ``pdf`` fail a person reading ``doc`` on paper: a blank page or
    one holding only headings or only the sign-off, a heading ending a page, a sign-off split
    over two pages, a continued section not named at the top of its page (or a page naming
    one wrongly), a page of the hazard matrix without its header row."""
    problems = []
    titles = [s.title for s in doc.sections] + ([SIGNATURES] if doc.signoffs else [])
    signoff_words = [SIGNATURES, "Role Name Signature Date",
                     *(s.role for s in doc.signoffs), *(s.name for s in doc.signoffs)]
    seen: set[str] = set()
    current = ""
    found = pages(pdf)
    for page in found:
        where = f"page {page.number} of {len(found)}"
        # something besides headings and the sign-off
        rest = squash(" ".join(page.body))
        for words in sorted(set(titles + signoff_words), key=len, reverse=True):
            rest = rest.replace(squash(words), "")
        if not rest.strip("0123456789."):  # a list's number alone is nothing
            problems.append(f"{where} holds only headings or the sign-off: {page.body}")
        if page.body and page.body[-1] in titles:
            problems.append(f"{where} ends with the heading {page.body[-1]!r}")
        # the header names the section the page starts in, and only then
        if page.number > 1:
            first = page.body[0] if page.body else ""
            starts_new = first in titles and first not in seen
            if starts_new and page.continued:
                problems.append(f"{where} starts {first!r} yet says {page.header!r}")
            if not starts_new and current and current != SIGNATURES \
                    and page.continued != current:
                problems.append(f"{where} continues {current!r} but its header says "
                                f"{page.header!r}")
            if page.continued and page.continued not in seen:
                problems.append(f"{where} says {page.continued!r} continues before it began")
            if page.continued == "Hazards" and squash(MATRIX_HEADER) not in squash(page.text):
                problems.append(f"{where} holds hazard rows without the matrix header row")
        for line in page.body:
            if line in titles:
                seen.add(line)
                current = line
    # the sign-off on one page, whole
    if doc.signoffs:
        holding = [p for p in found if any(line == SIGNATURES for line in p.body)]
        if len(holding) != 1:
            problems.append(f"the sign-off heading is on {len(holding)} pages")
        else:
            page_text = squash(holding[0].text)
            for s in doc.signoffs:
                if squash(s.role) not in page_text:
                    problems.append(f"sign-off line {s.role!r} is not on page "
                                    f"{holding[0].number} with its heading")
    return problems
