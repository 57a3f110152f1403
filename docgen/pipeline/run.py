"""The one batch runner every output goes through.

Records stream in; a producer turns each usable one into documents; for each document and
format the runner decides, from the folder and the register, whether it must be made at all:

- the file is there, docgen wrote it from the same input with the same templates, and it is
  unchanged since: **unchanged**, nothing rendered, nothing written;
- the file is there but docgen did not write it, or it was edited since, or it was made from
  an earlier version of the record: **refused** unless ``overwrite`` (a file docgen does not
  know of but whose bytes are exactly what it would write now, left by a run killed before
  it could record it, is recognised and kept);
- otherwise it is rendered (in worker processes, a few documents in flight at a time, each
  under a time limit) and **written** atomically, and recorded in the register.

Results are taken in input order, so names, the manifest and the register come out the same
whatever the number of jobs. A record that cannot be used is **rejected** with its errors, a
later copy of a visit **skipped**; none disappears: every record gets a manifest row.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import traceback
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from docgen import __version__
from docgen.locking import folder_lock
from docgen.output import (
    TMP_SUFFIX,
    NotARegularFile,
    OutputExists,
    remove_leftovers,
    sha256_file,
    unique_path,
    write_bytes,
)
from docgen.pipeline.manifest import ManifestRow, ManifestWriter
from docgen.pipeline.memory import Tidier
from docgen.pipeline.outcomes import Outcomes
from docgen.pipeline.plan import Extra, Format, Plan, Planned, Printable, Producer, Subject
from docgen.pipeline.progress import Progress
from docgen.pipeline.stopping import Stop
from docgen.pipeline.workers import (
    InlineExecutor,
    Rendered,
    Renderers,
    RendererSpec,
    Task,
    init_worker,
    render_batch,
    render_with,
)
from docgen.policy.assessments import AssessmentSummary
from docgen.register import Register
from docgen.report import ExitCode, Location, RecordResult

FileStatus = Literal["written", "replaced", "unchanged", "refused", "failed"]
BACKSTOP_GRACE = 30.0  # seconds past a batch's time limit before its worker is killed


@dataclass(frozen=True)
class Settings:
    out_dir: Path
    formats: tuple[Format, ...] = ("pdf",)
    overwrite: bool = False
    jobs: int = 1
    timeout: float | None = 120.0
    renderer: RendererSpec = field(default_factory=RendererSpec)
    policy: str | None = None
    executor: Executor | None = None  # any concurrent.futures Executor; default: own pool
    batch_size: int = 1  # documents per worker call
    manifest_columns: tuple[str, ...] = ()  # more columns, filled from each Plan's details
    # the most memory (MB) one of docgen's worker processes may take: a template or a
    # document that would take more fails alone instead of exhausting the machine
    worker_memory_mb: int | None = 2048


@dataclass(frozen=True, slots=True)
class FileOutcome:
    path: Path
    format: str  # pdf or docx for a document; the suffix of a file made from the run
    status: FileStatus
    reason: str = ""
    sha256: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "format": self.format, "status": self.status,
                "reason": self.reason or None, "sha256": self.sha256 or None}


@dataclass(slots=True)
class RecordOutcome:
    """What became of one input record (or, with ``index`` None, of a document made from many
    records)."""

    index: int | None
    location: Location | None
    label: str
    form: str | None
    pupil: str
    errors: int
    warnings: int
    status: str  # made, unchanged, rejected, skipped, nothing, refused, failed
    note: str = ""
    files: list[FileOutcome] = field(default_factory=list)
    pending: int = 0
    assessments: list[AssessmentSummary] = field(default_factory=list, repr=False)
    details: dict[str, str] = field(default_factory=dict)

    def settle(self) -> None:
        """The record's status from its files, once they are all done."""
        if self.status not in ("made", "unchanged") or not self.files:
            return
        statuses = {f.status for f in self.files}
        if "failed" in statuses:
            self.status = "failed"
        elif "refused" in statuses:
            self.status = "refused"
        elif statuses == {"unchanged"}:
            self.status = "unchanged"
        else:
            self.status = "made"

    def manifest_row(self, out_dir: Path) -> ManifestRow:
        where = self.location or Location(file="")
        docs = tuple(
            (_relative(f.path, out_dir), f.format, f.status, f.sha256) for f in self.files
        )
        note = self.note
        reasons = "; ".join(f"{f.path.name}: {f.reason}" for f in self.files if f.reason)
        if reasons:
            note = f"{note}; {reasons}" if note else reasons
        return ManifestRow(
            record=self.index, file=where.file, sheet=where.sheet or "", row=where.row,
            json_path=where.path or "", form=self.form or "", pupil=self.pupil,
            outcome=self.status, note=note, errors=self.errors, warnings=self.warnings,
            documents=docs, details=dict(self.details),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "record": self.index,
            "location": self.location.to_dict() if self.location else None,
            "label": self.label, "form": self.form, "pupil": self.pupil or None,
            "status": self.status, "note": self.note or None,
            "errors": self.errors, "warnings": self.warnings,
            "files": [f.to_dict() for f in self.files],
            **({"details": dict(self.details)} if self.details else {}),
        }


def _relative(path: Path, folder: Path) -> str:
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)


@dataclass
class RunResult:
    command: str
    out_dir: Path
    run_id: int | None = None
    # every record's outcome, in input order (the many beyond the first thousand on disk)
    records: Outcomes = field(default_factory=Outcomes)
    manifest_refused: list[tuple[Path, str]] = field(default_factory=list)
    removed_leftovers: int = 0
    interrupted: bool = False
    log: list[str] = field(default_factory=list)  # details for the log file, never shown

    def files(self) -> list[FileOutcome]:
        return [f for r in self.records for f in r.files]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.files():
            out[f.status] = out.get(f.status, 0) + 1
        names = {"rejected": "records rejected", "skipped": "duplicates skipped",
                 "nothing": "records with nothing to make"}
        for r in self.records:
            key = names.get(r.status) or ("records failed" if r.status == "failed"
                                          and not r.files else None)
            if key:
                out[key] = out.get(key, 0) + 1
        return out

    @property
    def exit_code(self) -> int:
        """3 if any output was refused or failed; else 1 if a record was rejected, or was made
        with errors still to act on (a welfare concern not yet reported, in its red banner);
        else 0. (Unreadable inputs, 2, are the caller's to add: they never reach the
        pipeline.)"""
        if self.manifest_refused or any(r.status in ("refused", "failed") for r in self.records):
            return ExitCode.OUTPUT
        if any(r.status == "rejected" or r.errors for r in self.records):
            return ExitCode.INVALID
        return ExitCode.OK

    def to_dict(self) -> dict[str, Any]:
        return {
            "command": self.command, "run": self.run_id, "out_dir": str(self.out_dir),
            "exit_code": self.exit_code, "counts": self.counts(),
            "interrupted": self.interrupted,
            "manifest_refused": [{"path": str(p), "reason": r} for p, r in self.manifest_refused],
            "records": [r.to_dict() for r in self.records],
        }


# --------------------------------------------------------------------------- the pool


class _Pool:
    """Where batches are rendered: in this process (one job), in docgen's own worker processes,
    or on an executor the caller gives."""

    def __init__(self, settings: Settings) -> None:
        self.spec = settings.renderer
        self.formats = settings.formats
        self.memory_mb = settings.worker_memory_mb
        self.timeout = settings.timeout
        self.jobs = max(1, settings.jobs)
        self._given = settings.executor
        self._inline: Renderers | None = None
        self._own: ProcessPoolExecutor | None = None
        if self._given is None and self.jobs == 1:
            self._inline = Renderers(self.spec, tidy=False)  # the engine tidies
            self.executor: Executor = InlineExecutor()
        else:
            self.executor = self._given or self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        self._own = ProcessPoolExecutor(max_workers=self.jobs, initializer=init_worker,
                                        initargs=(self.spec, self.formats, self.memory_mb))
        return self._own

    def submit(self, tasks: list[Task]) -> Future[list[Rendered]]:
        if self._inline is not None:
            return self.executor.submit(render_with, self._inline, tasks, self.timeout)
        return self.executor.submit(render_batch, self.spec, tasks, self.timeout)

    @property
    def can_restart(self) -> bool:
        return self._own is not None

    def restart(self) -> None:
        """Kill docgen's worker processes (one is stuck, or one died) and start afresh."""
        if self._own is None:
            return
        self._kill()
        self.executor = self._new_pool()

    def close(self, *, cancel: bool) -> None:
        """Wait for the workers to finish (``cancel``: stop them at once)."""
        if self._own is None:
            return
        if cancel:
            self._kill()
        else:
            self._own.shutdown(wait=True)
        self._own = None

    def _kill(self) -> None:
        assert self._own is not None
        # ProcessPoolExecutor cannot stop one task; its processes are ours to end
        # the pool's manager thread, taken before shutdown() forgets it
        manager = getattr(self._own, "_executor_manager_thread", None)
        for process in dict(getattr(self._own, "_processes", None) or {}).values():
            with contextlib.suppress(Exception):
                process.kill()
        self._own.shutdown(wait=False, cancel_futures=True)
        # let the manager thread see its workers gone and close its pipes now: left running,
        # it races the interpreter's exit, which wakes it through those pipes (Python 3.11
        # checks that a pipe is open, then writes, without a lock) and prints "Bad file
        # descriptor"
        if manager is not None:
            manager.join(timeout=5)


# --------------------------------------------------------------------------- the engine


@dataclass
class _Job:
    """One file to produce, waiting for its bytes."""

    record: RecordOutcome
    path: Path
    format: Format
    subject: Subject
    input_hash: str
    render_key: str
    mode: Literal["new", "replace", "adopt"]
    existing_sha: str = ""


@dataclass
class _Batch:
    tasks: list[Task]
    future: Future[list[Rendered]]
    retried: bool = False


class _Engine:
    def __init__(self, settings: Settings, producer: Producer, register: Register | None,
                 run_id: int | None, manifest: ManifestWriter, progress: Progress | None,
                 result: RunResult, log: list[str]) -> None:
        self.s = settings
        self.producer = producer
        self.register = register
        self.run_id = run_id
        self.manifest = manifest
        self.progress = progress
        self.result = result
        self.log = log
        self.pool = _Pool(settings)
        self.context_key = _context_key(settings)
        self.taken: set[str] = set()
        self.rows: deque[RecordOutcome] = deque()
        self.jobs: dict[int, _Job] = {}
        self.batches: deque[_Batch] = deque()
        self.waiting: list[Task] = []  # tasks gathered into the next batch
        self.next_id = 0
        self.window = max(2, self.pool.jobs * 2)
        self.stop = Stop()
        self.tidier = Tidier(collect=False)  # this process: trimming is what helps

    # ------------------------------------------------------------ planning

    def add_record(self, index: int, record: RecordResult) -> None:
        self.stop.check()
        outcome = RecordOutcome(
            index=index, location=record.location, label=record.label,
            form=record.form_name, pupil=record.pupil_name,
            errors=len(record.errors), warnings=len(record.warnings), status="made",
        )
        ignored = self.producer.ignores(record)
        if ignored:
            outcome.status = "nothing"
            outcome.note = ignored
        elif not record.usable:
            outcome.status = "rejected"
            count = len(record.errors)
            outcome.note = (f"{count} error{'s' if count != 1 else ''}: no document made; "
                            "fix the record and run again")
        elif record.duplicate_of is not None:
            outcome.status = "skipped"
            outcome.note = f"the same visit as {record.duplicate_of}: made once"
        else:
            try:
                plan: Plan = self.producer.plan(record)
            except Exception as exc:  # a producer's bug costs this record, not the run
                self.log.append(f"{record.location}: "
                                + "".join(traceback.format_exception(exc)))
                outcome.status = "failed"
                outcome.note = ("could not be prepared because of an internal error (details "
                                "are in the log)")
                self._queue_row(outcome)
                return
            outcome.note = plan.note
            outcome.details = dict(plan.details)
            if not plan.outputs:
                outcome.status = "nothing"
            for planned in plan.outputs:
                self._add_outputs(outcome, planned)
        self._queue_row(outcome)

    def add_aggregate(self, planned: Planned, label: str) -> None:
        outcome = RecordOutcome(index=None, location=None, label=label,
                                form=planned.subject.kind, pupil=planned.subject.pupil,
                                errors=0, warnings=0, status="made")
        self._add_outputs(outcome, planned)
        self._queue_row(outcome)

    def _add_outputs(self, outcome: RecordOutcome, planned: Planned) -> None:
        if planned.assessment is not None:
            outcome.assessments.append(planned.assessment)
        document_key = _document_key(planned.document)
        for fmt in self.s.formats:
            path = unique_path(self.s.out_dir, planned.stem, f".{fmt}", self.taken)
            key = _digest(self.context_key, fmt, document_key)
            self._decide(outcome, path, fmt, planned, key)

    def _decide(self, outcome: RecordOutcome, path: Path, fmt: Format, planned: Planned,
                key: str) -> None:
        if path.is_symlink() or (path.exists() and not path.is_file()):
            outcome.files.append(FileOutcome(path, fmt, "refused", _NOT_REGULAR))
            return
        mode: Literal["new", "replace", "adopt"] = "new"
        existing = ""
        if path.exists():
            existing = sha256_file(path) or ""
            previous = self.register.latest(path.absolute()) if self.register is not None else None
            if previous is not None and previous.sha256 == existing \
                    and previous.render_key == key:
                outcome.files.append(FileOutcome(path, fmt, "unchanged", sha256=existing))
                return
            if self.s.overwrite:
                mode = "replace"
            elif previous is not None and previous.sha256 == existing:
                outcome.files.append(FileOutcome(path, fmt, "refused", _EARLIER))
                return
            elif previous is not None:
                outcome.files.append(FileOutcome(path, fmt, "refused", _EDITED))
                return
            else:
                mode = "adopt"  # not in the register: ours only if byte-for-byte the same
        task = Task(self.next_id, planned.document, fmt)
        self.jobs[task.id] = _Job(outcome, path, fmt, planned.subject, planned.input_hash,
                                  key, mode, existing)
        self.next_id += 1
        outcome.pending += 1
        self.waiting.append(task)
        if len(self.waiting) >= self.s.batch_size:
            self._submit_waiting()

    def _submit_waiting(self) -> None:
        if not self.waiting:
            return
        tasks, self.waiting = self.waiting, []
        while len(self.batches) >= self.window:
            self._take_oldest()
        self.batches.append(_Batch(tasks, self.pool.submit(tasks)))

    def _queue_row(self, outcome: RecordOutcome) -> None:
        self.rows.append(outcome)
        self._flush_rows()

    # ------------------------------------------------------------ results

    def drain(self) -> None:
        self._submit_waiting()
        while self.batches:
            self._take_oldest()
        self._flush_rows()

    def _take_oldest(self) -> None:
        batch = self.batches.popleft()
        for rendered in self._results(batch):
            self._store(rendered)
        self._flush_rows()

    def _wait(self, future: Future[list[Rendered]], limit: float | None) -> list[Rendered]:
        """The batch's result, looking every quarter second for a request to stop; past
        ``limit`` seconds, FutureTimeout."""
        waited = 0.0
        while True:
            self.stop.check()
            step = 0.25 if limit is None else min(0.25, max(limit - waited, 0.0))
            try:
                return future.result(timeout=step)
            except FutureTimeout:
                waited += step
                if limit is not None and waited >= limit:
                    raise

    def _results(self, batch: _Batch) -> list[Rendered]:
        limit = (self.s.timeout or 0) * len(batch.tasks) + BACKSTOP_GRACE \
            if self.s.timeout and self.pool.can_restart else None
        try:
            return self._wait(batch.future, limit)
        except FutureTimeout:
            # the in-worker time limit did not fire (stuck outside Python): kill the workers
            self.log.append(f"worker stuck on {len(batch.tasks)} document(s); restarted")
            self._restart_pool()
            return [Rendered(t.id, None, f"took longer than {self.s.timeout:g} seconds and "
                             "was stopped", timed_out=True) for t in batch.tasks]
        except BrokenProcessPool:
            self.log.append("a worker process died; restarted")
            self._restart_pool()
            if not batch.retried:
                retry = _Batch(batch.tasks, self.pool.submit(batch.tasks), retried=True)
                return self._results(retry)
            return [Rendered(t.id, None, "could not be made: the worker process rendering it "
                             "stopped (out of memory?)") for t in batch.tasks]

    def _restart_pool(self) -> None:
        self.pool.restart()
        # batches queued on the dead pool go again on the new one
        self.batches = deque(_Batch(b.tasks, self.pool.submit(b.tasks), b.retried)
                             for b in self.batches)

    def _store(self, rendered: Rendered) -> None:
        job = self.jobs.pop(rendered.id)
        outcome = job.record
        outcome.pending -= 1
        if rendered.data is None:
            if rendered.detail:
                self.log.append(f"{job.path}: {rendered.detail}")
            outcome.files.append(FileOutcome(job.path, job.format, "failed", rendered.error))
            return
        sha = hashlib.sha256(rendered.data).hexdigest()
        status: FileStatus
        if job.mode == "adopt":
            if sha != job.existing_sha:
                outcome.files.append(FileOutcome(job.path, job.format, "refused", _NOT_OURS))
                return
            status = "unchanged"
        else:
            try:
                write_bytes(job.path, rendered.data, overwrite=job.mode == "replace")
            except OutputExists:
                outcome.files.append(FileOutcome(job.path, job.format, "refused", _NOT_OURS))
                return
            except NotARegularFile:
                outcome.files.append(FileOutcome(job.path, job.format, "refused",
                                                 _NOT_REGULAR))
                return
            except OSError as exc:
                outcome.files.append(FileOutcome(job.path, job.format, "failed",
                                                 cannot_write(exc)))
                return
            status = "replaced" if job.mode == "replace" else "written"
        if self.register is not None and self.run_id is not None:
            subject = job.subject
            self.register.add_document(
                self.run_id, job.path.absolute(), job.format, kind=subject.kind,
                visit_key=subject.visit_key, pupil=subject.pupil,
                visit_date=subject.visit_date, reference=subject.reference, sha256=sha,
                input_hash=job.input_hash, render_key=job.render_key,
                outcome="adopted" if job.mode == "adopt" else status,
            )
        outcome.files.append(FileOutcome(job.path, job.format, status, sha256=sha))

    def add_extra(self, extra: Extra) -> None:
        """Write a file made from the whole run. Unchanged if the same bytes are there; a
        previous run's file of docgen's own is replaced (like the manifest); anything else
        is refused unless overwriting. ``extra.after`` then hears what became of it."""
        path = self.s.out_dir / extra.name
        outcome = RecordOutcome(index=None, location=None, label=extra.label or extra.name,
                                form=extra.subject.kind, pupil=extra.subject.pupil,
                                errors=0, warnings=0, status="made")
        placed = self._place_extra(extra, path)
        outcome.files.append(placed)
        self._queue_row(outcome)
        if extra.after is not None:
            extra.after(placed)

    def _place_extra(self, extra: Extra, path: Path) -> FileOutcome:
        fmt = path.suffix.lstrip(".").lower() or "data"
        if path.is_symlink() or (path.exists() and not path.is_file()):
            return FileOutcome(path, fmt, "refused", _NOT_REGULAR)
        tmp = path.with_name(f".{path.name}.{os.getpid()}{TMP_SUFFIX}")
        try:
            extra.write(tmp)
            sha = sha256_file(tmp) or ""
            existing = sha256_file(path) if path.exists() else None
            previous = self.register.latest(path.absolute()) if self.register is not None else None
            status: FileStatus
            if existing == sha:
                status = "unchanged"
            elif existing is None:
                status = "written"
            elif self.s.overwrite or (previous is not None and previous.sha256 == existing):
                status = "replaced"
            else:
                return FileOutcome(path, fmt, "refused", _NOT_OURS)
            if status != "unchanged":
                write_bytes(path, tmp.read_bytes(), overwrite=status == "replaced")
                if self.register is not None and self.run_id is not None:
                    subject = extra.subject
                    self.register.add_document(
                        self.run_id, path.absolute(), fmt, kind=subject.kind,
                        visit_key=subject.visit_key,
                        pupil=subject.pupil, visit_date=subject.visit_date,
                        reference=subject.reference, sha256=sha, input_hash="",
                        render_key="", outcome=status)
            return FileOutcome(path, fmt, status, sha256=sha)
        except OSError as exc:
            return FileOutcome(path, fmt, "failed", cannot_write(exc))
        finally:
            tmp.unlink(missing_ok=True)

    def _flush_rows(self) -> None:
        while self.rows and self.rows[0].pending == 0:
            outcome = self.rows.popleft()
            order: dict[str, int] = {fmt: i for i, fmt in enumerate(self.s.formats)}
            outcome.files.sort(key=lambda f: order.get(f.format, len(order)))
            outcome.settle()
            if (self.register is not None and self.run_id is not None
                    and outcome.status in ("made", "unchanged")):
                for summary in outcome.assessments:
                    self.register.remember_assessment(self.run_id, summary)
            outcome.assessments = []
            self.result.records.append(outcome)
            self.manifest.add(outcome.manifest_row(self.s.out_dir))
            if self.progress is not None and outcome.index is not None:
                self.progress.advance()
            self.tidier.made(1)

    def close(self, *, cancel: bool) -> None:
        self.pool.close(cancel=cancel)


_NOT_REGULAR = ("is a link, a folder or another special file: docgen never replaces it. Move "
                "it away or choose another output folder.")
_EARLIER = ("was made by docgen from an earlier version of this record (or with other "
            "settings or templates); use --overwrite to replace it.")
_EDITED = ("was changed since docgen wrote it; use --overwrite to replace it (the changes "
           "will be lost).")
_NOT_OURS = ("already exists and docgen did not write it; use --overwrite to replace it, or "
             "choose another output folder.")


def cannot_write(exc: OSError) -> str:
    """Why a file could not be written, in words an office user can act on."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return ("cannot be written: it is open in another program (close it in Word or the "
                "PDF viewer) or you cannot write to this folder; then run again.")
    if exc.errno == errno.ENOSPC:
        return "cannot be written: the disk is full. Free some space and run again."
    if exc.errno == errno.EROFS:
        return "cannot be written: the folder is read-only. Choose another output folder."
    if exc.errno == errno.ENAMETOOLONG:
        return "cannot be written: the file name is too long for this folder."
    return f"cannot be written ({exc.strerror or 'system error'}); check the output folder."


def _document_key(document: Printable) -> str:
    """A digest of everything a document prints (it is plain frozen data)."""
    return _digest(repr(document))


def _context_key(settings: Settings) -> str:
    """What else shapes the bytes: docgen's version and the templates."""
    return _digest(__version__, settings.renderer.fingerprint())


def _digest(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


# --------------------------------------------------------------------------- the run


def run(
    records: Iterable[RecordResult],
    producer: Producer,
    settings: Settings,
    *,
    register: Register | None = None,
    progress: Progress | None = None,
    aggregate_label: str = "",
) -> RunResult:
    """Produce every document ``producer`` plans from ``records`` into ``settings.out_dir``.

    Holds the register's lock (another run using it is refused with ``locking.Busy``) and the
    output folder's; removes temporary files an interrupted run left there; writes the
    manifest; records the run in the register. A KeyboardInterrupt stops the workers, removes
    what it was writing, records the run as interrupted and is raised again."""
    out_dir = settings.out_dir
    if out_dir.exists() and not out_dir.is_dir():
        raise NotADirectoryError(f"{out_dir} is a file, not a folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    result = RunResult(producer.command, out_dir)
    log = result.log
    with contextlib.ExitStack() as stack:
        if register is not None:
            stack.enter_context(register.lock(producer.command))
        stack.enter_context(folder_lock(out_dir, command=producer.command))
        result.removed_leftovers = len(remove_leftovers(out_dir))
        run_id = register.start_run(producer.command, policy=settings.policy,
                                    out_dir=out_dir) if register is not None else None
        result.run_id = run_id
        manifest = ManifestWriter(out_dir, {"command": producer.command, "run": run_id,
                                            "docgen": __version__, "policy": settings.policy,
                                            "formats": list(settings.formats)},
                                  extra_columns=settings.manifest_columns)
        engine = _Engine(settings, producer, register, run_id, manifest, progress, result, log)
        stack.enter_context(engine.stop)
        status = "failed"
        try:
            for index, record in enumerate(records, start=1):
                engine.add_record(index, record)
            for planned in producer.finish():
                engine.add_aggregate(planned, aggregate_label or planned.subject.kind)
            engine.drain()
            for extra in producer.extras(result):
                engine.add_extra(extra)
            result.manifest_refused = manifest.commit(result.counts())
            status = "done"
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                status = "interrupted"
                result.interrupted = True
            manifest.abandon()
            raise
        finally:
            engine.close(cancel=status != "done")
            if progress is not None:
                progress.close()
            if register is not None and run_id is not None:
                with contextlib.suppress(Exception):
                    register.finish_run(run_id, status, result.counts())
    return result


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)

