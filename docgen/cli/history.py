"""``docgen history``: what was produced, when, by whom, for whom, from the register."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from docgen.cli.common import UsageProblem, parse_date, school_for, school_option
from docgen.register import DocumentEntry, Register, RegisterError, RunEntry
from docgen.register.letters import AgreementEntry, LetterBook, LetterEntry
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
    the school's register. With --pupil: the pupil's visits, agreements, letters (to whom,
    which stage) and documents, in date order."""
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
        book = LetterBook(register)
        letters = book.letters(pupil=pupil, run_id=run_id)[-limit:] \
            if (pupil or run_id is not None) and not runs_only else []
        agreements = book.agreements(pupil) if pupil and not runs_only else []
        if fmt == "json":
            click.echo(json.dumps({"register": str(path),
                                   "runs": [r.to_dict() for r in runs],
                                   "documents": [d.to_dict() for d in documents],
                                   "letters": [x.to_dict() for x in letters],
                                   "agreements": [a.to_dict() for a in agreements]},
                                  indent=2, ensure_ascii=False))
            return
        if pupil and not runs_only:
            events = timeline(documents, letters, agreements)
            if events:
                click.echo(f"{inert(pupil)}: visits, agreements, letters and documents, in "
                           "date order:")
                for _, line in events:
                    click.echo("  " + line)
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


def timeline(documents: list[DocumentEntry], letters: list[LetterEntry],
             agreements: list[AgreementEntry]) -> list[tuple[tuple[str, int, int], str]]:
    """What the register knows about a pupil, by date: each visit (from its printed forms),
    each agreement, each letter (once, with everyone it went to), each document written."""
    events: list[tuple[tuple[str, int, int], str]] = []
    visits: dict[str, DocumentEntry] = {}
    for doc in documents:
        if doc.kind in ("risk-assessment", "visit-report") and doc.visit_date and \
                doc.visit_key and (doc.visit_key not in visits or doc.kind == "visit-report"):
            visits[doc.visit_key] = doc
    for doc in visits.values():
        assert doc.visit_date is not None
        what = "visit" if doc.kind == "visit-report" else "visit planned"
        ref = f" {inert(doc.visit_reference)}" if doc.visit_reference else ""
        events.append(((doc.visit_date, 0, doc.id), f"{_day(doc.visit_date)} {what}{ref}"))
    for agreement in agreements:
        review = f", review {agreement.review_on:%d/%m/%Y}" if agreement.review_on else ""
        events.append(((agreement.made_on.isoformat(), 1, 0),
                       f"{agreement.made_on:%d/%m/%Y} attendance agreement made{review}"))
    by_reference: dict[str, list[LetterEntry]] = {}
    for entry in letters:
        by_reference.setdefault(entry.reference, []).append(entry)
    for copies in by_reference.values():
        first = copies[0]
        stage = f" stage {first.stage}" if first.stage else ""
        to = "; ".join(inert(c.addressee) for c in copies)
        events.append(((first.letter_date.isoformat(), 2, first.id),
                       f"{first.letter_date:%d/%m/%Y} letter {first.letter}{stage} to {to} "
                       f"(ref {inert(first.reference)}, run #{first.run_id})"))
    for doc in documents:
        day = dt.datetime.fromisoformat(doc.recorded_at).astimezone().date().isoformat()
        events.append(((day, 3, doc.id), _document_line(doc)))
    return sorted(events)


def _day(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")


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
