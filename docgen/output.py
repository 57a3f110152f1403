"""Writing files safely: atomically (a temp file then a rename, so an interrupted run leaves no
half-written document), never over an existing file unless the caller says so, and under names
that are predictable and safe (transliterated, no path characters)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from anyascii import anyascii


class OutputRefused(Exception):
    """A file docgen will not write. ``reason`` is the message without the path."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path} {reason}")
        self.path = path
        self.reason = reason


class OutputExists(OutputRefused):
    """The target exists and overwriting was not asked for."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "already exists; use --overwrite to replace it")


class NotARegularFile(OutputRefused):
    """The target is a link, a device or a folder: never replaced, even with overwrite."""

    def __init__(self, path: Path, kind: str = "not a regular file") -> None:
        super().__init__(
            path, f"is {kind}, which docgen never replaces, even with --overwrite; move it "
            "away or write somewhere else"
        )


def _what_is(path: Path) -> str | None:
    """What stands at ``path`` if it is not a regular file (a link is never followed)."""
    try:
        mode = path.lstat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def check_target(path: Path, *, overwrite: bool = False) -> None:
    """Raise the reason docgen will not write ``path``, if any: something that is not a
    regular file stands there (whatever ``overwrite`` says), or a file and ``overwrite`` is
    off. One check, so that the reason given is the real one."""
    kind = _what_is(path)
    if kind is not None:
        raise NotARegularFile(path, kind)
    if not overwrite and path.exists():
        raise OutputExists(path)


TMP_SUFFIX = ".docgen-tmp"
# what earlier versions named their temporary files: ".NAME.XXXXXXXX.tmp"
_OLD_TMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def remove_leftovers(folder: Path) -> list[Path]:
    """Delete the temporary files an interrupted run left in ``folder`` (a run killed while
    writing cannot remove its own). Only docgen's own names are touched; call it while holding
    the folder's run lock, so no other run is writing there."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not name.startswith("."):
            continue
        if not (name.endswith(TMP_SUFFIX) or _OLD_TMP.match(name)):
            continue
        try:
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def sha256_file(path: Path) -> str | None:
    """The SHA-256 of a regular file, or None if it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


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
    check_target(path, overwrite=overwrite)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
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


# --------------------------------------------------------------------------- file names

_UNSAFE = re.compile(r"[^A-Za-z0-9]+")
MAX_STEM = 120


def slug(text: str, *, limit: int = 60) -> str:
    """ASCII letters and digits joined by single hyphens: ``Siobhán O'Brien`` is
    ``Siobhan-OBrien``. Apostrophes vanish rather than split a name."""
    ascii_text = anyascii(text).replace("'", "").replace("’", "")
    return _UNSAFE.sub("-", ascii_text).strip("-")[:limit].strip("-")


def split_name(full: str) -> tuple[str, str]:
    """(forename(s), surname) of a name written forename first."""
    parts = full.split()
    if len(parts) < 2:
        return "", full
    return " ".join(parts[:-1]), parts[-1]


def file_stem(pattern: str, **fields: str) -> str:
    """Fill a naming pattern such as ``{date}_{form}_{surname}-{forename}`` with slugged
    values; the result never contains a path separator or starts with a dot."""
    values = {key: slug(value) for key, value in fields.items()}
    stem = pattern.format_map(_Blank(values))
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem)
    stem = re.sub(r"([-_.])[-_.]+", r"\1", stem).strip("-_.")
    return stem[:MAX_STEM].rstrip("-_.") or "document"


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def unique_path(folder: Path, stem: str, suffix: str, taken: set[str]) -> Path:
    """``folder/stem.suffix``, or ``stem-2.suffix`` ... if an earlier document of this run took
    the name. Files from earlier runs are not avoided: they are refused unless overwriting.
    ``taken`` holds the paths as text: a run's thousands of names stay small."""
    candidate = folder / f"{stem}{suffix}"
    n = 2
    while str(candidate) in taken:
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    taken.add(str(candidate))
    return candidate
