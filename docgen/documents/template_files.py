"""The one way a school's template files are read: the PDF's Jinja templates and style sheet,
and the Word templates.

The rule is the locked fetcher's (``fetcher.py``): a file is served only if, once every
symbolic link on its path is followed, it is a regular file inside the template folder. A link
to ``/etc/passwd`` placed in the folder, a template that ``{% include %}``s, ``{% import %}``s
or ``{% extends %}`` one, a named pipe (which would block the read) and a file larger than any
template are refused, and the refusal names the file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, TemplateError, TemplateNotFound
from jinja2.loaders import split_template_path

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
