"""``docgen init``: a school file to start from."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from docgen.cli.common import UsageProblem
from docgen.config import FILE_NAME, ConfigError, load_school
from docgen.output import OutputRefused, write_text
from docgen.policy import PRESETS
from docgen.school_file import SchoolAnswers, school_toml


@click.command()
@click.option("--name", help="The school's name (asked for on a terminal).")
@click.option("--policy", "-p", type=click.Choice(list(PRESETS), case_sensitive=False),
              default=None, help="The home-visit policy the school follows [default: att].")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              default=Path(FILE_NAME), show_default=True, help="Where to write it.")
@click.option("--overwrite", is_flag=True, help="Replace the file if it exists.")
def init(name: str | None, policy: str | None, output: Path, overwrite: bool) -> None:
    """Write a commented school.toml for your school, then say what to edit. Asks for the
    school's name and policy on a terminal; asks nothing otherwise."""
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if interactive and name is None:
        name = click.prompt("School or academy name", default="", show_default=False)
    if interactive and policy is None:
        policy = click.prompt("Home-visit policy", type=click.Choice(list(PRESETS)),
                              default="att")
    text = school_toml(SchoolAnswers(name=(name or "").strip(), policy=(policy or "att").lower()))
    try:
        write_text(output, text, overwrite=overwrite)
    except OutputRefused as exc:  # says why, and whether --overwrite would help
        raise UsageProblem(str(exc)) from None
    except OSError as exc:
        raise UsageProblem(f"cannot write {output}: {exc.strerror or exc}") from None
    try:
        load_school(output)
    except ConfigError as exc:  # never write a file docgen itself would refuse
        output.unlink(missing_ok=True)
        raise UsageProblem(f"could not make a valid school file: {exc}") from None
    edits = [line.split("=", 1)[0].strip() for line in text.splitlines()
             if "EDIT" in line and not line.lstrip().startswith("#") and "=" in line]
    click.echo(f"wrote {output}")
    if edits:
        click.echo(f"Open it in a text editor and fill in: {', '.join(edits)}. Add the logo "
                   "line if you have one.")
    click.echo("docgen finds it by itself in this folder and the folders below it; check it "
               "with `docgen checks`.")
