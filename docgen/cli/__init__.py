"""The command line: parse arguments, call one library function, print, exit.

Exit codes: 0 all done (warnings allowed); 1 some records invalid; 2 usage error or an input
that cannot be read; 3 output refused or failed, or an internal error (logged). Ctrl-C, a
SIGTERM or a SIGHUP stop cleanly with 130: nothing half-written is left.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from types import FrameType
from typing import NoReturn

import click

from docgen import __version__
from docgen.cli.common import EXIT_CODES
from docgen.cli.export import export_command
from docgen.cli.forms import COMMANDS as FORM_COMMANDS
from docgen.cli.history import history
from docgen.cli.letters import COMMANDS as LETTER_COMMANDS
from docgen.cli.setup import init
from docgen.cli.web import COMMANDS as WEB_COMMANDS
from docgen.logs import write_log
from docgen.report import ExitCode

INTERRUPTED = 130


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="docgen")
def cli() -> None:
    """Home-visit risk assessments and visit reports for UK schools, checked against the
    school's home-visit policy.

    Start with `docgen init` (a school file), then `docgen template` (a workbook to fill)."""


for _command in (init, *FORM_COMMANDS, *LETTER_COMMANDS, export_command, history,
                 *WEB_COMMANDS):
    cli.add_command(_command)


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> NoReturn:
    """Entry point: never lets a traceback reach the user."""
    for name in ("SIGTERM", "SIGHUP"):  # stop as Ctrl-C does: clean up, then exit 130
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)
    try:
        code = cli.main(args=argv, prog_name="docgen", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("\ndocgen: stopped. Documents already written are complete; nothing "
                   "half-written was left. Run the same command again to finish.", err=True)
        sys.exit(INTERRUPTED)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): not an error
        sys.exit(0)
    except SystemExit:
        raise
    except Exception as exc:
        if os.environ.get("DOCGEN_DEBUG"):
            raise
        _internal(exc)
    sys.exit(code if isinstance(code, int) else 0)


def _internal(exc: Exception) -> NoReturn:
    log = write_log("internal-error", traceback.format_exception(exc))
    where = f" Details are in {log}." if log else ""
    click.echo(
        f"docgen: internal error ({type(exc).__name__}). No half-written file was left. "
        f"Please report it.{where}",
        err=True,
    )
    sys.exit(ExitCode.OUTPUT)


__all__ = ["cli", "main"]
