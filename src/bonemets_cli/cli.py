"""The command line: parse arguments, ask the query layer, render, map errors to exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from bonemets_cli import __version__
from bonemets_cli.errors import BonemetsError, NotFound
from bonemets_cli.render import OutputFormat

if TYPE_CHECKING:
    from bonemets_cli.models import KnowledgeBase
    from bonemets_cli.views import ListView, OptionsView, ShowView

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE, EXIT_DATA = 0, 1, 2, 3

_NOT_FOUND_HINTS = {
    "treatment": "Run 'bonemets list' to see every treatment.",
    "cancer": "Run 'bonemets list' for the treatments that apply to any cancer.",
}


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
        try:
            result = super().main(
                args, prog_name or "bonemets", complete_var, standalone_mode=False, **extra
            )
        except typer.Abort:
            _fail("interrupted.", 130)
        except typer.TyperException as error:  # click's usage errors; typer vendors click
            _fail(_usage_message(error), error.exit_code)
        except BonemetsError as error:
            lines = error.lines()
            if isinstance(error, NotFound) and error.what in _NOT_FOUND_HINTS:
                lines[-1] += " " + _NOT_FOUND_HINTS[error.what]
            _fail_lines(lines, error.exit_code)
        except Exception as error:  # the promise is: no traceback reaches a user, ever
            if os.environ.get("BONEMETS_DEBUG"):
                raise
            _fail(
                f"unexpected internal error ({type(error).__name__}: {error}). "
                "Please report it; set BONEMETS_DEBUG=1 to see the details.",
                EXIT_NOT_FOUND,
            )
        sys.exit(result if isinstance(result, int) else EXIT_OK)


def _usage_message(error: typer.TyperException) -> str:
    ctx = getattr(error, "ctx", None)
    command = ctx.command_path if ctx is not None else "bonemets"
    message = error.format_message().removeprefix("Value error, ").rstrip(".")
    message = message.replace(": Value error, ", ": ")
    end = "" if message.endswith("?") else "."
    return f"{message}{end} Try '{command} --help'."


def _fail(message: str, code: int) -> NoReturn:
    _fail_lines([message], code)


def _fail_lines(lines: list[str], code: int) -> NoReturn:
    for line in lines:
        sys.stderr.write(f"Error: {line}\n")
    sys.stderr.flush()
    sys.exit(code)


app = typer.Typer(
    cls=BonemetsGroup,
    name="bonemets",
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="Output format: table (default), json, markdown or plain.",
    ),
]


def _print_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"bonemets {__version__}\n")
        raise typer.Exit()


@app.callback()
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
    """
    del version
    ctx.obj = data
    if ctx.invoked_subcommand is None:
        # A bare `bonemets` asks what the tool can do: answer, and succeed.
        sys.stdout.write(ctx.get_help())
        raise typer.Exit()


def _knowledge(ctx: typer.Context) -> KnowledgeBase:
    from bonemets_cli import knowledge

    path: Path | None = ctx.find_root().obj
    return knowledge.load(path)


def _emit(view: ListView | ShowView | OptionsView, output_format: OutputFormat) -> None:
    """Render the view in the chosen format and write it to stdout."""
    if output_format is OutputFormat.table:
        from rich.console import Console

        from bonemets_cli.render_rich import to_rich

        Console(highlight=False).print(to_rich(view.document()))
        return
    from bonemets_cli import render

    if output_format is OutputFormat.json:
        text = render.to_json(view.data())
    elif output_format is OutputFormat.markdown:
        text = render.to_markdown(view.document())
    else:
        text = render.to_plain(view.document())
    sys.stdout.write(text)


@app.command("list")
def list_command(ctx: typer.Context, output_format: FormatOption = OutputFormat.table) -> None:
    """List every treatment: its kind, how it is given and what it does."""
    from bonemets_cli.views import ListView

    _emit(ListView(_knowledge(ctx)), output_format)


@app.command()
def show(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME", help="A treatment's id, name or alias, e.g. chemo, radiation, hormone."
        ),
    ],
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """Show one treatment in full, with the source of every statement."""
    from bonemets_cli.query import find_treatment
    from bonemets_cli.views import ShowView

    knowledge = _knowledge(ctx)
    _emit(ShowView(knowledge, find_treatment(knowledge, name)), output_format)


@app.command()
def options(
    ctx: typer.Context,
    cancer: Annotated[
        str,
        typer.Option(
            "--cancer", "-c", help="The cancer that spread to the bone, e.g. breast, prostate."
        ),
    ],
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """Show the treatments that apply to one cancer, and why each is listed."""
    from bonemets_cli.query import find_cancer, options_for
    from bonemets_cli.views import OptionsView

    knowledge = _knowledge(ctx)
    found = find_cancer(knowledge, cancer)
    _emit(OptionsView(knowledge, found, tuple(options_for(knowledge, found))), output_format)


def main() -> None:
    """Console-script entry point."""
    app()
