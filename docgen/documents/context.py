"""Build the printable ``Document`` of a validated form, walking its schema: every field, in the
form's order, with the form's wording. Only the shape of a field decides how it prints:
yes/no and short choices as tick boxes, groups of yes/no answers as one row of boxes, lists
and parts as grids, the hazard matrix as the appendix's table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docgen.config import SchoolConfig
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


def school_header(config: SchoolConfig) -> SchoolHeader:
    s = config.school
    return SchoolHeader(name=s.name, address=s.address, phone=s.phone,
                        logo=str(s.logo) if s.logo else None, trust=s.trust)


GENERIC_ALERT = "Not done yet: act on it now"


def build_document(
    form: FormModel,
    config: SchoolConfig,
    policy: Policy,
    issues: Sequence[Issue] = (),
) -> Document:
    """The printable document of a usable form. Its errors (only those that never block, such
    as a welfare concern not yet reported to the DSL) go in a red banner at the top; its
    warnings in the box for the reviewer."""
    sections = _sections(form)
    alerts = tuple(
        Alert(headline=i.alert or GENERIC_ALERT, message=i.message, field=i.field or "",
              citation=i.citation or "")
        for i in issues if i.is_error
    )
    notices = tuple(
        Notice(field=w.field or "", message=w.message, citation=w.citation or "")
        for w in issues if not w.is_error
    )
    return Document(
        kind=form.form_name,
        title=form.form_title,
        school=school_header(config),
        subject=form.record_label(),
        sections=sections,
        marking=config.documents.marking,
        alerts=alerts,
        warnings=notices,
        signoffs=_signoffs(form, config, policy),
        intro=_intro(form),
    )


def _signoffs(form: FormModel, config: SchoolConfig, policy: Policy) -> tuple[SignOff, ...]:
    """The form's signature lines; a line nobody's name is recorded for carries the name of
    the school's DSL or headteacher from school.toml, when the line is theirs."""
    holders = {
        AuthoriserRole.DSL: config.school.dsl,
        AuthoriserRole.HEADTEACHER: config.school.headteacher,
    }
    lines = []
    for line in form.sign_offs(policy.authorising_roles):
        holder = holders.get(line.signer, "") if line.signer else ""
        lines.append(SignOff(line.role, line.name or holder))
    return tuple(lines)


def _intro(form: FormModel) -> str:
    reference = form.visit_reference
    parts = [form.record_label()]
    if reference:
        parts.append(f"Visit reference {reference}")
    return " · ".join(parts)


# --------------------------------------------------------------------------- the walk


def _sections(form: FormModel) -> tuple[Section, ...]:
    sections: list[Section] = []
    current_title: str | None = None
    blocks: list[Block] = []
    rows: list[Row] = []

    def flush_rows() -> None:
        if rows:
            blocks.append(Block("fields", rows=tuple(rows)))
            rows.clear()

    for node in tree(type(form)):
        if not node.in_workbook:  # the "form" discriminator, not a printed field
            continue
        title = node.section or ""
        if title != current_title:
            flush_rows()
            if current_title is not None:
                sections.append(Section(current_title, tuple(blocks)))
            current_title, blocks = title, []
        for item in _field_items(node, getattr(form, node.name)):
            if isinstance(item, Row):
                rows.append(item)
            else:
                flush_rows()
                blocks.append(item)
    flush_rows()
    if current_title is not None:
        sections.append(Section(current_title, tuple(blocks)))
    return tuple(sections)


def _field_items(node: FieldNode, value: Any) -> list[Row | Block]:
    if node.type is HazardMatrix:
        return [Block("grid", grid=hazard_grid(value))]
    if node.is_list and node.is_part:
        return [Block("grid", grid=_list_grid(node, value or []))]
    if node.is_list:
        names = [f"{i}. {display(v)}" for i, v in enumerate(value or [], start=1)]
        return [Row(node.label, Answer("\n".join(names), blank=not names))]
    if node.is_part:
        return _part_items(node, value)
    return [Row(node.label, answer_for(node, value))]


def _part_items(node: FieldNode, value: Any) -> list[Row | Block]:
    fields = node.children
    if getattr(node.model, "tick_boxes", False):
        flags = [f for f in fields if f.kind == "yesno"]
        others = [f for f in fields if f not in flags]
        # a group of tick boxes ("Is the pupil", "Reason for Visit") and its detail lines
        options = tuple(Option(f.label, bool(value and getattr(value, f.name))) for f in flags)
        out: list[Row | Block] = [Row(node.label, Answer(options=options))]
        for f in others:
            detail = getattr(value, f.name) if value is not None else None
            out.append(Row(f.label, answer_for(f, detail)))
        return out
    # a part such as the vehicle: one grid row, blank cells to fill in by hand
    cells = tuple(_cell(getattr(value, f.name) if value is not None else None)
                  for f in fields)
    return [Block("grid", grid=Grid(tuple(f.label for f in fields), (cells,),
                                    caption=node.label))]


def _list_grid(node: FieldNode, items: list[Any]) -> Grid:
    fields = node.children
    rows = tuple(
        tuple(_cell(getattr(item, f.name)) for f in fields)
        for item in items
    )
    return Grid(tuple(f.label for f in fields), rows, caption=node.label)


def _cell(value: Any) -> Answer:
    if value is None:
        return Answer(blank=True)
    return Answer(display(value))


def answer_for(node: FieldNode, value: Any) -> Answer:
    """The printed answer of a single field."""
    if node.kind == "yesno":
        return Answer(
            text=display(value) if value is not None else "",
            blank=value is None,
            options=(Option("Yes", value is True), Option("No", value is False)),
        )
    if node.kind == "choice" and len(node.type) <= MAX_BOX_OPTIONS:
        return Answer(
            text=value.label if value is not None else "",
            blank=value is None,
            options=tuple(Option(m.label, m is value) for m in node.type),
        )
    if value is None:
        return Answer(blank=True, lines=LONG_BLANK_LINES if node.long else 1)
    return Answer(display(value))


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
    return Grid(columns, tuple(rows), kind="matrix")
