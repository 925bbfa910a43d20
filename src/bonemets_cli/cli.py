"""The command line: parse arguments, ask the query layer, render, map errors to exit codes."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from bonemets_cli import __version__
from bonemets_cli.choices import Audience, OutputFormat
from bonemets_cli.errors import BonemetsError, NotFound, NothingMatched
from bonemets_cli.terminal import can_encode, escape_controls, protect

if TYPE_CHECKING:
    from bonemets_cli.models import KnowledgeBase
    from bonemets_cli.views import (
        ListView,
        OptionsView,
        ProvenanceView,
        Reading,
        ShowView,
        SourcesView,
        UpdatesView,
        ValidateView,
    )

    View = (
        ListView
        | ShowView
        | OptionsView
        | UpdatesView
        | SourcesView
        | ProvenanceView
        | ValidateView
    )

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE, EXIT_DATA = 0, 1, 2, 3

_NOT_FOUND_HINTS = {
    "treatment": "Run 'bonemets list' to see every treatment.",
    "cancer": "Run 'bonemets list' for the treatments that apply to any cancer.",
    "entry": "Run 'bonemets sources' to see which entries cite each source.",
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
        sys.stdout = protect(sys.stdout)
        sys.stderr = protect(sys.stderr)
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
    _to_stderr([f"Error: {escape_controls(line)}" for line in lines])
    sys.exit(code)


def _warn(message: str) -> None:
    _to_stderr([f"Warning: {escape_controls(message)}"])


def _to_stderr(lines: list[str]) -> None:
    """Write to stderr; if its reader has gone (`2>&1 | head -1`), stop writing quietly."""
    try:
        sys.stderr.write("".join(f"{line}\n" for line in lines))
        sys.stderr.flush()
    except BrokenPipeError:
        _silence(sys.stderr)


def _silence(stream: Any) -> None:
    """Point a closed stream at /dev/null so the interpreter's final flush cannot fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(devnull, stream.fileno())


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


AudienceOption = Annotated[
    Audience,
    typer.Option(
        "--audience",
        "-a",
        case_sensitive=False,
        help="patient (default): plain statements. clinician: doses, trial figures, grades.",
    ),
]


def _knowledge(ctx: typer.Context) -> KnowledgeBase:
    """Load the knowledge file; warn on stderr about anything past its review date."""
    from bonemets_cli import knowledge
    from bonemets_cli.query import overdue

    path: Path | None = ctx.find_root().obj
    loaded = knowledge.load(path)
    late = overdue(loaded, _today())
    if late:
        entries = ", ".join(f"{item.entry} (due {item.next_review.isoformat()})" for item in late)
        _warn(
            f"{len(late)} past their review date: {entries}. Check them against current guidance."
        )
    return loaded


def _today() -> dt.date:
    return dt.date.today()


def _reading(audience: Audience = Audience.patient) -> Reading:
    from bonemets_cli.views import Reading

    return Reading(audience=audience, today=_today())


def _emit(view: View, output_format: OutputFormat) -> None:
    """Render the view in the chosen format and write it to stdout."""
    with _closed_pipe_is_fine():
        if output_format is OutputFormat.table:
            from rich.console import Console

            from bonemets_cli.render_rich import to_rich

            Console(highlight=False).print(to_rich(view.document()))
            return
        from bonemets_cli import render

        if output_format is OutputFormat.json:
            # On a terminal that cannot show UTF-8, JSON escapes stay valid JSON.
            text = render.to_json(view.data(), ascii_only=not can_encode(sys.stdout))
        elif output_format is OutputFormat.markdown:
            text = render.to_markdown(view.document())
        else:
            text = render.to_plain(view.document())
        sys.stdout.write(text)
        sys.stdout.flush()


@contextlib.contextmanager
def _closed_pipe_is_fine() -> Iterator[None]:
    """`bonemets list | head -1`: when the reader stops early, stop quietly."""
    try:
        yield
    except BrokenPipeError:
        _silence(sys.stdout)
        raise typer.Exit(EXIT_OK) from None


@app.command("list")
def list_command(ctx: typer.Context, output_format: FormatOption = OutputFormat.table) -> None:
    """List every treatment: its kind, how it is given and what it does."""
    from bonemets_cli.views import ListView

    _emit(ListView(_knowledge(ctx), _reading()), output_format)


@app.command()
def show(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            help="A treatment's id, name or alias, e.g. chemo, radiation, hormone, denosumab.",
        ),
    ],
    output_format: FormatOption = OutputFormat.table,
    audience: AudienceOption = Audience.patient,
) -> None:
    """Show one treatment in full: every statement with its source, and changes since 2010."""
    from bonemets_cli.query import find_treatment
    from bonemets_cli.views import ShowView

    knowledge = _knowledge(ctx)
    _emit(ShowView(knowledge, find_treatment(knowledge, name), _reading(audience)), output_format)


CancerOption = Annotated[
    str | None,
    typer.Option(
        "--cancer",
        "-c",
        help="The cancer that spread to the bone, e.g. breast, prostate. Required.",
    ),
]


@app.command()
def options(
    ctx: typer.Context,
    cancer: CancerOption = None,
    output_format: FormatOption = OutputFormat.table,
    audience: AudienceOption = Audience.patient,
) -> None:
    """Show the treatments that apply to one cancer, why each is listed, and what changed."""
    from bonemets_cli.query import find_cancer, options_for, updates_for_cancer
    from bonemets_cli.views import OptionsView

    knowledge = _knowledge(ctx)
    if cancer is None:
        # Required, but a bare `options` deserves the list of what it can be.
        known = ", ".join(c.id for c in knowledge.cancers)
        ctx.fail(f"say which cancer with --cancer, one of: {known}")
    found = find_cancer(knowledge, cancer)
    view = OptionsView(
        knowledge,
        found,
        tuple(options_for(knowledge, found)),
        tuple(updates_for_cancer(knowledge, found)),
        _reading(audience),
    )
    _emit(view, output_format)


@app.command()
def updates(
    ctx: typer.Context,
    treatment: Annotated[
        str | None,
        typer.Option("--treatment", "-t", help="Only facts about this treatment, e.g. radiation."),
    ] = None,
    cancer: Annotated[
        str | None,
        typer.Option("--cancer", "-c", help="Only facts that name this cancer, e.g. prostate."),
    ] = None,
    output_format: FormatOption = OutputFormat.table,
    audience: AudienceOption = Audience.patient,
) -> None:
    """List what has changed since 2010: vetted facts with their sources, newest first."""
    from bonemets_cli.query import find_cancer, find_treatment, select_updates
    from bonemets_cli.views import UpdatesView

    knowledge = _knowledge(ctx)
    found_treatment = find_treatment(knowledge, treatment) if treatment is not None else None
    found_cancer = find_cancer(knowledge, cancer) if cancer is not None else None
    chosen = select_updates(knowledge, found_treatment, found_cancer)
    if not chosen:
        raise NothingMatched("no update matches those filters; run 'bonemets updates' for all")
    view = UpdatesView(knowledge, tuple(chosen), found_treatment, found_cancer, _reading(audience))
    _emit(view, output_format)


@app.command()
def sources(
    ctx: typer.Context,
    entry: Annotated[
        str | None,
        typer.Option(
            "--for",
            metavar="ID",
            help="Show each statement of one entry (a treatment, update or factor id, or "
            "overview, prognosis, complementary) beside its sources.",
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """List every source with the entries that cite it, or the sources of one entry."""
    from bonemets_cli.query import provenance
    from bonemets_cli.views import ProvenanceView, SourcesView

    knowledge = _knowledge(ctx)
    if entry is None:
        _emit(SourcesView(knowledge, _reading()), output_format)
        return
    entry_id, title, statements = provenance(knowledge, entry)
    _emit(ProvenanceView(knowledge, entry_id, title, statements, _reading()), output_format)


@app.command()
def validate(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            metavar="[PATH]",
            help="The file to check; by default --data, BONEMETS_DATA or the bundled one.",
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """Check a knowledge file and report every problem at once; exit 0 if valid, 3 if not."""
    from bonemets_cli import knowledge
    from bonemets_cli.query import review_warnings
    from bonemets_cli.views import ValidateView

    report = knowledge.check(path or ctx.find_root().obj)
    problems = list(report.problems)
    counts: tuple[tuple[str, int], ...] = ()
    if report.knowledge is not None:
        problems += review_warnings(report.knowledge, _today())
        found = report.knowledge
        counts = (
            ("treatment", len(found.treatments)),
            ("update", len(found.updates)),
            ("source", len(found.sources)),
        )
    view = ValidateView(escape_controls(report.file), tuple(problems), counts)
    _emit(view, output_format)
    if view.errors:
        raise typer.Exit(EXIT_DATA)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a knowledge file, generated from the models."""
    from bonemets_cli.knowledge import json_schema

    with _closed_pipe_is_fine():
        sys.stdout.write(json_schema())
        sys.stdout.flush()


def main() -> None:
    """Console-script entry point."""
    app()
