"""Writing files safely: atomically (a temp file then a rename, so an interrupted run leaves no
half-written document) and never over an existing file unless the caller says so."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


class OutputExists(Exception):
    """The target exists and overwriting was not asked for."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} already exists; use --overwrite to replace it")
        self.path = path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: str | Path, write: Callable[[Path], None], *,
                 overwrite: bool = False) -> Path:
    """Call ``write(tmp)`` to produce the file, then move it into place.

    Without ``overwrite`` an existing file is never replaced, even one that appears while
    ``write`` runs: the final step is a hard link, which fails if the name is taken.
    """
    path = Path(path)
    if not overwrite and path.exists():
        raise OutputExists(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        if overwrite:
            os.replace(tmp, path)
        else:
            _link_without_replacing(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return path


def _link_without_replacing(tmp: Path, path: Path) -> None:
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise OutputExists(path) from None
    except OSError:
        # filesystems without hard links (some network shares): check, then rename
        if path.exists():
            raise OutputExists(path) from None
        os.replace(tmp, path)


def write_bytes(path: str | Path, data: bytes, *, overwrite: bool = False) -> Path:
    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    return atomic_write(path, write, overwrite=overwrite)


def write_text(path: str | Path, text: str, *, overwrite: bool = False) -> Path:
    def write(tmp: Path) -> None:
        tmp.write_text(text, "utf-8")

    return atomic_write(path, write, overwrite=overwrite)
