"""The one exception the readers raise: a file docgen cannot read at all (exit code 2)."""

from __future__ import annotations

from pathlib import Path


class UnreadableInput(Exception):
    """A file that is missing, of the wrong kind, locked, too large or has no usable sheet."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def read_checked(path: Path, *, max_bytes: int, what: str, head: int | None = None) -> bytes:
    """The file's bytes, or its first ``head`` bytes: a missing file, a folder, an unreadable
    file or one larger than ``max_bytes`` (``what`` names the kind) is UnreadableInput."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UnreadableInput(
                name, f"is too large ({size // 1_000_000} MB) for {what}; split it into "
                "smaller files."
            )
        with path.open("rb") as fh:
            return fh.read(head) if head is not None else fh.read()
    except FileNotFoundError:
        raise UnreadableInput(name, "no such file.") from None
    except IsADirectoryError:
        raise UnreadableInput(name, "is a folder, not a file.") from None
    except OSError as exc:
        raise UnreadableInput(name, f"cannot be read ({exc.strerror}).") from None
