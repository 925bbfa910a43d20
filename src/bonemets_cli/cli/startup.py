"""The console script's start-up optimisations that still pay, in one place: build only
the command that runs, and end without the interpreter's teardown (``end``).

Typer turns every registered command into a click command before it parses anything,
which costs about as much again as a small command's own work. So the console script
builds a fresh app with only the command the words name (or, while the shell completes,
the commands that can complete); the shared ``app`` is never changed. With no command,
a mistyped one or the root --help, the full app runs, so help and "did you mean" see
every command.

Measured with benchmarks/startup.py (see docs/performance.md).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import NoReturn

import typer

from bonemets_cli.cli.root import APP_SETTINGS, COMPLETE_VAR, app, environment_fault, report
from bonemets_cli.cli.words import command_index
from bonemets_cli.errors import ExitCode


def main() -> None:
    """Console-script entry point."""
    words = _command_words()
    name = invoked_command(words)
    if name is not None:
        app_for(lambda command: command == name)()
    elif os.environ.get(COMPLETE_VAR):
        typing = _word_being_completed()
        if typing and not typing.startswith("-"):
            app_for(lambda command: command.startswith(typing))()
        else:
            app()
    else:
        app()


def app_for(wanted: Callable[[str], bool]) -> typer.Typer:
    """A new app with the root callback and only the wanted commands; the full ``app``
    when none is wanted."""
    from typer.main import get_command_name

    chosen = [
        info
        for info in app.registered_commands
        if wanted(info.name or get_command_name(getattr(info.callback, "__name__", "")))
    ]
    if not chosen:
        return app
    narrow = typer.Typer(**APP_SETTINGS)
    narrow.registered_callback = app.registered_callback
    narrow.registered_commands = chosen
    return narrow


def _command_words() -> list[str]:
    """The words after 'bonemets': from the command line, or while the shell completes,
    the words already typed before the one being completed."""
    if os.environ.get(COMPLETE_VAR):
        words = os.environ.get("COMP_WORDS", "").split()
        return words[1 : _word_index()]
    return sys.argv[1:]


def _word_being_completed() -> str:
    words = os.environ.get("COMP_WORDS", "").split()
    index = _word_index()
    return words[index] if 0 < index < len(words) else ""


def _word_index() -> int:
    """COMP_CWORD if it is a plain decimal number ("²" is a digit to str.isdigit, not
    here), else 0: a malformed request completes nothing."""
    index = os.environ.get("COMP_CWORD", "")
    return int(index) if index.isascii() and index.isdigit() and len(index) < 6 else 0


def invoked_command(words: list[str]) -> str | None:
    """The subcommand the words name, if any: the first word that is not a root option."""
    index = command_index(words)
    return None if index is None else words[index]


def end(code: object) -> NoReturn:
    """Flush both streams and end the process now, with ``code`` as ``sys.exit`` reads it.

    The interpreter's own shutdown frees every object and module of the run one by one,
    some 65 M instructions and, by the clock, more (it walks the whole heap), and nothing
    of bonemets needs it: every file it writes is closed when written (the handout,
    completion scripts), the pager has been waited for, and neither bonemets nor its
    libraries register an exit handler. Only the console script calls this (console.py);
    a run in the tests' own process ends as usual.

    Output that cannot be written even now (a full disk) is named on stderr with exit
    74, as root.py does for a page; a reader that has gone (a closed pipe) is quiet, and
    the exit code stands.
    """
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): one line, as every error
        report([str(code)])
        status = 1
    try:
        sys.stdout.flush()  # through terminal.QuietWhenGone, which a reader gone leaves quiet
    except BrokenPipeError:  # a stream without it
        pass
    except OSError as error:
        if status == ExitCode.OK:
            report([environment_fault(error)])
            status = ExitCode.ENVIRONMENT
    except ValueError:  # closed
        pass
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(status)
