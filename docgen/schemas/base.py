"""What every form model shares: the ``field()`` helper that attaches a printed label, help text
and layout hints, and the ``FormModel`` base class.

A form's fields are declared once, in its model. The printed label is the field's JSON Schema
``title``, the help text its ``description``; layout hints (section, slots in a workbook, long
text, no echo of the value) live under the ``x-docgen`` key of the field's JSON Schema, so that
other consumers of the schema can see them too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from docgen.schemas.choices import AuthoriserRole
from docgen.schemas.types import LINE_MAX, NAME_MAX, TEXT_MAX

META_KEY = "x-docgen"


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
    kwargs: dict[str, Any] = {"title": label, "description": help or None, **constraints}
    if meta:
        kwargs["json_schema_extra"] = {META_KEY: meta}
    if max_length is not None:
        kwargs["max_length"] = max_length
    if default_factory is not None:
        return Field(default_factory=default_factory, **kwargs)
    return Field(default, **kwargs)


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
class FieldMeta:
    """The metadata docgen reads back from a declared field."""

    name: str
    label: str
    help: str
    required: bool
    section: str | None
    long: bool
    slots: int | None
    prefix: str | None
    no_echo: bool
    in_workbook: bool
    info: FieldInfo


def field_meta(model: type[BaseModel], name: str) -> FieldMeta:
    info = model.model_fields[name]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    meta: dict[str, Any] = dict(extra.get(META_KEY) or {})  # type: ignore[arg-type]
    return FieldMeta(
        name=name,
        label=info.title or name.replace("_", " ").capitalize(),
        help=info.description or "",
        required=info.is_required(),
        section=meta.get("section"),
        long=bool(meta.get("long")),
        slots=meta.get("slots"),
        prefix=meta.get("prefix"),
        no_echo=bool(meta.get("no_echo")),
        in_workbook=bool(meta.get("in_workbook", True)),
        info=info,
    )


def iter_fields(model: type[BaseModel]) -> list[FieldMeta]:
    """The model's fields in declaration order, each with the section it falls under."""
    out = []
    section: str | None = None
    for name in model.model_fields:
        meta = field_meta(model, name)
        section = meta.section or section
        if meta.section != section:
            meta = FieldMeta(**{**meta.__dict__, "section": section})
        out.append(meta)
    return out


@dataclass(frozen=True)
class SignOffLine:
    """A signature line on the printed form: the role, the name recorded on the form if any,
    and whose name to print otherwise (the school's DSL or headteacher)."""

    role: str
    name: str | None = None
    signer: AuthoriserRole | None = None


class Part(BaseModel):
    """A group of fields inside a form (a staff member, the vehicle, one hazard)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # True for a row of tick boxes on paper ("Is the pupil: [] CP/CIN [] CME ..."): its yes/no
    # fields print as boxes on one line, any text fields as detail lines after it.
    tick_boxes: ClassVar[bool] = False


class FormModel(Part):
    """A complete form: one visit's risk assessment, or one visit's report."""

    form_name: ClassVar[str]  # the value of the JSON ``form`` field, and the CLI's FORM name
    form_title: ClassVar[str]  # the printed title
    sheet_title: ClassVar[str]  # the workbook sheet holding one row per visit

    def record_label(self) -> str:
        """A short name for this record in reports, e.g. ``Jane Smith, 23/11/2026``."""
        raise NotImplementedError

    def sign_offs(self, authorisers: list[AuthoriserRole]) -> list[SignOffLine]:
        """Who signs the printed form. ``authorisers`` are the roles the school's policy
        names for authorising a visit."""
        return []
