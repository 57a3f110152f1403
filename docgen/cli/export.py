"""``docgen export``: visit reports into the school's case-management system (CPOMS by
default), as CSV, JSON and an upload bundle; ``--list`` what was exported; ``--mark-uploaded``
a file once it is uploaded."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from docgen.cli.common import (
    EXIT_CODES,
    OutputProblem,
    UsageProblem,
    busy,
    finish,
    jobs_option,
    note,
    overwrite_option,
    parse_date,
    policy_option,
    quiet_option,
    register_option,
    run_lines,
    school_for,
    school_option,
    templates_option,
    timeout_option,
)
from docgen.export.producer import DATA_FORMATS
from docgen.export.run import ExportError, ExportResult, export, mark_uploaded, sent
from docgen.locking import Busy
from docgen.pipeline.progress import Progress
from docgen.register.exports import ExportEntry
from docgen.report import ExitCode, inert
from docgen.report_text import ProblemsOnly, summary


class InvalidProblem(click.ClickException):
    """Input that is not what was expected (exit 1), e.g. a file docgen did not export."""

    exit_code = ExitCode.INVALID


def _Problem(error: ExportError) -> click.ClickException:
    kinds: dict[int, type[click.ClickException]] = {
        ExitCode.INVALID: InvalidProblem, ExitCode.OUTPUT: OutputProblem}
    return kinds.get(error.exit_code, UsageProblem)(str(error))


@click.command("export", epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the export (CSV, JSON, PDFs) [default: export, or the "
              "bundle's folder].")
@click.option("--format", "formats", type=click.Choice(list(DATA_FORMATS)), multiple=True,
              default=DATA_FORMATS, show_default=True,
              help="Data file to write; repeat for both. The PDFs are always made.")
@click.option("--mapping", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="A mapping file (TOML): the columns and category names the school's "
              "system expects [default: school.toml's [export] mapping, else docgen's].")
@click.option("--bundle", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.zip",
              help="Also write the upload bundle: a zip with the CSV, the JSON, the PDFs and "
              "a manifest of their SHA-256. Its name names the CSV and JSON too.")
@click.option("--all", "again", is_flag=True,
              help="Export again the records already exported and unchanged since.")
@click.option("--list", "list_exports", is_flag=True,
              help="List what was exported, when, by whom, into which files (no PATHS).")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True,
              help="With --list: the latest this many exports.")
@click.option("--mark-uploaded", "uploaded", type=click.Path(dir_okay=False, path_type=Path),
              metavar="FILE", help="Record that FILE (a CSV, JSON or bundle docgen exported) "
              "was uploaded (no PATHS).")
@school_option
@policy_option
@overwrite_option
@click.option("--today", callback=parse_date, metavar="DATE",
              help="Check as if today were DATE (DD/MM/YYYY).")
@templates_option
@jobs_option
@timeout_option
@register_option
@quiet_option
@click.option("--report-format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Say what was done as text, or as JSON data on "
              "standard output.")
def export_command(paths: tuple[Path, ...], out_dir: Path | None, formats: tuple[str, ...],
                   mapping: Path | None, bundle: Path | None, again: bool, list_exports: bool,
                   limit: int, uploaded: Path | None, school: Path | None, policy: str | None,
                   overwrite: bool, today: dt.date | None, templates: Path | None,
                   jobs: int | None, timeout: float, no_register: bool, quiet: bool,
                   fmt: str) -> None:
    """Export visit reports for CPOMS (or another system): one record per visit report, with
    a factual narrative, categories, actions and the people to alert, in a CSV and a JSON;
    the visit report's PDF and its risk assessment's attached, with their SHA-256. A risk
    assessment above low risk is a record of its own.

    An invalid report is not exported (it is listed with its errors, exit 1); a report with a
    safeguarding gap still to act on is exported, with the gap in its alerts. The register
    remembers what was sent: a record already exported is skipped unless it changed (then it
    is an amendment, saying what changed) or --all is given. Staff mobiles and the
    code word never leave docgen (mobiles only if the mapping has a column for them)."""
    if list_exports or uploaded is not None:
        if paths:
            raise click.UsageError("--list and --mark-uploaded take no input files")
        if list_exports:
            _list(school, fmt, limit)
        else:
            assert uploaded is not None
            _mark(uploaded, school, fmt)
        return
    if not paths:
        raise click.UsageError("give the visit reports (and risk assessments) to export, or "
                               "--list, or --mark-uploaded FILE")
    text = fmt == "text"
    chosen = school_for(school, policy, quiet=quiet or not text)
    progress = Progress(None, label="Exporting",
                        enabled=None if (text and not quiet) else False)
    try:
        result = export(
            paths, out_dir, school=chosen.config, policy=chosen.policy,
            formats=[f for f in DATA_FORMATS if f in formats], mapping=mapping,
            bundle=bundle, again=again, overwrite=overwrite, today=today,
            templates=templates, jobs=jobs, timeout=timeout,
            register=not no_register,
            listener=ProblemsOnly(click.echo, style=click.style) if text else None,
            progress=progress)
    except ExportError as exc:
        raise _Problem(exc) from None
    except Busy as exc:
        raise busy(exc) from None
    except (NotADirectoryError, PermissionError) as exc:
        raise UsageProblem(f"cannot write into the output folder: {exc.strerror or exc}"
                           ) from None
    if text:
        _print(result, quiet=quiet, dry=no_register)
    run = result.batch.run
    finish(result.exit_code, run, result.to_dict() if not text else None)


def _print(result: ExportResult, *, quiet: bool, dry: bool) -> None:
    batch = result.batch
    if any(not f.ok for f in batch.files):
        click.echo(summary(batch.files, None))
    run = batch.run
    if run is not None:
        for line in run_lines(run, quiet=quiet):
            click.echo(line)
        if run.removed_leftovers:
            note(f"removed {run.removed_leftovers} temporary file(s) an interrupted run left")
    for record in result.records:
        what = {"new": "new", "repeat": "sent again, unchanged",
                "amendment": "AMENDMENT of the record exported "
                f"{record.amends}: changed {', '.join(record.changed_fields)}"}[record.status]
        click.echo(f"exported {record.id} {inert(record.pupil_name)}, "
                   f"{record.incident_date:%d/%m/%Y} ({record.record_type.replace('-', ' ')})"
                   f": {what}")
        for alert in record.alerts:
            click.echo(click.style(f"  safeguarding alert: {inert(alert)}", fg="red"))
    if not quiet:
        for label, why in result.skipped:
            click.echo(f"not exported again: {label}: {why}")
    for problem in result.problems:
        click.echo(click.style("problem: ", fg="red", bold=True) + inert(problem))
    click.echo(_summary(result, dry=dry))


def _summary(result: ExportResult, *, dry: bool) -> str:
    counts = result.counts()
    skipped = counts.pop("already exported", 0)
    parts = [f"{n} {k}{'s' if n != 1 and k == 'amendment' else ''}"
             for k, n in counts.items()]
    later = (f"; {skipped} already exported and unchanged (--all sends them again)"
             if skipped else "")
    if not result.records:
        return f"Nothing new to export{later}."
    files = ", ".join(inert(str(f.path)) for f in result.files)
    text = f"Exported {len(result.records)} record{'s' if len(result.records) != 1 else ''} " \
           f"({', '.join(parts)}) into {files}{later}."
    if dry:
        return text + " Not recorded in the register (--no-register)."
    order = {".zip": 0, ".csv": 1, ".json": 2}
    upload = min(result.files, key=lambda f: order.get(f.path.suffix, 3)).path
    return text + f" Once uploaded: docgen export --mark-uploaded {inert(str(upload))}"


def _list(school: Path | None, fmt: str, limit: int) -> None:
    chosen = school_for(school, None, quiet=True)
    try:
        path, exports = sent(chosen.config, limit=limit)
    except ExportError as exc:
        raise _Problem(exc) from None
    if fmt == "json":
        click.echo(json.dumps({"register": str(path), "exports": [e.to_dict() for e in exports]},
                              indent=2, ensure_ascii=False))
        return
    click.echo(f"Register: {inert(str(path))}")
    if not exports:
        click.echo("Nothing has been exported yet.")
    for entry in exports:
        for line in _export_lines(entry):
            click.echo(line)


def _when(iso: str | None) -> str:
    if not iso:
        return "-"
    return dt.datetime.fromisoformat(iso).astimezone().strftime("%d/%m/%Y %H:%M")


def _export_lines(entry: ExportEntry) -> list[str]:
    counts = ", ".join(f"{n} {k}" for k, n in sorted(entry.counts.items())) or "no records"
    lines = [f"Export #{entry.id} on {_when(entry.exported_at)} by {inert(entry.user)}: "
             f"{counts}"]
    for f in entry.files:
        state = (f"uploaded {_when(f.uploaded_at)} by {inert(f.uploaded_by or '-')}"
                 if f.uploaded_at else "NOT marked uploaded")
        lines.append(f"  {f.kind} {inert(f.path)} ({state})")
    for r in entry.records:
        day = dt.date.fromisoformat(r.visit_date).strftime("%d/%m/%Y") if r.visit_date else "-"
        ref = f", {inert(r.visit_reference)}" if r.visit_reference else ""
        changed = f": changed {', '.join(r.changed)}" if r.changed else ""
        lines.append(f"  {r.record_id} {r.status} {inert(r.pupil or '-')} "
                     f"(visit {day}{ref}){changed}")
    return lines


def _mark(file: Path, school: Path | None, fmt: str) -> None:
    chosen = school_for(school, None, quiet=True)
    try:
        entry, marked = mark_uploaded(file, chosen.config)
    except ExportError as exc:
        raise _Problem(exc) from None
    if fmt == "json":
        click.echo(json.dumps({"file": entry.to_dict(), "marked_now": marked}, indent=2,
                              ensure_ascii=False))
        return
    if marked:
        click.echo(f"marked {inert(str(file))} (export #{entry.export_id}) as uploaded by "
                   f"{inert(entry.uploaded_by or '-')} on {_when(entry.uploaded_at)}")
    else:
        click.echo(f"{inert(str(file))} was already marked uploaded by "
                   f"{inert(entry.uploaded_by or '-')} on {_when(entry.uploaded_at)}")

