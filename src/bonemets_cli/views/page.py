"""What every page shares: who reads it, numbered citations, the footer and the JSON header."""

import datetime as dt
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from bonemets_cli import __version__
from bonemets_cli.choices import Audience
from bonemets_cli.document import (
    Block,
    Document,
    Fact,
    Facts,
    Grid,
    Paragraph,
    Reference,
    format_refs,
)
from bonemets_cli.frozen import Frozen
from bonemets_cli.models import KnowledgeBase, Listing, Statement, Update

if TYPE_CHECKING:
    from bonemets_cli.query import Option, Overdue
    from bonemets_cli.query_pages import Counts

DISCLAIMER = (
    "This is general information, not medical advice. "
    "Talk to your care team about your own treatment."
)

JSON_FORMAT_VERSION = 3
"""Bumped only when a key is removed or changes meaning; new keys may be added.
3: every page's JSON carries ``names`` and ``citations`` (see self_contained)."""

NAMED_KINDS = (
    "cancers",
    "treatments",
    "medicines",
    "side_effects",
    "routes",
    "goals",
    "bone_states",
)
"""The vocabularies whose ids a page's JSON names in its ``names`` map."""

SHOW_HINT = "Run 'bonemets show NAME' for any treatment in full."

NOT_LIMITED = "The founding text does not limit it to particular cancers."

BASIS = {
    "founding-text": "Founding text",
    "label": "Approved (drug label)",
    "guideline": "Recommended (guideline)",
}
"""How each kind of listing is named where it is shown."""

SIDE_EFFECTS_UNNAMED = "These sources do not name its side effects: ask your care team."


class Sourced(Protocol):
    """Anything that cites sources: a statement, a side-effect link, a detail list."""

    @property
    def sources(self) -> tuple[str, ...]: ...


class Reading(Frozen):
    """Who is reading, on what day, and what is past its review date on that day:
    decides which statements and which warnings a page shows."""

    audience: Audience
    today: dt.date
    overdue: tuple["Overdue", ...] = ()


class Citations:
    """Numbers the sources a page cites, in the order they are first cited."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self.numbers: dict[str, int] = {}
        # One statement's numbers by its sources: a source keeps the number it is first
        # given, so the same sources always have the same numbers, and a long page
        # (100,000 side effects) repeats a few sets of sources.
        self._of_one: dict[tuple[str, ...], tuple[int, ...]] = {}

    def __call__(self, *statements: Sourced | None) -> tuple[int, ...]:
        if len(statements) == 1 and statements[0] is not None:
            sources = statements[0].sources
            refs = self._of_one.get(sources)
            if refs is None:
                refs = self._of_one[sources] = self._numbered(sources)
            return refs
        return self._numbered(
            [source_id for s in statements if s is not None for source_id in s.sources]
        )

    def _numbered(self, sources: Sequence[str]) -> tuple[int, ...]:
        """The sources' numbers, each once, numbering those not cited before."""
        numbers = self.numbers
        refs = [numbers.setdefault(source_id, len(numbers) + 1) for source_id in sources]
        return tuple(dict.fromkeys(refs))

    def references(self) -> tuple[Reference, ...]:
        return tuple(
            Reference(number, source.citation, source.label)
            for source_id, number in self.numbers.items()
            for source in (self.knowledge.source_by_id[source_id],)
        )


def footer(knowledge: KnowledgeBase, reading: Reading) -> tuple[str, ...]:
    """The content's age, any review warning, and the disclaimer, under every page."""
    first, last = knowledge.source_years
    content = knowledge.content
    reviewed = sorted({content.reviewed, *(u.reviewed for u in knowledge.updates)})
    due = min([content.next_review, *(u.next_review for u in knowledge.updates)])
    when = reviewed[0].isoformat()
    if len(reviewed) > 1:
        when += f" to {reviewed[-1].isoformat()}"
    lines = (
        f"Founding text: {knowledge.founding_text.title!r}, from sources dated "
        f"{first}-{last}, shown as written (not re-checked since). Facts added since "
        f"{last} reviewed {when}; next review due {due.isoformat()}.",
        DISCLAIMER,
    )
    if content.next_review < reading.today:
        return (
            f"WARNING: this knowledge base was due for review on "
            f"{content.next_review.isoformat()} and may be out of date.",
            *lines,
        )
    return lines


def meta(knowledge: KnowledgeBase, reading: Reading) -> dict[str, Any]:
    """The header of every JSON document: versions, content dates and the disclaimer."""
    first, last = knowledge.source_years
    return {
        "tool": "bonemets",
        "version": __version__,
        "json_format": JSON_FORMAT_VERSION,
        "schema_version": knowledge.schema_version,
        "content": knowledge.content.record(),
        "founding_text": knowledge.founding_text.record(),
        "founding_sources_years": [first, last],
        "overdue": [
            {"entry": item.entry, "next_review": item.next_review.isoformat()}
            for item in reading.overdue
        ],
        "disclaimer": DISCLAIMER,
        "diagnosis_codes": diagnosis_codes(knowledge),
    }


def diagnosis_codes(knowledge: KnowledgeBase) -> list[dict[str, Any]]:
    """The diagnosis codes for bone metastases, each with its classification and edition
    (WHO ICD-10; the US ICD-10-CM splits C79.5). Read as JSON, so that a page about
    treatments need not build the pack's records to name them."""
    return [
        {
            "classification": code["classification"],
            "edition": code["edition"],
            "code": code["code"],
            "title": code["title"],
            "parent": code.get("parent"),
            "sources": code["sources"],
        }
        for code in knowledge.as_json("codes")
    ]


def code_line(code: dict[str, Any]) -> str:
    """'C79.5 (ICD-10, WHO edition): secondary malignant neoplasm of bone and bone marrow'."""
    split = f", within {code['parent']}" if code["parent"] else ""
    return (
        f"{code['code']} ({code['classification']}, {code['edition']} edition{split}): "
        f"{code['title']}"
    )


def page(
    knowledge: KnowledgeBase,
    reading: Reading,
    cite: Citations,
    title: str,
    subtitle: str,
    blocks: list[Block],
    short: bool = False,
) -> Document:
    """A page; a short one lists its sources by label on a terminal (render_rich)."""
    return Document(
        title=title,
        subtitle=subtitle,
        blocks=tuple(blocks),
        references=cite.references(),
        footer=footer(knowledge, reading),
        short=short,
    )


def opening_blocks(knowledge: KnowledgeBase, cite: Citations) -> list[Block]:
    """How a page about choosing treatment opens: the overview, then what it depends on."""
    blocks: list[Block] = [Paragraph(s.text, cite(s)) for s in knowledge.overview]
    factors = tuple(Fact("", f.text, cite(f)) for f in knowledge.factors)
    blocks.append(Facts("Treatment depends on", factors))
    return blocks


def given_summary(knowledge: KnowledgeBase, routes: Sequence[str]) -> str:
    """Routes by name, for a table cell."""
    return ", ".join(knowledge.route_by_id[route].name for route in routes) or "not stated"


def update_title(update: Update) -> str:
    """A fact's title as every list shows it: a caution says so."""
    return f"Caution: {update.title}" if update.caution else update.title


def update_fact(
    knowledge: KnowledgeBase, update: Update, cite: Citations, reading: Reading
) -> Fact:
    """One fact from after 2010: plain words for patients, the specifics for clinicians."""
    year = knowledge.year_of(update)
    late = update.next_review < reading.today
    if late:
        note = (
            f"past its review date: next review was due {update.next_review.isoformat()}; "
            "check it against current guidance"
        )
    else:
        evidence = f"newest source {year}; " if year else ""
        note = f"{evidence}reviewed {update.reviewed.isoformat()}"
    label = update_title(update)
    if reading.audience is Audience.patient:
        text = update.statement
        if update.caution_reason:
            text += f" Why: {update.caution_reason}"
        return Fact(label, text, cite(update), note=note, warn=late)
    extra = [f"Applies to: {update.applies_to}"]
    if update.grade:
        extra.append(f"Grade: {update.grade}")
    return Fact(
        label,
        update.detail[0],
        cite(update),
        items=(*update.detail[1:], *extra),
        note=note,
        warn=late,
    )


def qualified(
    knowledge: KnowledgeBase,
    statement: Statement,
    cite: Citations,
    said: Collection[str | None] = (),
) -> tuple[str, ...]:
    """The later facts' words that qualify a founding-text statement, to stand beside it
    (but those of the facts in ``said``, already on the page beside it)."""
    since = knowledge.source_years[1]
    lines = []
    for qualification in statement.qualified_by:
        if qualification.update in said:
            continue
        update = knowledge.update_by_id[qualification.update]
        refs = format_refs(cite(update))
        lines.append(f"Qualified since {since} ({update.title}): {qualification.text} [{refs}]")
    return tuple(lines)


def statement_fact(
    knowledge: KnowledgeBase, label: str, statement: Statement, cite: Citations
) -> Fact:
    """A statement under a label, with its sources and whatever later facts qualify it."""
    return Fact(label, statement.text, cite(statement), qualified(knowledge, statement, cite))


def listing_lines(
    knowledge: KnowledgeBase, listings: Sequence[Listing]
) -> list[tuple[str, tuple[Listing, ...]]]:
    """Listings in words: for which cancers, who lists it, and the source's own words;
    one line for the cancers that the same words list it for."""
    said: dict[tuple[str, str, str | None], list[Listing]] = {}
    for listing in listings:
        said.setdefault((listing.basis, listing.text, listing.update), []).append(listing)
    lines = []
    for (basis, text, _), same in said.items():
        cancers = ", ".join(knowledge.cancer_by_id[x.cancer].name for x in same)
        medicine = same[0].medicine
        by = f"{BASIS[basis][:-1]}, {medicine})" if medicine else BASIS[basis]
        lines.append((f"{cancers}. {by}: {text}", tuple(same)))
    return lines


def why_listed(knowledge: KnowledgeBase, option: "Option", cite: Citations) -> str:
    """Why an options page lists a treatment, each reason with its sources."""
    t = option.treatment
    reasons = []
    if option.match in ("not-limited", "complementary"):
        reasons.append(f"{NOT_LIMITED} [{format_refs(cite(t.summary))}]")
    reasons += [
        f"{line} [{format_refs(cite(*same))}]"
        for line, same in listing_lines(knowledge, option.listings)
    ]
    return "\n".join(reasons)


def update_record(knowledge: KnowledgeBase, update: Update, reading: Reading) -> dict[str, Any]:
    """An update as stored, plus two derived keys: its evidence year and whether it is late."""
    return {
        **update.record(),
        "year": knowledge.year_of(update),
        "overdue": update.next_review < reading.today,
    }


def since_2010_block(
    knowledge: KnowledgeBase,
    updates: tuple[Update, ...],
    cite: Citations,
    reading: Reading,
    title: str,
) -> Facts:
    return Facts(title, tuple(update_fact(knowledge, u, cite, reading) for u in updates))


def in_full_on_a_short_page(updates: Sequence[Update], reading: Reading) -> tuple[Update, ...]:
    """The later facts a short page still shows in full, in the page's order: every
    caution, with the fact it qualifies just before it, and every fact past its review
    date, so shortening never hides a warning."""
    by_id = {update.id: update for update in updates}
    wanted = {u.id for u in updates if u.caution or u.next_review < reading.today}
    wanted |= {u.qualifies for u in updates if u.caution and u.qualifies in by_id}
    return tuple(update for update in updates if update.id in wanted)


def side_by_side(names: Sequence[str], topics: Sequence[tuple[str, Sequence[str]]]) -> Grid:
    """A comparison: a column per compared entry, a row per topic; a row whose cells
    are all alike is shown once (``shared``)."""
    return Grid("", ("", *names), tuple((topic, *cells) for topic, cells in topics), shared=True)


def cited(text: str, refs: tuple[int, ...]) -> str:
    """A statement with its reference numbers, for a table cell."""
    return f"{text} [{format_refs(refs)}]" if refs else text


def count(number: int, noun: str) -> str:
    """'1 error', '2 errors', '3,999 errors'."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def treatments_counted(counts: "Counts") -> str:
    """'16 treatments (8 main or other, 8 complementary)': every entry under
    ``treatments``, in the same words wherever a page counts them."""
    total = counts.treatments + counts.complementary
    return (
        f"{count(total, 'treatment')} "
        f"({counts.treatments:,} main or other, {counts.complementary:,} complementary)"
    )


def self_contained(knowledge: KnowledgeBase, data: dict[str, Any]) -> dict[str, Any]:
    """A page's JSON with what a program needs to print it without a second call:
    ``names``, each vocabulary's display name for every id the page mentions
    (``{"side_effects": {"hair-loss": "Hair loss"}}``), and ``citations``, the full
    record of every source the page cites, by id. Ids stay where they are, so
    programs can still join on them.

    Done here, for every page at once, by collecting every string the data holds (keys
    and values): an id of a vocabulary or a source among them is mentioned. Linear in
    the size of the data; both maps follow the knowledge file's order.
    """
    mentioned: set[str] = set()
    pending: list[Any] = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            mentioned.add(item)
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
    names = {
        kind: {id_: name for id_, name in _id_names(knowledge, kind) if id_ in mentioned}
        for kind in NAMED_KINDS
    }
    citations = {
        source.id: source.record() for source in knowledge.sources if source.id in mentioned
    }
    return {**data, "names": names, "citations": citations}


def _id_names(knowledge: KnowledgeBase, kind: str) -> list[tuple[str, str]]:
    """Each entry of a vocabulary as (id, name). Medicines are read from their JSON, so
    a page about treatments builds none of the pack to name them."""
    if kind == "medicines":
        return [(m["id"], m["name"]) for m in knowledge.as_json(kind)]
    return [(entry.id, entry.name) for entry in getattr(knowledge, kind)]
