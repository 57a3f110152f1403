"""Free memory is handed back to the system during a long run, so that a worker that has laid
out thousands of documents is no larger than one that has laid out a hundred."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from docgen.batch import Batch, resolve_school
from docgen.config import SAMPLE_SCHOOL
from docgen.pipeline import memory
from docgen.pipeline.memory import Tidier
from docgen.pipeline.workers import Renderers, RendererSpec, Task, render_with
from tests.pipeline.test_run import produce, write

GLIBC = sys.platform.startswith("linux") and memory._malloc_trim() is not None


@pytest.mark.skipif(not GLIBC, reason="malloc_trim is glibc's")
def test_release_gives_scattered_free_memory_back() -> None:
    """What the workers suffer: many C allocations freed with a few kept among them stay in
    the process until released. In a process of its own, so that pytest's heap is not
    measured."""
    script = textwrap.dedent("""
        import ctypes, json
        from docgen.pipeline.memory import release_free_memory

        def rss_kb():
            with open("/proc/self/statm") as fh:
                return int(fh.read().split()[1]) * 4

        libc = ctypes.CDLL(None)
        libc.malloc.restype = ctypes.c_void_p
        libc.free.argtypes = [ctypes.c_void_p]
        before = rss_kb()
        blocks = [libc.malloc(4000) for _ in range(50_000)]  # 200 MB, below mmap's threshold
        for block in blocks:
            ctypes.memset(block, 1, 4000)  # touched: resident
        for i, block in enumerate(blocks):
            if i % 64:
                libc.free(block)  # one in 64 kept: the heap cannot shrink from its top
        freed = rss_kb()
        released = release_free_memory()
        print(json.dumps({"before": before, "freed": freed, "after": rss_kb(),
                          "released": released}))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[2])
    kb = json.loads(out.stdout)
    assert kb["released"] is True
    assert kb["freed"] - kb["before"] > 150_000, kb  # freed, yet still held
    assert kb["after"] - kb["before"] < 30_000, kb  # handed back


def count_releases(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each release the code asks for, by whether it asked for a full collection."""
    released: list[bool] = []

    def release(*, collect: bool = True) -> bool:
        released.append(collect)
        return True

    monkeypatch.setattr(memory, "release_free_memory", release)
    return released


def test_the_tidier_releases_every_so_many_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    released = count_releases(monkeypatch)
    tidier = Tidier(every=10)
    for _ in range(9):
        tidier.made(1)
    assert released == []
    tidier.made(1)
    assert len(released) == 1
    tidier.made(25)  # a batch of 25 at once: one release, the count starts again
    assert len(released) == 2
    for _ in range(9):
        tidier.made(1)
    assert len(released) == 2


def test_rendering_counts_each_document_towards_a_release(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The renderers of a process (a worker's, or the run's own with one job) count every
    document they make, failed ones too."""
    released = count_releases(monkeypatch)

    class Echo:
        def render(self, document: object) -> bytes:
            if document == "bad":
                raise ValueError("no")
            return str(document).encode()

    renderers = Renderers(RendererSpec())
    renderers._made["pdf"] = Echo()
    renderers.tidier = Tidier(every=4)
    results = render_with(renderers, [Task(i, "bad" if i == 1 else f"doc {i}", "pdf")
                                      for i in range(3)], None)
    assert [r.data for r in results] == [b"doc 0", None, b"doc 2"]
    assert released == []
    render_with(renderers, [Task(3, "doc 3", "pdf")], None)
    assert released == [True]  # a worker's renderers: with a full collection


def test_a_run_tidies_its_own_process_once_per_so_many_records(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, report: dict[str, Any]) -> None:
    """One job: the checking pass and the producing pass each release every TIDY_EVERY
    records, and the renderers (in the same process) do not release a second time."""
    released = count_releases(monkeypatch)
    monkeypatch.setattr(memory, "TIDY_EVERY", 2)
    records = []
    for i in range(6):
        form = copy.deepcopy(report)
        form["pupil_name"] = f"Pupil {i}"
        records.append(form)
    source = write(tmp_path, records)
    Batch([source], resolve_school(SAMPLE_SCHOOL, "att").policy).check()
    assert len(released) == 3
    result = produce([source], tmp_path / "out", jobs=1)
    assert [r.status for r in result.records] == ["made"] * 6
    assert released == [False] * 6  # the run's own process: trimming only
