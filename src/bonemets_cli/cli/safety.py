"""The commands of the safety-and-reference pack a patient reads: when to get help now,
plain words, and questions to ask."""

from __future__ import annotations

from typing import Annotated

import typer

from bonemets_cli.choices import Audience, OutputFormat
from bonemets_cli.cli.options import PATIENTS, AudienceOption, FormatOption, completer, examples
from bonemets_cli.cli.root import app, emit, load


@app.command(
    rich_help_panel=PATIENTS,
    epilog=examples("urgent", "urgent --audience clinician", "urgent --format plain"),
)
def urgent(
    ctx: typer.Context,
    output_format: FormatOption = OutputFormat.table,
    audience: AudienceOption = Audience.patient,
) -> None:
    """When to get help now: the warning signs, what to do and how soon.

    Spinal cord compression, high calcium in the blood, and a weakened or broken bone.
    """
    from bonemets_cli.query_pack import warnings
    from bonemets_cli.views.urgent import UrgentView

    kb, reading = load(ctx, audience)
    emit(ctx, UrgentView(kb, warnings(kb), reading), output_format)


@app.command(
    rich_help_panel=PATIENTS,
    epilog=examples("glossary", "glossary SRE", "glossary spinal cord compression"),
)
def glossary(
    ctx: typer.Context,
    term: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="TERM",
            help="One word or phrase, e.g. SRE, hypercalcemia, metastases; by default every word.",
            autocompletion=completer("glossary"),
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """Explain the words patients meet, in plain words, each with its source."""
    from bonemets_cli import query_pack
    from bonemets_cli.views.reference import GlossaryView

    kb, reading = load(ctx)
    if not term:
        emit(ctx, GlossaryView(kb, query_pack.glossary(kb), reading), output_format)
        return
    typed = " ".join(term)
    found = query_pack.find_term(kb, typed)
    emit(ctx, GlossaryView(kb, (found,), reading, typed), output_format)


@app.command(
    rich_help_panel=PATIENTS,
    epilog=examples("questions", "questions --format markdown"),
)
def questions(ctx: typer.Context, output_format: FormatOption = OutputFormat.table) -> None:
    """List questions to ask your care team, with their source."""
    from bonemets_cli import query_pack
    from bonemets_cli.views.reference import QuestionsView

    kb, reading = load(ctx)
    emit(ctx, QuestionsView(kb, query_pack.questions(kb), reading), output_format)
