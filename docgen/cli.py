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

from docgen import __version__
from docgen.output import OutputExists, write_text
from docgen.policy import PRESETS, Policy, PolicyError, load_policy
from docgen.policy.catalogue import catalogue, checks_text
from docgen.report import ExitCode
from docgen.report_text import format_report
from docgen.schemas import FORMS, get_form
from docgen.schemas.types import parse_uk_date
from docgen.validate import validate_paths
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
    except OutputExists as exc:
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
    report = validate_paths(paths, _policy(policy), form=form, sheet=sheet, today=today)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_report(report, style=click.style, verbose=not quiet))
    sys.exit(report.exit_code)


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
    except OutputExists as exc:
        raise UsageProblem(str(exc)) from None
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
