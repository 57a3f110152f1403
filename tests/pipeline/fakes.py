"""Renderers that do no layout, for pipeline tests: fast, and able to fail or hang on cue.
They travel to worker processes (the spec is picklable), so ``--jobs 2`` is tested too."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import Any

from docgen.documents.document import Document
from docgen.pipeline.workers import InlineExecutor, RendererSpec


class FakeRenderer:
    def __init__(self, fmt: str, spec: FakeSpec) -> None:
        self.fmt = fmt
        self.spec = spec

    def render(self, document: Document) -> bytes:
        if self.spec.fail_for and self.spec.fail_for in document.subject:
            raise RuntimeError("template exploded")
        if self.spec.hang_for and self.spec.hang_for in document.subject:
            while True:  # runs away until the time limit stops it
                time.sleep(0.01)
        if self.spec.hog_for and self.spec.hog_for in document.subject:
            hoard = []
            for _ in range(64):  # 64 x 16 MB: more than a capped worker may take
                hoard.append(bytearray(16 * 1024 * 1024))
        return f"{self.fmt}\n".encode() + "\n".join(document.texts()).encode()


@dataclass(frozen=True)
class FakeSpec(RendererSpec):
    fail_for: str = ""
    hang_for: str = ""
    hog_for: str = ""

    def build(self, fmt: Any) -> FakeRenderer:
        return FakeRenderer(fmt, self)

    def fingerprint(self) -> str:
        return "fake"


class CountingExecutor(Executor):
    """Runs calls in this process, but only when asked: counts how many are in flight at
    most, to show the pipeline never holds more than a few documents."""

    def __init__(self) -> None:
        self.inline = InlineExecutor()
        self.pending: list[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]] = []
        self.most = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = _LazyFuture(self)
        self.pending.append((future, fn, args))
        self.most = max(self.most, len(self.pending))
        return future

    def run_one(self, future: Future[Any]) -> None:
        for i, (f, fn, args) in enumerate(self.pending):
            if f is future:
                del self.pending[i]
                f.set_result(fn(*args))
                return


class _LazyFuture(Future[Any]):
    def __init__(self, owner: CountingExecutor) -> None:
        super().__init__()
        self.owner = owner

    def result(self, timeout: float | None = None) -> Any:
        if not self.done():
            self.owner.run_one(self)
        return super().result(timeout)
