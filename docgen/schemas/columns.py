"""A form as a flat row of columns, derived from its model.

A workbook holds one visit per row, so nested parts become prefixed columns ("Vehicle:
Registration number") and lists become numbered slots ("Staff member 2: Mobile number").
Everything here is computed from the model: the template's headers, its dropdowns, the reader's
header matching and the mapping of an error back to a cell all come from ``columns(model)``.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Union

from pydantic import BaseModel

from docgen.schemas.base import FieldMeta, iter_fields
from docgen.schemas.types import Choice, fold

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Column:
    """One workbook column of a form."""

    path: Path  # where the value goes in the model's data, list slots 0-based
    header: str  # the workbook header: prefixes and the field's printed label
    label: str  # the field's own printed label
    help: str
    required: bool  # a blank cell is an error
    kind: str  # text | long | date | time | yesno | choice | integer | number
    choices: tuple[str, ...]  # dropdown labels, for kind == "choice"
    section: str
    group: str | None  # the part it belongs to (a staff slot, a hazard), for outline grouping
    no_echo: bool
    default_text: str | None  # what a blank cell means, when it means something
    minimum: float | None = None  # a number's bounds, from the field's ge/le
    maximum: float | None = None

    @property
    def key(self) -> str:
        return fold_header(self.header)


def fold_header(text: str) -> str:
    """Headers match case-, space- and punctuation-insensitively, so ``date of visit`` and
    ``Date  of Visit`` are the same column; a trailing ``*`` (required marker) is ignored."""
    text = fold(text.rstrip().rstrip("*"))
    return "".join(ch for ch in text if ch.isalnum())


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


def is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def list_item(tp: Any) -> Any | None:
    if typing.get_origin(tp) is list:
        return unwrap(typing.get_args(tp)[0])[0]
    return None


def kind_of(tp: Any, meta: FieldMeta) -> str:
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
    return "long" if meta.long else "text"


def _join(prefix: str, label: str) -> str:
    return f"{prefix}: {label}" if prefix else label


def _default_text(meta: FieldMeta, kind: str) -> str | None:
    default = meta.info.default
    if kind == "yesno" and default is False:
        return "No"
    return None


@cache
def columns(model: type[BaseModel]) -> tuple[Column, ...]:
    """Every workbook column of a form, in the order of the paper form."""
    return tuple(_columns(model, (), "", None, True, None))


def _columns(
    model: type[BaseModel],
    path: Path,
    prefix: str,
    section: str | None,
    required: bool,
    group: str | None,
) -> list[Column]:
    out: list[Column] = []
    for meta in iter_fields(model):
        if not meta.in_workbook:
            continue
        tp, _ = unwrap(meta.info.annotation)
        sec = section or meta.section or ""
        here = (*path, meta.name)
        field_required = required and meta.required
        sub_prefix = meta.prefix if meta.prefix is not None else meta.label
        item = list_item(tp)
        if item is not None:
            slots = meta.slots or 1
            min_items = _min_length(meta)
            for slot in range(slots):
                slot_prefix = _join(prefix, f"{sub_prefix} {slot + 1}")
                slot_required = field_required and slot < min_items
                if is_model(item):
                    out += _columns(item, (*here, slot), slot_prefix, sec, slot_required,
                                    slot_prefix)
                else:
                    out.append(_leaf(item, meta, (*here, slot), slot_prefix, sec,
                                     slot_required, group or sub_prefix, label=slot_prefix))
        elif is_model(tp):
            nested_prefix = _join(prefix, sub_prefix) if sub_prefix else prefix
            out += _columns(tp, here, nested_prefix, sec, field_required,
                            group or (sub_prefix or None))
        else:
            out.append(_leaf(tp, meta, here, _join(prefix, meta.label), sec, field_required,
                             group))
    return out


def _leaf(
    tp: Any,
    meta: FieldMeta,
    path: Path,
    header: str,
    section: str,
    required: bool,
    group: str | None,
    label: str | None = None,
) -> Column:
    kind = kind_of(tp, meta)
    choices = tuple(tp.labels()) if kind == "choice" else ()
    return Column(
        path=path,
        header=header,
        label=label or meta.label,
        help=meta.help,
        required=required,
        kind=kind,
        choices=choices,
        section=section,
        group=group,
        no_echo=meta.no_echo,
        default_text=_default_text(meta, kind),
        minimum=bound(meta, "ge"),
        maximum=bound(meta, "le"),
    )


def bound(meta: FieldMeta, name: str) -> float | None:
    """A numeric constraint of the field (``ge`` or ``le``), if it has one."""
    for constraint in meta.info.metadata:
        value = getattr(constraint, name, None)
        if value is not None:
            return float(value)
    return None


def _min_length(meta: FieldMeta) -> int:
    for constraint in meta.info.metadata:
        value = getattr(constraint, "min_length", None)
        if value is not None:
            return int(value)
    return 0


@cache
def columns_by_key(model: type[BaseModel]) -> dict[str, Column]:
    return {c.key: c for c in columns(model)}


@cache
def columns_by_path(model: type[BaseModel]) -> dict[Path, Column]:
    return {c.path: c for c in columns(model)}


def first_column_under(model: type[BaseModel], path: Path) -> Column | None:
    """The first column at or below ``path``: where an error about a whole part points."""
    for column in columns(model):
        if column.path[: len(path)] == path:
            return column
    return None


# --------------------------------------------------------------------------- labels for paths


def label_for_path(model: type[BaseModel], path: Path) -> str:
    """The printed label of the field at ``path`` (JSON or workbook), with its prefixes:
    ``("staff", 1, "mobile")`` is ``Staff member 2: Mobile number``."""
    parts: list[str] = []
    current: Any = model
    i = 0
    while i < len(path) and is_model(current):
        step = path[i]
        if not isinstance(step, str) or step not in current.model_fields:
            break
        meta = next(m for m in iter_fields(current) if m.name == step)
        tp, _ = unwrap(meta.info.annotation)
        item = list_item(tp)
        sub_prefix = meta.prefix if meta.prefix is not None else meta.label
        last = i == len(path) - 1
        if item is not None and i + 1 < len(path) and isinstance(path[i + 1], int):
            parts.append(f"{sub_prefix} {int(path[i + 1]) + 1}")
            current = item
            i += 2
            continue
        if last or not is_model(tp):
            parts.append(meta.label)
            current = None
        elif sub_prefix:
            parts.append(sub_prefix)
            current = tp
        else:
            current = tp
        i += 1
    return ": ".join(parts) if parts else str(getattr(model, "form_title", model.__name__))


def set_path(data: dict[str, Any], path: Path, value: Any) -> None:
    """Put ``value`` at ``path`` in nested dicts; list slots are dicts keyed by slot number
    until ``compact_slots`` turns them into lists."""
    node: Any = data
    for step in path[:-1]:
        node = node.setdefault(step, {})
    node[path[-1]] = value


def compact_slots(model: type[BaseModel], data: dict[str, Any]) -> dict[Path, int]:
    """Turn slot dicts into lists, dropping empty slots, in place.

    Returns where each list item came from: ``{("staff", 0): 1}`` means the first staff member
    in the data is the workbook's "Staff member 2", because slot 1 was left blank.
    """
    slot_of: dict[Path, int] = {}
    _compact(model, data, (), slot_of)
    return slot_of


def _compact(model: type[BaseModel], data: dict[str, Any], path: Path,
             slot_of: dict[Path, int]) -> None:
    for meta in iter_fields(model):
        if meta.name not in data:
            continue
        tp, _ = unwrap(meta.info.annotation)
        item = list_item(tp)
        value = data[meta.name]
        if item is not None and isinstance(value, dict):
            items: list[Any] = []
            for slot in sorted(k for k in value if isinstance(k, int)):
                slot_value = value[slot]
                if is_model(item) and isinstance(slot_value, dict):
                    _compact(item, slot_value, (*path, meta.name, len(items)), slot_of)
                slot_of[(*path, meta.name, len(items))] = slot
                items.append(slot_value)
            data[meta.name] = items
        elif is_model(tp) and isinstance(value, dict):
            _compact(tp, value, (*path, meta.name), slot_of)


def workbook_path(loc: Path, slot_of: dict[Path, int]) -> Path:
    """Translate an error location in the compacted data back to workbook slots."""
    out: list[str | int] = []
    for i, step in enumerate(loc):
        if isinstance(step, int):
            out.append(slot_of.get((*loc[:i], step), step))
        else:
            out.append(step)
    return tuple(out)


def field_at(model: type[BaseModel], path: Path) -> FieldMeta | None:
    """The declared field at ``path``, skipping list indexes; None if the path leaves the form."""
    current: Any = model
    meta: FieldMeta | None = None
    for step in path:
        if isinstance(step, int):
            continue
        if not is_model(current) or step not in current.model_fields:
            return None
        meta = next(m for m in iter_fields(current) if m.name == step)
        tp, _ = unwrap(meta.info.annotation)
        current = list_item(tp) or tp
    return meta
