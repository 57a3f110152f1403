"""What every form model shares: the ``field()`` helper that attaches a printed label, help text
and layout hints, and the ``FormModel`` base class.

A form's fields are declared once, in its model. The printed label is the field's JSON Schema
``title``, the help text its ``description``; layout hints (section, slots in a workbook, long
text, no echo of the value) live under the ``x-docgen`` key of the field's JSON Schema, so that
other consumers of the schema can see them too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import PydanticUndefined

from docgen.schemas.choices import AuthoriserRole
from docgen.schemas.types import LINE_MAX, NAME_MAX, TEXT_MAX

META_KEY = "x-docgen"


@dataclass(frozen=True)
class When:
    """When a field applies to a visit: while another answer of the same form (or part) is one
    of ``values``, or while a named ``fact`` about the visit holds (``docgen.documents.applies``
    works facts out, some with the school's policy: "the visit is outside school hours").

    A printed form leaves out a question that does not apply and was left empty, and says
    ``because`` (e.g. "nobody was home"); an answer given is always printed. A question whose
    controlling answer is not given does not apply (the form says so); every question of a
    blank form, and one whose fact is not known yet (no visit time), applies."""

    field: str = ""
    values: tuple[Any, ...] = (True,)
    fact: str = ""
    because: str = ""

    def __post_init__(self) -> None:
        if bool(self.field) == bool(self.fact):
            raise ValueError("When needs either a field or a fact")


def field(
    label: str,
    help: str = "",
    *,
    default: Any = PydanticUndefined,
    default_factory: Any = None,
    section: str | None = None,
    long: bool = False,
    slots: int | None = None,
    prefix: str | None = None,
    no_echo: bool = False,
    in_workbook: bool = True,
    collapsed: bool = False,
    source: str | None = None,
    wording: str | None = None,
    when: When | None = None,
    asked_by: tuple[str, ...] = (),
    max_length: int | None = None,
    **constraints: Any,
) -> Any:
    """Declare a form field.

    label: the words printed on the paper form and used as the workbook header.
    help: one or two sentences telling a member of staff what to write.
    section: heading the field sits under on the printed form (inherited by later fields).
    long: free text that gets a large box and wraps.
    slots: for a list, how many numbered column groups a workbook offers.
    prefix: for a nested model, the words put before its fields' labels in a workbook header
        (defaults to the label).
    no_echo: never repeat the value in an error message (the code-word question).
    in_workbook: False for fields a workbook does not carry as a column.
    collapsed: for a part, its workbook columns are grouped and folded away (the hazard
        matrix, which keeps its generic assessment unless a cell is changed).
    source: for a field that is not on the paper form (the appendix), the policy paragraph or
        the practice that justifies adding it, quoted briefly. docs/forms.md lists them.
    wording: for a field whose words differ from the paper form's, what changed and why.
    when: the visits the field applies to (``When``); a printed form leaves it out otherwise.
    asked_by: for a field only some policies ask, what makes a policy ask it: the ids of the
        rules that read it, or a feature of the policy (``Policy.asks``). A policy that has
        none of them does not print the question (an answer given is printed all the same).
    """
    meta: dict[str, Any] = {}
    if section:
        meta["section"] = section
    if long:
        meta["long"] = True
    if slots:
        meta["slots"] = slots
    if prefix is not None:
        meta["prefix"] = prefix
    if no_echo:
        meta["no_echo"] = True
    if not in_workbook:
        meta["in_workbook"] = False
    if collapsed:
        meta["collapsed"] = True
    if source:
        meta["source"] = source
    if wording:
        meta["wording"] = wording
    if when is not None:
        meta["when"] = {"field": when.field, "fact": when.fact, "because": when.because,
                        "values": [_schema_value(v) for v in when.values]}
    if asked_by:
        meta["asked_by"] = list(asked_by)
    kwargs: dict[str, Any] = {"title": label, "description": help or None, **constraints}
    if meta:
        kwargs["json_schema_extra"] = {META_KEY: meta}
    if max_length is not None:
        kwargs["max_length"] = max_length
    if default_factory is not None:
        return Field(default_factory=default_factory, **kwargs)
    return Field(default, **kwargs)


def _schema_value(value: Any) -> Any:
    """A condition's value as JSON (a choice by its stored value)."""
    return getattr(value, "value", value)


def name_field(label: str, help: str = "", **kw: Any) -> Any:
    kw.setdefault("max_length", NAME_MAX)
    return field(label, help, **kw)


def line_field(label: str, help: str = "", **kw: Any) -> Any:
    kw.setdefault("max_length", LINE_MAX)
    return field(label, help, **kw)


def text_field(label: str, help: str = "", **kw: Any) -> Any:
    """Free text: a large box on paper, wrapped cells in a workbook."""
    kw.setdefault("max_length", TEXT_MAX)
    return field(label, help, long=True, **kw)


@dataclass(frozen=True)
class SignOffLine:
    """A signature line on the printed form: the role, the name recorded on the form if any,
    whose name to print otherwise (the school's DSL or headteacher) and, for a line only some
    policies ask for, what makes a policy ask it (as ``field(asked_by=...)``)."""

    role: str
    name: str | None = None
    signer: AuthoriserRole | None = None
    asked_by: tuple[str, ...] = ()


class Part(BaseModel):
    """A group of fields inside a form (a staff member, the vehicle, one hazard).

    Validators are built on first use (``defer_build``): a run that reads only visit reports
    never spends the time and memory to build the risk assessment's."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    # True for a row of tick boxes on paper ("Is the pupil: [] CP/CIN [] CME ..."): its yes/no
    # fields print as boxes on one line, any text fields as detail lines after it.
    tick_boxes: ClassVar[bool] = False

    # What a blank answer stands for, by field and then by the field's own fields: the hazard
    # matrix's generic assessment. A workbook leaves these cells blank and says so.
    blank_means: ClassVar[dict[str, dict[str, Any]]] = {}


IDENTITY_FIELDS = ("pupil_name", "visit_date", "visit_reference")


def _key_text(text: str) -> str:
    return " ".join(text.casefold().split())


class FormModel(Part):
    """A complete form: one visit's risk assessment, or one visit's report.

    Every form names the pupil, the date of the visit and (optionally) the school's reference
    for it. Each form declares these fields itself, where its paper puts them (pydantic would
    print inherited fields first); the base names them so that code downstream reads them
    typed, and refuses a form class that lacks one.
    """

    form_name: ClassVar[str]  # the value of the JSON ``form`` field, and the CLI's FORM name
    form_title: ClassVar[str]  # the printed title
    paper: ClassVar[str]  # the paper form it follows, e.g. "Appendix 1 of the ATT procedure"
    sheet_title: ClassVar[str]  # the workbook sheet holding one row per visit
    # What the workbook's Instructions sheet says about this form beyond the general notes.
    workbook_notes: ClassVar[tuple[str, ...]] = ()

    if TYPE_CHECKING:
        pupil_name: str
        visit_date: dt.date
        visit_reference: str | None

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        missing = [name for name in IDENTITY_FIELDS if name not in cls.model_fields]
        if missing:
            raise TypeError(f"form {cls.__name__} must declare {', '.join(missing)}")

    def visit_key(self) -> str:
        """Which visit this form is about, the same on the risk assessment and the report of
        one visit: the school's visit reference when given, else the pupil and the date."""
        if self.visit_reference:
            return "ref:" + _key_text(self.visit_reference)
        return f"visit:{_key_text(self.pupil_name)}:{self.visit_date.isoformat()}"

    def record_label(self) -> str:
        """A short name for this record in reports, e.g. ``Jane Smith, 23/11/2026``."""
        # what strftime('%d/%m/%Y') gives, without its cost (C's strftime, for every record)
        when = self.visit_date
        return f"{self.pupil_name}, {when.day:02d}/{when.month:02d}/{when.year}"

    def sign_offs(self, authorisers: list[AuthoriserRole]) -> list[SignOffLine]:
        """Who signs the printed form. ``authorisers`` are the roles the school's policy
        names for authorising a visit. A blank form (every answer None) has every line."""
        return []
