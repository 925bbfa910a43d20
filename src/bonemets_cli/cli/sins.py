"""``bonemets sins``: the Spinal Instability Neoplastic Score, for clinicians.

Its answers come from the knowledge file's table; on a terminal, each one not given is
asked for, with its choices.
"""

from __future__ import annotations

import enum
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bonemets_cli.choices import Audience, OutputFormat
from bonemets_cli.cli.options import CLINICIANS, FormatOption, examples
from bonemets_cli.cli.root import app, emit, load

if TYPE_CHECKING:
    from bonemets_cli.pack_models import ScoreComponent


def _answers(component: str) -> Any:
    """Shell completion for one component: its answers, from the knowledge file."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        from bonemets_cli import knowledge

        try:
            score = knowledge.load(ctx.find_root().params.get("data")).sins
            options = next(c.options for c in score.components if c.id == component)  # type: ignore[union-attr]
        except Exception:  # a completion must never print a traceback into the shell
            return []
        return [(o.key, o.label) for o in options if o.key.startswith(incomplete.casefold())]

    return complete


def _component(component: str, short: str, answers: str) -> Any:
    return typer.Option(
        f"--{component}",
        short,
        metavar="VALUE",
        help=f"One of: {answers}.",
        autocompletion=_answers(component),
        show_default=False,
    )


def interactive() -> bool:
    """Whether a person can be asked for what is missing: stdin is a terminal."""
    return sys.stdin.isatty()


def ask(component: ScoreComponent) -> str:
    """Ask for one component's answer on stderr, listing its answers in the source's
    words; a wrong answer is said so, and asked again."""
    from bonemets_cli.errors import InvalidChoice
    from bonemets_cli.query_pack import score_option

    def answer(typed: str) -> str:
        try:
            return score_option(component, typed).key
        except InvalidChoice as error:
            raise typer.BadParameter(str(error)) from None

    for option in component.options:
        typer.echo(f"  {option.key}: {option.label}", err=True)
    # An enum of the answers only to list them in the question, as "(a, b, c)".
    keys = enum.Enum("Answer", {o.key: o.key for o in component.options})  # type: ignore[misc]
    return str(typer.prompt(component.name, type=keys, value_proc=answer, err=True))


@app.command(
    rich_help_panel=CLINICIANS,
    epilog=examples(
        "sins -l junctional -p mechanical -b mixed -a normal -c none -e none",
        "sins -l rigid -p none -b blastic -a normal -c none -e none -f json",
    ),
)
def sins(
    ctx: typer.Context,
    location: Annotated[
        str | None, _component("location", "-l", "junctional, mobile, semi-rigid, rigid")
    ] = None,
    pain: Annotated[str | None, _component("pain", "-p", "mechanical, occasional, none")] = None,
    lesion: Annotated[str | None, _component("lesion", "-b", "lytic, mixed, blastic")] = None,
    alignment: Annotated[
        str | None, _component("alignment", "-a", "subluxation, deformity, normal")
    ] = None,
    collapse: Annotated[
        str | None,
        _component(
            "collapse",
            "-c",
            "over-50, under-50, involved (no collapse with more than 50% of the body "
            "involved), none",
        ),
    ] = None,
    posterolateral: Annotated[
        str | None, _component("posterolateral", "-e", "bilateral, unilateral, none")
    ] = None,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """Spinal Instability Neoplastic Score (SINS), for clinicians: a decision aid, never a
    treatment choice.

    Give all six components; on a terminal, those left out are asked for.
    """
    from bonemets_cli.query_pack import score_option, sins_score, sins_table
    from bonemets_cli.views.sins import SinsView

    kb, reading = load(ctx, Audience.clinician)
    given = {
        "location": location,
        "pain": pain,
        "lesion": lesion,
        "alignment": alignment,
        "collapse": collapse,
        "posterolateral": posterolateral,
    }
    answers = {component: value for component, value in given.items() if value is not None}
    components = sins_table(kb).components
    for component in components:  # a wrong answer fails before any question is asked
        if component.id in answers:
            score_option(component, answers[component.id])
    missing = [c for c in components if c.id not in answers]
    if missing and not interactive():
        ctx.fail(
            "missing "
            + "; ".join(
                f"--{c.id} (one of: {', '.join(o.key for o in c.options)})" for c in missing
            )
        )
    for component in missing:
        answers[component.id] = ask(component)
    emit(ctx, SinsView(kb, sins_score(kb, answers), reading), output_format)
