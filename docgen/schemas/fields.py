"""A form's fields as a tree, read once from its model: what the workbook columns, the printed
documents, the error messages and the docs all walk.

Each ``FieldNode`` says what a field is (its label, help, section and layout hints from
``field()``), what shape its value has (a leaf ``kind``, a part with ``children``, or a list of
either) and its bounds. The tree is computed once per model and cached; nothing else in docgen
introspects pydantic annotations.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Union

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from docgen.schemas.base import META_KEY, When
from docgen.schemas.types import UNBROKEN_PARSERS, Choice, clean_line, clean_multiline

Path = tuple[str | int, ...]

# The kinds of a leaf value; a group of fields is a "part".
LEAF_KINDS = ("text", "long", "date", "time", "yesno", "choice", "integer", "number")


@dataclass(frozen=True, eq=False)
class FieldNode:
    """One declared field of a form or of a part of it."""

    name: str
    label: str  # the words printed on the paper form
    help: str
    required: bool  # required in the model that declares it
    section: str | None  # the printed heading it falls under (inherited from earlier fields)
    long: bool  # free text: a large box on paper
    slots: int | None  # for a list: how many numbered column groups a workbook offers
    prefix: str | None  # words put before a part's fields in workbook headers
    no_echo: bool  # never repeat the value back (the code-word question)
    in_workbook: bool
    collapsed: bool  # a part whose workbook columns are grouped and folded away
    source: str | None  # why a field not on the paper form was added (policy or practice)
    wording: str | None  # how its words differ from the paper form's, and why
    when: When | None  # the visits it applies to; None: every visit
    asked_by: tuple[str, ...]  # what makes a policy ask it (rule ids, features); (): every policy
    unbroken: bool  # printed on one line (a phone number, a registration)
    info: FieldInfo
    type: Any  # the value's type; for a list, the item's type
    is_list: bool
    kind: str  # one of LEAF_KINDS, or "part"
    children: tuple[FieldNode, ...]  # a part's fields (for a list of parts, the item's)
    min_items: int
    max_length: int | None  # characters for text, items for a list
    minimum: float | None
    maximum: float | None
    free_text: bool  # text typed freely (a name, a line, free text), not a code or a number
    max_chars: int | None  # for free text: the most characters it (or each item) may hold

    @property
    def is_part(self) -> bool:
        return self.kind == "part"

    @property
    def model(self) -> type[BaseModel]:
        """The part's model (only for parts)."""
        assert self.is_part
        return typing.cast(type[BaseModel], self.type)

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self.type.labels()) if self.kind == "choice" else ()

    @property
    def header_prefix(self) -> str:
        """What a workbook header puts before the fields of this part or list item."""
        return self.prefix if self.prefix is not None else self.label

    @property
    def default(self) -> Any:
        return self.info.default


def unwrap(annotation: Any) -> tuple[Any, bool]:
    """The underlying type of an annotation, and whether None is allowed."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation, optional
        else:
            return annotation, optional


def _unbroken(annotation: Any) -> bool:
    """Whether the annotation's value is parsed as a value printed on one line."""
    if typing.get_origin(annotation) is Annotated:
        _, *metadata = typing.get_args(annotation)
        if any(getattr(m, "func", None) in UNBROKEN_PARSERS for m in metadata):
            return True
    return any(_unbroken(arg) for arg in typing.get_args(annotation))


def _when(meta: dict[str, Any]) -> When | None:
    raw = meta.get("when")
    if not raw:
        return None
    return When(field=raw["field"], fact=raw["fact"], because=raw["because"],
                values=tuple(raw["values"]))


def is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _leaf_kind(tp: Any, long: bool) -> str:
    if tp is bool:
        return "yesno"
    if tp is dt.date:
        return "date"
    if tp is dt.time:
        return "time"
    if isinstance(tp, type) and issubclass(tp, Choice):
        return "choice"
    if tp is int:
        return "integer"
    if tp is float:
        return "number"
    return "long" if long else "text"


def _constraint(info: FieldInfo, name: str) -> Any:
    for constraint in info.metadata:
        value = getattr(constraint, name, None)
        if value is not None:
            return value
    return None


def _node(model: type[BaseModel], name: str, section: str | None) -> FieldNode:
    info = model.model_fields[name]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    meta: dict[str, Any] = dict(extra.get(META_KEY) or {})  # type: ignore[arg-type]
    tp, _ = unwrap(info.annotation)
    is_list = typing.get_origin(tp) is list
    if is_list:
        tp = unwrap(typing.get_args(tp)[0])[0]
    long = bool(meta.get("long"))
    kind = "part" if is_model(tp) else _leaf_kind(tp, long)
    minimum, maximum = _constraint(info, "ge"), _constraint(info, "le")
    free, limit = _text_type(info, is_list)
    return FieldNode(
        name=name,
        label=info.title or name.replace("_", " ").capitalize(),
        help=info.description or "",
        required=info.is_required(),
        section=meta.get("section") or section,
        long=long,
        slots=meta.get("slots"),
        prefix=meta.get("prefix"),
        no_echo=bool(meta.get("no_echo")),
        in_workbook=bool(meta.get("in_workbook", True)),
        collapsed=bool(meta.get("collapsed")),
        source=meta.get("source"),
        wording=meta.get("wording"),
        when=_when(meta),
        asked_by=tuple(meta.get("asked_by") or ()),
        unbroken=_unbroken(info.annotation) or any(
            getattr(m, "func", None) in UNBROKEN_PARSERS for m in info.metadata),
        info=info,
        type=tp,
        is_list=is_list,
        kind=kind,
        children=tree(tp) if kind == "part" else (),
        min_items=int(_constraint(info, "min_length") or 0) if is_list else 0,
        max_length=_constraint(info, "max_length"),
        minimum=None if minimum is None else float(minimum),
        maximum=None if maximum is None else float(maximum),
        free_text=free,
        max_chars=limit if free else None,
    )


def _text_type(info: FieldInfo, is_list: bool) -> tuple[bool, int | None]:
    """Whether the field's type is one of the free-text types (Name, Line, Text), and the
    most characters it (each item, for a list) may hold."""
    metadata = list(info.metadata)
    validators = {getattr(m, "func", None) for m in metadata}
    limits = [] if is_list else [m.max_length for m in metadata
                                 if getattr(m, "max_length", None)]
    stack = [info.annotation]
    while stack:
        annotation = stack.pop()
        for m in getattr(annotation, "__metadata__", ()):
            validators.add(getattr(m, "func", None))
            if getattr(m, "max_length", None):
                limits.append(m.max_length)
        stack.extend(typing.get_args(annotation))
    free = bool(validators & {clean_line, clean_multiline})
    return free, min(limits) if limits else None


@cache
def tree(model: type[BaseModel]) -> tuple[FieldNode, ...]:
    """The model's fields in declaration order, each under the section it falls in."""
    out = []
    section: str | None = None
    for name in model.model_fields:
        node = _node(model, name, section)
        section = node.section
        out.append(node)
    return tuple(out)


@cache
def by_name(model: type[BaseModel]) -> dict[str, FieldNode]:
    return {node.name: node for node in tree(model)}


def node_at(model: type[BaseModel], path: Path) -> FieldNode | None:
    """The declared field at ``path``, skipping list indexes; None if the path leaves the form."""
    current: type[BaseModel] | None = model
    node: FieldNode | None = None
    for step in path:
        if isinstance(step, int):
            continue
        if current is None or not isinstance(step, str):
            return None
        node = by_name(current).get(step)
        if node is None:
            return None
        current = node.model if node.is_part else None
    return node


def known_keys(model: type[BaseModel], path: Path) -> list[str]:
    """The field names allowed at ``path`` (the keys of the part it names)."""
    if not path:
        return list(model.model_fields)
    node = node_at(model, path)
    return [child.name for child in node.children] if node is not None else []


def label_for_path(model: type[BaseModel], path: Path) -> str:
    """The printed label of the field at ``path`` (JSON or workbook), with its prefixes:
    ``("staff", 1, "mobile")`` is ``Staff member 2: Mobile number``."""
    parts: list[str] = []
    current: type[BaseModel] | None = model
    i = 0
    while i < len(path) and current is not None:
        step = path[i]
        node = by_name(current).get(step) if isinstance(step, str) else None
        if node is None:
            break
        last = i == len(path) - 1
        if node.is_list and i + 1 < len(path) and isinstance(path[i + 1], int):
            parts.append(f"{node.header_prefix} {int(path[i + 1]) + 1}")
            current = node.model if node.is_part else None
            i += 2
            continue
        if last or not node.is_part:
            parts.append(node.label)
            current = None
        else:
            if node.header_prefix:
                parts.append(node.header_prefix)
            current = node.model
        i += 1
    return ": ".join(parts) if parts else str(getattr(model, "form_title", model.__name__))
