"""The one way a school's template files are read: the PDF's Jinja templates and style sheet,
and the Word templates.

The rule is the locked fetcher's (``fetcher.py``): a file is served only if, once every
symbolic link on its path is followed, it is a regular file inside the template folder. A link
to ``/etc/passwd`` placed in the folder, a template that ``{% include %}``s, ``{% import %}``s
or ``{% extends %}`` one, a named pipe (which would block the read) and a file larger than any
template are refused, and the refusal names the file.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, TemplateError, TemplateNotFound
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from docgen.files import FileProblem, read_regular

MAX_TEMPLATE_BYTES = 4 * 1024 * 1024  # docgen's largest template is 40 kB
MAX_FILE_BYTES = 20 * 1024 * 1024  # any file of a template folder (a Word template, a font)


class TemplateFileRefused(TemplateError):
    """A template file that leads outside its folder, or is not a regular file."""


def read_inside(candidate: Path, folder: Path, *, max_bytes: int = MAX_TEMPLATE_BYTES) -> bytes:
    """The bytes of ``candidate`` if it is a regular file inside ``folder`` once every link is
    followed (``folder`` itself resolved too); else ``TemplateFileRefused``."""
    base = folder.resolve()
    try:
        path = candidate.resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a link loop, before Python 3.13
        raise TemplateFileRefused(f"{candidate} is a broken link or a link loop") from None
    if not path.is_relative_to(base):
        raise TemplateFileRefused(
            f"{candidate} leads outside the template folder {base} (a symbolic link); "
            "a template folder may only use its own files"
        )
    try:
        return read_regular(path, max_bytes=max_bytes)
    except FileProblem as exc:
        raise TemplateFileRefused(f"{candidate} {exc.message}") from None


class LockedLoader(BaseLoader):
    """Jinja's file loader under the rule above: each search folder is paired with the
    folder its files must stay inside (a school's ``html/`` with the school's template
    folder, so that an ``html`` that is itself a link out is refused too)."""

    def __init__(self, searchpath: Sequence[tuple[Path, Path]]) -> None:
        self.searchpath = [(Path(search), Path(inside)) for search, inside in searchpath]

    def get_source(self, environment: Any,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses ".." as TemplateNotFound
        for search, inside in self.searchpath:
            candidate = search.joinpath(*pieces)
            if not os.path.lexists(candidate):
                continue
            data = read_inside(candidate, inside)
            try:
                source = data.decode("utf-8")
            except UnicodeDecodeError:
                raise TemplateFileRefused(f"{candidate} is not UTF-8 text") from None
            return source, str(candidate), lambda: True  # read once per renderer
        raise TemplateNotFound(template)


MAX_PRODUCT = 1_000_000  # characters or items one "*" or "+" may make in a template
MAX_POWER_BITS = 4_096  # the largest number one "**" may make
MAX_WIDTH = 1_000  # the widest center/indent/wordwrap/truncate a filter may pad to


class BoundedSandbox(SandboxedEnvironment):
    """Jinja's sandbox, with the arithmetic that makes memory bombs refused: the sandbox
    already limits ``range`` to 100,000 items, but ``"x" * 10**9`` makes a gigabyte, a loop
    doubling a string with ``+`` as much, and ``2 ** 10**10`` a number that takes hours to
    compute. Padding filters are clamped and the lorem-ipsum generator is removed
    (``lipsum(10**6)``). (Doubling with ``~``, which Jinja does not let a sandbox intercept,
    is left to the per-document time limit.)"""

    intercepted_binops = frozenset({"*", "**", "+"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals.pop("lipsum", None)
        for name in ("center", "indent", "wordwrap", "truncate"):
            self.filters[name] = _clamped(self.filters[name])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int) \
                        and len(seq) * times > MAX_PRODUCT:
                    raise SecurityError(f"the template makes more than {MAX_PRODUCT:,} "
                                        "characters or items with one '*'")
        if operator == "+" and isinstance(left, str | list | tuple) \
                and isinstance(right, str | list | tuple) and len(left) + len(right) > MAX_PRODUCT:
            raise SecurityError(f"the template makes more than {MAX_PRODUCT:,} characters or "
                                "items with one '+'")
        if operator == "**" and isinstance(left, int | float) and isinstance(right, int | float) \
                and abs(left) > 1 and right > 0 \
                and right * math.log2(abs(left)) > MAX_POWER_BITS:
            raise SecurityError("the template computes a number too large to print ('**')")
        return super().call_binop(context, operator, left, right)


def _clamped(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose numeric arguments are at most MAX_WIDTH."""

    skip = 2 if hasattr(fn, "jinja_pass_arg") else 1  # the environment, then the value

    def clamped(*args: Any, **kwargs: Any) -> Any:
        args = args[:skip] + tuple(
            min(a, MAX_WIDTH) if isinstance(a, int) and not isinstance(a, bool) else a
            for a in args[skip:])
        kwargs = {k: min(v, MAX_WIDTH) if isinstance(v, int) and not isinstance(v, bool)
                  else v for k, v in kwargs.items()}
        return fn(*args, **kwargs)

    for attr in ("jinja_pass_arg",):  # keep how Jinja passes the environment or context
        if hasattr(fn, attr):
            setattr(clamped, attr, getattr(fn, attr))
    return clamped
