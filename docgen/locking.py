"""One run at a time: an exclusive lock on a small lock file, held for a run's duration.

The operating system drops the lock when the process ends, however it ends (a SIGKILL, a
power cut), so a lock is never left stale. The file records who holds it, so the run that
finds it taken can say which run has it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import hashlib
import json
import os
import socket
import sys
import tempfile
from pathlib import Path
from typing import Any

if sys.platform == "win32":  # pragma: no cover - tested on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class Busy(Exception):
    """Another run holds the lock; ``holder`` says which, as far as its lock file tells."""

    def __init__(self, what: str, holder: dict[str, Any]) -> None:
        self.what = what
        self.holder = holder
        who = holder.get("user") or "someone"
        command = holder.get("command") or "docgen"
        since = holder.get("started") or "earlier"
        pid = holder.get("pid")
        super().__init__(
            f"another docgen run is using {what}: `{command}` started by {who} at {since}"
            f"{f' (process {pid})' if pid else ''}. Wait for it to finish, then run again."
        )


class RunLock:
    """``with RunLock(path, "the register", command="render"):`` holds ``path`` exclusively,
    or raises ``Busy`` at once."""

    def __init__(self, path: Path, what: str, *, command: str = "") -> None:
        self.path = path
        self.what = what
        self.command = command
        self._fd: int | None = None

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            holder = _read_holder(fd)
            os.close(fd)
            raise Busy(self.what, holder)
        self._fd = fd
        info = {"pid": os.getpid(), "user": login_name(), "host": socket.gethostname(),
                "command": self.command, "started": _now()}
        data = json.dumps(info).encode("utf-8")
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, data)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
        _unlock(self._fd)
        os.close(self._fd)
        self._fd = None


def folder_lock(folder: Path, *, command: str = "") -> RunLock:
    """The lock for writing into ``folder``: kept in the system's temporary folder (keyed by
    the folder's real path), so no lock file is left among the documents."""
    key = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:24]
    where = Path(tempfile.gettempdir()) / f"docgen-locks-{_user_key()}" / f"{key}.lock"
    return RunLock(where, f"the folder {folder}", command=command)


def _read_holder(fd: int) -> dict[str, Any]:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = json.loads(os.read(fd, 4096).decode("utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def login_name() -> str:
    """Who is running docgen, as the operating system names them."""
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers and services)
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


def _user_key() -> str:
    return hashlib.sha256(login_name().encode("utf-8")).hexdigest()[:8]


def _now() -> str:
    return dt.datetime.now().astimezone().strftime("%d/%m/%Y %H:%M:%S")

