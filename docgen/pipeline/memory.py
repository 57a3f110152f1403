"""Handing memory back to the system during a long run.

A run reads, checks and lays out thousands of records. Python frees each one's objects, but
the C allocator (glibc's malloc) keeps the freed pages for reuse, scattered so that what comes
next does not fit them: a worker laying out DOCX grows by about 20 kB a document, and the main
process by a few kB a record, so 10,000 records would hold tens of megabytes that nothing
uses. So every hundred documents or records, a full collection, then ``malloc_trim``, which
returns those pages (as Dask's workers do); where it does not exist (macOS, musl, Windows),
the collection alone.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
from collections.abc import Callable
from functools import cache

TIDY_EVERY = 100  # documents or records between two releases (a collection takes ~40 ms)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    with contextlib.suppress(OSError, AttributeError):
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
        return trim
    return None


def release_free_memory() -> bool:
    """Free the garbage that waits for the oldest generation's collection (a document's
    objects refer to each other, and with a large heap Python collects them rarely), then
    give the allocator's free pages back to the system. False where it cannot."""
    gc.collect()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


class Tidier:
    """Counts documents made (or records read) and releases free memory every ``every``."""

    def __init__(self, every: int | None = None) -> None:
        self.every = TIDY_EVERY if every is None else every
        self._since = 0

    def made(self, count: int) -> None:
        self._since += count
        if self._since >= self.every:
            self._since = 0
            release_free_memory()
