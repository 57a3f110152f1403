"""Reading a file a person named (a form file, a policy, a school file) without hanging or
running out of memory.

A named pipe blocks a plain ``open`` until something writes to it, ``/dev/zero`` never ends, a
folder or a symbolic-link loop fails with an error a person cannot act on, and the size a file
system reports can be wrong (``/proc`` files report 0, a file may grow while read). So: open
without blocking, check what was opened is a regular file, and read in chunks up to a cap,
whatever the reported size.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

CHUNK = 1024 * 1024
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class FileProblem(Exception):
    """Why a file cannot be read, in words for its owner (``message`` follows the path:
    "is not a regular file (a named pipe) ...")."""

    def __init__(self, message: str, *, too_large: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.too_large = too_large


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not an ordinary file"


def not_regular(mode: int) -> FileProblem | None:
    """The problem with a file of this ``st_mode``, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return FileProblem("is a folder, not a file.")
    return FileProblem(f"is not a regular file ({_kind(mode)}); give the path of a file.")


def read_regular(path: Path, *, max_bytes: int, head: int | None = None) -> bytes:
    """The bytes of the regular file at ``path`` (following links), or its first ``head``
    bytes; ``FileProblem`` for anything else, and for a file longer than ``max_bytes``."""
    return b"".join(regular_chunks(path, max_bytes=max_bytes, head=head))


def regular_chunks(path: Path, *, max_bytes: int, head: int | None = None) -> Iterator[bytes]:
    """``read_regular`` a chunk at a time, for a reader that need not hold the whole file.
    The file is opened and checked on the first ``next``; a file found longer than
    ``max_bytes`` raises when the reading gets there."""
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC | _BINARY)
    except OSError as exc:
        raise _problem(path, exc) from None
    try:
        info = os.fstat(fd)
        problem = not_regular(info.st_mode)
        if problem is not None:
            raise problem
        if info.st_size > max_bytes:
            raise _too_large(info.st_size, max_bytes)
        wanted = max_bytes + 1 if head is None else min(head, max_bytes + 1)
        got = 0
        while got < wanted:
            try:
                chunk = os.read(fd, min(CHUNK, wanted - got))
            except OSError as exc:
                raise _problem(path, exc) from None
            if not chunk:
                break
            got += len(chunk)
            if head is None and got > max_bytes:
                raise _too_large(None, max_bytes)
            yield chunk
    finally:
        os.close(fd)


def _too_large(size: int | None, max_bytes: int) -> FileProblem:
    shown = f" ({_megabytes(size)})" if size is not None else ""
    return FileProblem(f"is too large{shown}: at most {_megabytes(max_bytes)} is read.",
                       too_large=True)


def _megabytes(size: int) -> str:
    if size < 1_000_000:
        return f"{max(size // 1000, 1)} kB"
    return f"{size // 1_000_000} MB"


def _problem(path: Path, exc: OSError) -> FileProblem:
    if exc.errno == errno.ELOOP:
        return FileProblem("is a link loop: a symbolic link on the way leads back to itself; "
                           "give the path of the file itself.")
    if exc.errno == errno.ENOENT:
        if path.is_symlink():
            return FileProblem("is a symbolic link to a file that does not exist.")
        return FileProblem("no such file.")
    if exc.errno == errno.EISDIR:
        return FileProblem("is a folder, not a file.")
    if exc.errno == errno.ENOTDIR:
        return FileProblem("no such file (a folder on the way is a file).")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return FileProblem("cannot be read: permission denied.")
    return FileProblem(f"cannot be read ({exc.strerror or type(exc).__name__}).")
