"""Where docgen writes what a person need not read but support may: the details of an
internal error or of a document that could not be made.

Logs can hold pupils' names (in file names and messages), so they are kept in the user's own
log folder (``DOCGEN_LOG_DIR`` to choose another), readable by that user only, and never in an
output folder that may be shared.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

import platformdirs


def log_folder() -> Path:
    chosen = os.environ.get("DOCGEN_LOG_DIR")
    return Path(chosen) if chosen else Path(platformdirs.user_log_dir("docgen", appauthor=False))


def write_log(what: str, lines: Iterable[str]) -> Path | None:
    """Write ``lines`` to a new log file named after ``what`` and the time; its path, or None
    when no log could be written (docgen never fails for want of a log)."""
    text = "\n".join(lines)
    if not text:
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    folder = log_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"docgen-{stamp}-{what}.log"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    except OSError:
        return None
    return path
