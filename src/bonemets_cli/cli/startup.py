"""The console script, and the one start-up optimisation that still pays: build only the
command that runs.

Typer turns every registered command into a click command before it parses anything,
which costs about as much again as a small command's own work. So the console script
builds a fresh app with only the command the words name (or, while the shell completes,
the commands that can complete); the shared ``app`` is never changed. With no command,
a mistyped one or the root --help, the full app runs, so help and "did you mean" see
every command.

Measured with benchmarks/startup.py (see docs/performance.md).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

import typer

from bonemets_cli.cli.root import APP_SETTINGS, COMPLETE_VAR, app
from bonemets_cli.cli.words import command_index


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
