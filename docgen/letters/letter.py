"""A letter as plain data: what the PDF and Word renderers lay out.

The body is a few kinds of block (paragraph, heading, list item, table) made of runs of text,
bold or italic: what a school's wording template may write (see ``wording``), nothing more.
Every string is text, never markup: each renderer escapes it for its format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from docgen.documents.document import SchoolHeader


@dataclass(frozen=True)
class Run:
    text: str  # may hold "\n": a line break
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Cell:
    text: str
    header: bool = False


@dataclass(frozen=True)
class Block:
    kind: Literal["p", "h", "li", "table"]
    runs: tuple[Run, ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = ()  # a table's
    number: int = 0  # a numbered list item's number; 0 for a bullet

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Letter:
    kind: str  # the letter's name, e.g. attendance-concern-2
    title: str  # the subject line
    school: SchoolHeader
    confidential: str  # "Private and confidential: to the parent or carer of ..."
    recipient: tuple[str, ...]  # the addressee's name(s), then the address's lines
    date: str  # "23 November 2026"
    reference: str
    salutation: str  # "Dear Ms Nowak"
    body: tuple[Block, ...]
    closing: str  # "Yours sincerely"
    signatory: str
    signatory_role: str
    pupil: str  # who the letter is about (the footer)
    contact: str = ""  # "Ms Joy Green, Attendance Lead: 01632 960457" (the footer)
    marking: str = ""  # a protective marking for letters that are not to families
    audience: Literal["family", "local-authority", "headteacher"] = "family"
    language: str = "en-GB"

    def texts(self) -> list[str]:
        """Every piece of text in reading order: what a reader of either format sees."""
        out = [self.school.name, self.marking, self.confidential, *self.recipient, self.date,
               self.reference, self.title, self.salutation]
        for block in self.body:
            if block.kind == "table":
                out += [cell.text for row in block.rows for cell in row]
            else:
                out.append(block.text)
        out += [self.closing, self.signatory, self.signatory_role]
        return [t for t in out if t]
