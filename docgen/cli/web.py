"""``docgen serve``, ``docgen users``, ``docgen backup`` and ``docgen restore``: docgen in the
browser, its accounts, and its data kept safe."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from docgen.cli.common import OutputProblem, UsageProblem, note, school_for, school_option
from docgen.report import inert

if TYPE_CHECKING:
    from docgen.web.store import RecordStore


def _web_paths(school: Path | None) -> tuple[Path, Path]:
    from docgen.web.server import records_path

    chosen = school_for(school, None, quiet=True)
    return chosen.config.register_path(), records_path(chosen)


def _store(school: Path | None) -> RecordStore:
    from docgen.web.store import RecordStore, StoreError

    _, records = _web_paths(school)
    try:
        return RecordStore.open(records)
    except StoreError as exc:
        raise UsageProblem(str(exc)) from None


@click.command()
@school_option
@click.option("--policy", "-p", metavar="NAME|FILE", help="Check against this policy instead "
              "of the school's (a preset or a policy file).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Beyond this machine needs --cert/--key or "
              "--behind-proxy.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--cert", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="TLS certificate (PEM) to serve HTTPS.")
@click.option("--key", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="The certificate's private key (PEM).")
@click.option("--behind-proxy", is_flag=True,
              help="docgen sits behind the school's HTTPS proxy on this machine: serve plain "
              "HTTP to it and trust its forwarded headers.")
def serve(school: Path | None, policy: str | None, host: str, port: int, cert: Path | None,
          key: Path | None, behind_proxy: bool) -> None:
    """Serve docgen in the browser: staff fill forms, the DSL authorises, the office watches
    the check-in board. Listens on http://127.0.0.1:8000 (this machine only) by default."""
    from docgen.web.server import Listen, ServeProblem, check_listen, records_path, serve

    chosen = school_for(school, policy)
    listen = Listen(host, port, cert, key, behind_proxy)
    try:
        check_listen(listen)
    except ServeProblem as exc:
        raise UsageProblem(str(exc)) from None
    from docgen.register import Register, RegisterError
    from docgen.web.store import RecordStore, StoreError

    try:  # a damaged or newer database is said now, not on the first page that needs it
        RecordStore.open(records_path(chosen)).close()
        Register.open(chosen.config.register_path()).close()
    except (StoreError, RegisterError) as exc:
        raise UsageProblem(str(exc)) from None
    note(f"Records database: {inert(str(records_path(chosen)))}")
    if behind_proxy:
        note("Serving plain HTTP for the school's HTTPS proxy: it must be the only way in "
             "(pupils' records must never cross the network unencrypted).")
    note(f"docgen is at {listen.url}  (Ctrl-C to stop)")
    try:
        serve(chosen, listen)
    except KeyboardInterrupt:  # uvicorn has shut down cleanly and passes the signal on
        note("docgen serve stopped.")


@click.group()
def users() -> None:
    """Accounts for docgen in the browser (roles: staff, office, dsl, headteacher, admin)."""


@users.command("add")
@click.argument("name")
@click.option("--role", required=True,
              type=click.Choice(["staff", "office", "dsl", "headteacher", "admin"]))
@school_option
@click.option("--url", default="http://127.0.0.1:8000", show_default=True,
              help="The address people open docgen at, for the link.")
def users_add(name: str, role: str, school: Path | None, url: str) -> None:
    """Add an account and print its one-time set-up link (valid for 3 days)."""
    from docgen.web.app import add_user

    clean = " ".join(name.split())
    if not clean:
        raise UsageProblem("give the person's name, e.g. docgen users add \"Priya Shah\" "
                           "--role dsl")
    store = _store(school)
    user, token = add_user(store, clean[:120], role)
    click.echo(f"Added {inert(user.name)} ({role}); username {user.username}.")
    click.echo("Give them this one-time set-up link (valid for 3 days):")
    click.echo(f"  {url.rstrip('/')}/setup/{token}")


@users.command("link")
@click.argument("username")
@school_option
@click.option("--url", default="http://127.0.0.1:8000", show_default=True)
def users_link(username: str, school: Path | None, url: str) -> None:
    """A new set-up link for an account (a forgotten password or a new phone)."""
    from docgen.web.auth import SETUP_LIFETIME

    store = _store(school)
    user = store.user_named(username)
    if user is None:
        raise UsageProblem(f"no account with username {inert(username)} (docgen users list).")
    token = store.add_setup_link(user.id, SETUP_LIFETIME)
    click.echo(f"  {url.rstrip('/')}/setup/{token}")


@users.command("list")
@school_option
def users_list(school: Path | None) -> None:
    """List the accounts."""
    store = _store(school)
    for user in store.users():
        state = "disabled" if not user.active else "not set up" if not user.set_up else (
            "locked" if user.locked_until else "active")
        click.echo(f"{user.username:24} {user.role:12} {state:10} {inert(user.name)}")


@users.command("unlock")
@click.argument("username")
@school_option
def users_unlock(username: str, school: Path | None) -> None:
    """Unlock an account locked after repeated wrong passwords."""
    store = _store(school)
    user = store.user_named(username)
    if user is None:
        raise UsageProblem(f"no account with username {inert(username)}.")
    store.update_user(user.id, failures=0, locked_until=None)
    click.echo(f"Unlocked {user.username}.")


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@school_option
def backup(folder: Path, school: Path | None) -> None:
    """Copy the records database (accounts, forms) and the register into FOLDER (new or
    empty). Safe while docgen serve runs."""
    from docgen.web.backup import BackupProblem
    from docgen.web.backup import backup as run_backup

    register, records = _web_paths(school)
    try:
        made = run_backup(register, records, folder)
    except BackupProblem as exc:
        raise OutputProblem(str(exc)) from None
    for path in made:
        click.echo(f"backed up {inert(str(path))}")
    note("Keep the backup folder as safe as the school's other pupil records.")


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@school_option
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(folder: Path, school: Path | None, yes: bool) -> None:
    """Put a backup made by `docgen backup` back in place. The current data is kept beside
    it (*.before-restore-TIME)."""
    from docgen.web.backup import BackupProblem
    from docgen.web.backup import restore as run_restore

    register, records = _web_paths(school)
    if not yes and not click.confirm(f"Replace the data at {records.parent} with the backup "
                                     f"in {folder}?", default=False):
        raise UsageProblem("nothing restored.")
    try:
        kept = run_restore(register, records, folder)
    except BackupProblem as exc:
        raise UsageProblem(str(exc)) from None
    for path in kept:
        click.echo(f"kept the data it replaced as {inert(str(path))}")
    click.echo(f"restored from {inert(str(folder))}")


COMMANDS = (serve, users, backup, restore)
