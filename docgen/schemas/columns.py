"""A form as a flat row of columns, derived from its model.

A workbook holds one visit per row, so nested parts become prefixed columns ("Vehicle:
Registration number") and lists become numbered slots ("Staff member 2: Mobile number").
Everything here is computed from the model: the template's headers, its dropdowns, the reader's
header matching and the mapping of an error back to a cell all come from ``columns(model)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel

from docgen.schemas.fields import FieldNode, Path, tree
from docgen.schemas.types import fold


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
    blank_means: Any = None  # what a blank cell stands for (a default, the generic hazard)
    collapsed: bool = False  # folded away in an outline group of the workbook
    minimum: float | None = None  # a number's bounds, from the field's ge/le
    maximum: float | None = None
    asked_by: tuple[str, ...] = ()  # what makes a policy ask it (``field(asked_by=...)``)
    long: bool = False  # free text: a tall cell

    @property
    def key(self) -> str:
        return fold_header(self.header)


def fold_header(text: str) -> str:
    """Headers match case-, space- and punctuation-insensitively, so ``date of visit`` and
    ``Date  of Visit`` are the same column; a trailing ``*`` (required marker) is ignored."""
    text = fold(text.rstrip().rstrip("*"))
    return "".join(ch for ch in text if ch.isalnum())


def _join(prefix: str, label: str) -> str:
    return f"{prefix}: {label}" if prefix else label


@dataclass(frozen=True)
class _Where:
    """What the walk carries down into a part: header prefix, section, whether it is still
    required, its outline group, whether it is folded, what its blanks stand for."""

    prefix: str = ""
    section: str | None = None
    required: bool = True
    group: str | None = None
    collapsed: bool = False
    blank_means: dict[str, Any] | None = None
    asked_by: tuple[str, ...] = ()


@cache
def columns(model: type[BaseModel]) -> tuple[Column, ...]:
    """Every workbook column of a form, in the order of the paper form."""
    return tuple(_columns(model, (), _Where()))


def _columns(model: type[BaseModel], path: Path, where: _Where) -> list[Column]:
    out: list[Column] = []
    defaults = getattr(model, "blank_means", {})
    for node in tree(model):
        if not node.in_workbook:
            continue
        here = (*path, node.name)
        section = where.section or node.section or ""
        required = where.required and node.required
        collapsed = where.collapsed or node.collapsed
        asked_by = where.asked_by or node.asked_by
        if node.is_list:
            for slot in range(node.slots or 1):
                slot_prefix = _join(where.prefix, f"{node.header_prefix} {slot + 1}")
                slot_required = required and slot < node.min_items
                if node.is_part:  # each slot's fields are a group: "Staff member 2"
                    out += _columns(node.model, (*here, slot), _Where(
                        slot_prefix, section, slot_required, slot_prefix, collapsed,
                        asked_by=asked_by))
                else:  # the slots together are a group: "Staff attending"
                    out.append(_leaf(node, (*here, slot), slot_prefix, _Where(
                        slot_prefix, section, slot_required,
                        where.group or node.header_prefix, collapsed, asked_by=asked_by),
                        slot_prefix))
        elif node.is_part:
            prefix = _join(where.prefix, node.header_prefix) if node.header_prefix \
                else where.prefix
            out += _columns(node.model, here, _Where(
                prefix, section, required, where.group or (node.header_prefix or None),
                collapsed, defaults.get(node.name), asked_by))
        else:
            blank = (where.blank_means or {}).get(node.name)
            if blank is None and node.kind == "yesno" and node.default is False:
                blank = False
            out.append(_leaf(node, here, _join(where.prefix, node.label),
                             _Where(where.prefix, section, required, where.group, collapsed,
                                    None, asked_by), node.label, blank))
    return out


def _leaf(node: FieldNode, path: Path, header: str, where: _Where, label: str,
          blank_means: Any = None) -> Column:
    return Column(
        path=path,
        header=header,
        label=label,
        help=node.help,
        required=where.required,
        kind=node.kind,
        choices=node.choices,
        section=where.section or "",
        group=where.group,
        no_echo=node.no_echo,
        blank_means=blank_means,
        collapsed=where.collapsed,
        minimum=node.minimum,
        maximum=node.maximum,
        asked_by=where.asked_by,
        long=node.long,
    )


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


def set_path(data: dict[str, Any], path: Path, value: Any) -> None:
    """Put ``value`` at ``path`` in nested dicts; list slots are dicts keyed by slot number
    until ``compact_slots`` turns them into lists."""
    node: Any = data
    if len(path) == 1:  # most columns: a field of the form itself
        node[path[0]] = value
        return
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


@cache
def _nested(model: type[BaseModel]) -> tuple[FieldNode, ...]:
    """The fields of ``model`` that are lists or parts, in declaration order: the only ones
    ``_compact`` changes or looks into."""
    return tuple(node for node in tree(model) if node.is_list or node.is_part)


def _compact(model: type[BaseModel], data: dict[str, Any], path: Path,
             slot_of: dict[Path, int]) -> None:
    for node in _nested(model):
        if node.name not in data:
            continue
        value = data[node.name]
        if node.is_list and isinstance(value, dict):
            items: list[Any] = []
            for slot in sorted(k for k in value if isinstance(k, int)):
                slot_value = value[slot]
                if node.is_part and isinstance(slot_value, dict):
                    _compact(node.model, slot_value, (*path, node.name, len(items)), slot_of)
                slot_of[(*path, node.name, len(items))] = slot
                items.append(slot_value)
            data[node.name] = items
        elif node.is_part and isinstance(value, dict):
            _compact(node.model, value, (*path, node.name), slot_of)


def workbook_path(loc: Path, slot_of: dict[Path, int]) -> Path:
    """Translate an error location in the compacted data back to workbook slots."""
    out: list[str | int] = []
    for i, step in enumerate(loc):
        if isinstance(step, int):
            out.append(slot_of.get((*loc[:i], step), step))
        else:
            out.append(step)
    return tuple(out)
