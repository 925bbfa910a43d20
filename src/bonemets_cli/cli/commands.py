"""Every command: parse its arguments, ask its query, hand the result to its view, render.

Each imports its query and view modules when it runs, so a command pays only for its own.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from bonemets_cli.choices import Audience, OutputFormat, ValidateFormat
from bonemets_cli.cli import root
from bonemets_cli.cli.options import (
    CLINICIANS,
    CURATORS,
    PATIENTS,
    AudienceOption,
    AvoidOption,
    BonesOption,
    CancerOption,
    CancerWords,
    ClinicOption,
    FormatOption,
    FullOption,
    GivenOption,
    GoalOption,
    PaperOption,
    TreatmentArgument,
    completer,
    examples,
    joined,
    names_in,
    treatment_names,
)
from bonemets_cli.cli.root import app, emit, load, settings, write
from bonemets_cli.errors import ExitCode
from bonemets_cli.terminal import can_encode


@app.command(
    "list",
    rich_help_panel=PATIENTS,
    epilog=examples("list", "list --format json"),
)
def list_command(ctx: typer.Context, output_format: FormatOption = OutputFormat.table) -> None:
    """List every treatment: its kind, how it is given and what it does."""
    from bonemets_cli.query_pages import treatment_list
    from bonemets_cli.views.treatments import ListView

    kb, reading = load(ctx)
    emit(ctx, ListView(kb, treatment_list(kb), reading), output_format)


@app.command(
    rich_help_panel=PATIENTS,
    epilog=examples(
        "show chemo", "show zoledronic acid --full", "show radiopharm --audience clinician"
    ),
)
def show(
    ctx: typer.Context,
    name: TreatmentArgument,
    full: FullOption = False,
    output_format: FormatOption = OutputFormat.table,
    audience: AudienceOption = Audience.patient,
) -> None:
    """Show one treatment or medicine: every statement with its source, and what has
    changed since 2010.

    A later fact shows by its title (a caution or review warning in full); --full shows
    each in full.
    """
    from bonemets_cli.query_pages import TreatmentPage, show_page
    from bonemets_cli.views.urgent import PatientPage

    kb, reading = load(ctx, audience)
    result = show_page(kb, joined(name))
    if isinstance(result, TreatmentPage):
        from bonemets_cli.views.treatments import ShowView

        emit(ctx, PatientPage(ShowView(kb, result, reading, full)), output_format)
    else:
        from bonemets_cli.views.medicines import MedicineView

        emit(ctx, PatientPage(MedicineView(kb, result, reading, full)), output_format)


@app.command(
    rich_help_panel=PATIENTS,
    epilog=examples(
        "options --cancer breast",
        "options prostate --goal pain",
        "options breast --full",
        "options --goal pain --avoid nausea",
    ),
)
def options(
    ctx: typer.Context,
    words: CancerWords = None,
    cancer: CancerOption = None,
    goal: GoalOption = None,
    given: GivenOption = None,
    bones: BonesOption = None,
    avoid: AvoidOption = None,
    full: FullOption = False,
    output_format: FormatOption = OutputFormat.table,
    audience: AudienceOption = Audience.patient,
) -> None:
    """Show the treatments for one cancer, narrowed by what matters to you, and why each is listed.

    Give the cancer (with or without --cancer), one or more filters, or both; filters
    combine. A short page by default; --full shows every statement and later fact.
    """
    from bonemets_cli.query_pages import find_filters, options_page
    from bonemets_cli.views.options import OptionsView
    from bonemets_cli.views.urgent import PatientPage

    if words:  # `options solid tumours`; `--cancer solid tumours` is one value already
        if cancer is not None:
            ctx.fail("give the cancer once: with --cancer or without it")
        cancer = joined(words)
    kb, reading = load(ctx, audience)
    filters = find_filters(kb, goal, given, bones, avoid)
    if cancer is None and not filters.active():
        # A bare `options` deserves the list of what it can be.
        known = ", ".join(c.id for c in kb.cancers)
        ctx.fail(
            f"say which cancer with --cancer, one of: {known}; or filter with --goal, "
            "--given, --bones or --avoid"
        )
    page = OptionsView(kb, options_page(kb, cancer, filters), reading, full)
    emit(ctx, PatientPage(page), output_format)


@app.command(
    rich_help_panel=CLINICIANS,
    epilog=examples(
        "updates", "updates --treatment radiation", "updates --cancer prostate --audience clinician"
    ),
)
def updates(
    ctx: typer.Context,
    treatment: Annotated[
        str | None,
        typer.Option(
            "--treatment",
            "-t",
            metavar="TREATMENT",
            help="Only facts about this treatment, e.g. radiation, zoledronic acid.",
            autocompletion=completer("treatments"),
        ),
    ] = None,
    cancer: Annotated[
        str | None,
        typer.Option(
            "--cancer",
            "-c",
            metavar="CANCER",
            help="Only facts that name this cancer, e.g. prostate.",
            autocompletion=completer("cancers"),
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.table,
    audience: AudienceOption = Audience.patient,
) -> None:
    """List what has changed since 2010: vetted facts with their sources, newest first."""
    from bonemets_cli.query_pages import updates_page
    from bonemets_cli.views.updates import UpdatesView

    kb, reading = load(ctx, audience)
    emit(ctx, UpdatesView(kb, updates_page(kb, treatment, cancer), reading), output_format)


@app.command(
    rich_help_panel=CLINICIANS,
    epilog=examples(
        "sources", "sources --for bisphosphonates", "sources --for bma-onj --format json"
    ),
)
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
    from bonemets_cli.query_pages import provenance_page, sources_page
    from bonemets_cli.views.sources import ProvenanceView, SourcesView

    kb, reading = load(ctx)
    if entry is None:
        emit(ctx, SourcesView(kb, sources_page(kb), reading), output_format)
    else:
        emit(ctx, ProvenanceView(kb, provenance_page(kb, entry), reading), output_format)


@app.command(
    rich_help_panel=CURATORS,
    epilog=examples("validate", "validate --format json"),
)
def validate(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            metavar="PATH",
            help="The file to check; by default --data, BONEMETS_DATA or the bundled one.",
        ),
    ] = None,
    output_format: Annotated[
        ValidateFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="Output format: table (default), json, markdown, plain, html, or github "
            "(GitHub Actions annotations).",
        ),
    ] = ValidateFormat.table,
) -> None:
    """Check a knowledge file and report every problem at once; exit 0 if valid, 3 if not."""
    from bonemets_cli.query_pages import validation
    from bonemets_cli.views.validate import ValidateView, github_annotations

    result = validation(path or settings(ctx).data, root.today())
    if output_format is ValidateFormat.github:
        write(github_annotations(result))
    else:
        emit(ctx, ValidateView(result), OutputFormat(output_format.value))
    if result.errors:
        raise typer.Exit(ExitCode.DATA)


@app.command(
    rich_help_panel=CURATORS,
    epilog=examples("schema > knowledge.schema.json", "schema --for show"),
)
def schema(
    command: Annotated[
        str | None,
        typer.Option(
            "--for",
            metavar="COMMAND",
            help="Print the schema of this command's --format json output instead, e.g. show.",
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of a knowledge file, or of a command's JSON output."""
    if command is None:
        from bonemets_cli.knowledge import json_schema

        write(json_schema())
        return
    from bonemets_cli.views.contract import OUTPUT_TYPES, output_schema

    if command not in OUTPUT_TYPES:
        from bonemets_cli.errors import InvalidChoice
        from bonemets_cli.terminal import escape_controls

        raise InvalidChoice(
            f"no JSON output schema for {escape_controls(repr(command))}; "
            f"one of: {', '.join(OUTPUT_TYPES)}."
        )
    write(output_schema(command))


@app.command(
    "side-effects",
    rich_help_panel=PATIENTS,
    epilog=examples("side-effects", "side-effects chemo radiation", "side-effects --has nausea"),
)
def side_effects(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="NAME",
            help="Only these treatments (id, name or alias), e.g. chemo radiation therapy; "
            "by default every treatment. Names of several words need no quotes.",
            autocompletion=completer("treatments"),
        ),
    ] = None,
    has: Annotated[
        str | None,
        typer.Option(
            "--has",
            metavar="SIDE_EFFECT",
            help="List the treatments that can cause this side effect instead.",
            autocompletion=completer("side_effects"),
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.table,
    audience: AudienceOption = Audience.patient,
) -> None:
    """Show which treatments can cause which side effects, as a matrix."""
    from bonemets_cli.query_pages import causes_page, side_effect_matrix
    from bonemets_cli.views.side_effects import CausesView, SideEffectsView
    from bonemets_cli.views.urgent import PatientPage

    kb, reading = load(ctx, audience)
    if has is not None:
        if names:
            ctx.fail("give treatment names or --has, not both")
        emit(ctx, PatientPage(CausesView(kb, causes_page(kb, has), reading)), output_format)
        return
    mark = "\u2713" if can_encode(sys.stdout) else "x"
    treatments = treatment_names(kb, names) if names else ()
    view = SideEffectsView(kb, side_effect_matrix(kb, treatments), mark, reading)
    emit(ctx, PatientPage(view), output_format)


@app.command(
    rich_help_panel=PATIENTS,
    epilog=examples(
        "compare chemo radiation",
        "compare bisphosphonates denosumab surgery",
        "compare zoledronic acid denosumab --audience clinician",
    ),
)
def compare(
    ctx: typer.Context,
    names: Annotated[
        list[str],
        typer.Argument(
            metavar="NAME",
            help="Two or more treatments, or two or more medicines (id, name, alias or brand), "
            "e.g. chemo radiation, or zoledronic acid denosumab. Names of several words need "
            "no quotes; quote them where the words could be read two ways.",
            autocompletion=completer("treatments", "medicines"),
        ),
    ],
    output_format: FormatOption = OutputFormat.table,
    audience: AudienceOption = Audience.patient,
) -> None:
    """Put treatments or medicines side by side: how each is given, side effects, who for.

    For medicines: dose, label and the facts about all of them (trial figures for clinicians).
    """
    from bonemets_cli.query_pages import Comparison, compare_page
    from bonemets_cli.views.urgent import PatientPage

    kb, reading = load(ctx, audience)
    result = compare_page(kb, names_in(kb, names, "treatment or medicine"))
    if isinstance(result, Comparison):
        from bonemets_cli.views.treatments import CompareView

        if len(result.treatments) < 2:
            ctx.fail("name at least two different treatments to compare")
        emit(ctx, PatientPage(CompareView(kb, result, reading)), output_format)
    else:
        from bonemets_cli.views.medicines import MedicineCompareView

        if len(result.medicines) < 2:
            ctx.fail("name at least two different medicines to compare")
        emit(ctx, PatientPage(MedicineCompareView(kb, result, reading)), output_format)


@app.command(
    rich_help_panel=PATIENTS,
    epilog=examples("complementary", "complementary --format markdown"),
)
def complementary(ctx: typer.Context, output_format: FormatOption = OutputFormat.table) -> None:
    """List the complementary treatments used along with regular treatment."""
    from bonemets_cli import query_pages
    from bonemets_cli.views.treatments import ComplementaryView

    kb, reading = load(ctx)
    emit(ctx, ComplementaryView(kb, query_pages.complementary(kb), reading), output_format)


@app.command(
    rich_help_panel=PATIENTS,
    epilog=examples("factors"),
)
def factors(ctx: typer.Context, output_format: FormatOption = OutputFormat.table) -> None:
    """List what the choice of treatment depends on."""
    from bonemets_cli.query_pages import section
    from bonemets_cli.views.treatments import SectionView

    kb, reading = load(ctx)
    subtitle = "Your care team weighs these. See 'bonemets options --help' to filter by them."
    view = SectionView(kb, section(kb, "factors"), "Treatment depends on", subtitle, reading)
    emit(ctx, view, output_format)


@app.command(
    rich_help_panel=PATIENTS,
    epilog=examples("prognosis"),
)
def prognosis(ctx: typer.Context, output_format: FormatOption = OutputFormat.table) -> None:
    """What to expect: the outlook the sources describe."""
    from bonemets_cli.query_pages import section
    from bonemets_cli.views.treatments import SectionView

    kb, reading = load(ctx)
    subtitle = "Everyone is different: your care team knows your situation."
    view = SectionView(kb, section(kb, "prognosis"), "What to expect", subtitle, reading)
    emit(ctx, view, output_format)


@app.command(
    rich_help_panel=PATIENTS,
    epilog=examples("search nausea", "search jaw bone --limit 5"),
)
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
    from bonemets_cli.search import search_page, terms_of
    from bonemets_cli.views.search import SearchView

    kb, reading = load(ctx)
    query = " ".join(text)
    if not terms_of(query):
        ctx.fail("give at least one word to search for")
    emit(ctx, SearchView(kb, search_page(kb, query), reading, limit), output_format)


@app.command(
    rich_help_panel=CLINICIANS,
    epilog=examples(
        "handout --cancer breast > handout.md",
        "handout --cancer prostate --format html > handout.html",
    ),
)
def handout(
    ctx: typer.Context,
    cancer: CancerOption = None,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="Output format: markdown (default), html, table, json or plain; with -o, "
            "the file's suffix (.html, .md, .txt, .json) chooses when this is not given.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the handout to FILE."),
    ] = None,
    paper: PaperOption = None,
    clinic: ClinicOption = None,
) -> None:
    """Write a printable handout for a patient: warning signs, options for one cancer, questions.

    It opens with the signs that need help now, and fits on one or two printed pages.
    Save it with e.g. 'bonemets handout --cancer breast -o handout.html', then print it
    from a browser.
    """
    from bonemets_cli.cli.handout import chosen_format, deliver
    from bonemets_cli.query_handout import handout as handout_for
    from bonemets_cli.views.handout import HandoutView

    chosen = chosen_format(ctx, output_format, output)
    kb, reading = load(ctx)
    if cancer is None:
        known = ", ".join(c.id for c in kb.cancers)
        ctx.fail(f"say which cancer with --cancer, one of: {known}")
    view = HandoutView(kb, handout_for(kb, cancer), reading, clinic)
    deliver(ctx, view, chosen, paper, output)


@app.command(
    rich_help_panel=CURATORS,
    epilog=examples("info", "info --format json"),
)
def info(ctx: typer.Context, output_format: FormatOption = OutputFormat.table) -> None:
    """Show where the knowledge was loaded from, its schema version, date and counts."""
    from bonemets_cli.query_pages import knowledge_info
    from bonemets_cli.views.info import InfoView

    kb, reading = load(ctx)
    view = InfoView(kb, knowledge_info(kb, settings(ctx).data), reading)
    emit(ctx, view, output_format)
