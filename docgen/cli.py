"""The command line: parse arguments, call one library function, print, exit.

Exit codes: 0 valid (warnings allowed), 1 invalid input, 2 usage error or unreadable file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from docgen import __version__, validation
from docgen.config import ConfigError, SchoolConfig, load_school
from docgen.documents.run import FORMATS, Format, RenderRun, render_checkins, render_paths
from docgen.output import OutputRefused, write_text
from docgen.policy import PRESETS, Policy, PolicyError, load_policy
from docgen.policy.catalogue import catalogue, checks_text
from docgen.report import ExitCode, exit_code
from docgen.report_text import TextReport, format_report, summary
from docgen.schemas import FORMS, get_form
from docgen.schemas.types import parse_uk_date
from docgen.workbook import write_workbook

FORM_CHOICE = click.Choice(list(FORMS))


class UsageProblem(click.ClickException):
    """A problem with what was asked for (exit 2), e.g. a bad policy file."""

    exit_code = ExitCode.USAGE


def _policy(spec: str) -> Policy:
    try:
        return load_policy(spec)
    except PolicyError as exc:
        raise UsageProblem(str(exc)) from None


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        parsed = parse_uk_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    assert isinstance(parsed, dt.date)
    return parsed


def _school(path: Path | None) -> SchoolConfig:
    try:
        return load_school(path)
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None


def _render_policy(spec: str | None, config: SchoolConfig) -> Policy:
    return _policy(spec or config.policy_spec())


def _formats(formats: tuple[str, ...]) -> tuple[Format, ...]:
    return tuple(f for f in FORMATS if f in formats)


def _finish(run: RenderRun, formats: tuple[str, ...], *, show_report: bool) -> NoReturn:
    """Print the validation report (if wanted), what was written, refused and rejected, and
    exit with the run's code."""
    if show_report:
        click.echo(format_report(run.report, style=click.style, verbose=False))
    if "pdf" in formats:
        from docgen.documents.pdf import subsetting_note  # WeasyPrint: imported only for PDFs

        note = subsetting_note()
        if note:
            click.echo(note, err=True)
    for line in run.lines():
        click.echo(line)
    sys.exit(run.exit_code)


school_option = click.option(
    "--school", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
    help="The school's school.toml: name, address, logo, policy, protective marking, file "
    "naming. Without it, a clearly fictional sample school.",
)
render_policy_option = click.option(
    "--policy", "-p", metavar="NAME|FILE",
    help="Override the policy named in the school's configuration.",
)
to_option = click.option(
    "--to", "formats", type=click.Choice(list(FORMATS)), multiple=True, default=("pdf",),
    show_default=True, help="Output format; repeat for both.",
)
out_option = click.option(
    "--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"), show_default=True, help="Folder for the documents.",
)
overwrite_option = click.option("--overwrite", is_flag=True,
                                help="Replace documents that already exist.")
templates_option = click.option(
    "--templates", type=click.Path(file_okay=False, exists=True, path_type=Path),
    metavar="DIR", help="The school's own templates (they run sandboxed).",
)

policy_option = click.option(
    "--policy", "-p", default="att", show_default=True, metavar="NAME|FILE",
    help=f"Policy to check against: a preset ({', '.join(PRESETS)}) or a school's own policy "
    "file (.toml, .yaml).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="docgen")
def cli() -> None:
    """Home-visit risk assessments and visit reports for UK schools, checked against the
    school's home-visit policy."""


@cli.command()
@click.argument("form", type=FORM_CHOICE)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the workbook (.xlsx).")
@click.option("--overwrite", is_flag=True, help="Replace the file if it exists.")
def template(form: str, output: Path, overwrite: bool) -> None:
    """Write a blank workbook for FORM: one visit per row, with dropdowns, date formats,
    help on every header and an Instructions sheet."""
    if output.suffix.lower() != ".xlsx":
        raise click.BadParameter("the workbook must end in .xlsx", param_hint="--output")
    try:
        write_workbook(form, output, overwrite=overwrite)
    except OutputRefused as exc:
        raise UsageProblem(str(exc)) from None
    except OSError as exc:
        raise UsageProblem(f"cannot write {output}: {exc.strerror}") from None
    click.echo(f"wrote {output}")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@policy_option
@click.option("--form", "-f", type=FORM_CHOICE,
              help="Read every record as this form (JSON records without a \"form\" field, "
              "or a workbook sheet with another name).")
@click.option("--sheet", help="Read this sheet of each workbook.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report as text or as JSON data.")
@click.option("--quiet", "-q", is_flag=True, help="List only records with issues.")
@click.option("--today", callback=_date, metavar="DATE",
              help="Check as if today were DATE (DD/MM/YYYY), e.g. to re-check old records.")
def validate(paths: tuple[Path, ...], policy: str, form: str | None, sheet: str | None,
             fmt: str, quiet: bool, today: dt.date | None) -> None:
    """Check risk assessments and visit reports (.xlsx, .json, or folders of them) against
    the form and the policy. Lists every problem with its file, sheet, row and cell or JSON
    path."""
    checker = validation.Checker(paths, _policy(policy), form=form, sheet=sheet, today=today)
    if fmt == "json":
        report = validation.validate(paths, checker.policy, form=form, sheet=sheet,
                                     today=today)
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        sys.exit(report.exit_code)
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
    click.echo(summary(files, checker.policy.id))
    sys.exit(exit_code(files))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@to_option
@out_option
@school_option
@render_policy_option
@overwrite_option
@click.option("--form", "-f", type=FORM_CHOICE, help="Read every record as this form.")
@click.option("--sheet", help="Read this sheet of each workbook.")
@click.option("--today", callback=_date, metavar="DATE",
              help="Check as if today were DATE (DD/MM/YYYY).")
@templates_option
def render(paths: tuple[Path, ...], formats: tuple[str, ...], out_dir: Path,
           school: Path | None, policy: str | None, overwrite: bool, form: str | None,
           sheet: str | None, today: dt.date | None, templates: Path | None) -> None:
    """Print risk assessments and visit reports as PDF and/or DOCX documents. Invalid records
    are reported and get no document; existing files are never overwritten unless asked."""
    config = _school(school)
    run = render_paths(paths, out_dir, formats=_formats(formats), config=config,
                       policy=_render_policy(policy, config), overwrite=overwrite, form=form,
                       sheet=sheet, today=today, template_dir=templates)
    _finish(run, formats, show_report=bool(run.report.issues()))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--date", "day", callback=_date, required=True, metavar="DATE",
              help="The day of the visits (DD/MM/YYYY or 2026-11-23).")
@to_option
@out_option
@school_option
@render_policy_option
@overwrite_option
@click.option("--sheet", help="Read this sheet of each workbook.")
@templates_option
def checkins(paths: tuple[Path, ...], day: dt.date, formats: tuple[str, ...], out_dir: Path,
             school: Path | None, policy: str | None, overwrite: bool, sheet: str | None,
             templates: Path | None) -> None:
    """Print the office check-in sheet for a day's visits from the risk assessments: staff,
    mobiles, address, vehicle, start and return, the calls to make, the out-of-hours contact.
    Never the code word."""
    config = _school(school)
    run = render_checkins(paths, day, out_dir, formats=_formats(formats), config=config,
                          policy=_render_policy(policy, config), overwrite=overwrite,
                          sheet=sheet, template_dir=templates)
    _finish(run, formats, show_report=run.exit_code != 0)


@cli.command()
@click.argument("form", type=FORM_CHOICE)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to a file instead of standard output.")
@click.option("--overwrite", is_flag=True, help="Replace the file if it exists.")
def schema(form: str, output: Path | None, overwrite: bool) -> None:
    """Print the JSON Schema of FORM."""
    text = json.dumps(get_form(form).model_json_schema(), indent=2, ensure_ascii=False)
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


@cli.command()
@policy_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def checks(policy: str, fmt: str) -> None:
    """List the checks a policy runs, with their severity and the paragraph each enforces."""
    loaded = _policy(policy)
    if fmt == "json":
        click.echo(json.dumps(catalogue([loaded]), indent=2, ensure_ascii=False))
    else:
        click.echo(checks_text(loaded))


def main(argv: list[str] | None = None) -> NoReturn:
    """Entry point: never lets a traceback reach the user."""
    try:
        cli.main(args=argv, prog_name="docgen")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("docgen: interrupted; files being written were left untouched.", err=True)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("DOCGEN_DEBUG"):
            raise
        _internal(exc)
    sys.exit(0)


def _internal(exc: Exception) -> NoReturn:
    click.echo(
        f"docgen: internal error ({type(exc).__name__}). No half-written file was left. Please "
        "report it; run again with DOCGEN_DEBUG=1 to see the details.",
        err=True,
    )
    sys.exit(ExitCode.USAGE)
