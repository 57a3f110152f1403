"""``docgen export`` as a library function: check the inputs, make each record's PDFs through
the pipeline, write the CSV, the JSON and the bundle, and record in the register what was sent;
and the register's side of it: what was exported (``sent``) and marking a file as uploaded.
Nothing here raises for bad input: problems are in the result. ``ExportError`` is raised only
for what stops the export before it starts (a bad mapping file, a name already taken)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.batch import (
    DEFAULT_TIMEOUT,
    Batch,
    BatchResult,
    CheckListener,
    resolve_school,
    settings_for,
)
from docgen.config import SchoolConfig
from docgen.export.categories import table_for
from docgen.export.compose import Composer
from docgen.export.mapping import Mapping, MappingError, load_mapping
from docgen.export.producer import (
    DATA_FORMATS,
    AttachmentNames,
    DataFormat,
    ExportOptions,
    ExportProducer,
    VisitIndex,
)
from docgen.export.record import ExportRecord
from docgen.output import sha256_file
from docgen.pipeline.progress import Progress
from docgen.pipeline.run import FileOutcome
from docgen.pipeline.workers import RendererSpec
from docgen.policy import Policy
from docgen.register import Register, RegisterError
from docgen.register.exports import ExportedFile, ExportEntry, ExportLog
from docgen.report import ExitCode


class ExportError(Exception):
    """What stops an export before it starts; ``exit_code`` says which kind."""

    def __init__(self, message: str, exit_code: int = ExitCode.USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class ExportResult:
    """What an export did: the inputs and the pipeline run (``batch``), the records it sent,
    those it skipped as already sent, and what the person exporting must know."""

    batch: BatchResult
    name: str
    records: list[ExportRecord] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    files: list[FileOutcome] = field(default_factory=list)
    export_id: int | None = None
    duplicates: int = 0  # records left out because another had the same visit reference

    @property
    def exit_code(self) -> int:
        codes = [self.batch.exit_code]
        if self.duplicates:
            codes.append(ExitCode.INVALID)
        return max(codes)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for record in self.records:
            out[record.status] = out.get(record.status, 0) + 1
        if self.skipped:
            out["already exported"] = len(self.skipped)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "exit_code": self.exit_code,
            "export": self.export_id,
            "name": self.name,
            "counts": self.counts(),
            "records": [{"id": r.id, "record_type": r.record_type, "status": r.status,
                         "pupil": r.pupil_name, "incident_date": r.incident_date.isoformat(),
                         "changed_fields": r.changed_fields, "alerts": r.alerts,
                         "attachments": [a.file for a in r.attachments]}
                        for r in self.records],
            "skipped": [{"record": label, "why": why} for label, why in self.skipped],
            "problems": self.problems,
            "export_files": [f.to_dict() for f in self.files],
            **self.batch.to_dict(),
        }


def export_name(now: dt.datetime) -> str:
    return f"export-{now.astimezone():%Y-%m-%d-%H%M%S}"


def export(
    paths: Iterable[str | Path],
    out_dir: str | Path | None = None,
    *,
    school: SchoolConfig | str | Path | None = None,
    policy: Policy | str | None = None,
    formats: Sequence[DataFormat] = DATA_FORMATS,
    mapping: Mapping | str | Path | None = None,
    bundle: str | Path | None = None,
    again: bool = False,
    overwrite: bool = False,
    today: dt.date | None = None,
    templates: Path | None = None,
    renderer: RendererSpec | None = None,
    jobs: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    register: bool | Path | Register = True,
    listener: CheckListener | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> ExportResult:
    """Export the visit reports (and risk assessments) in ``paths`` into ``out_dir``.

    ``bundle`` names the upload zip (in ``out_dir``; without ``out_dir``, its folder is the
    output folder). ``again`` exports records already sent and unchanged (``--all``);
    ``register`` False exports without remembering (nothing is then skipped)."""
    chosen = resolve_school(school, policy)
    config = chosen.config
    chosen_mapping = _mapping(mapping, config)
    table = table_for(config.export)
    try:
        chosen_mapping.check_categories(table.texts())
    except MappingError as exc:
        raise ExportError(str(exc)) from None
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    folder, name = _where(out_dir, bundle, moment)
    options = ExportOptions(formats=tuple(f for f in DATA_FORMATS if f in formats),
                            name=name, bundle=bundle is not None, again=again)
    _check_free(folder, options, overwrite)

    settings = settings_for(chosen, folder, formats=("pdf",), overwrite=overwrite, jobs=jobs,
                            timeout=timeout, templates=templates)
    if renderer is not None:  # e.g. renderers that lay nothing out, for tests
        settings = dataclasses.replace(settings, renderer=renderer)
    reg = _open(config, register)
    try:
        # a report is checked against its risk assessment, in this run or printed before
        batch = Batch(paths, chosen.policy, today=today, known=reg)
        names = AttachmentNames(folder, config, chosen_mapping.wants_mobiles)
        visits = VisitIndex(names, forward=listener)
        batch.check(visits)
        if progress is not None and progress.total is None:
            progress.total = batch.total
        producer = ExportProducer(config, chosen.policy, Composer(config, table, chosen_mapping),
                                  visits, options, log=ExportLog(reg) if reg else None,
                                  now=moment)
        batch.produce(producer, settings, register=reg, progress=progress)
    finally:
        if reg is not None and not isinstance(register, Register):
            reg.close()
    sent = [p.record for p in producer.pending] if producer.landed else []
    return ExportResult(batch.result, name, sent, producer.skipped, producer.problems,
                        producer.landed, producer.export_id, producer.duplicates)


def _mapping(mapping: Mapping | str | Path | None, config: SchoolConfig) -> Mapping:
    if isinstance(mapping, Mapping):
        return mapping
    try:
        return load_mapping(mapping if mapping is not None else config.mapping_path())
    except MappingError as exc:
        raise ExportError(str(exc)) from None


def _where(out_dir: str | Path | None, bundle: str | Path | None,
           now: dt.datetime) -> tuple[Path, str]:
    """The output folder and the export's name (the bundle's, or one from the time)."""
    if bundle is None:
        return Path(out_dir) if out_dir is not None else Path("export"), export_name(now)
    target = Path(bundle)
    if target.suffix.lower() != ".zip":
        raise ExportError(f"the bundle {target} must end in .zip")
    if out_dir is None:
        return target.parent, target.stem
    folder = Path(out_dir)
    if target.parent != Path(".") and target.parent.resolve() != folder.resolve():
        raise ExportError(f"the bundle {target} must go into the output folder {folder}: "
                          "give it as a name only, or leave out --out")
    return folder, target.stem


def _check_free(folder: Path, options: ExportOptions, overwrite: bool) -> None:
    """An export never replaces an earlier one's files, unless told to."""
    if overwrite:
        return
    suffixes = [f".{f}" for f in options.formats] + ([".zip"] if options.bundle else [])
    taken = [folder / f"{options.name}{s}" for s in suffixes
             if (folder / f"{options.name}{s}").exists()]
    if taken:
        raise ExportError(f"{taken[0]} already exists: an export never replaces an earlier "
                          "one; choose another name (or use --overwrite)", ExitCode.OUTPUT)


def _open(config: SchoolConfig, use: bool | Path | Register) -> Register | None:
    if use is False:
        return None
    if isinstance(use, Register):
        return use
    try:
        return Register.open(config.register_path() if use is True else use)
    except RegisterError as exc:
        raise ExportError(str(exc), ExitCode.OUTPUT) from None


# ------------------------------------------------------------------ the register's side


def _existing_register(config: SchoolConfig) -> Register:
    path = config.register_path()
    if not path.exists():
        raise ExportError(f"there is no register at {path} yet: nothing has been exported "
                          "with this school file.")
    try:
        return Register.open(path)
    except RegisterError as exc:
        raise ExportError(str(exc)) from None


def sent(school: SchoolConfig | str | Path | None = None, *, limit: int = 20,
         with_records: bool = True) -> tuple[Path, list[ExportEntry]]:
    """The register's path and its latest exports, newest first (``docgen export --list``)."""
    config = resolve_school(school).config
    with _existing_register(config) as register:
        return register.path, ExportLog(register).exports(limit=limit,
                                                          with_records=with_records)


def mark_uploaded(file: str | Path, school: SchoolConfig | str | Path | None = None
                  ) -> tuple[ExportedFile, bool]:
    """Record that an export file was uploaded (``docgen export --mark-uploaded FILE``).
    Returns the file as the register has it, and False if it was marked before."""
    path = Path(file)
    config = resolve_school(school).config
    digest = sha256_file(path) if path.is_file() else None
    with _existing_register(config) as register:
        log = ExportLog(register)
        found = log.find_file(path, digest)
        if found is None:
            raise ExportError(f"{path} is not a file docgen exported (the register "
                              f"{register.path} has no export file at that path or with its "
                              "content).", ExitCode.INVALID)
        if digest is not None and found.sha256 != digest:
            raise ExportError(f"{path} was changed after docgen exported it: its content is "
                              "not what was exported. Upload the file as exported, or export "
                              "again.", ExitCode.INVALID)
        if found.uploaded_at:
            return found, False
        return log.mark_uploaded(found.id), True
