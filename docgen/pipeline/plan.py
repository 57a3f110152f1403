"""What a producer hands the pipeline: for each input record, the documents to make from it.

A producer turns records into plain ``Document``s (cheap: no layout, no files) and names them;
the pipeline decides what must be rendered, renders in worker processes, writes the files,
records them in the register and the manifest. A producer never writes a file itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from docgen.policy.assessments import AssessmentSummary
from docgen.report import RecordResult

if TYPE_CHECKING:
    from docgen.pipeline.run import FileOutcome, RunResult

Format = Literal["pdf", "docx"]
FORMATS: tuple[Format, ...] = ("pdf", "docx")


@dataclass(frozen=True)
class Subject:
    """Who and what a document is about: what the register keeps of it. Never free text."""

    kind: str  # the form name, "checkins", "letter:<name>" ...
    visit_key: str = ""
    pupil: str = ""
    visit_date: dt.date | None = None
    reference: str = ""


class Printable(Protocol):
    """What a renderer lays out: plain frozen data, e.g. a form's ``Document`` or a
    ``Letter``. Its ``repr`` is what the pipeline digests to tell whether it changed."""

    @property
    def kind(self) -> str: ...


@dataclass(frozen=True)
class Planned:
    """One document to make, in every format of the run."""

    stem: str  # the file name without its suffix; made unique within the run by the pipeline
    document: Printable
    subject: Subject
    input_hash: str  # a digest of the input it was made from (for the register)
    # a risk assessment's facts, kept in the register once its document exists, so that a
    # later visit report is checked against it
    assessment: AssessmentSummary | None = None


@dataclass(frozen=True)
class Extra:
    """A file made after every document is written, from the run as a whole: a combined PDF
    of all the letters, an export's CSV and JSON, an upload bundle. ``write`` fills the file
    at the path it is given (a temporary file the pipeline then puts in place atomically)."""

    name: str  # the file's name in the output folder
    write: Callable[[Path], None]
    subject: Subject
    label: str = ""  # what the manifest calls it; the name by default
    # Told what became of the file (written, unchanged, refused ...) once the pipeline is done
    # with it, while the run still holds the register: an export records there what it sent.
    after: Callable[[FileOutcome], None] | None = None


@dataclass
class Plan:
    """What one record gives: its documents, or a note saying why it gives none; ``details``
    fill the run's extra manifest columns (``Settings.manifest_columns``)."""

    outputs: list[Planned] = field(default_factory=list)
    note: str = ""
    details: dict[str, str] = field(default_factory=dict)


class Producer(Protocol):
    """Turns records into documents for the pipeline."""

    command: str  # what the register and the manifest call the run: "render", "checkins" ...

    def ignores(self, record: RecordResult) -> str:
        """Why this producer has no use for the record whatever its state ("" if it has):
        the check-in sheet ignores visit reports, valid or not."""
        ...

    def plan(self, record: RecordResult) -> Plan:
        """The documents a valid, usable record gives (called in input order)."""
        ...

    def finish(self) -> Sequence[Planned]:
        """Documents made from all the records together (the check-in sheet), once every
        record has been planned."""
        ...

    def extras(self, result: RunResult) -> Sequence[Extra]:
        """Files made from the finished run (``result`` has every record's files), written
        after all the documents; none for most producers."""
        ...


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
