"""Rendering, where it runs: in this process (one job) or in worker processes, one renderer per
format per process, each document under a time limit.

A worker process builds its renderers once (templates, fonts, CSS) and keeps them for every
document it is sent; it never touches files or the register: it returns bytes, and the parent
writes. Any ``concurrent.futures.Executor`` can run ``render_batch`` (a Dask or Ray executor
on other machines: the workers need docgen and its templates installed, not the register).
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, Protocol, runtime_checkable

from docgen.documents.fetcher import TEMPLATE_DIR
from docgen.documents.template_files import MAX_FILE_BYTES, TemplateFileRefused, read_inside
from docgen.pipeline.memory import Tidier
from docgen.pipeline.plan import Format, Printable


class Renderer(Protocol):
    def render(self, document: Any) -> bytes: ...


@runtime_checkable
class BatchRenderer(Protocol):
    """A renderer that lays out several documents in one go (letters: one WeasyPrint layout
    for a batch, split into one PDF each), returning each one's bytes in order."""

    def render(self, document: Any) -> bytes: ...

    def render_many(self, documents: list[Any]) -> list[bytes]: ...


@dataclass(frozen=True)
class RendererSpec:
    """What a process needs to build its renderers: picklable, so it can travel to workers."""

    template_dir: Path | None = None

    def build(self, fmt: Format) -> Renderer:
        if fmt == "pdf":
            from docgen.documents.pdf import PdfRenderer

            return PdfRenderer(self.template_dir)
        from docgen.documents.docx import DocxRenderer

        return DocxRenderer(self.template_dir)

    def fingerprint(self) -> str:
        """A digest of every template file the renderers read (docgen's own and the
        school's): a changed template means documents must be made again."""
        digest = hashlib.sha256()
        for root in (TEMPLATE_DIR, self.template_dir):
            if root is None or not root.is_dir():
                continue
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                digest.update(str(path.relative_to(root)).encode("utf-8"))
                try:  # a link out of the folder, or a huge file, is never read (nor used)
                    digest.update(read_inside(path, root, max_bytes=MAX_FILE_BYTES))
                except TemplateFileRefused as exc:
                    digest.update(str(exc).encode("utf-8"))
        return digest.hexdigest()


class Renderers:
    """A process's renderers, one per format, built on first use; in a worker process, with
    the tidier that hands back, every hundred documents, the memory they freed (in the run's
    own process, the run does that as it records outcomes)."""

    def __init__(self, spec: RendererSpec, *, tidy: bool = True) -> None:
        self.spec = spec
        self._made: dict[str, Renderer] = {}
        self.tidier = Tidier() if tidy else None

    def get(self, fmt: Format) -> Renderer:
        renderer = self._made.get(fmt)
        if renderer is None:
            renderer = self._made[fmt] = self.spec.build(fmt)
        return renderer


@dataclass(frozen=True)
class Task:
    id: int
    document: Printable
    format: Format


@dataclass(frozen=True)
class Rendered:
    """A task's result: the file's bytes, or why there are none."""

    id: int
    data: bytes | None
    error: str = ""  # in plain words, for the person running docgen
    detail: str = ""  # the exception and where it happened, for the log only
    timed_out: bool = False


class DocumentTimeout(BaseException):
    """A document took longer than its time limit. A BaseException, so that no library's
    ``except Exception`` swallows it half-way through a layout."""


@contextlib.contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise ``DocumentTimeout`` in this thread after ``seconds``; does nothing off the main
    thread (signals go to the main thread only) or without a limit."""
    if (not seconds or seconds <= 0 or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise DocumentTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_with(renderers: Renderers, tasks: list[Task], timeout: float | None) -> list[Rendered]:
    """Render each task with ``renderers``; one failure or overrun never stops the others.

    Tasks of one format whose renderer can ``render_many`` are laid out together, under a
    time limit of ``timeout`` for each; if the batch fails or overruns, each of its documents
    is rendered again on its own, so that only the document at fault fails."""
    done: dict[int, Rendered] = {}
    by_format: dict[Format, list[Task]] = {}
    for task in tasks:
        by_format.setdefault(task.format, []).append(task)
    for fmt, group in by_format.items():
        try:
            renderer = renderers.get(fmt)
        except Exception as exc:  # a broken template: every document of the format fails
            for task in group:
                done[task.id] = Rendered(task.id, None, _plain(exc),
                                         "".join(traceback.format_exception(exc)))
            continue
        if len(group) > 1 and isinstance(renderer, BatchRenderer):
            limit = timeout * len(group) if timeout else None
            results: list[bytes] | None
            try:
                with deadline(limit):
                    results = renderer.render_many([t.document for t in group])
            except (Exception, DocumentTimeout):
                results = None  # one at a time below: only the document at fault fails
            if results is not None and len(results) == len(group):
                for task, data in zip(group, results, strict=True):
                    done[task.id] = Rendered(task.id, data)
                continue
        for task in group:
            done[task.id] = _render_one(renderer, task, timeout)
    if renderers.tidier is not None:
        renderers.tidier.made(len(tasks))
    return [done[task.id] for task in tasks]


def _render_one(renderer: Renderer, task: Task, timeout: float | None) -> Rendered:
    try:
        with deadline(timeout):
            data = renderer.render(task.document)
    except DocumentTimeout:
        return Rendered(task.id, None, f"took longer than {timeout:g} seconds and was stopped",
                        timed_out=True)
    except Exception as exc:
        return Rendered(task.id, None, _plain(exc), "".join(traceback.format_exception(exc)))
    return Rendered(task.id, data)


def _plain(exc: Exception) -> str:
    """What to tell an office user when a document could not be made."""
    from docgen.documents.docx import DocxTemplateError
    from docgen.documents.pdf import PdfRenderError
    from docgen.letters.docx import LetterDocxError
    from docgen.letters.pdf import LetterPdfError
    from docgen.letters.templates import LetterTemplateError

    if isinstance(exc, DocxTemplateError | PdfRenderError | LetterDocxError | LetterPdfError
                  | LetterTemplateError):
        return f"the template could not be used: {exc}"
    if isinstance(exc, MemoryError):
        return "ran out of memory while laying out the document"
    return "could not be made because of an internal error (details are in the log)"


# --------------------------------------------------------------------------- worker processes

# Each worker process keeps its renderers here between tasks: set by ``init_worker`` (the
# pool's initializer), or on first use under an executor that has no initializer.
_WORKER: Renderers | None = None


def init_worker(spec: RendererSpec, formats: tuple[Format, ...] = (),
                memory_mb: int | None = None) -> None:
    """Run once in each worker process: ignore Ctrl-C (the parent stops the pool), end with
    the parent, cap its memory, and build the run's renderers now, while the parent plans the
    first documents."""
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    if memory_mb:
        _cap_memory(memory_mb)
    _WORKER = Renderers(spec)
    for fmt in formats:
        with contextlib.suppress(Exception):  # a broken template is reported per document
            _WORKER.get(fmt)


def _cap_memory(megabytes: int) -> None:
    """Limit the heap this process may take (RLIMIT_DATA: on Linux it counts every private
    writable mapping, so a runaway layout or template meets MemoryError, reported for its
    document, long before the machine runs out)."""
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        limit = megabytes * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def _die_with_parent() -> None:
    """A worker whose parent is killed (SIGKILL, a crash) must not live on holding the
    parent's pipes: on Linux the kernel kills it (PR_SET_PDEATHSIG); elsewhere, and as a
    backstop, a thread notices the parent is gone within a second."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="docgen-parent-watch", daemon=True).start()


def render_batch(spec: RendererSpec, tasks: list[Task], timeout: float | None) -> list[Rendered]:
    """The function a worker runs for a batch of tasks."""
    global _WORKER
    if _WORKER is None or _WORKER.spec != spec:
        _WORKER = Renderers(spec)
    return render_with(_WORKER, tasks, timeout)


class InlineExecutor(Executor):
    """Runs each call at once, in this process: ``--jobs 1``, with no process to start and no
    pickling; the renderers live in the run, not in a module."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
        return future
