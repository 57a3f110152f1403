"""Build the printable ``Document`` of a validated form, walking its schema: every question the
school's policy asks that applies to the visit, in the form's order, with the form's wording
and the policy's words for its roles. Only the shape of a field decides how it prints: yes/no
and short choices as tick boxes, groups of yes/no answers as one row of boxes, lists and parts
as grids, the hazard matrix as the appendix's table.

What applies is declared on the fields (``field(when=..., asked_by=...)``) and worked out by
``docgen.documents.applies``; a section none of whose questions apply prints one line saying
why. A blank form (``blank_document``) asks every question the policy asks, with room to write.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from docgen.config import SchoolConfig
from docgen.documents.applies import Applicability
from docgen.documents.document import (
    Alert,
    Answer,
    Block,
    Document,
    Grid,
    Notice,
    Option,
    Row,
    SchoolHeader,
    Section,
    SignOff,
)
from docgen.policy import Policy
from docgen.report import Issue
from docgen.schemas.base import FormModel
from docgen.schemas.choices import AuthoriserRole
from docgen.schemas.fields import FieldNode, tree
from docgen.schemas.hazards import HazardMatrix
from docgen.schemas.types import display

MAX_BOX_OPTIONS = 4  # a choice with this many options or fewer prints as tick boxes
LONG_BLANK_LINES = 4
BLANK_GRID_ROWS = 2  # rows to write in of a list on a blank form (unless it names its slots)
FOOTNOTE_MARK = "**"  # as on Appendix 1
BLANK_SUBJECT = "blank form"
MATRIX_LEGEND = "Entries in bold differ from the generic risk assessment."


def school_header(config: SchoolConfig) -> SchoolHeader:
    s = config.school
    return SchoolHeader(name=s.name, address=s.address, phone=s.phone,
                        logo=str(s.logo) if s.logo else None, trust=s.trust)


GENERIC_ALERT = "Not done yet: act on it now"


class Words:
    """A policy's words for what the forms name otherwise (``Policy.wording``): "headteacher"
    reads "Principal" on an ATT form. Whole words, any case; a capital stays a capital."""

    def __init__(self, wording: Mapping[str, str]) -> None:
        self._by_key = {key.casefold(): value for key, value in wording.items()}
        phrases = sorted(wording, key=len, reverse=True)
        self._pattern = re.compile(
            r"(?<!\w)(" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)", re.IGNORECASE
        ) if phrases else None

    def __call__(self, text: str) -> str:
        if self._pattern is None or not text:
            return text
        return self._pattern.sub(self._replace, text)

    def _replace(self, match: re.Match[str]) -> str:
        found = match.group(0)
        word = self._by_key[found.casefold()]
        if found[:1].isupper():
            return word[:1].upper() + word[1:]
        return word


def build_document(
    form: FormModel,
    config: SchoolConfig,
    policy: Policy,
    issues: Sequence[Issue] = (),
) -> Document:
    """The printable document of a usable form. Its errors (only those that never block, such
    as a welfare concern not yet reported to the DSL) go in a red banner at the top; its
    warnings in the box for the reviewer."""
    words = Words(policy.wording)
    alerts = tuple(
        Alert(headline=words(i.alert or GENERIC_ALERT), message=words(i.message),
              field=words(i.field or ""), citation=i.citation or "")
        for i in issues if i.is_error
    )
    notices = tuple(
        Notice(field=words(w.field or ""), message=words(w.message), citation=w.citation or "")
        for w in issues if not w.is_error and w.rule  # policy points, not notes on input
    )
    return _document(form, config, policy, words, blank=False, alerts=alerts,
                     notices=notices, subject=form.record_label(), intro=_intro(form))


def blank_form(model: type[FormModel]) -> FormModel:
    """A form with no answers (every question None, parts at their defaults, the hazard
    matrix at its generic assessment): what a blank paper form prints from."""
    unanswered: dict[str, Any] = {name: None for name, info in model.model_fields.items()
                                  if info.is_required()}
    return model.model_construct(**unanswered)


def blank_document(model: type[FormModel], config: SchoolConfig, policy: Policy) -> Document:
    """The form to fill in by hand: every question the school's policy asks, with tick boxes
    and lines to write on."""
    return _document(blank_form(model), config, policy, Words(policy.wording), blank=True,
                     subject=BLANK_SUBJECT, intro="")


def _document(form: FormModel, config: SchoolConfig, policy: Policy, words: Words, *,
              blank: bool, subject: str, intro: str, alerts: tuple[Alert, ...] = (),
              notices: tuple[Notice, ...] = ()) -> Document:
    text = policy.form_text(form.form_name)
    heading = f"Notes from the {policy.name}" + (f", {text.source}" if text.source else "")
    walk = _Walk(form, Applicability(form, policy, blank=blank), words, text.footnotes)
    return Document(
        kind=form.form_name,
        title=form.form_title,
        school=school_header(config),
        subject=subject,
        sections=walk.sections(),
        marking=config.documents.marking,
        alerts=alerts,
        warnings=notices,
        signoffs=_signoffs(form, config, policy, words),
        intro=intro,
        instructions=tuple(text.notes),
        instructions_heading=heading if text.notes else "",
    )


def _signoffs(form: FormModel, config: SchoolConfig, policy: Policy,
              words: Words) -> tuple[SignOff, ...]:
    """The form's signature lines the policy asks for; a line nobody's name is recorded for
    carries the name of the school's DSL or headteacher from school.toml, when it is theirs."""
    holders = {
        AuthoriserRole.DSL: config.school.dsl,
        AuthoriserRole.HEADTEACHER: config.school.headteacher,
    }
    lines = []
    for line in form.sign_offs(policy.authorising_roles):
        if line.asked_by and not line.name and not any(policy.asks(n) for n in line.asked_by):
            continue
        holder = holders.get(line.signer, "") if line.signer else ""
        lines.append(SignOff(words(line.role), line.name or holder))
    return tuple(lines)


def _intro(form: FormModel) -> str:
    reference = form.visit_reference
    parts = [form.record_label()]
    if reference:
        parts.append(f"Visit reference {reference}")
    return " · ".join(parts)


# --------------------------------------------------------------------------- the walk


class _Walk:
    """The sections of one form: its fields in order, grouped by section, leaving out what
    does not apply and saying why."""

    def __init__(self, form: FormModel, applies: Applicability, words: Words,
                 footnotes: Mapping[str, str]) -> None:
        self.form = form
        self.applies = applies
        self.words = words
        self.footnotes = footnotes
        self.blank = applies.blank

    def sections(self) -> tuple[Section, ...]:
        sections: list[Section] = []
        title: str | None = None
        blocks: list[Block] = []
        rows: list[Row] = []
        skipped: dict[str, list[str]] = {}
        notes: list[str] = []

        def flush_rows() -> None:
            if rows:
                blocks.append(Block("fields", rows=tuple(rows)))
                rows.clear()

        def close() -> None:
            flush_rows()
            if title is None or not (blocks or skipped):
                return  # a section the policy asks none of is not printed at all
            sections.append(Section(self.words(title), tuple(blocks),
                                    self._not_applicable(skipped, bool(blocks)), tuple(notes)))

        for node in tree(type(self.form)):
            if not node.in_workbook:  # the "form" discriminator, not a printed field
                continue
            if (node.section or "") != title:
                close()
                title, blocks, skipped, notes = node.section or "", [], {}, []
            reason = self.applies.skip(node, self.form)
            if reason is not None:
                if reason:  # "": the policy does not ask it, nothing to say
                    skipped.setdefault(reason, []).append(self.words(node.label))
                continue
            footnote = self.footnotes.get(node.name)
            mark = ""
            if footnote:
                mark = FOOTNOTE_MARK + "*" * len(notes)
                notes.append(f"{mark} {footnote}")
            for item in self._items(node, getattr(self.form, node.name), mark):
                if isinstance(item, Row):
                    rows.append(item)
                else:
                    flush_rows()
                    blocks.append(item)
        close()
        return tuple(sections)

    def _not_applicable(self, skipped: dict[str, list[str]], printed: bool) -> tuple[str, ...]:
        if not printed:
            return (f"This section did not apply: {'; '.join(skipped)}.",) if skipped else ()
        return tuple(f"Not applicable, as {reason}: {' · '.join(labels)}"
                     for reason, labels in skipped.items())

    # ----------------------------------------------------------------------- one field

    def _items(self, node: FieldNode, value: Any, mark: str = "") -> list[Row | Block]:
        label = self.words(node.label) + (f" {mark}" if mark else "")
        if node.type is HazardMatrix:
            return [Block("grid", grid=hazard_grid(value))]
        if node.is_list and node.is_part:
            return [Block("grid", grid=self._list_grid(node, value or []))]
        if node.is_list:
            names = [f"{i}. {display(v)}" for i, v in enumerate(value or [], start=1)]
            if not names:
                return [Row(label, Answer(blank=True, lines=node.slots or 1))]
            return [Row(label, Answer("\n".join(names)))]
        if node.is_part:
            return self._part_items(node, value, label)
        return [Row(label, self.answer(node, value))]

    def _part_items(self, node: FieldNode, value: Any, label: str) -> list[Row | Block]:
        fields = node.children
        if getattr(node.model, "tick_boxes", False):
            flags = [f for f in fields if f.kind == "yesno"]
            others = [f for f in fields if f not in flags]
            # a group of tick boxes ("Is the pupil", "Reason for Visit") and its detail lines
            options = tuple(Option(self.words(f.label), bool(value and getattr(value, f.name)))
                            for f in flags)
            out: list[Row | Block] = [Row(label, Answer(options=options))]
            for f in others:
                if self.applies.skip(f, value) is not None:
                    continue  # a detail of a box not ticked
                detail = getattr(value, f.name) if value is not None else None
                out.append(Row(self.words(f.label), self.answer(f, detail)))
            return out
        # a part such as the vehicle: one grid row, blank cells to fill in by hand
        shown = [f for f in fields if self.applies.skip(f, value) is None]
        cells = tuple(self.cell(f, getattr(value, f.name) if value is not None else None)
                      for f in shown)
        return [Block("grid", grid=Grid(tuple(self.words(f.label) for f in shown), (cells,),
                                        caption=label))]

    def _list_grid(self, node: FieldNode, items: list[Any]) -> Grid:
        # a column the policy does not ask is left out, unless an item answers it
        fields = [f for f in node.children
                  if self.applies.asked(f) or any(getattr(i, f.name) is not None for i in items)]
        if items:
            rows = tuple(tuple(self.cell(f, getattr(item, f.name)) for f in fields)
                         for item in items)
        else:  # nothing filled in: rows to complete by hand, tick boxes unticked
            count = (node.slots or BLANK_GRID_ROWS) if self.blank else BLANK_GRID_ROWS
            rows = tuple(tuple(self.cell(f, None) for f in fields) for _ in range(count))
        return Grid(tuple(self.words(f.label) for f in fields), rows,
                    caption=self.words(node.label))

    def cell(self, node: FieldNode, value: Any) -> Answer:
        """A grid cell: yes/no as tick boxes, everything else as text, blank to fill in."""
        if node.kind == "yesno":
            return self.answer(node, value)
        if value is None:
            return Answer(blank=True)
        return Answer(display(value), unbroken=node.unbroken)

    def answer(self, node: FieldNode, value: Any) -> Answer:
        """The printed answer of a single field."""
        if node.kind == "yesno":
            return Answer(
                text=display(value) if value is not None else "",
                blank=value is None,
                options=(Option("Yes", value is True), Option("No", value is False)),
            )
        if node.kind == "choice" and (len(node.type) <= MAX_BOX_OPTIONS
                                      or (self.blank and value is None)):
            # a long list prints its boxes on a blank form only: there is nothing else to go by
            return Answer(
                text=self.words(value.label) if value is not None else "",
                blank=value is None,
                options=tuple(Option(self.words(m.label), m is value) for m in node.type),
            )
        if value is None:
            return Answer(blank=True, lines=LONG_BLANK_LINES if node.long else 1)
        return Answer(display(value), unbroken=node.unbroken)


def hazard_grid(matrix: HazardMatrix) -> Grid:
    """The appendix's matrix: hazards across, the five assessments down. Cells that differ from
    the generic assessment are emphasised."""
    hazards = matrix.items()
    attributes = tree(type(hazards[0][1]))
    generic = matrix.blank_means
    rows = []
    for attribute in attributes:
        cells = [Answer(attribute.label, header=True)]
        for name, cell in hazards:
            value = getattr(cell, attribute.name)
            cells.append(Answer(display(value), emphasis=value != generic[name][attribute.name]))
        rows.append(tuple(cells))
    columns = ("Hazards", *(type(matrix).model_fields[name].title or name for name, _ in hazards))
    changed = any(cell.emphasis for cells in rows for cell in cells)
    return Grid(columns, tuple(rows), kind="matrix", legend=MATRIX_LEGEND if changed else "")
