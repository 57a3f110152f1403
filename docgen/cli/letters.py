"""``docgen letters``: every letter that is due, from attendance exports and visit forms; and
``docgen do-not-send``: the pupils and contacts a DSL has said no letter may go to."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from docgen.cli.common import (
    EXIT_CODES,
    UsageProblem,
    busy,
    finish,
    format_option,
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
)
from docgen.letters.batch import letters as make_letters
from docgen.letters.kinds import COMMON, FAMILIES, KINDS
from docgen.letters.producer import LETTERS_PDF, NOTIFICATIONS_PDF
from docgen.locking import Busy
from docgen.pipeline import FORMATS
from docgen.pipeline.progress import Progress
from docgen.register import Register, RegisterError
from docgen.register.letters import LetterBook
from docgen.report import inert
from docgen.report_text import ProblemsOnly, summary


@click.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--placeholders", is_flag=True,
              help="List every letter and the placeholders its wording may use (for a "
              "school's own templates), then stop.")
@click.option("--letter", "-l", "letter", type=click.Choice(list(FAMILIES)), multiple=True,
              help="Make only this letter (repeat for more). Without it, every letter the "
              "records call for; 'missed-you' only when named.")
@click.option("--to", "formats", type=click.Choice(list(FORMATS), case_sensitive=False),
              multiple=True, default=("pdf", "docx"), show_default=True,
              help="Output format; repeat for both.")
@out_option
@school_option
@policy_option
@click.option("--date", "day", callback=parse_date, metavar="DATE",
              help="The date the letters carry, DD/MM/YYYY [default: today].")
@click.option("--contacts", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              metavar="FILE", help="An attendance or contacts export naming each pupil's "
              "parents: letters from visit forms go to them (else to 'the parent or carer' at "
              "the visit's address).")
@click.option("--duplex", is_flag=True,
              help="For double-sided printing: in letters.pdf every letter starts on the front "
              "of a sheet.")
@templates_option
@overwrite_option
@jobs_option
@timeout_option
@register_option
@quiet_option
@format_option
def letters(paths: tuple[Path, ...], placeholders: bool, letter: tuple[str, ...],
            formats: tuple[str, ...],
            out_dir: Path, school: Path | None, policy: str | None, day: dt.date | None,
            contacts: Path | None, duplex: bool, templates: Path | None, overwrite: bool,
            jobs: int | None, timeout: float, no_register: bool, quiet: bool,
            fmt: str) -> None:
    """Make the letters that are due, for every parent with parental responsibility: from
    attendance exports of the school's MIS (.csv or .xlsx: summary figures or a session
    register with the 2024 DfE codes), from risk assessments (visit appointment; 'sorry we
    missed you' with --letter missed-you) and from visit reports (record of agreement; a
    visit cancelled for safety, for the headteacher).

    Attendance letters go in stages (concern, invitation to meet, formal warning) as the
    school's policy and the register say; Westside adds agreement reminders, the follow-up
    visit and the notification to the local authority. One PDF and one Word file per letter;
    letters.pdf holds every letter to families in order, for printing, and notifications.pdf
    the letters to the authority and the headteacher, both written when the batch is
    complete. manifest.csv says for every input row which letter, to whom and why, or why
    none. Pupils and contacts marked `docgen do-not-send` get no letter."""
    if placeholders:
        click.echo(placeholder_text())
        return
    if not paths:
        raise click.UsageError("give the attendance exports or visit forms to make letters from")
    text = fmt == "text"
    chosen = school_for(school, policy, quiet=quiet or not text)
    if text and not quiet and not chosen.config.letters.contact_phone:
        note("note: letters give the school's main number and are signed by the headteacher; "
             "set the contact and their direct number in school.toml [letters].")
    chosen_formats = tuple(f for f in FORMATS if f in formats)
    listener = ProblemsOnly(click.echo, style=click.style) if text else None

    def progress(total: int) -> Progress:
        return Progress(total, label="Making letters",
                        enabled=None if (text and not quiet) else False)

    try:
        result = make_letters(
            paths, out_dir, formats=chosen_formats, letter=letter, today=day,
            templates_dir=templates, contacts=contacts, duplex=duplex, overwrite=overwrite,
            jobs=jobs, timeout=timeout, register=not no_register, listener=listener,
            progress=progress, chosen=chosen)
    except (Busy, RegisterError) as exc:
        raise busy(exc) from None
    except (NotADirectoryError, PermissionError) as exc:
        raise UsageProblem(f"cannot write into {out_dir}: {exc.strerror or exc}") from None
    if result.template_problems:
        if text:
            click.echo("The letter templates cannot be used, so no letter was made:")
            for problem in result.template_problems:
                click.echo(f"  {inert(problem)}")
        finish(result.exit_code, None, result.to_dict() if not text else None)
    run = result.run
    if text and run is not None:
        if any(not f.ok for f in result.files):
            click.echo(summary(result.files, chosen.policy.id))
        for line in run_lines(run, quiet=quiet):
            if line.startswith("printed ") and line.endswith("in a red banner"):
                # a form's document carries its errors in a banner; a letter does not
                line = line.replace("printed ", "made letters from ", 1).replace(
                    " to act on now, in a red banner", " still to act on (listed above)")
            click.echo(line)
        if not quiet:
            for record in run.records:
                if record.index is not None and record.status == "nothing":
                    where = record.location or record.label
                    click.echo(f"no letter for {where} ({inert(record.pupil)}): "
                               f"{inert(record.note)}")
        if result.counts:
            made = ", ".join(f"{n} {k}" for k, n in sorted(result.counts.items()))
            click.echo(f"Letters: {made}.")
        for name in (LETTERS_PDF, NOTIFICATIONS_PDF):
            if (run.out_dir / name).exists() and any(
                    f.path.name == name for f in run.files()):
                click.echo(f"To print: {inert(str(run.out_dir / name))}")
        click.echo(summary_line(run))
    finish(result.exit_code, run, result.to_dict() if not text else None)


def placeholder_text() -> str:
    """Every letter, who it is for, and its wording's placeholders (* required)."""
    lines = ["Every letter's wording is a template (letters/wording/NAME.html in a school's "
             "template folder). It may use these placeholders, and must use those its letter "
             "requires; the layouts (letters/letter.html, letters/letter.docx) use the parts "
             "of `letter`.", ""]
    sources = {"attendance": "attendance exports", "risk-assessment": "risk assessments",
               "visit-report": "visit reports"}
    common = {p.name for p in COMMON}
    lines.append("All letters:")
    for p in COMMON:
        lines.append(f"  {{{{ {p.name} }}}}  {p.help}, e.g. {p.example!r}")
    for kind in KINDS.values():
        lines += ["", f"{kind.name} (for the {kind.audience.replace('-', ' ')}; from "
                      f"{sources[kind.source]}): {kind.title}"]
        lines.append("  required: " + ", ".join(kind.required))
        for p in kind.placeholders:
            if p.name in common:
                continue
            fields = f" (each with {', '.join(p.fields)})" if p.fields else ""
            lines.append(f"  {{{{ {p.name} }}}}  {p.help}{fields}")
    return "\n".join(lines)


@click.command("do-not-send")
@click.argument("pupil")
@click.option("--contact", help="Only this parent or carer (their name as in the export); "
              "without it, no letter about the pupil goes to anyone in the family.")
@click.option("--clear", is_flag=True, help="Remove the mark.")
@click.option("--list", "show", is_flag=True, help="List the marks in force (PUPIL may be "
              "'all').")
@school_option
def do_not_send(pupil: str, contact: str | None, clear: bool, show: bool,
                school: Path | None) -> None:
    """Mark a pupil, or one of their contacts, "do not send" (for the DSL, e.g. where there
    is domestic abuse): `docgen letters` makes no family letter for them, and its manifest
    says a letter was withheld without saying why. The register keeps who marked it and
    when, never a reason."""
    chosen = school_for(school, None, quiet=True)
    path = chosen.config.register_path()
    try:
        register = Register.open(path)
    except RegisterError as exc:
        raise UsageProblem(str(exc)) from None
    with register:
        book = LetterBook(register)
        if show:
            marks = book.marks(None if pupil.casefold() == "all" else pupil)
            if not marks:
                click.echo("No pupil or contact is marked do not send.")
            for mark in marks:
                who = f"{mark.pupil}: {mark.contact}" if mark.contact else \
                    f"{mark.pupil} (every letter)"
                click.echo(f"{inert(who)}, marked {mark.marked_at[:10]} by "
                           f"{inert(mark.marked_by)}")
            return
        try:
            with register.lock("do-not-send"):
                changed = book.clear(pupil, contact) if clear else book.mark(pupil, contact)
        except Busy as exc:
            raise busy(exc) from None
    who = f"{pupil}'s contact {contact}" if contact else pupil
    if clear:
        click.echo(f"cleared: letters may go to {inert(who)} again" if changed
                   else f"{inert(who)} was not marked")
    else:
        click.echo(f"marked: no letter will go to {inert(who)}" if changed
                   else f"{inert(who)} was already marked")


COMMANDS = (letters, do_not_send)
