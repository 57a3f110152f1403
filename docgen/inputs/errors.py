"""The one exception the readers raise: a file docgen cannot read at all (exit code 2)."""

from __future__ import annotations


class UnreadableInput(Exception):
    """A file that is missing, of the wrong kind, locked, too large or has no usable sheet."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
