"""``docgen history``: what was produced, when, by whom, for whom, from the register."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from docgen.cli.common import UsageProblem, parse_date, school_for, school_option
from docgen.register import DocumentEntry, Register, RegisterError, RunEntry
from docgen.report import inert


@click.command()
@school_option
@click.option("--pupil", help="Only documents about this pupil (any case or spacing).")
@click.option("--reference", help="Only documents of this visit reference.")
@click.option("--date", "on", callback=parse_date, metavar="DATE",
              help="Only documents of visits on this date (DD/MM/YYYY).")
@click.option("--run", "run_id", type=int, metavar="N", help="Only what run N produced.")
@click.option("--runs", "runs_only", is_flag=True, help="List the runs only.")
@click.option("--limit", type=click.IntRange(1), default=200, show_default=True,
              help="At most this many lines.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def history(school: Path | None, pupil: str | None, reference: str | None,
            on: dt.date | None, run_id: int | None, runs_only: bool, limit: int,
            fmt: str) -> None:
    """List the runs docgen made and the documents they wrote, oldest document first, from
    the school's register."""
    chosen = school_for(school, None, quiet=True)
    path = chosen.config.register_path()
    if not path.exists():
        raise UsageProblem(f"there is no register at {path} yet: nothing has been produced "
                           "with this school file.")
    try:
        register = Register.open(path)
    except RegisterError as exc:
        raise UsageProblem(str(exc)) from None
    with register:
        filtered = any(v is not None for v in (pupil, reference, on, run_id))
        runs = register.runs(limit=limit) if not filtered else []
        documents = [] if runs_only else list(register.documents(
            pupil=pupil, reference=reference, on=on, run_id=run_id, limit=limit))
        if fmt == "json":
            click.echo(json.dumps({"register": str(path),
                                   "runs": [r.to_dict() for r in runs],
                                   "documents": [d.to_dict() for d in documents]},
                                  indent=2, ensure_ascii=False))
            return
        click.echo(f"Register: {inert(str(path))}")
        if runs:
            click.echo("Runs (newest first):")
            for entry in runs:
                click.echo("  " + _run_line(entry))
        if not runs_only:
            if documents:
                click.echo("Documents:")
                for doc in documents:
                    click.echo("  " + _document_line(doc))
            elif filtered:
                click.echo("No documents match.")


def _when(iso: str | None) -> str:
    if not iso:
        return "-"
    moment = dt.datetime.fromisoformat(iso).astimezone()
    return moment.strftime("%d/%m/%Y %H:%M")


def _run_line(entry: RunEntry) -> str:
    counts = ", ".join(f"{n} {k}" for k, n in sorted(entry.counts.items())) or "nothing"
    return (f"#{entry.id} {_when(entry.started_at)} {entry.command} by {inert(entry.user)} "
            f"({entry.status}; policy {entry.policy or '-'}; docgen {entry.docgen_version}): "
            f"{counts}")


def _document_line(doc: DocumentEntry) -> str:
    when = dt.date.fromisoformat(doc.visit_date).strftime("%d/%m/%Y") if doc.visit_date else "-"
    who = inert(doc.pupil or "-")
    ref = f" {inert(doc.visit_reference)}" if doc.visit_reference else ""
    return (f"{_when(doc.recorded_at)} run #{doc.run_id} {doc.kind} {doc.format} {who} "
            f"(visit {when}{ref}) {doc.outcome}: {inert(doc.path)}")
