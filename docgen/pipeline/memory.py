"""Handing memory back to the system during a long run.

A run reads, checks and lays out thousands of records. Python frees each one's objects, but
the C allocator (glibc's malloc) keeps the freed pages for reuse, scattered so that what comes
next does not fit them, and a worker's documents are objects that refer to each other, which
Python collects rarely when its heap is large: a worker laying out DOCX grew by about 20 kB a
document, the main process by about 1 kB a record. So every hundred documents or records,
``malloc_trim`` returns those pages (as Dask's workers do), after a full collection in a
worker (about 40 ms; the main process gains nothing from it). Where ``malloc_trim`` does not
exist (macOS, musl, Windows), only the collection is done.
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


def release_free_memory(*, collect: bool = True) -> bool:
    """Give the allocator's free pages back to the system, after freeing (``collect``) the
    garbage waiting for the oldest generation's collection. False where it cannot."""
    if collect:
        gc.collect()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


class Tidier:
    """Counts documents made (or records read) and releases free memory every ``every``
    (``collect``: with a full collection first, as a worker needs)."""

    def __init__(self, every: int | None = None, *, collect: bool = True) -> None:
        self.every = TIDY_EVERY if every is None else every
        self.collect = collect
        self._since = 0

    def made(self, count: int) -> None:
        self._since += count
        if self._since >= self.every:
            self._since = 0
            release_free_memory(collect=self.collect)
