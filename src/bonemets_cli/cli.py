"""The command line: parse arguments, ask the query layer, render, map errors to exit codes."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, NoReturn

import typer
from typer.core import TyperGroup

from bonemets_cli import __version__
from bonemets_cli.choices import Audience, ColorChoice, OutputFormat
from bonemets_cli.errors import BonemetsError, NotFound, NothingMatched
from bonemets_cli.terminal import can_encode, escape_controls, layout_size, protect

if TYPE_CHECKING:
    from rich.console import Console

    from bonemets_cli.browse import (
        CausesView,
        CompareView,
        ComplementaryView,
        HandoutView,
        InfoView,
        SearchView,
        SectionView,
        SideEffectsView,
    )
    from bonemets_cli.models import KnowledgeBase, Named
    from bonemets_cli.query import Filters
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
        | SideEffectsView
        | CausesView
        | CompareView
        | ComplementaryView
        | SectionView
        | SearchView
        | HandoutView
        | InfoView
    )

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE, EXIT_DATA = 0, 1, 2, 3

_NOT_FOUND_HINTS = {
    "treatment": "Run 'bonemets list' to see every treatment.",
    "entry": "Run 'bonemets sources' to see which entries cite each source.",
    "side effect": "Run 'bonemets side-effects' to see every side effect.",
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
        help="Output format: table (default), json, markdown, plain or html.",
    ),
]


class Settings(NamedTuple):
    """The root options every command reads."""

    data: Path | None = None
    color: ColorChoice = ColorChoice.auto


def _settings(ctx: typer.Context) -> Settings:
    found = ctx.find_root().obj
    return found if isinstance(found, Settings) else Settings()


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
    color: Annotated[
        ColorChoice,
        typer.Option(
            "--color",
            case_sensitive=False,
            help="Colour in tables: auto (default: on a terminal, unless NO_COLOR is set), "
            "always, or never (wins over FORCE_COLOR).",
        ),
    ] = ColorChoice.auto,
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
    ctx.obj = Settings(data, color)
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

    loaded = knowledge.load(_settings(ctx).data, today=_today())
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


def _emit(ctx: typer.Context, view: View, output_format: OutputFormat) -> None:
    """Render the view in the chosen format and write it to stdout."""
    with _closed_pipe_is_fine():
        if output_format is OutputFormat.table:
            from bonemets_cli.render_rich import to_rich

            # not cropped: problem lines run past the width rather than wrap (render_rich)
            _console(_settings(ctx).color).print(to_rich(view.document()), crop=False)
            return
        from bonemets_cli import render

        if output_format is OutputFormat.json:
            # On a terminal that cannot show UTF-8, JSON escapes stay valid JSON.
            text = render.to_json(view.data(), ascii_only=not can_encode(sys.stdout))
        elif output_format is OutputFormat.markdown:
            text = render.to_markdown(view.document())
        elif output_format is OutputFormat.html:
            text = render.to_html(view.document())
        else:
            text = render.to_plain(view.document())
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
def _closed_pipe_is_fine() -> Iterator[None]:
    """`bonemets list | head -1`: when the reader stops early, stop quietly."""
    try:
        yield
    except BrokenPipeError:
        _silence(sys.stdout)
        raise typer.Exit(EXIT_OK) from None


def _completer(collection: str) -> Any:
    """Shell completion for one vocabulary of the knowledge file: its ids, with names."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        from bonemets_cli import knowledge

        try:
            entries: tuple[Named, ...] = getattr(
                knowledge.load(ctx.find_root().params.get("data")), collection
            )
        except Exception:  # a completion must never print a traceback into the shell
            return []
        wanted = incomplete.casefold()
        found = []
        for entry in entries:
            # The shell keeps only words that start with what was typed: offer the id,
            # else a one-word name or alias that does ("radiotherapy", "xgeva").
            words = [name for name in entry.names if " " not in name]
            match = next((w for w in words if w.casefold().startswith(wanted)), None)
            if match is not None:
                found.append((match, entry.name))
        return found

    return complete


def _lookup(*flags: str, metavar: str, help: str, collection: str) -> Any:
    """An option naming an entry of one vocabulary of the knowledge file, completed from it."""
    return typer.Option(*flags, metavar=metavar, help=help, autocompletion=_completer(collection))


CancerOption = Annotated[
    str | None,
    _lookup(
        "--cancer",
        "-c",
        metavar="CANCER",
        help="The cancer that spread to the bone, e.g. breast, prostate.",
        collection="cancers",
    ),
]
GoalOption = Annotated[
    str | None,
    _lookup(
        "--goal",
        "-g",
        metavar="GOAL",
        help="Only treatments that help with this: pain, fractures, shrink, function, ...",
        collection="goals",
    ),
]
GivenOption = Annotated[
    str | None,
    _lookup(
        "--given",
        metavar="ROUTE",
        help="Only treatments given this way: iv, oral, injection, external, surgery, ...",
        collection="routes",
    ),
]
BonesOption = Annotated[
    str | None,
    _lookup(
        "--bones",
        metavar="STATE",
        help="Only treatments the sources say are for bones in this state: weak or broken.",
        collection="bone_states",
    ),
]
AvoidOption = Annotated[
    str | None,
    _lookup(
        "--avoid",
        metavar="SIDE_EFFECT",
        help="Leave out treatments whose sources name this side effect, e.g. nausea.",
        collection="side_effects",
    ),
]

TreatmentArgument = Annotated[
    str,
    typer.Argument(
        metavar="NAME",
        help="A treatment's id, name or alias, e.g. chemo, radiation, hormone, denosumab.",
        autocompletion=_completer("treatments"),
    ),
]


@app.command("list")
def list_command(ctx: typer.Context, output_format: FormatOption = OutputFormat.table) -> None:
    """List every treatment: its kind, how it is given and what it does."""
    from bonemets_cli.views import ListView

    _emit(ctx, ListView(_knowledge(ctx), _reading()), output_format)


@app.command()
def show(
    ctx: typer.Context,
    name: TreatmentArgument,
    output_format: FormatOption = OutputFormat.table,
    audience: AudienceOption = Audience.patient,
) -> None:
    """Show one treatment in full: every statement with its source, and changes since 2010."""
    from bonemets_cli.query import find_treatment
    from bonemets_cli.views import ShowView

    knowledge = _knowledge(ctx)
    _emit(
        ctx, ShowView(knowledge, find_treatment(knowledge, name), _reading(audience)), output_format
    )


def _filters(
    knowledge: KnowledgeBase,
    goal: str | None,
    given: str | None,
    bones: str | None,
    avoid: str | None,
) -> Filters:
    from bonemets_cli import query

    return query.Filters(
        goal=query.find_goal(knowledge, goal) if goal is not None else None,
        given=query.find_route(knowledge, given) if given is not None else None,
        bones=query.find_bone_state(knowledge, bones) if bones is not None else None,
        avoid=query.find_side_effect(knowledge, avoid) if avoid is not None else None,
    )


@app.command()
def options(
    ctx: typer.Context,
    cancer: CancerOption = None,
    goal: GoalOption = None,
    given: GivenOption = None,
    bones: BonesOption = None,
    avoid: AvoidOption = None,
    output_format: FormatOption = OutputFormat.table,
    audience: AudienceOption = Audience.patient,
) -> None:
    """Show the treatments for one cancer, narrowed by what matters to you, and why each is listed.

    Give --cancer, one or more filters, or both; filters combine.
    """
    from bonemets_cli.query import find_cancer, options_for, updates_for_options
    from bonemets_cli.views import OptionsView

    knowledge = _knowledge(ctx)
    filters = _filters(knowledge, goal, given, bones, avoid)
    if cancer is None and not filters.active():
        # A bare `options` deserves the list of what it can be.
        known = ", ".join(c.id for c in knowledge.cancers)
        ctx.fail(
            f"say which cancer with --cancer, one of: {known}; or filter with --goal, "
            "--given, --bones or --avoid"
        )
    found = find_cancer(knowledge, cancer) if cancer is not None else None
    chosen = options_for(knowledge, found, filters)
    if not chosen:
        raise NothingMatched(
            "no treatment meets all of those filters; drop one, or run 'bonemets options --help'"
        )
    updates = updates_for_options(knowledge, found, chosen, filters)
    view = OptionsView(knowledge, found, tuple(chosen), tuple(updates), _reading(audience), filters)
    _emit(ctx, view, output_format)


@app.command()
def updates(
    ctx: typer.Context,
    treatment: Annotated[
        str | None,
        typer.Option(
            "--treatment",
            "-t",
            help="Only facts about this treatment, e.g. radiation.",
            autocompletion=_completer("treatments"),
        ),
    ] = None,
    cancer: Annotated[
        str | None,
        typer.Option(
            "--cancer",
            "-c",
            help="Only facts that name this cancer, e.g. prostate.",
            autocompletion=_completer("cancers"),
        ),
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
    _emit(ctx, view, output_format)


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
        _emit(ctx, SourcesView(knowledge, _reading()), output_format)
        return
    entry_id, title, statements = provenance(knowledge, entry)
    _emit(ctx, ProvenanceView(knowledge, entry_id, title, statements, _reading()), output_format)


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

    report = knowledge.check(path or _settings(ctx).data, today=_today())
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
    _emit(ctx, view, output_format)
    if view.errors:
        raise typer.Exit(EXIT_DATA)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a knowledge file, generated from the models."""
    from bonemets_cli.knowledge import json_schema

    with _closed_pipe_is_fine():
        sys.stdout.write(json_schema())
        sys.stdout.flush()


@app.command("side-effects")
def side_effects(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="NAME",
            help="Only these treatments (id, name or alias); by default every treatment.",
            autocompletion=_completer("treatments"),
        ),
    ] = None,
    has: Annotated[
        str | None,
        typer.Option(
            "--has",
            metavar="SIDE_EFFECT",
            help="List the treatments that can cause this side effect instead.",
            autocompletion=_completer("side_effects"),
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.table,
    audience: AudienceOption = Audience.patient,
) -> None:
    """Show which treatments can cause which side effects, as a matrix."""
    from bonemets_cli import query
    from bonemets_cli.browse import CausesView, SideEffectsView

    knowledge = _knowledge(ctx)
    reading = _reading(audience)
    if has is not None:
        if names:
            ctx.fail("give treatment names or --has, not both")
        effect = query.find_side_effect(knowledge, has)
        causes = query.causes(knowledge, effect)
        if not causes:
            raise NothingMatched(
                f"no treatment's sources name {effect.name!r} as a side effect; "
                "run 'bonemets side-effects' for those that do"
            )
        updates = query.updates_for_side_effect(knowledge, effect)
        _emit(
            ctx,
            CausesView(knowledge, effect, tuple(causes), tuple(updates), reading),
            output_format,
        )
        return
    if names:
        chosen = [query.find_treatment(knowledge, name) for name in names]
        treatments = tuple(dict.fromkeys(chosen))
    else:
        treatments = tuple(t for t in knowledge.treatments if t.kind != "complementary")
    rows = tuple(query.side_effect_links(knowledge, treatments))
    mark = "\u2713" if can_encode(sys.stdout) else "x"
    _emit(ctx, SideEffectsView(knowledge, treatments, rows, mark, reading), output_format)


@app.command()
def compare(
    ctx: typer.Context,
    names: Annotated[
        list[str],
        typer.Argument(
            metavar="NAME",
            help="Two or more treatments (id, name or alias), e.g. chemo radiation.",
            autocompletion=_completer("treatments"),
        ),
    ],
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """Put treatments side by side: how each is given, what it helps with, side effects, who for."""
    from bonemets_cli.browse import CompareView
    from bonemets_cli.query import find_treatment

    knowledge = _knowledge(ctx)
    treatments = tuple(dict.fromkeys(find_treatment(knowledge, name) for name in names))
    if len(treatments) < 2:
        ctx.fail("name at least two different treatments to compare")
    _emit(ctx, CompareView(knowledge, treatments, _reading()), output_format)


@app.command()
def complementary(ctx: typer.Context, output_format: FormatOption = OutputFormat.table) -> None:
    """List the complementary treatments used along with regular treatment."""
    from bonemets_cli.browse import ComplementaryView

    _emit(ctx, ComplementaryView(_knowledge(ctx), _reading()), output_format)


@app.command()
def factors(ctx: typer.Context, output_format: FormatOption = OutputFormat.table) -> None:
    """List what the choice of treatment depends on."""
    from bonemets_cli.browse import SectionView

    subtitle = "Your care team weighs these. See 'bonemets options --help' to filter by them."
    view = SectionView(_knowledge(ctx), "factors", "Treatment depends on", subtitle, _reading())
    _emit(ctx, view, output_format)


@app.command()
def prognosis(ctx: typer.Context, output_format: FormatOption = OutputFormat.table) -> None:
    """What to expect: the outlook the sources describe."""
    from bonemets_cli.browse import SectionView

    subtitle = "Everyone is different: your care team knows your situation."
    view = SectionView(_knowledge(ctx), "prognosis", "What to expect", subtitle, _reading())
    _emit(ctx, view, output_format)


@app.command()
def search(
    ctx: typer.Context,
    text: Annotated[
        list[str],
        typer.Argument(metavar="TEXT", help="Words to look for, e.g. nausea, or jaw bone."),
    ],
    limit: Annotated[
        int,
        typer.Option(
            "--limit", "-n", min=0, metavar="N", help="Show the best N entries; 0 shows all."
        ),
    ] = 20,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """Search every entry and field; results ranked, small typos forgiven, matches shown."""
    from bonemets_cli import search as searching
    from bonemets_cli.browse import SearchView

    knowledge = _knowledge(ctx)
    query = " ".join(text)
    if not searching.terms_of(query):
        ctx.fail("give at least one word to search for")
    found = searching.search(knowledge, query)
    if not found.results:
        near = searching.closest_terms(knowledge, query)
        hint = f" Closest terms: {', '.join(near)}." if near else ""
        raise NothingMatched(f"nothing matches {query!r}.{hint} Run 'bonemets list' to browse")
    shown = escape_controls(query)  # the user's own text, echoed back: never raw
    _emit(ctx, SearchView(knowledge, shown, found, _reading(), limit), output_format)


@app.command()
def handout(
    ctx: typer.Context,
    cancer: CancerOption = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="Output format: markdown (default), html, table, json or plain.",
        ),
    ] = OutputFormat.markdown,
) -> None:
    """Write a printable page for a patient: options for one cancer, side effects, care, sources.

    Save it with e.g. 'bonemets handout --cancer breast --format html > handout.html'.
    """
    from bonemets_cli.browse import HandoutView
    from bonemets_cli.query import find_cancer, options_for, updates_for_cancer

    knowledge = _knowledge(ctx)
    if cancer is None:
        known = ", ".join(c.id for c in knowledge.cancers)
        ctx.fail(f"say which cancer with --cancer, one of: {known}")
    found = find_cancer(knowledge, cancer)
    view = HandoutView(
        knowledge,
        found,
        tuple(options_for(knowledge, found)),
        tuple(updates_for_cancer(knowledge, found)),
        _reading(Audience.patient),
    )
    _emit(ctx, view, output_format)


@app.command()
def info(ctx: typer.Context, output_format: FormatOption = OutputFormat.table) -> None:
    """Show where the knowledge was loaded from, its schema version, date and counts."""
    from bonemets_cli import knowledge as knowledge_file
    from bonemets_cli.browse import InfoView

    chosen = _settings(ctx).data
    path = chosen if chosen is not None else knowledge_file.bundled_path()
    loaded = _knowledge(ctx)
    view = InfoView(loaded, escape_controls(str(path)), chosen is None, _reading())
    _emit(ctx, view, output_format)


ROOT_OPTIONS_WITH_VALUE = frozenset({"--data", "--color"})
"""The root options that take a value: the word after them is not a command."""

_COMPLETE_VAR = "_BONEMETS_COMPLETE"


def main() -> None:
    """Console-script entry point."""
    # One short run allocates a whole knowledge base and frees almost nothing until
    # exit, so the cyclic garbage collector would only rescan the same objects again
    # and again: with 10,000 treatments it took more than half of the load time.
    # Reference counting still frees everything else.
    gc.disable()
    words = _command_words()
    name = _invoked_command(words)
    if name is not None:
        _register_only(lambda command: command == name)
    elif os.environ.get(_COMPLETE_VAR):
        typing = _word_being_completed()
        if typing and not typing.startswith("-"):
            _register_only(lambda command: command.startswith(typing))
    app()


def _command_words() -> list[str]:
    """The words after 'bonemets': from the command line, or while the shell completes,
    the words already typed before the one being completed."""
    if os.environ.get(_COMPLETE_VAR):
        words = os.environ.get("COMP_WORDS", "").split()
        try:
            return words[1 : int(os.environ.get("COMP_CWORD", "0"))]
        except ValueError:
            return []
    return sys.argv[1:]


def _word_being_completed() -> str:
    words = os.environ.get("COMP_WORDS", "").split()
    index = os.environ.get("COMP_CWORD", "")
    return words[int(index)] if index.isdigit() and int(index) < len(words) else ""


def _invoked_command(words: list[str]) -> str | None:
    """The subcommand the words name, if any: the first word that is not a root option."""
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word == "--":
            return None
        elif word.startswith("-"):
            skip = word in ROOT_OPTIONS_WITH_VALUE
        else:
            return word
    return None


def _register_only(wanted: Callable[[str], bool]) -> None:
    """Build only the commands that can run, or complete: Typer turns every registered
    command into a click command before parsing, which costs as much again as a small
    command's own work. When none is wanted (no command, a mistyped one, the root
    --help), all stay, so help and 'did you mean' see them all."""
    from typer.main import get_command_name

    chosen = [
        info
        for info in app.registered_commands
        if wanted(info.name or get_command_name(getattr(info.callback, "__name__", "")))
    ]
    if chosen:
        app.registered_commands = chosen
