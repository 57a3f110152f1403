"""What every command shares: the school file, the policy, output options, how a run's result
is printed and how it ends (exit codes)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from docgen.batch import School, resolve_school
from docgen.config import ConfigError, not_a_template_folder
from docgen.locking import Busy
from docgen.logs import write_log
from docgen.pipeline import FORMATS, Format, RunResult, default_jobs
from docgen.policy import PRESETS, PolicyError
from docgen.register import RegisterError
from docgen.report import ExitCode, inert
from docgen.schemas.types import parse_uk_date

EXIT_CODES = """\b
Exit codes: 0 all done (warnings allowed); 1 some records invalid (the rest done);
2 usage error or an input that cannot be read; 3 some output refused or failed
(including an internal error, which says where its log is). When several apply, the
highest is given."""


class UsageProblem(click.ClickException):
    """A problem with what was asked for (exit 2), e.g. a bad policy or school file."""

    exit_code = ExitCode.USAGE


class OutputProblem(click.ClickException):
    """Output that cannot be written at all (exit 3), e.g. the register is busy."""

    exit_code = ExitCode.OUTPUT


def parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        parsed = parse_uk_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    assert isinstance(parsed, dt.date)
    return parsed


def note(text: str) -> None:
    """A line about the run itself (not its results): on standard error."""
    click.echo(text, err=True)


def school_for(school: Path | None, policy: str | None, *, quiet: bool = False) -> School:
    """The school file given, or found in this folder or above; says which (and warns when
    there is none)."""
    try:
        found = resolve_school(school, policy)
    except (ConfigError, PolicyError) as exc:
        raise UsageProblem(str(exc)) from None
    if not found.source:
        note(click.style("warning: ", fg="yellow", bold=True) + found.note)
    elif not quiet:
        note(found.note)
    return found


def formats_of(formats: tuple[str, ...]) -> tuple[Format, ...]:
    return tuple(f for f in FORMATS if f in formats)


school_option = click.option(
    "--school", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
    help="The school's school.toml (name, logo, policy, register, file naming). Without it, "
    "the nearest school.toml in this folder or above; without one, a fictional sample school.",
)
policy_option = click.option(
    "--policy", "-p", metavar="NAME|FILE",
    help=f"Check against this policy instead of the school's: a preset ({', '.join(PRESETS)}, "
    "any case) or a policy file (.toml, .yaml).",
)
to_option = click.option(
    "--to", "formats", type=click.Choice(list(FORMATS), case_sensitive=False), multiple=True,
    default=("pdf",), show_default=True, help="Output format; repeat for both.",
)
out_option = click.option(
    "--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"), show_default=True, help="Folder for the documents.",
)
overwrite_option = click.option(
    "--overwrite", is_flag=True,
    help="Replace documents that differ from what this run makes (made from an earlier "
    "version of a record, edited since, or not made by docgen).",
)
def _template_folder(ctx: click.Context, param: click.Parameter,
                     value: Path | None) -> Path | None:
    problem = not_a_template_folder(value) if value is not None else None
    if problem is not None:
        raise click.BadParameter(problem)
    return value


templates_option = click.option(
    "--templates", type=click.Path(file_okay=False, exists=True, path_type=Path),
    callback=_template_folder, metavar="DIR",
    help="The school's own templates (they run sandboxed).",
)
jobs_option = click.option(
    "--jobs", "-j", type=click.IntRange(1, 64), default=None, metavar="N",
    help=f"Worker processes that lay out documents [default: the number of cores, "
    f"{default_jobs()}].",
)
timeout_option = click.option(
    "--timeout", type=click.FloatRange(min=0, min_open=True), default=120.0,
    show_default=True, metavar="SECONDS",
    help="Stop a document that takes longer than this, report it as failed, go on.",
)
register_option = click.option(
    "--no-register", "no_register", is_flag=True,
    help="A dry run for the register: record nothing (files are still written).",
)
quiet_option = click.option("--quiet", "-q", is_flag=True,
                            help="No progress bar; list only records with problems.")
format_option = click.option("--format", "fmt", type=click.Choice(["text", "json"]),
                             default="text", show_default=True,
                             help="Report as text, or as JSON data on standard output.")


def run_lines(run: RunResult, *, quiet: bool) -> list[str]:
    """What a run did: each file written, replaced, refused or failed (unchanged files only
    counted), each record rejected or skipped, then one summary line."""
    lines = []
    verbs = {"written": "wrote", "replaced": "replaced", "refused": "refused",
             "failed": "FAILED"}
    for record in run.records:
        for f in record.files:
            if f.status == "unchanged" or (quiet and f.status in ("written", "replaced")):
                continue
            reason = f": {f.reason}" if f.reason else ""
            lines.append(f"{verbs[f.status]} {inert(str(f.path))}{reason}")
        where = f"{record.location}" if record.location else record.label
        label = f" ({record.label})" if record.label and record.location else ""
        if record.status == "rejected":
            lines.append(f"rejected {where}{label}: {record.note}")
        elif record.errors and record.files:
            lines.append(f"printed {where}{label} with {record.errors} error"
                         f"{'s' if record.errors != 1 else ''} to act on now, in a red banner")
        elif record.status == "skipped":
            lines.append(f"skipped {where}{label}: {record.note}")
        elif record.status == "failed" and not record.files:
            lines.append(f"FAILED {where}{label}: {record.note}")
    return lines


def summary_line(run: RunResult) -> str:
    counts = run.counts()
    order = ["written", "replaced", "unchanged", "refused", "failed", "records failed",
             "records rejected", "duplicates skipped"]
    parts = [f"{counts[k]} {k}" for k in order if counts.get(k)]
    text = ", ".join(parts) if parts else "nothing to do"
    return f"{text}. Manifest: {inert(str(run.out_dir / 'manifest.csv'))}."


def finish(code: int, run: RunResult | None = None, data: dict[str, Any] | None = None) -> NoReturn:
    """Print JSON if asked, point at the log if anything went to it, and exit."""
    if data is not None:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    if run is not None and run.log:
        path = write_log(run.command, run.log)
        if path is not None:
            note(f"details of what failed are in {path}")
    sys.exit(code)


def busy(exc: Busy | RegisterError) -> OutputProblem:
    return OutputProblem(str(exc))
