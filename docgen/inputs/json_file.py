"""Read a JSON file of forms: one object, or a list of them. No form knowledge here."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.inputs.errors import SNIFF_BYTES, UnreadableInput, not_json, read_checked
from docgen.inputs.lockfiles import is_lock_file, lock_file_message
from docgen.report import json_path

MAX_JSON_BYTES = 20 * 1024 * 1024


@dataclass
class JsonRecord:
    data: Any
    path: str  # "$" for a lone object, "$[3]" for the fourth in a list


@dataclass
class JsonDocument:
    records: list[JsonRecord]
    # keys given twice in one object: (the key's JSON path, e.g. "$[1].staff[0].mobile", key)
    duplicate_keys: list[tuple[str, str]] = field(default_factory=list)


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys it was given more than once."""

    duplicates: list[str]


MAX_DEPTH = 32  # a form is at most five levels deep; anything far deeper is not a form


def _duplicate_paths(data: Any, name: str) -> list[tuple[str, str]]:
    """Where the duplicated keys are, in document order (iterative: no recursion limit).
    Refuses data nested deeper than any form could be."""
    found: list[tuple[str, str]] = []
    stack: list[tuple[Any, str, int]] = [(data, "$", 0)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_DEPTH and isinstance(node, dict | list):
            raise UnreadableInput(
                name, f"is nested more than {MAX_DEPTH} levels deep at {path[:80]}; a form "
                "is never that deep."
            )
        if isinstance(node, _Object):
            found.extend((json_path([key], path), key) for key in node.duplicates)
            stack.extend((v, json_path([k], path), depth + 1)
                         for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((v, f"{path}[{i}]", depth + 1)
                         for i, v in reversed(list(enumerate(node))))
    return found


MAX_NUMBER_DIGITS = 40
MAX_RECORDS = 100_000  # as many forms as a workbook may hold rows
# Objects and lists in one file: a form has a few dozen, and 20 MB holds at most 20,000 forms.
# Counted on the raw bytes before parsing (braces in text count too: an overestimate), so
# that six megabytes of "[{},{},...]" never become two million objects in memory.
MAX_CONTAINERS = 1_000_000


def _number(token: str) -> Any:
    """A JSON number as Python reads it; one no form could hold (``1e999`` is infinite, a
    5,000-digit integer) stays the text written, so that validation says plainly, at its
    place, that it is not a usable number."""
    if len(token) > MAX_NUMBER_DIGITS:
        return token
    if any(ch in token for ch in ".eE"):
        value = float(token)
        return value if math.isfinite(value) else token
    return int(token)


def read_json(path: Path) -> JsonDocument:
    name = str(path)
    if is_lock_file(path):
        raise UnreadableInput(name, lock_file_message(path) + ".")
    raw = read_checked(path, max_bytes=MAX_JSON_BYTES, what="a JSON file of forms")
    wrong = not_json(raw[:SNIFF_BYTES])
    if wrong:
        raise UnreadableInput(name, wrong)
    if raw.count(b"{") + raw.count(b"[") > MAX_CONTAINERS:
        raise UnreadableInput(
            name, f"holds more than {MAX_CONTAINERS:,} objects and lists, more than a file "
            "of forms ever needs; split it into smaller files."
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableInput(
            name, f"is not UTF-8 text (byte {exc.start}); save it as UTF-8."
        ) from None
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = _Object()
        out.duplicates = []
        for key, value in items:
            if key in out and key not in out.duplicates:
                out.duplicates.append(key)
            out[key] = value
        return out

    def no_constants(token: str) -> Any:
        raise ValueError(f"{token} is not allowed in a form")

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=no_constants,
                          parse_float=_number, parse_int=_number)
    except json.JSONDecodeError as exc:
        raise UnreadableInput(
            name, f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    except (ValueError, RecursionError) as exc:
        raise UnreadableInput(name, f"is not valid JSON: {exc}.") from None
    if isinstance(data, dict):
        records = [JsonRecord(data, "$")]
    elif isinstance(data, list):
        if len(data) > MAX_RECORDS:
            raise UnreadableInput(
                name, f"holds {len(data):,} entries; at most {MAX_RECORDS:,} forms are read "
                "from one file: split it into smaller files."
            )
        records = [JsonRecord(item, f"$[{i}]") for i, item in enumerate(data)]
    else:
        raise UnreadableInput(
            name, "expected a form (a JSON object) or a list of forms at the top level."
        )
    return JsonDocument(records, _duplicate_paths(data, name))
