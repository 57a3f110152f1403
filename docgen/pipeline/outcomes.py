"""What became of every record of a run, kept without holding every one in memory.

A run keeps one outcome per input record (for its summary, ``--format json``, the letters
combined at the end, the browser's download). Each is a kilobyte or two, so a run of 10,000
records would hold 15 MB of them and a local authority's 100,000 far more. ``Outcomes`` keeps
the first thousand as they are and writes the rest, pickled, to an anonymous temporary file
(opened already removed, readable by this process only, gone when closed or when the process
ends), reading each back when asked for it.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import weakref
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, overload

if TYPE_CHECKING:
    from docgen.pipeline.run import RecordOutcome

KEEP_IN_MEMORY = 1_000


class Outcomes(Sequence["RecordOutcome"]):
    """A list of outcomes that only grows. Outcomes are final once added: one read back from
    the file is a copy, and changing it changes nothing here."""

    def __init__(self, items: Iterable[RecordOutcome] = (), *, keep: int | None = None) -> None:
        """``keep``: how many to keep in memory (default ``KEEP_IN_MEMORY``)."""
        self._keep = KEEP_IN_MEMORY if keep is None else keep
        self._kept: list[RecordOutcome] = []
        self._file: IO[bytes] | None = None
        self._starts = array("q")  # where each spilled outcome begins in the file
        self._end = 0
        for item in items:
            self.append(item)

    def append(self, outcome: RecordOutcome) -> None:
        if len(self._kept) < self._keep:
            self._kept.append(outcome)
            return
        if self._file is None:
            # open for the life of the list, closed by the finalizer
            self._file = tempfile.TemporaryFile(prefix="docgen-run-")  # noqa: SIM115
            weakref.finalize(self, self._file.close)
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        # written at an explicit offset, so that reading (os.pread) and adding never share
        # a file position
        os.pwrite(self._file.fileno(), data, self._end)
        self._starts.append(self._end)
        self._end += len(data)

    def __len__(self) -> int:
        return len(self._kept) + len(self._starts)

    @overload
    def __getitem__(self, index: int) -> RecordOutcome: ...

    @overload
    def __getitem__(self, index: slice) -> list[RecordOutcome]: ...

    def __getitem__(self, index: int | slice) -> RecordOutcome | list[RecordOutcome]:
        if isinstance(index, slice):
            return [self._get(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("outcome index out of range")
        return self._get(index)

    def _get(self, index: int) -> RecordOutcome:
        if index < len(self._kept):
            return self._kept[index]
        assert self._file is not None
        spilled = index - len(self._kept)
        start = self._starts[spilled]
        end = self._starts[spilled + 1] if spilled + 1 < len(self._starts) else self._end
        data = os.pread(self._file.fileno(), end - start, start)
        # only what append() wrote, to a file with no name that only this process has open
        outcome: RecordOutcome = pickle.loads(data)  # noqa: S301
        return outcome

    def __iter__(self) -> Iterator[RecordOutcome]:
        index = 0
        while index < len(self):  # like a list: what is added while iterating comes too
            yield self._get(index)
            index += 1

    def __repr__(self) -> str:
        return f"Outcomes({len(self)} records, {len(self._starts)} kept on disk)"
