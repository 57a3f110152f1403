"""A draft read as far as it goes: the form object of answers that may not validate yet, for
working out which of its questions apply (``docgen.documents.applies``) while it is typed.

Each answer is parsed by its own field's type, as validation would parse it; an answer that
does not parse yet, and a required answer not given, count as not answered (None), as on a
blank form. A draft that validates is simply its form.
"""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Annotated, Any, Union

from pydantic import BaseModel, TypeAdapter, ValidationError

from docgen.schemas.fields import FieldNode, tree
from docgen.schemas.parse import drop_not_applicable, prune_blank


def draft_form(model: type[BaseModel], data: dict[str, Any]) -> Any:
    """The form (or part) ``model`` with every answer of ``data`` that parses: never raises.

    ``data`` is nested, as a JSON record (``docgen.web.forms.nested``)."""
    return _lenient(model, drop_not_applicable(model, prune_blank(data), required=False))


def _lenient(model: type[BaseModel], data: dict[str, Any]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError:
        pass
    values: dict[str, Any] = {}
    for node in tree(model):
        if node.name in data:
            value = _value(model, node, data[node.name])
            if value is not None or node.required:
                values[node.name] = value  # an optional answer that does not parse: its default
        elif node.required:
            values[node.name] = None
    return model.model_construct(**values)


def _value(model: type[BaseModel], node: FieldNode, raw: Any) -> Any:
    if node.is_list:
        if not isinstance(raw, list):
            return None
        items = [_one(model, node, item) for item in raw]
        return [item for item in items if item is not None]
    return _one(model, node, raw)


def _one(model: type[BaseModel], node: FieldNode, raw: Any) -> Any:
    if node.is_part:
        return _lenient(node.model, raw) if isinstance(raw, dict) else None
    try:
        return _adapter(model, node.name).validate_python(raw)
    except ValidationError:
        return None


@cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    """The parser of one answer of the field (of one item, for a list), with its constraints."""
    info = model.model_fields[name]
    item = _list_item(info.annotation)
    if item is not None:
        return TypeAdapter(item)
    annotation: Any = info.annotation
    if info.metadata:
        annotation = Annotated[(annotation, *info.metadata)]
    return TypeAdapter(annotation)


def _list_item(annotation: Any) -> Any:
    """The item's annotation (validators kept) of a list annotation, or None if not a list."""
    origin = typing.get_origin(annotation)
    if origin is list:
        return typing.get_args(annotation)[0]
    if origin is Annotated:
        return _list_item(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _list_item(arg)
            if found is not None:
                return found
    return None
