"""The console script's first steps, before anything heavy is imported: Ctrl-C and
missing standard streams are made safe, then the CLI runs.

Importing Typer, rich and pydantic takes a noticeable part of a second; an interrupt
in that time would otherwise print a KeyboardInterrupt traceback from inside the
imports. So this module imports only what the interpreter has already loaded (``os``,
``sys``) and the built-in ``_signal`` (``signal`` itself imports ``enum`` and
``functools``: long enough for an early Ctrl-C to land in them), and installs its
handler first.
"""

import _signal  # type: ignore[import-not-found]  # built in, no stubs
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not loaded yet at start-up: read by mypy only
    from typing import NoReturn

INTERRUPTED = 130
"""128 + SIGINT, as shells report it (errors.ExitCode.INTERRUPTED, not imported: heavy
imports must not run before the handler is in place)."""


def _interrupted(signum: int, frame: object) -> None:
    """Ctrl-C at any moment: one line on stderr if it can take one, exit 130 at once."""
    del signum, frame
    try:
        os.write(2, b"Error: interrupted.\n")
    except OSError:
        pass  # a closed or full stderr: the exit code still says what happened
    os._exit(INTERRUPTED)


def standard_streams() -> None:
    """Give a closed stdin, stdout or stderr (`bonemets list >&-`) /dev/null instead.

    Output sent nowhere is dropped, as when a pipe's reader has gone, and the exit
    code still tells the outcome. It also keeps descriptors 0-2 taken, so no file
    opened later (the knowledge file) can become a standard stream by accident.
    """
    for descriptor, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        try:
            os.fstat(descriptor)
        except OSError:
            devnull = os.open(os.devnull, os.O_RDWR)
            if devnull != descriptor:
                os.dup2(devnull, descriptor)
                os.close(devnull)
        if getattr(sys, name) is None:
            mode = "r" if descriptor == 0 else "w"
            setattr(sys, name, open(descriptor, mode, encoding="utf-8", closefd=False))


def main() -> "NoReturn":
    """Console-script entry point: ``bonemets``."""
    _signal.signal(_signal.SIGINT, _interrupted)
    try:
        standard_streams()
        from bonemets_cli.cli.startup import end
        from bonemets_cli.cli.startup import main as run

        run()
        code: object = 0
    except SystemExit as done:
        code = done.code
    finally:
        # The work is done and its exit code decided: hold interrupts from here on, so
        # the exit code stands (the interpreter's shutdown, which an uncaught exception
        # under BONEMETS_DEBUG still goes through, puts the default handler back, and an
        # interrupt then would kill the process by the signal).
        if hasattr(_signal, "pthread_sigmask"):
            _signal.pthread_sigmask(_signal.SIG_BLOCK, {_signal.SIGINT})
    end(code)
