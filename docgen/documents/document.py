"""The printable document as plain data: what every renderer (DOCX, PDF) draws.

Both renderers walk the same ``Document``, so a Word file and a PDF of the same visit carry the
same labels and answers in the same order. Nothing here knows about Word or HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Option:
    """One box of a tick-box answer."""

    label: str
    ticked: bool

    @property
    def box(self) -> str:
        return "☒" if self.ticked else "☐"


@dataclass(frozen=True)
class Answer:
    """What is printed for one field.

    ``blank`` answers print as lines to complete by hand (``lines`` of them), never as "None".
    ``options`` turns the answer into tick boxes (yes/no and short lists), every option shown.
    """

    text: str = ""
    blank: bool = False
    lines: int = 1
    options: tuple[Option, ...] = ()
    header: bool = False  # a grid's row heading
    emphasis: bool = False  # differs from the generic assessment
    alarm: bool = False  # printed in red: e.g. a visit that must not go ahead
    unbroken: bool = False  # printed on one line: a phone number, a registration

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n") if self.text else []


@dataclass(frozen=True)
class Row:
    label: str
    answer: Answer


@dataclass(frozen=True)
class Grid:
    """A table: a heading per column, then rows of answers (a staff list, the hazard matrix)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Answer, ...], ...]
    kind: Literal["table", "matrix"] = "table"
    caption: str = ""
    # each column's share of the width, in percent (summing to 100); empty: the renderer
    # decides (a wide sheet names them, so that no column is squeezed)
    widths: tuple[int, ...] = ()
    legend: str = ""  # small print under the grid, e.g. what bold cells mean


@dataclass(frozen=True)
class Block:
    """Either question-and-answer rows, or a grid."""

    kind: Literal["fields", "grid"]
    rows: tuple[Row, ...] = ()
    grid: Grid | None = None


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]
    # what the section leaves out for this visit, and why, one line per reason ("Not
    # applicable, as nobody was home: Who was home? · ..."); the only line of a section none
    # of whose questions apply
    not_applicable: tuple[str, ...] = ()
    footnotes: tuple[str, ...] = ()  # the policy's footnotes on the section's questions


@dataclass(frozen=True)
class Notice:
    """A policy warning printed in the box for the reviewer."""

    field: str
    message: str
    citation: str


@dataclass(frozen=True)
class Alert:
    """A gap that must be acted on now, printed in a red banner at the top of the document:
    a welfare concern not yet reported to the DSL, a visit that is not authorised."""

    headline: str  # e.g. "Welfare concern not yet reported to the DSL: report it now"
    message: str = ""  # what exactly, and what to do
    field: str = ""
    citation: str = ""


@dataclass(frozen=True)
class SignOff:
    role: str
    name: str = ""  # printed if known; otherwise a line to write on


@dataclass(frozen=True)
class SchoolHeader:
    name: str
    address: str = ""
    phone: str = ""
    logo: str | None = None  # absolute file path, fetched only by the renderers' own fetchers
    trust: str = ""


@dataclass(frozen=True)
class Document:
    kind: str  # the form name, or "checkins"
    title: str
    school: SchoolHeader
    subject: str  # who the document is about, for the footer: the pupil, or the date
    sections: tuple[Section, ...]
    marking: str = "OFFICIAL-SENSITIVE"
    alerts: tuple[Alert, ...] = ()  # the red banner at the top
    warnings: tuple[Notice, ...] = ()
    signoffs: tuple[SignOff, ...] = ()
    intro: str = ""  # a line under the title
    # the form's own notes from the school's policy (e.g. Appendix 1's), under the title
    instructions: tuple[str, ...] = ()
    instructions_heading: str = ""
    landscape: bool = False
    language: str = "en-GB"
    notes: tuple[str, ...] = field(default=())  # small print at the end

    def texts(self) -> list[str]:
        """Every label and answer in reading order: what a reader of either format sees."""
        out: list[str] = []
        for alert in self.alerts:  # the banner, above the title
            out += [alert.headline, alert.message]
        out.append(self.title)
        if self.intro:
            out.append(self.intro)
        if self.instructions:
            out += [self.instructions_heading, *self.instructions]
        out += [n.message for n in self.warnings]
        for section in self.sections:
            out.append(section.title)
            for block in section.blocks:
                if block.kind == "fields":
                    for row in block.rows:
                        out.append(row.label)
                        out += _answer_texts(row.answer)
                elif block.grid is not None:
                    out += list(block.grid.columns)
                    for cells in block.grid.rows:
                        for cell in cells:
                            out += _answer_texts(cell)
                    out.append(block.grid.legend)
            out += list(section.not_applicable)
            out += list(section.footnotes)
        out += [s.role for s in self.signoffs]
        out += list(self.notes)
        return [t for t in out if t]


def _answer_texts(answer: Answer) -> list[str]:
    if answer.options:
        return [o.label for o in answer.options]
    return answer.paragraphs
