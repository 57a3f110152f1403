"""The commands for the forms: make a workbook, check records, print them, print the office
check-in sheet, and describe the forms and the checks."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import click

from docgen import batch as batches
from docgen import validation
from docgen.batch import Batch, open_register, settings_for
from docgen.cli.common import (
    EXIT_CODES,
    UsageProblem,
    busy,
    finish,
    format_option,
    formats_of,
    jobs_option,
    note,
    out_option,
    overwrite_option,
    parse_date,
    policy_option,
    quiet_option,
    register_option,
    run_lines,
    school_for,
    school_option,
    summary_line,
    templates_option,
    timeout_option,
    to_option,
)
from docgen.documents.producers import CheckinProducer, FormProducer
from docgen.letters.workbook import ATTENDANCE, write_attendance_workbook
from docgen.locking import Busy
from docgen.output import OutputRefused, write_text
from docgen.pipeline import Producer, Settings
from docgen.pipeline.progress import Progress
from docgen.policy.catalogue import catalogue, checks_text
from docgen.register import Register, RegisterError
from docgen.report import exit_code
from docgen.report_text import ProblemsOnly, TextReport, summary
from docgen.schemas import FORMS, get_form
from docgen.workbook import LAYOUTS, Layout, write_workbook

FORM_CHOICE = click.Choice(list(FORMS))
form_option = click.option(
    "--form", "-f", type=FORM_CHOICE,
    help="Read every record as this form (JSON records without a \"form\" field, or a "
    "workbook sheet with another name).",
)
sheet_option = click.option("--sheet", help="Read this sheet of each workbook.")
today_option = click.option(
    "--today", callback=parse_date, metavar="DATE",
    help="Check as if today were DATE (DD/MM/YYYY), e.g. to re-check old records.",
)


@click.command()
@click.argument("form", type=click.Choice([*FORMS, ATTENDANCE]))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the workbook (.xlsx).")
@click.option("--layout", type=click.Choice(LAYOUTS), default="form", show_default=True,
              help="form: one visit per sheet, the questions down the page (to fill in one "
              "visit); table: one visit per row (for a batch of visits).")
@click.option("--overwrite", is_flag=True, help="Replace the file if it exists.")
@school_option
@policy_option
def template(form: str, output: Path, layout: Layout, overwrite: bool, school: Path | None,
             policy: str | None) -> None:
    """Write a blank workbook for FORM with dropdowns, date formats, help on every question
    and an Instructions sheet, asking the questions the school's policy asks. docgen reads
    either layout back. `attendance` is the input of `docgen letters`: one pupil per row,
    with their attendance and their parents."""
    if output.suffix.lower() != ".xlsx":
        raise click.BadParameter("the workbook must end in .xlsx", param_hint="--output")
    chosen = school_for(school, policy, quiet=True)
    try:
        if form == ATTENDANCE:
            write_attendance_workbook(output, overwrite=overwrite)
        else:
            write_workbook(form, output, layout=layout, policy=chosen.policy, overwrite=overwrite)
    except OutputRefused as exc:
        raise UsageProblem(str(exc)) from None
    except OSError as exc:
        raise UsageProblem(f"cannot write {output}: {exc.strerror}") from None
    click.echo(f"wrote {output}")


@click.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@school_option
@policy_option
@form_option
@sheet_option
@format_option
@click.option("--quiet", "-q", is_flag=True, help="List only records with issues.")
@today_option
def validate(paths: tuple[Path, ...], school: Path | None, policy: str | None,
             form: str | None, sheet: str | None, fmt: str, quiet: bool,
             today: dt.date | None) -> None:
    """Check risk assessments and visit reports (.xlsx, .json, or folders of them) against
    the form and the school's policy. Lists every problem with its file, sheet, row and cell
    or JSON path."""
    chosen = school_for(school, policy, quiet=quiet or fmt == "json")
    with _known_assessments(chosen) as known:
        if fmt == "json":
            report = validation.validate(paths, chosen.policy, form=form, sheet=sheet,
                                         today=today, known=known)
            finish(report.exit_code, data=report.to_dict())
        _validate_text(validation.Checker(paths, chosen.policy, form=form, sheet=sheet,
                                          today=today, known=known), chosen, quiet)


@contextlib.contextmanager
def _known_assessments(school: batches.School) -> Iterator[Register | None]:
    """The school's register, if it exists, for the risk assessments printed before (a
    report is checked against its assessment); validating never creates one."""
    path = school.config.register_path()
    register = None
    if path.is_file():
        try:
            register = Register.open(path)
        except RegisterError as exc:
            note(f"note: {exc} Reports are checked against this run's assessments only.")
    try:
        yield register
    finally:
        if register is not None:
            register.close()


def _validate_text(checker: validation.Checker, chosen: batches.School, quiet: bool) -> None:
    out = TextReport(click.echo, style=click.style, verbose=not quiet)
    files = []
    for file in checker:
        out.start_file(file.path)
        for record in file:
            out.file_issues(file.issues)
            out.record(record)
        result = file.result()
        out.end_file(result)
        files.append(result)
    click.echo(summary(files, chosen.policy.id))
    finish(exit_code(files))


def _produce(batch: Batch, producer: Producer, settings: Settings, *, fmt: str, quiet: bool,
             register: Register | None) -> None:
    """Check the inputs (printing problems), then run the producer through the pipeline."""
    text = fmt == "text"
    batch.known = register  # reports are checked against the assessments printed before
    batch.check(ProblemsOnly(click.echo, style=click.style) if text else None)
    if text and any(not f.ok for f in batch.result.files):
        click.echo(summary(batch.result.files, batch.policy.id))
    progress = Progress(batch.total, label="Making documents",
                        enabled=None if (text and not quiet) else False)
    try:
        run = batch.produce(producer, settings, register=register, progress=progress)
    except Busy as exc:
        raise busy(exc) from None
    except (NotADirectoryError, PermissionError) as exc:
        raise UsageProblem(f"cannot write into {settings.out_dir}: {exc.strerror or exc}"
                           ) from None
    if text:
        for line in run_lines(run, quiet=quiet):
            click.echo(line)
        if run.removed_leftovers:
            note(f"removed {run.removed_leftovers} temporary file(s) an interrupted run left")
        click.echo(summary_line(run))


@contextlib.contextmanager
def _register(school: batches.School, no_register: bool) -> Iterator[Register | None]:
    """The school's register for a run (none for --no-register), closed afterwards."""
    try:
        register = open_register(school.config, not no_register)
    except RegisterError as exc:
        raise busy(exc) from None
    try:
        yield register
    finally:
        if register is not None:
            register.close()


@click.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--blank", type=FORM_CHOICE, metavar="FORM",
              help="Print FORM (risk-assessment or visit-report) blank, to fill in by hand: "
              "every question the school's policy asks, with room to write. Takes no files.")
@to_option
@out_option
@school_option
@policy_option
@overwrite_option
@form_option
@sheet_option
@today_option
@templates_option
@jobs_option
@timeout_option
@register_option
@quiet_option
@format_option
def render(paths: tuple[Path, ...], blank: str | None, formats: tuple[str, ...],
           out_dir: Path, school: Path | None, policy: str | None, overwrite: bool,
           form: str | None, sheet: str | None, today: dt.date | None,
           templates: Path | None, jobs: int | None, timeout: float, no_register: bool,
           quiet: bool, fmt: str) -> None:
    """Print risk assessments and visit reports as PDF and/or DOCX documents, or a blank
    form to fill in by hand (--blank FORM).

    Invalid records are reported and get no document. A rerun writes only what changed:
    a document already made from the same record is left as it is (unchanged), and a file
    docgen did not write, or one edited since, is never replaced without --overwrite. Each run
    writes manifest.csv and manifest.json into the output folder and is recorded in the
    school's register (see `docgen history`)."""
    if blank is not None:
        if paths:
            raise UsageProblem("--blank prints an empty form: give it no files (print the "
                               "files in a separate run).")
        _render_blank(blank, formats, out_dir, school, policy, overwrite, templates,
                      no_register, quiet, fmt)
    if not paths:
        raise UsageProblem("Give the workbooks or JSON files to print (or folders of them), "
                           "or --blank risk-assessment for a form to fill in by hand.")
    chosen = school_for(school, policy, quiet=quiet or fmt == "json")
    settings = settings_for(chosen, out_dir, formats=formats_of(formats), overwrite=overwrite,
                            jobs=jobs, timeout=timeout, templates=templates)
    batch = Batch(paths, chosen.policy, form=form, sheet=sheet, today=today)
    with _register(chosen, no_register) as register:
        _produce(batch, FormProducer(chosen.config, chosen.policy), settings, fmt=fmt,
                 quiet=quiet, register=register)
    run = batch.result.run
    finish(batch.result.exit_code, run, batch.result.to_dict() if fmt == "json" else None)


def _render_blank(form: str, formats: tuple[str, ...], out_dir: Path, school: Path | None,
                  policy: str | None, overwrite: bool, templates: Path | None,
                  no_register: bool, quiet: bool, fmt: str) -> None:
    chosen = school_for(school, policy, quiet=quiet or fmt == "json")
    try:
        result = batches.render_blank(
            form, out_dir, formats=formats_of(formats), school=chosen.config,
            policy=chosen.policy, overwrite=overwrite, templates=templates,
            register=not no_register)
    except (Busy, RegisterError) as exc:
        raise busy(exc) from None
    except (NotADirectoryError, PermissionError) as exc:
        raise UsageProblem(f"cannot write into {out_dir}: {exc.strerror or exc}") from None
    run = result.run
    assert run is not None
    if fmt == "text":
        for line in run_lines(run, quiet=quiet):
            click.echo(line)
        click.echo(summary_line(run))
    finish(result.exit_code, run, result.to_dict() if fmt == "json" else None)


@click.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--date", "day", callback=parse_date, required=True, metavar="DATE",
              help="The day of the visits (DD/MM/YYYY or 2026-11-23).")
@to_option
@out_option
@school_option
@policy_option
@overwrite_option
@sheet_option
@templates_option
@register_option
@quiet_option
@format_option
def checkins(paths: tuple[Path, ...], day: dt.date, formats: tuple[str, ...], out_dir: Path,
             school: Path | None, policy: str | None, overwrite: bool, sheet: str | None,
             templates: Path | None, no_register: bool, quiet: bool, fmt: str) -> None:
    """Print the office check-in sheet for a day's visits from the risk assessments: staff,
    mobiles, address, vehicle, start and return, the calls to make, the out-of-hours contact.
    Never the code word."""
    chosen = school_for(school, policy, quiet=quiet or fmt == "json")
    settings = settings_for(chosen, out_dir, formats=formats_of(formats), overwrite=overwrite,
                            jobs=1, templates=templates)
    batch = Batch(paths, chosen.policy, sheet=sheet)
    producer = CheckinProducer(day, chosen.config, chosen.policy)
    with _register(chosen, no_register) as register:
        _produce(batch, producer, settings, fmt=fmt, quiet=quiet, register=register)
    batches.checkin_note(batch.result, producer, day)
    if batch.result.note and fmt == "text":
        click.echo(batch.result.note)
    finish(batch.result.exit_code, batch.result.run,
           batch.result.to_dict() if fmt == "json" else None)


EXPORT_SCHEMA = "export"


@click.command()
@click.argument("form", type=click.Choice([*FORMS, EXPORT_SCHEMA]))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to a file instead of standard output.")
@click.option("--overwrite", is_flag=True, help="Replace the file if it exists.")
def schema(form: str, output: Path | None, overwrite: bool) -> None:
    """Print the JSON Schema of FORM, or of the JSON that `docgen export` writes."""
    if form == EXPORT_SCHEMA:
        from docgen.export import json_schema

        data = json_schema()
    else:
        data = get_form(form).model_json_schema()
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if output is None:
        click.echo(text)
        return
    try:
        write_text(output, text + "\n", overwrite=overwrite)
    except OutputRefused as exc:
        raise UsageProblem(str(exc)) from None
    except OSError as exc:
        raise UsageProblem(f"cannot write {output}: {exc.strerror or exc}") from None
    click.echo(f"wrote {output}")


@click.command()
@school_option
@policy_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def checks(school: Path | None, policy: str | None, fmt: str) -> None:
    """List the checks the school's policy runs, with their severity and the paragraph each
    enforces."""
    chosen = school_for(school, policy, quiet=True)
    if fmt == "json":
        click.echo(json.dumps(catalogue([chosen.policy]), indent=2, ensure_ascii=False))
    else:
        click.echo(checks_text(chosen.policy))


COMMANDS = (template, validate, render, checkins, schema, checks)
