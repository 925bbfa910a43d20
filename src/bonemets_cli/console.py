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
    from typing import NoReturn, TextIO

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
        from bonemets_cli.cli.startup import main as run

        run()
        code: object = 0
    except SystemExit as done:
        code = done.code
    finally:
        # The work is done and its exit code decided. The interpreter's shutdown puts the
        # default handler back, and an interrupt then would kill the process by the
        # signal: hold interrupts from here on, so the exit code stands.
        if hasattr(_signal, "pthread_sigmask"):
            _signal.pthread_sigmask(_signal.SIG_BLOCK, {_signal.SIGINT})
    end(code)


def end(code: object) -> "NoReturn":
    """Flush both streams and end the process now, with ``code`` as ``sys.exit`` reads it.

    A start-up optimisation (docs/performance.md): the interpreter's own shutdown frees
    every object and module of the run one by one, some 68 M instructions, near a tenth
    of a page's whole run, and nothing of bonemets needs it: every file it writes is
    closed when written (the handout, completion scripts), the pager has been waited
    for, and neither bonemets nor its libraries register an exit handler. Errors were
    reported before this point; a stream that fails to flush here has lost its reader,
    and the exit code still tells the outcome.
    """
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"), as the interpreter shows it
        _write_stderr(f"{code}\n")
        status = 1
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        _flush(stream)
    os._exit(status)


def _write_stderr(text: str) -> None:
    try:
        if sys.stderr is not None:
            sys.stderr.write(text)
    except (OSError, ValueError):  # gone, full or closed: the exit code still tells
        pass


def _flush(stream: "TextIO | None") -> None:
    try:
        if stream is not None:
            stream.flush()
    except (OSError, ValueError):  # its reader has gone: nothing more can reach it
        pass
