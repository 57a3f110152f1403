"""Read a JSON file of forms: one object, or a list of them. No form knowledge here.

A list is read one form at a time, never whole: the file is checked from end to end first
(its objects and lists counted on the raw bytes, then its syntax, limits and keys given twice,
holding one form at a time), then read again as its forms are taken. The standard library's
parser does the work on each form; a file it cannot read is read again whole (it is at most
``MAX_JSON_BYTES``) only to say precisely what is wrong.
"""

from __future__ import annotations

import codecs
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.inputs.errors import (
    SNIFF_BYTES,
    UnreadableInput,
    checked_chunks,
    not_json,
    read_checked,
)
from docgen.inputs.lockfiles import is_lock_file, lock_file_message
from docgen.report import json_path

MAX_JSON_BYTES = 20 * 1024 * 1024
WHAT = "a JSON file of forms"


@dataclass
class JsonRecord:
    data: Any
    path: str  # "$" for a lone object, "$[3]" for the fourth in a list


@dataclass
class JsonDocument:
    """A JSON file found readable, with the keys it gives twice; iterate it for its forms."""

    source: Path
    # keys given twice in one object: (the key's JSON path, e.g. "$[1].staff[0].mobile", key)
    duplicate_keys: list[tuple[str, str]] = field(default_factory=list)
    count: int = 0  # how many forms (entries at the top level) it holds

    def __iter__(self) -> Iterator[JsonRecord]:
        """The forms, read again one at a time (UnreadableInput if the file has changed so
        that it no longer reads)."""
        for where, data in _top_level(self.source):
            yield JsonRecord(data, where)
class _Object(dict[str, Any]):
    """A JSON object that remembers the keys it was given more than once."""

    duplicates: list[str]


MAX_DEPTH = 32  # a form is at most five levels deep; anything far deeper is not a form


def _duplicate_paths(data: Any, name: str, path: str = "$",
                     depth: int = 0) -> list[tuple[str, str]]:
    """Where the duplicated keys are in ``data`` (found at ``path``, ``depth`` levels down),
    in document order (iterative: no recursion limit). Refuses data nested deeper than any
    form could be."""
    found: list[tuple[str, str]] = []
    stack: list[tuple[Any, str, int]] = [(data, path, depth)]
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
    """Check a JSON file of forms from end to end without holding it whole: UnreadableInput
    if it is not one (with the line and column of a syntax error), else the document, to be
    iterated for its forms."""
    name = str(path)
    if is_lock_file(path):
        raise UnreadableInput(name, lock_file_message(path) + ".")
    wrong = not_json(read_checked(path, max_bytes=MAX_JSON_BYTES, what=WHAT, head=SNIFF_BYTES))
    if wrong:
        raise UnreadableInput(name, wrong)
    containers = sum(chunk.count(b"{") + chunk.count(b"[")
                     for chunk in checked_chunks(path, max_bytes=MAX_JSON_BYTES, what=WHAT))
    if containers > MAX_CONTAINERS:
        raise UnreadableInput(name, _TOO_MANY_CONTAINERS)
    document = JsonDocument(path)
    for where, data in _top_level(path):
        document.count += 1
        if document.count > MAX_RECORDS:  # stop here: the rest could be millions of "1,"
            raise UnreadableInput(
                name, f"holds more than {MAX_RECORDS:,} entries; at most {MAX_RECORDS:,} "
                "forms are read from one file: split it into smaller files."
            )
        depth = 0 if where == "$" else 1
        document.duplicate_keys.extend(_duplicate_paths(data, name, where, depth))
    return document


# --------------------------------------------------------------------------- streaming


class _Unparsable(Exception):
    """The streaming reader cannot go on; the whole-file reader says why."""


class _Text:
    """A JSON file's text, decoded a chunk at a time: ``text[pos:]`` is not yet parsed."""

    def __init__(self, path: Path) -> None:
        self.name = str(path)
        self._chunks = checked_chunks(path, max_bytes=MAX_JSON_BYTES, what=WHAT)
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.text = ""
        self.pos = 0
        self.eof = False

    def more(self) -> None:
        """Read on: at least as much again as is waiting to be parsed (so that one long form
        is parsed a few times, not once per chunk), or to the end."""
        waiting = len(self.text) - self.pos
        pieces = [self.text[self.pos:]]
        added = 0
        while not self.eof and (added == 0 or added < waiting):
            chunk = next(self._chunks, None)
            try:
                if chunk is None:
                    self.eof = True
                    piece = self._decoder.decode(b"", final=True)
                else:
                    piece = self._decoder.decode(chunk)
            except UnicodeDecodeError:
                raise _Unparsable from None
            pieces.append(piece)
            added += len(piece)
        self.text = "".join(pieces)
        self.pos = 0

    def peek(self) -> str:
        """The next character that is not white space ("" at the end), not taken."""
        while True:
            self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text) or self.eof:
                return self.text[self.pos:self.pos + 1]
            self.more()

    def value(self, decoder: json.JSONDecoder) -> Any:
        """The JSON value starting at the next character that is not white space, read on
        until it is whole."""
        self.peek()
        while True:
            try:
                value, end = decoder.raw_decode(self.text, self.pos)
            except json.JSONDecodeError:
                if self.eof:
                    raise _Unparsable from None
                self.more()
                continue
            except (ValueError, RecursionError):  # NaN; nested past the parser's limit
                raise _Unparsable from None
            if not self.eof and (end == len(self.text) or self.text[end] in _NUMBER):
                self.more()  # a number may go on in the next chunk: "12" of "125", "0" of "0.5"
                continue
            self.pos = end
            return value


_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = frozenset("0123456789.eE+-")


def _top_level(path: Path) -> Iterator[tuple[str, Any]]:
    """(JSON path, value) of each entry of the top-level list, or of the lone object."""
    try:
        yield from _entries(_Text(path), _decoder())
    except _Unparsable:
        _read_whole(path)  # raises UnreadableInput saying where the file goes wrong
        raise UnreadableInput(str(path), "changed while it was being read; run again.") from None


def _entries(text: _Text, decoder: json.JSONDecoder) -> Iterator[tuple[str, Any]]:
    if text.peek() != "[":
        data = text.value(decoder)
        if text.peek():
            raise _Unparsable  # extra data after it
        if not isinstance(data, dict):
            raise UnreadableInput(text.name, _NOT_A_FORM)
        yield "$", data
        return
    text.pos += 1
    if text.peek() == "]":
        text.pos += 1
    else:
        index = 0
        while True:
            yield f"$[{index}]", text.value(decoder)
            index += 1
            after = text.peek()
            if after not in (",", "]"):
                raise _Unparsable
            text.pos += 1
            if after == "]":
                break
    if text.peek():
        raise _Unparsable


_TOO_MANY_CONTAINERS = (f"holds more than {MAX_CONTAINERS:,} objects and lists, more than a "
                        "file of forms ever needs; split it into smaller files.")
_NOT_A_FORM = "expected a form (a JSON object) or a list of forms at the top level."


def _decoder() -> json.JSONDecoder:
    """The standard parser, remembering keys given twice; NaN and Infinity refused, numbers
    no form could hold kept as written."""
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

    return json.JSONDecoder(object_pairs_hook=pairs, parse_constant=no_constants,
                            parse_float=_number, parse_int=_number)


def _read_whole(path: Path) -> Any:
    """The file parsed whole; UnreadableInput saying exactly what is wrong with it."""
    name = str(path)
    raw = read_checked(path, max_bytes=MAX_JSON_BYTES, what=WHAT)
    if raw.count(b"{") + raw.count(b"[") > MAX_CONTAINERS:
        raise UnreadableInput(name, _TOO_MANY_CONTAINERS)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableInput(
            name, f"is not UTF-8 text (byte {exc.start}); save it as UTF-8."
        ) from None
    try:
        data = _decoder().decode(text)
    except json.JSONDecodeError as exc:
        raise UnreadableInput(
            name, f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    except (ValueError, RecursionError) as exc:
        raise UnreadableInput(name, f"is not valid JSON: {exc}.") from None
    if not isinstance(data, dict | list):
        raise UnreadableInput(name, _NOT_A_FORM)
    return data
