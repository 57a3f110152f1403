"""Batch jobs run from the browser: the batch pipeline over the forms in the records database,
in a background thread, with its progress shown on the page and its files offered as one zip.

A job is a ``JobSpec``: who may run it, which forms it takes, and the pipeline ``Producer`` it
runs. docgen's own printing jobs are here; the letters and the CPOMS export plug in the same
way: a module listed in ``PLUGINS`` that defines ``JOBS: list[JobSpec]`` (or any code calling
``register_job``) appears on the Jobs page for the roles it names, with nothing else to change.
A job may adjust the pipeline's settings (its own renderers), check its templates before
anything is made, and say what the person who ran it must know when it is done.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import secrets
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from docgen.batch import School, settings_for
from docgen.documents.producers import CheckinProducer, FormProducer
from docgen.locking import Busy
from docgen.pipeline import Format, Producer, RunResult, Settings, run
from docgen.pipeline.progress import Progress
from docgen.register import Register, RegisterError
from docgen.report import RecordResult
from docgen.schemas import FormModel

# Modules that add jobs when they exist (the letters and export issues add them).
PLUGINS = ("docgen.letters.web", "docgen.export.web")


@dataclass(frozen=True)
class JobRequest:
    """What a job is run on: the school, the usable forms chosen (all of them, before the run
    starts: an export can index them first), the day it concerns, and the school's register,
    open for the run (for a producer that keeps its own tables there, as the letters and the
    export do)."""

    school: School
    records: list[RecordResult]
    day: dt.date
    register_path: Path | None = None
    register: Register | None = None
    out_dir: Path | None = None  # the job's own folder, where the pipeline writes


@dataclass(frozen=True)
class JobSpec:
    name: str  # in URLs and the register's run command
    title: str  # the button
    description: str
    roles: frozenset[str]
    forms: tuple[str, ...]  # which forms it reads: risk-assessment, visit-report
    producer: Callable[[JobRequest], Producer]
    formats: tuple[Format, ...] = ("pdf",)
    today_only: bool = False  # only the forms of visits on the day
    # the pipeline's settings for this job (e.g. its own renderers), from docgen's defaults
    settings: Callable[[JobRequest, Settings], Settings] | None = None
    # problems that stop the job before anything is made (a template that cannot be used)
    check: Callable[[JobRequest], list[str]] | None = None
    # what the person who ran it must know when it is done, from its producer
    summary: Callable[[Producer], list[str]] | None = None


_JOBS: dict[str, JobSpec] = {}


def register_job(spec: JobSpec) -> None:
    _JOBS[spec.name] = spec


def jobs() -> dict[str, JobSpec]:
    """Every job: docgen's own, then those the plugins add."""
    for module in PLUGINS:
        try:
            found = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name is not None and module.startswith(exc.name):
                continue  # not written yet
            raise
        for spec in getattr(found, "JOBS", ()):
            register_job(spec)
    return dict(_JOBS)


register_job(JobSpec(
    name="print-forms",
    title="Print every submitted form",
    description="PDF and Word documents of every submitted risk assessment and visit report, "
    "with the school's file names, in one zip.",
    roles=frozenset({"dsl", "headteacher"}),
    forms=("risk-assessment", "visit-report"),
    producer=lambda request: FormProducer(request.school.config, request.school.policy),
    formats=("pdf", "docx"),
))
register_job(JobSpec(
    name="checkin-sheet",
    title="Print today's check-in sheet",
    description="The office check-in sheet for today's visits, as a PDF.",
    roles=frozenset({"office", "dsl", "headteacher"}),
    forms=("risk-assessment",),
    producer=lambda request: CheckinProducer(request.day, request.school.config,
                                             request.school.policy),
    today_only=True,
))


@dataclass
class Job:
    """One run of a job: its progress while it runs, its result after."""

    id: str
    spec: JobSpec
    user: int
    out_dir: Path
    total: int
    progress: Progress
    started: dt.datetime
    result: RunResult | None = None
    failed: str = ""
    problems: list[str] = field(default_factory=list)  # why it could not start, each in full
    notes: list[str] = field(default_factory=list)  # the job's summary (JobSpec.summary)
    # the forms it was run on, as (record id in the records database, form): for the access log
    sources: list[tuple[str, FormModel]] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)

    @property
    def state(self) -> str:
        if not self.done.is_set():
            return "running"
        return "failed" if self.failed else "done"

    @property
    def share(self) -> int:
        """Percent done."""
        if self.done.is_set():
            return 100
        return int(100 * min(self.progress.done, self.total) / self.total) if self.total else 0

    def files(self) -> list[Path]:
        if self.result is None:
            return []
        out = [f.path for r in self.result.records for f in r.files
               if f.status in ("written", "replaced", "unchanged")]
        for name in ("manifest.csv", "manifest.json"):
            if (self.out_dir / name).is_file():
                out.append(self.out_dir / name)
        return [p for p in out if p.is_file()]

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in self.files():
                archive.write(path, path.relative_to(self.out_dir).as_posix())
        return buffer.getvalue()

    def counts(self) -> dict[str, int]:
        return self.result.counts() if self.result is not None else {}


class JobRunner:
    """Runs jobs one at a time per school, each in a thread of its own."""

    def __init__(self, school: School, register_path: Path | None, output: Path,
                 jobs: int = 1) -> None:
        self.school = school
        self.register_path = register_path
        self.output = output
        self.jobs = jobs
        self._lock = threading.Lock()
        self._runs: dict[str, Job] = {}

    def start(self, spec: JobSpec, user: int, records: list[RecordResult], day: dt.date,
              sources: list[tuple[str, FormModel]] | None = None) -> Job:
        job_id = secrets.token_urlsafe(9)
        stamp = dt.datetime.now().strftime("%Y-%m-%d_%H%M%S")
        out_dir = self.output / f"{stamp}_{spec.name}"
        job = Job(job_id, spec, user, out_dir, len(records),
                  Progress(len(records), enabled=False), dt.datetime.now(),
                  sources=list(sources or ()))
        with self._lock:
            self._runs[job_id] = job
        thread = threading.Thread(target=self._run, args=(job, records, day), daemon=True,
                                  name=f"docgen-job-{spec.name}")
        thread.start()
        return job

    def _run(self, job: Job, records: list[RecordResult], day: dt.date) -> None:
        spec = job.spec
        try:
            register = Register.open(self.register_path) if self.register_path else None
            try:
                request = JobRequest(self.school, records, day, self.register_path, register,
                                     job.out_dir)
                if spec.check is not None:
                    job.problems = spec.check(request)
                    if job.problems:
                        job.failed = "Nothing was made: the templates cannot be used."
                        return
                producer = spec.producer(request)
                settings = settings_for(self.school, job.out_dir, formats=spec.formats,
                                        jobs=self.jobs)
                if spec.settings is not None:
                    settings = spec.settings(request, settings)
                job.result = run(iter(records), producer, settings, register=register,
                                 progress=job.progress)
                if spec.summary is not None:
                    job.notes = spec.summary(producer)
            finally:
                if register is not None:
                    register.close()
        except (Busy, RegisterError) as exc:  # another run holds the register
            job.failed = f"The job could not start: {exc}"
        except Exception as exc:  # shown on the page; the details are in the server's log
            job.failed = f"The job stopped: {type(exc).__name__}."
            raise
        finally:
            job.done.set()

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._runs.get(job_id)

    def of_user(self, user: int) -> Iterator[Job]:
        with self._lock:
            runs = list(self._runs.values())
        return (j for j in reversed(runs) if j.user == user)

    def wait(self, jobs: Iterable[Job], timeout: float | None = None) -> None:
        for job in jobs:
            job.done.wait(timeout)
