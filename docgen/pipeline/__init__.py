"""The batch pipeline every output runs on: records in, a producer's documents out, rendered
in worker processes, written safely, recorded in the register and the manifest."""

from __future__ import annotations

from docgen.pipeline.plan import FORMATS, Extra, Format, Plan, Planned, Producer, Subject
from docgen.pipeline.run import FileOutcome, RecordOutcome, RunResult, Settings, default_jobs, run
from docgen.pipeline.workers import RendererSpec

__all__ = [
    "FORMATS",
    "Extra",
    "FileOutcome",
    "Format",
    "Plan",
    "Planned",
    "Producer",
    "RecordOutcome",
    "RendererSpec",
    "RunResult",
    "Settings",
    "Subject",
    "default_jobs",
    "run",
]
