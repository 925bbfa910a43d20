"""A pager on a terminal, as git and gh do: only for a page longer than the terminal,
only when stdout is a terminal, never in a pipe.

``PAGER`` names it (``less -R`` by default, where ``less`` is installed); an empty
``PAGER``, ``cat`` or ``--no-pager`` writes the page as it is.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Mapping
from typing import TextIO

DEFAULT_PAGER = "less -R"


def pager_command(environ: Mapping[str, str] = os.environ) -> list[str] | None:
    """The pager to run, as words; None when there is none to run."""
    chosen = environ.get("PAGER")
    if chosen is None:
        return shlex.split(DEFAULT_PAGER) if shutil.which("less") else None
    try:
        words = shlex.split(chosen)
    except ValueError:  # an unbalanced quote: not a command we can run
        return None
    if not words or words == ["cat"]:
        return None
    return words


def wants_pager(stream: TextIO, text: str, height: int) -> bool:
    """A page goes to the pager only on a terminal, and only when it does not fit."""
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):
        return False
    return terminal and text.count("\n") >= height


def page(text: str, command: list[str], stream: TextIO) -> bool:
    """Show text in the pager; False (having shown nothing) when it cannot start.

    While the pager runs, Ctrl+C is the pager's (less uses it to stop a search), as in
    git; the handler is put back when the pager ends.
    """
    encoding = getattr(stream, "encoding", None) or "utf-8"
    env = {**os.environ}
    env.setdefault("LESS", "FRX")  # as git: quit at the end of a short page, keep colour
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert process.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # the reader quit before the end
            process.stdin.write(text.encode(encoding, errors="backslashreplace"))
        with contextlib.suppress(BrokenPipeError):
            process.stdin.close()
        process.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return True


def show(text: str, height: int, enabled: bool, stream: TextIO | None = None) -> None:
    """Write a page to stdout, through the pager when it is on and the page needs one."""
    out = stream if stream is not None else sys.stdout
    if enabled and wants_pager(out, text, height):
        command = pager_command()
        if command is not None:
            out.flush()
            if page(text, command, out):
                return
    out.write(text)
    out.flush()
