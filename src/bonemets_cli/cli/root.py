"""The Typer app and what every command shares: loading, rendering, and turning errors
into one line on stderr and an exit code."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from bonemets_cli import __version__
from bonemets_cli.choices import Audience, ColorChoice, OutputFormat
from bonemets_cli.cli.help_text import one_line_paragraphs, shown_by_metavar
from bonemets_cli.cli.words import (
    NAME_METAVARS,
    command_word,
    empty_data,
    names_joined,
    root_options_first,
)
from bonemets_cli.cli.words import ROOT_OPTIONS_WITH_VALUE as ROOT_OPTIONS_WITH_VALUE
from bonemets_cli.errors import BonemetsError, ExitCode
from bonemets_cli.frozen import Frozen
from bonemets_cli.terminal import can_encode, escape_controls, layout_size, protect, silence

if sys.version_info >= (3, 11):
    from typing import assert_never
else:  # pragma: no cover
    from typing_extensions import assert_never

if TYPE_CHECKING:
    from rich.console import Console
    from typer._click.core import Command, Context, Parameter

    from bonemets_cli.models import KnowledgeBase
    from bonemets_cli.views import View
    from bonemets_cli.views.page import Reading


class BonemetsGroup(TyperGroup):
    """Runs a command and turns every failure into one plain line on stderr and an exit code."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> NoReturn:
        del standalone_mode  # errors are always handled here, never by click's printer
        self.help = one_line_paragraphs(self.help)
        sys.stdout = protect(sys.stdout)
        sys.stderr = protect(sys.stderr)
        words = list(sys.argv[1:] if args is None else args)
        if os.environ.get(COMPLETE_VAR):
            # A completion request with malformed or hostile values offers nothing, quietly.
            if well_formed_completion_request(os.environ):
                with contextlib.suppress(Exception), _layout_columns():
                    super().main(words, "bonemets", complete_var, standalone_mode=False, **extra)
            sys.exit(ExitCode.OK)
        words = root_options_first(words)
        if empty_data(words):
            fail(
                [
                    "--data was given an empty file name: name a knowledge file, or leave "
                    "--data out to use the bundled one (as an empty BONEMETS_DATA does)."
                ],
                ExitCode.USAGE,
            )
        try:
            shell_request = completion_request(words)
            if shell_request is not None:
                completion(*shell_request)
            with _layout_columns():
                result = super().main(
                    words, prog_name or "bonemets", complete_var, standalone_mode=False, **extra
                )
            _flush_stdout()
        except typer.Abort:
            fail(["interrupted."], ExitCode.INTERRUPTED)
        except typer.TyperException as error:  # click's usage errors; typer vendors click
            fail([_usage_message(error, self._command_path(words))], ExitCode(error.exit_code))
        except BonemetsError as error:
            fail(error.lines(), error.exit_code)
        except OSError as error:  # the environment refused: a full disk, a permission
            silence(sys.stdout)
            fail([environment_fault(error)], ExitCode.ENVIRONMENT)
        except Exception as error:  # the promise is: no traceback reaches a user, ever
            if os.environ.get("BONEMETS_DEBUG"):
                raise
            fail(
                [
                    f"unexpected internal error ({type(error).__name__}: {error}). "
                    "Please report it; set BONEMETS_DEBUG=1 to see the details."
                ],
                ExitCode.INTERNAL,
            )
        sys.exit(result if isinstance(result, int) else ExitCode.OK)

    def _command_path(self, words: list[str]) -> str:
        """'bonemets NAME' when the words name one of the commands, else 'bonemets'."""
        name = command_word(words)
        return f"bonemets {name}" if name in self.commands else "bonemets"

    def get_params(self, ctx: Context) -> list[Parameter]:
        return _without_bool_metavars(super().get_params(ctx))

    def resolve_command(
        self, ctx: Context, args: list[str]
    ) -> tuple[str | None, Command | None, list[str]]:
        """The command, and its words with each name given to an option as one word
        (`--treatment zoledronic acid`), as a name given to an argument already is."""
        name, command, words = super().resolve_command(ctx, args)
        if command is None:
            return name, command, words
        options = frozenset(
            flag
            for param in command.params
            if param.param_type_name == "option" and param.metavar in NAME_METAVARS
            for flag in param.opts
        )
        return name, command, names_joined(words, options)

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            command.help = one_line_paragraphs(command.help)
            shown_by_metavar(_without_bool_metavars(command.get_params(ctx)))
        return command


def _without_bool_metavars(params: list[Parameter]) -> list[Parameter]:
    """A flag takes no value, so its help shows none (Typer would show '<bool>')."""
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    return params


def _usage_message(error: typer.TyperException, command_path: str) -> str:
    """The error, and where to read how the command is used: the context's command, or
    (for an option that lacks its value, which click reports without one) the command
    the words named."""
    ctx = getattr(error, "ctx", None)
    command = ctx.command_path if ctx is not None else command_path
    message = error.format_message().removeprefix("Value error, ").rstrip(".")
    message = message.replace(": Value error, ", ": ")
    end = "" if message.endswith("?") else "."
    return f"{message}{end} Try '{command} --help'."


COMPLETE_VAR = "_BONEMETS_COMPLETE"
"""Set by the shell while it asks bonemets for completions."""

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
"""The shells Typer writes completion for."""

_CAUSES = {
    errno.ENOSPC: ("disk full", "Free some space"),
    errno.EDQUOT: ("disk quota exceeded", "Free some space"),
    errno.EACCES: ("permission denied", "Fix the permission"),
    errno.EPERM: ("permission denied", "Fix the permission"),
    errno.EROFS: ("read-only file system", "Choose a writable place"),
}


def environment_fault(error: OSError) -> str:
    """An OSError in words that name its cause: 'cannot write /x/.bashrc: permission
    denied', 'cannot write the output: disk full (No space left on device)'."""
    said = os.strerror(error.errno) if error.errno else str(error)
    cause, remedy = _CAUSES.get(error.errno or 0, (said.lower(), "Check the path"))
    if error.errno in _CAUSES:
        cause += f" ({said})"
    where = "the output" if error.filename is None else escape_controls(str(error.filename))
    return f"cannot write {where}: {cause}. {remedy}, then try again."


def well_formed_completion_request(environ: Mapping[str, str]) -> bool:
    """Whether the shell's request names a shell Typer completes in and, for bash, gives
    the word's index as a plain small number ("²", "-1" and 40 digits are not)."""
    instruction = environ.get(COMPLETE_VAR, "")
    if instruction.removeprefix("complete_") not in SHELLS:
        return False
    index = environ.get("COMP_CWORD", "0")
    return index.isascii() and index.isdigit() and len(index) < 6


def completion_request(words: Sequence[str]) -> tuple[str, str | None] | None:
    """('--install-completion', 'zsh') for `bonemets --install-completion zsh`: the root
    option and the shell named after it, if any; None if the words ask no such thing."""
    for index, word in enumerate(words):
        if word in ("--install-completion", "--show-completion"):
            after = words[index + 1] if index + 1 < len(words) else ""
            return word, after if after and not after.startswith("-") else None
        if not word.startswith("-") or word == "--":
            return None  # a command: the option is not the root's
    return None


def completion(option: str, shell: str | None) -> NoReturn:
    """Install (or show) completion for the shell named, else for the shell detected;
    refuse a shell Typer cannot complete in, rather than install another's."""
    from typer._completion_shared import _get_shell_name, get_completion_script, install

    shell = shell or _get_shell_name()
    if shell not in SHELLS:
        named = escape_controls(repr(shell)) if shell else "this shell (not detected)"
        fail(
            [
                f"cannot complete in {named}: bonemets completes in bash, zsh, fish and "
                f"powershell; name one, e.g. 'bonemets {option} bash'."
            ],
            ExitCode.USAGE,
        )
    if option == "--show-completion":
        write(get_completion_script(prog_name="bonemets", complete_var=COMPLETE_VAR, shell=shell))
        write("\n")
        sys.exit(ExitCode.OK)
    _, path = install(shell=shell, prog_name="bonemets", complete_var=COMPLETE_VAR)
    write(f"{shell} completion installed in {escape_controls(str(path))}\n")
    write("Completion will take effect once you restart the terminal.\n")
    sys.exit(ExitCode.OK)


@contextlib.contextmanager
def _layout_columns() -> Iterator[None]:
    """Help is laid out by Typer's own rich console, which reads COLUMNS itself: for the
    run, COLUMNS says the clamped width (terminal.layout_size), so 99999999 is 500."""
    before = os.environ.get("COLUMNS")
    if before is not None:
        os.environ["COLUMNS"] = str(layout_size()[0])
    try:
        yield
    finally:
        if before is not None:
            os.environ["COLUMNS"] = before


def _flush_stdout() -> None:
    """Flush now, so a full disk is reported here, with its line, before the end."""
    sys.stdout.flush()


def fail(lines: list[str], code: ExitCode) -> NoReturn:
    """Report the lines (``report``); then exit."""
    report(lines)
    sys.exit(code)


def report(lines: list[str]) -> None:
    """Each line on stderr as 'Error: ...', control characters made visible."""
    _to_stderr([f"Error: {escape_controls(line)}" for line in lines])


def warn(message: str) -> None:
    _to_stderr([f"Warning: {escape_controls(message)}"])


def _to_stderr(lines: list[str]) -> None:
    """Write to stderr; if its reader has gone (`2>&1 | head -1`), stop writing quietly."""
    try:
        sys.stderr.write("".join(f"{line}\n" for line in lines))
        sys.stderr.flush()
    except (OSError, ValueError):  # gone, full or closed: the exit code still tells
        silence(sys.stderr)


APP_SETTINGS: dict[str, Any] = {
    "cls": BonemetsGroup,
    "name": "bonemets",
    "invoke_without_command": True,
    "pretty_exceptions_enable": False,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}
"""How the app is made; the console script makes a fresh one the same way (startup.py)."""

app = typer.Typer(**APP_SETTINGS)


class Settings(Frozen):
    """The root options every command reads."""

    data: Path | None = None
    color: ColorChoice = ColorChoice.auto
    pager: bool = True
    """Whether a long page on a terminal opens in the pager (cli/pager.py)."""


def settings(ctx: typer.Context) -> Settings:
    found = ctx.find_root().obj
    return found if isinstance(found, Settings) else Settings()


def _print_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"bonemets {__version__}\n")
        raise typer.Exit()


ROOT_EXAMPLES = (
    "Examples:\n"
    "  $ bonemets options --cancer breast\n"
    "  $ bonemets show zoledronic acid\n"
    "  $ bonemets side-effects --has nausea\n"
    "  $ bonemets list --color never --no-pager"
)


@app.callback(epilog=ROOT_EXAMPLES)
def root(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            envvar="BONEMETS_DATA",
            metavar="PATH",
            help="Use this knowledge file instead of the bundled one.",
        ),
    ] = None,
    color: Annotated[
        ColorChoice,
        typer.Option(
            "--color",
            case_sensitive=False,
            help="Colour in tables: auto (default: on a terminal, unless NO_COLOR is set), "
            "always, or never (wins over FORCE_COLOR).",
        ),
    ] = ColorChoice.auto,
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager",
            help="Write a long page straight to the terminal, not through PAGER (less -R).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """An offline reference on the treatment of bone metastases (secondary bone cancer).

    General information, not medical advice: talk to your care team.

    --data, --color and --no-pager may also follow the command.
    """
    del version
    ctx.obj = Settings(data, color, not no_pager)
    if ctx.invoked_subcommand is None:
        # A bare `bonemets` asks what the tool can do: answer, and succeed.
        sys.stdout.write(ctx.get_help())
        raise typer.Exit()


def today() -> dt.date:
    return dt.date.today()


def load(
    ctx: typer.Context, audience: Audience = Audience.patient
) -> tuple[KnowledgeBase, Reading]:
    """The knowledge a command reads, and who reads it on which day: a pair, for every
    command unpacks it (``kb, reading = load(ctx)``). Warns on stderr about anything
    past its review date."""
    from bonemets_cli import knowledge
    from bonemets_cli.query import overdue
    from bonemets_cli.views.page import Reading

    day = today()
    loaded = knowledge.load(settings(ctx).data, today=day)
    late = tuple(overdue(loaded, day))
    if late:
        entries = ", ".join(f"{item.entry} (due {item.next_review.isoformat()})" for item in late)
        warn(f"{len(late)} past their review date: {entries}. Check them against current guidance.")
    return loaded, Reading(audience, day, late)


def emit(ctx: typer.Context, view: View, output_format: OutputFormat) -> None:
    """Render the view in the chosen format and write it to stdout."""
    from bonemets_cli import render

    with output_refusals_named():
        match output_format:
            case OutputFormat.table:
                from bonemets_cli.render_rich import to_rich

                console = _console(settings(ctx).color)
                if not _may_page(ctx):
                    # not cropped: problem lines run past the width rather than wrap
                    console.print(to_rich(view.document()), crop=False)
                    return
                with console.capture() as captured:
                    console.print(to_rich(view.document()), crop=False)
                text = captured.get()
            case OutputFormat.json:
                # On a terminal that cannot show UTF-8, JSON escapes stay valid JSON.
                text = render.to_json(json_data(view), ascii_only=not can_encode(sys.stdout))
            case OutputFormat.markdown:
                text = render.to_markdown(view.document())
            case OutputFormat.html:
                text = render.to_html(view.document())
            case OutputFormat.plain:
                text = render.to_plain(view.document())
            case _:
                assert_never(output_format)
        if _may_page(ctx):
            from bonemets_cli.cli import pager

            pager.show(text, layout_size()[1], enabled=True)
            return
        sys.stdout.write(text)
        sys.stdout.flush()


def json_data(view: View) -> dict[str, Any]:
    """A page's JSON: its view's data, made self-contained (names and citations) when
    the page is about the knowledge; validate's report is about a file, and has none."""
    from bonemets_cli.models import KnowledgeBase
    from bonemets_cli.views.page import self_contained

    data = view.data()
    knowledge = getattr(view, "knowledge", None)
    return self_contained(knowledge, data) if isinstance(knowledge, KnowledgeBase) else data


def _may_page(ctx: typer.Context) -> bool:
    """Whether a page may go to the pager: stdout is a terminal and --no-pager was not
    given (cli/pager.py decides whether the page needs it)."""
    try:
        return settings(ctx).pager and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def write(text: str) -> None:
    """Write text that is not a page (the JSON Schema) to stdout."""
    with output_refusals_named():
        sys.stdout.write(text)
        sys.stdout.flush()


def _console(color: ColorChoice) -> Console:
    """A console for tables. rich itself honours NO_COLOR and FORCE_COLOR under auto;
    --color never drops every style, --color always forces them even into a pipe."""
    from rich.console import Console

    width, height = layout_size()
    if color is ColorChoice.never:
        return Console(highlight=False, color_system=None, width=width, height=height)
    if color is ColorChoice.always:
        console = Console(
            highlight=False, force_terminal=True, no_color=False, width=width, height=height
        )
        if console.color_system is None:  # TERM=dumb: asked for colour all the same
            console = Console(
                highlight=False,
                force_terminal=True,
                no_color=False,
                color_system="standard",
                width=width,
                height=height,
            )
        return console
    return Console(highlight=False, width=width, height=height)


@contextlib.contextmanager
def output_refusals_named() -> Iterator[None]:
    """A full disk, or any other refusal to take the output, named with the exit code the
    README lists. A reader that has gone (`bonemets list | head -1`) is no refusal: the
    stream itself stops quietly (terminal.QuietWhenGone)."""
    try:
        yield
    except OSError as error:  # a full disk: say so, and end with the code the README lists
        silence(sys.stdout)
        fail([environment_fault(error)], ExitCode.ENVIRONMENT)
