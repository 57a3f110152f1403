"""Reading the settings files a school writes (``school.toml``, a policy file): as text, from
a regular file, with a size cap; and describing what is wrong with one without repeating what
it holds.

A settings path may point at anything (a link to a system file, a binary, a pipe). The error
for a file that is not what it should be names the place (key, line and column) and at most a
short, inert excerpt of the offending key or value, never the file's lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from docgen.files import FileProblem, read_regular
from docgen.report import inert, printable
from docgen.schemas.types import describe_character, forbidden_character

EXCERPT = 40  # characters of a key or a value quoted in a message
MAX_PROBLEMS = 5  # problems listed for one file; the rest are counted


def read_text(path: Path, *, max_bytes: int) -> str:
    """The UTF-8 text of a regular file of at most ``max_bytes``; ``FileProblem`` otherwise."""
    data = read_regular(path, max_bytes=max_bytes)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(f"is not UTF-8 text (byte {exc.start}); save it as UTF-8.") from None


def excerpt(value: Any) -> str:
    """A key or value as quoted in a message: inert and cut short."""
    return printable(value if isinstance(value, str) else str(value), EXCERPT) or ""


def key_path(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(excerpt(step) for step in loc) or "(top level)"


def listed(problems: list[str]) -> str:
    """The first few problems, joined; how many more there are."""
    shown = "; ".join(problems[:MAX_PROBLEMS])
    more = len(problems) - MAX_PROBLEMS
    return shown + (f"; and {more} more problem{'s' if more != 1 else ''}" if more > 0 else "")


def validation_problem(err: Any) -> str:
    """One of pydantic's errors as ``key.path: message``, any value it quotes cut short."""
    message = err["msg"]
    given = err.get("input")
    if isinstance(given, str) and given and given in message:
        message = message.replace(given, excerpt(given))
    return f"{key_path(err['loc'])}: {inert(message)[:300]}"


def validation_problems(exc: ValidationError) -> str:
    """pydantic's errors, the first few, each as ``validation_problem`` says."""
    return listed([validation_problem(err) for err in exc.errors()])


def yaml_problem(exc: yaml.YAMLError) -> str:
    """What is wrong with a YAML file and where, without PyYAML's excerpt of the lines."""
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None)
    text = inert(str(problem))[:120] if problem else "it cannot be read as YAML"
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        text += f" (line {mark.line + 1}, column {mark.column + 1})"
    return text


def text_problems(data: Any, *, multiline: bool) -> list[str]:
    """Every string in ``data`` (keys and values, at any depth) holding a control character
    (line breaks too, unless ``multiline``), a bidirectional override or another character
    the forms refuse, as ``key.path: ...``: a settings value is printed on documents, and a
    right-to-left override would reverse it in print."""
    return [
        f"{key_path(path)}: {describe_character(ch)}; retype the value without it."
        for path, ch in _bad_characters(data, multiline)
    ]


def long_texts(data: Any, limit: int) -> list[str]:
    """Every string in ``data`` longer than ``limit`` characters, as ``key.path: ...``."""
    out = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            stack.extend((v, (*where, k)) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((v, (*where, i)) for i, v in reversed(list(enumerate(node))))
        elif isinstance(node, str) and len(node) > limit:
            out.append(f"{key_path(where)}: {len(node):,} characters, where at most "
                       f"{limit:,} are printed; shorten it")
    return out


def _bad_characters(data: Any, multiline: bool) -> Iterator[tuple[tuple[Any, ...], str]]:
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    seen: set[int] = set()  # YAML aliases share a value: visit it once
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict | list):
            if id(node) in seen:
                continue
            seen.add(id(node))
        if isinstance(node, dict):
            for key, value in reversed(list(node.items())):
                if isinstance(key, str) and (ch := _first_bad(key, False)):
                    yield (*where, key), ch
                stack.append((value, (*where, key)))
        elif isinstance(node, list):
            stack.extend((v, (*where, i)) for i, v in reversed(list(enumerate(node))))
        elif isinstance(node, str) and (ch := _first_bad(node, multiline)):
            yield where, ch


def _first_bad(text: str, multiline: bool) -> str | None:
    for ch in text:
        if ch in "\n\t" and multiline:
            continue
        if ch in "\n\t" or forbidden_character(ch):
            return ch
    return None
