"""Turn raw data into a validated form, and every pydantic error into an Issue a person can act
on: where it is, which field, what was given, how to fix it."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from docgen.report import Issue, Location, Severity, json_path, make_issue, printable
from docgen.schemas.base import FormModel
from docgen.schemas.fields import Path, by_name, known_keys, label_for_path, node_at
from docgen.schemas.types import (
    blank_text,
    display,
    is_not_applicable,
    may_be_pasted,
    pasted_changes,
)

# pydantic's error types, and docgen's own from schemas/types.py, as issue codes
_CODES = {
    "missing": "required",
    "string_type": "required",
    "string_too_long": "too-long",
    "too_short": "too-few",
    "too_long": "too-many",
    "extra_forbidden": "unknown-field",
    "literal_error": "wrong-form",
    "date": "invalid-date",
    "time": "invalid-time",
    "yes_no": "invalid-yes-no",
    "bool_type": "invalid-yes-no",
    "bool_parsing": "invalid-yes-no",
    "choice": "invalid-choice",
    "enum": "invalid-choice",
    "phone": "invalid-phone",
    "upn": "invalid-upn",
    "registration": "invalid-registration",
    "text": "invalid-text",
    "int_parsing": "invalid-number",
    "int_type": "invalid-number",
    "int_from_float": "invalid-number",
    "float_parsing": "invalid-number",
    "float_type": "invalid-number",
    "finite_number": "invalid-number",
    "int_parsing_size": "invalid-number",
    "greater_than_equal": "out-of-range",
    "less_than_equal": "out-of-range",
    "model_type": "invalid-structure",
    "dict_type": "invalid-structure",
    "model_attributes_type": "invalid-structure",
    "list_type": "invalid-structure",
}


@dataclass(frozen=True)
class Place:
    """Where a path of the form sits in the input, and what the user calls it there."""

    location: Location
    label: str


Locator = Callable[[Path], Place]


def json_locator(model: type[FormModel], base: Location, base_path: str) -> Locator:
    def locate(path: Path) -> Place:
        return Place(base.with_(path=base_path + json_path(path)), label_for_path(model, path))

    return locate


def prune_blank(value: Any) -> Any:
    """Blank answers are no answers: drop None and strings with nothing visible in them
    (white space, zero-width characters), at any depth."""
    if isinstance(value, dict):
        return {k: prune_blank(v) for k, v in value.items() if not _is_blank(v)}
    if isinstance(value, list):
        return [prune_blank(v) for v in value if not _is_blank(v)]
    return value


def drop_not_applicable(model: type[BaseModel], data: dict[str, Any],
                        required: bool = True) -> dict[str, Any]:
    """Optional answers written as "n/a" or "-" are no answers: dropped, at any depth. A
    required answer so written is kept, and is then reported as the wrong kind of answer."""
    nodes = by_name(model)
    out: dict[str, Any] = {}
    for key, value in data.items():
        node = nodes.get(key)
        if node is None:
            out[key] = value
            continue
        needed = required and node.required
        if is_not_applicable(value) and not needed:
            continue
        if node.is_part and isinstance(value, dict):
            value = drop_not_applicable(node.model, value, needed)
        elif node.is_list and isinstance(value, list):
            if node.is_part:
                value = [drop_not_applicable(node.model, v, needed) if isinstance(v, dict)
                         else v for v in value]
            else:
                value = [v for v in value if not is_not_applicable(v)]
        out[key] = value
    return out


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and blank_text(value))


def validate_form(
    model: type[FormModel],
    data: dict[str, Any],
    locate: Locator,
    ignore: Callable[[ErrorDetails], bool] | None = None,
) -> tuple[FormModel | None, list[Issue]]:
    """Validate one record. Returns the form, or None and every field problem.

    ``ignore`` drops errors already reported another way (a required workbook column that is
    missing is one error for the file, not one per row)."""
    try:
        form: FormModel | None = model.model_validate(data)
        issues: list[Issue] = []
    except ValidationError as exc:
        errors = [e for e in exc.errors() if ignore is None or not ignore(e)]
        form, issues = None, [describe(model, error, locate) for error in errors]
    refused = {i.location for i in issues}
    for path, change in pasted_text(model, data):
        place = locate(path)
        if place.location not in refused:
            issues.append(make_issue(
                "text-changed",
                f"Text pasted from Word or another program: {change}. Check that it reads as "
                "intended.",
                place.location, severity=Severity.WARNING, field=place.label,
            ))
    return form, issues


def pasted_text(model: type[FormModel], data: Any) -> list[tuple[Path, str]]:
    """Where ``data`` holds text that validation changes (a vertical tab from a Word line
    break becomes a line break ...), and what changes, in reading order."""
    found: list[tuple[Path, str]] = []
    stack: list[tuple[Any, Path]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            meta = node_at(model, path)
            if meta is not None and meta.free_text:
                change = pasted_changes(node, multiline=meta.long)
                if change:
                    found.append((path, change))
            continue
        if isinstance(node, dict):
            items: Iterable[tuple[Any, Any]] = node.items()
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            continue
        # plain text on one line (most answers), numbers and dates hold nothing to warn
        # about: passed over without building their paths or looking up their fields
        inner = [(v, (*path, k)) for k, v in items
                 if (may_be_pasted(v) if isinstance(v, str) else isinstance(v, dict | list))]
        stack.extend(reversed(inner))
    return found


def describe(model: type[FormModel], error: ErrorDetails, locate: Locator) -> Issue:
    loc: Path = tuple(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    meta = node_at(model, loc)
    if kind == "extra_forbidden":
        place = locate(loc)
        parent = node_at(model, loc[:-1]) if len(loc) > 1 else None
        siblings = known_keys(model, loc[:-1])
        guess = difflib.get_close_matches(str(loc[-1]), siblings, n=1)
        hint = f" Did you mean '{guess[0]}'?" if guess else ""
        where = f"'{parent.label}'" if parent else f"the {model.form_title}"
        return make_issue(
            "unknown-field",
            f"'{printable(str(loc[-1]))}' is not a field of {where}; remove it or correct its "
            f"name.{hint}",
            place.location,
            field=str(loc[-1]),
        )
    place = locate(loc)
    help_text = f" {meta.help}" if meta and meta.help else ""
    if kind == "missing" or (kind == "string_type" and value is None):
        message = f"Required: fill in '{place.label}'.{help_text}"
        value = None
    elif kind == "string_too_long" or (kind == "too_long" and isinstance(value, str)):
        # pydantic says too_long, as for a list, of an optional text's max_length
        length = len(value) if isinstance(value, str) else "?"
        message = (
            f"Too long: {length} characters where at most {ctx.get('max_length')} are allowed. "
            "Shorten it."
        )
    elif kind == "too_short":
        message = (
            f"Give at least {ctx.get('min_length')} for '{place.label}'.{help_text}"
        )
    elif kind == "too_long":
        message = f"At most {ctx.get('max_length')} entries are allowed for '{place.label}'."
    elif kind == "literal_error":
        message = f"The form must be '{model.form_name}' here."
    elif kind in ("int_parsing", "int_type", "int_from_float"):
        message = "Not a whole number. Type digits only, e.g. 15."
    elif kind in ("float_parsing", "float_type"):
        message = "Not a number. Type digits only, e.g. 68.5."
    elif kind == "finite_number":
        message = "Not a usable number (infinite, or not a number). Type digits only, e.g. 15."
    elif kind == "int_parsing_size":
        message = "Far too many digits for a number here. Type the number itself, e.g. 15."
    elif kind in ("greater_than_equal", "less_than_equal"):
        low = _shown(meta.minimum if meta else None)
        high = _shown(meta.maximum if meta else None)
        message = f"Out of range: give a number from {low} to {high}."
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = "Expected a group of fields (a JSON object) here."
    elif kind == "list_type":
        message = "Expected a list here."
    elif kind == "string_type":
        message = "Expected text here."
    elif kind in ("bool_type", "bool_parsing"):
        message = "Not a yes/no answer. Type Yes or No."
    else:
        message = error["msg"]
        given = ctx.get("value")
        if isinstance(given, str) and given:
            # the value echoed inside the message: inert and cut, like Issue.value
            message = message.replace(given, printable(given) or "")
    if meta and meta.no_echo and value is not None:
        value = None
        message = (
            "Only Yes or No belongs here. Never write the code word itself in a form: "
            "delete it from the form."
        )
    code = _CODES.get(kind, "invalid-value")
    if kind == "too_long" and isinstance(value, str):
        code = "too-long"
    if kind == "string_type" and value is not None:
        code = "invalid-text"  # a number or a list where text belongs: not a blank answer
    return make_issue(code, message, place.location, field=place.label, value=_echo(value))


def _echo(value: Any) -> Any:
    if isinstance(value, dict | list):
        return None
    return value


def _shown(bound: float | None) -> str:
    return "?" if bound is None else display(bound)
