"""The options and arguments commands share, and their shell completion from the data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from bonemets_cli.choices import Audience, OutputFormat, Paper

if TYPE_CHECKING:
    from bonemets_cli.models import KnowledgeBase, Named

PATIENTS = "For patients and carers"
CLINICIANS = "For clinicians"
CURATORS = "For curators and programs"
"""The help panels, by who uses a command: every command names one (rich_help_panel)."""


def examples(*lines: str) -> str:
    """A command's Examples block, shown under its --help (the command's epilog)."""
    return "Examples:\n" + "\n".join(f"  $ bonemets {line}" for line in lines)


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="Output format: table (default), json, markdown, plain or html.",
    ),
]

AudienceOption = Annotated[
    Audience,
    typer.Option(
        "--audience",
        "-a",
        case_sensitive=False,
        help="patient (default): plain statements. clinician: doses, trial figures, grades.",
    ),
]


def completer(*collections: str) -> Any:
    """Shell completion for vocabularies of the knowledge file: their ids, with names."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        from bonemets_cli import knowledge

        try:
            loaded = knowledge.load(ctx.find_root().params.get("data"))
            entries = [names for collection in collections for names in _names(loaded, collection)]
        except Exception:  # a completion must never print a traceback into the shell
            return []
        wanted = incomplete.casefold()
        found = []
        for names, shown in entries:
            # The shell keeps only words that start with what was typed: offer the id,
            # else a one-word name or alias that does ("radiotherapy", "xgeva").
            words = [name for name in names if " " not in name]
            match = next((w for w in words if w.casefold().startswith(wanted)), None)
            if match is not None:
                # the shell compares case: "x" completes to "xgeva", "X" to "Xgeva"
                found.append((match if match.startswith(incomplete) else match.casefold(), shown))
        return found

    return complete


def _names(loaded: KnowledgeBase, collection: str) -> list[tuple[tuple[str, ...], str]]:
    """Each entry's names (id first) and the name to show beside it. Medicines are read
    from their JSON, brand names included, so completing a name builds none of the pack."""
    if collection == "medicines":
        return [
            (
                (
                    m["id"],
                    m["name"],
                    *m.get("aliases", ()),
                    *(b["name"] for b in m.get("brands", ())),
                ),
                m["name"],
            )
            for m in loaded.as_json("medicines")
        ]
    entries: tuple[Named, ...] = getattr(loaded, collection)
    return [(entry.names, entry.name) for entry in entries]


def _lookup(*flags: str, metavar: str, help: str, collection: str) -> Any:
    """An option naming an entry of one vocabulary of the knowledge file, completed from it."""
    return typer.Option(*flags, metavar=metavar, help=help, autocompletion=completer(collection))


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


def name_argument(metavar: str, help: str, *collections: str) -> Any:
    """A name of several words, no quotes needed: ``bonemets show zoledronic acid``.
    The command joins the words with spaces (``joined``)."""
    return typer.Argument(
        metavar=metavar,
        help=f"{help} A name of several words needs no quotes.",
        autocompletion=completer(*collections),
        show_default=False,
    )


def joined(words: list[str] | None) -> str:
    """The words of a name as one name."""
    return " ".join(words or ())


def names_in(knowledge: KnowledgeBase, words: list[str], what: str) -> list[str]:
    """The words of several treatment or medicine names as those names, each name's
    words read as one (names.split_names): `zoledronic acid denosumab`.

    Treatments are read first, so naming only treatments reads none of the medicines.
    A word that starts no name is said so with the closest names, as a ``what`` that
    matches nothing; words that read two ways are said so with both readings.
    """
    from bonemets_cli import names
    from bonemets_cli.errors import AmbiguousNames

    split = names.split_names(knowledge.treatments, words)
    if not split.readings:
        from bonemets_cli import query_pack

        split = names.split_names(query_pack.treatments_and_medicines(knowledge), words)
        if not split.readings:
            query_pack.find_entry(knowledge, split.unknown, what)  # raises NotFound
            raise AssertionError(f"{split.unknown!r} starts no name, yet names one")
    if len(split.readings) > 1:
        raise AmbiguousNames(" ".join(words), split.readings)
    return list(split.readings[0])


def treatment_names(knowledge: KnowledgeBase, words: list[str]) -> list[str]:
    """The treatments `side-effects` names; words that name a side effect instead are
    pointed to `--has`, which lists the treatments that can cause it."""
    from bonemets_cli import query
    from bonemets_cli.errors import NotFound

    try:
        return names_in(knowledge, words, "treatment")
    except NotFound as miss:
        typed = miss.query  # the words that start no treatment's name
        try:
            query.find_side_effect(knowledge, typed)
        except NotFound:
            raise miss from None
        hint = (
            f"{typed!r} is a side effect: 'bonemets side-effects --has {typed}' lists the "
            "treatments that can cause it."
        )
        raise NotFound(miss.what, miss.query, miss.suggestions, miss.known, hint) from None


TreatmentArgument = Annotated[
    list[str],
    name_argument(
        "NAME",
        "A treatment's or medicine's id, name, alias or brand name, e.g. chemo, radiation, "
        "denosumab, zometa.",
        "treatments",
        "medicines",
    ),
]
CancerWords = Annotated[
    list[str] | None,
    name_argument(
        "CANCER",
        "The cancer, as --cancer: 'bonemets options solid tumours'.",
        "cancers",
    ),
]

FullOption = Annotated[
    bool,
    typer.Option(
        "--full",
        help="Show every statement, each later fact in full; by default a short page.",
    ),
]


PaperOption = Annotated[
    Paper | None,
    typer.Option(
        "--paper",
        case_sensitive=False,
        help="Printed page size of the HTML handout: a4 or letter. Default: letter "
        "where the locale is US, CA, MX, PH or PR (LC_ALL, LC_PAPER, LANG), else a4.",
    ),
]
"""The handout's page size; the default comes from the locale (cli.handout)."""

ClinicOption = Annotated[
    str | None,
    typer.Option(
        "--clinic",
        metavar="TEXT",
        help="Your clinic's name and phone number, printed in the warning box.",
    ),
]
