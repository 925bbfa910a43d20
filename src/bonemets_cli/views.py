"""What each command shows: a Document for reading and a JSON-ready dict of stored data."""

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any, NamedTuple, Protocol

from bonemets_cli import __version__
from bonemets_cli.choices import Audience
from bonemets_cli.document import (
    Block,
    Document,
    Fact,
    Facts,
    Grid,
    Lines,
    Paragraph,
    Reference,
    format_refs,
)
from bonemets_cli.errors import Problem
from bonemets_cli.models import (
    Cancer,
    KnowledgeBase,
    Listing,
    Source,
    Statement,
    Treatment,
    Update,
    records,
)
from bonemets_cli.query import (
    NO_FILTERS,
    Filters,
    Option,
    citing_entries,
    is_about,
    overdue,
    routes_of,
    side_effects_of,
    updates_for_treatment,
)

DISCLAIMER = (
    "This is general information, not medical advice. "
    "Talk to your care team about your own treatment."
)

JSON_FORMAT_VERSION = 2
"""Bumped only when a key is removed or changes meaning; new keys may be added."""

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


class Reading(NamedTuple):
    """Who is reading, and on what day: decides which statements and which warnings."""

    audience: Audience
    today: dt.date


class Citations:
    """Numbers the sources a page cites, in the order they are first cited."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self.numbers: dict[str, int] = {}

    def __call__(self, *statements: Sourced | None) -> tuple[int, ...]:
        refs = [
            self.numbers.setdefault(source_id, len(self.numbers) + 1)
            for statement in statements
            if statement is not None
            for source_id in statement.sources
        ]
        return tuple(dict.fromkeys(refs))

    def references(self) -> tuple[Reference, ...]:
        return tuple(
            Reference(number, self.knowledge.source_by_id[source_id].citation)
            for source_id, number in self.numbers.items()
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
            for item in overdue(knowledge, reading.today)
        ],
        "disclaimer": DISCLAIMER,
    }


def page(
    knowledge: KnowledgeBase,
    reading: Reading,
    cite: Citations,
    title: str,
    subtitle: str,
    blocks: list[Block],
) -> Document:
    return Document(
        title=title,
        subtitle=subtitle,
        blocks=tuple(blocks),
        references=cite.references(),
        footer=footer(knowledge, reading),
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


def why_listed(knowledge: KnowledgeBase, option: Option, cite: Citations) -> str:
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
    knowledge: KnowledgeBase, updates: list[Update], cite: Citations, reading: Reading, title: str
) -> Facts:
    return Facts(title, tuple(update_fact(knowledge, u, cite, reading) for u in updates))


class ListView(NamedTuple):
    """``bonemets list``: every treatment, a row each."""

    knowledge: KnowledgeBase
    reading: Reading

    def document(self) -> Document:
        kb = self.knowledge
        cite = Citations(kb)
        blocks: list[Block] = [Paragraph(s.text, cite(s)) for s in kb.overview]
        rows = tuple(
            (
                t.name,
                t.kind_label,
                given_summary(kb, routes_of(kb, t)),
                "\n".join((t.summary.text, *qualified(kb, t.summary, cite))),
                format_refs(cite(t.summary)),
            )
            for t in kb.treatments
        )
        blocks.append(
            Grid(
                "Treatments",
                ("Treatment", "Kind", "How it is given", "What it does", "Sources"),
                rows,
            )
        )
        blocks.append(Paragraph(kb.complementary_intro.text, cite(kb.complementary_intro)))
        if kb.updates:
            blocks.append(
                Paragraph(
                    f"{len(kb.updates)} facts from after 2010 update this text: "
                    "run 'bonemets updates', or 'bonemets show NAME' for one treatment."
                )
            )
        return page(kb, self.reading, cite, "Treatments for bone metastases", SHOW_HINT, blocks)

    def data(self) -> dict[str, Any]:
        return {
            "meta": meta(self.knowledge, self.reading),
            "treatments": records(self.knowledge.treatments),
        }


class ShowView(NamedTuple):
    """``bonemets show NAME``: one treatment in full, each statement with its sources."""

    knowledge: KnowledgeBase
    treatment: Treatment
    reading: Reading

    def document(self) -> Document:
        kb, t = self.knowledge, self.treatment
        cite = Citations(kb)
        # What the record is silent on, said of the record's own sources only: later
        # facts (below) may well speak to it.
        these = "The founding text" if t.origin == "founding-text" else "These sources"
        rows = [statement_fact(kb, "Summary", t.summary, cite)]
        if t.given is not None:
            rows.append(statement_fact(kb, "How it is given", t.given, cite))
        else:
            rows.append(Fact("How it is given", f"{these} does not say."))
        rows += [statement_fact(kb, "Helps with", b, cite) for b in t.benefits]
        effects = side_effects_of(kb, t)
        rows += [
            Fact("Side effects", kb.side_effect_by_id[link.id].name, cite(link)) for link in effects
        ]
        rows += [statement_fact(kb, "Side effects", note, cite) for note in t.side_effect_notes]
        if not effects and not t.side_effect_notes:
            rows.append(Fact("Side effects", SIDE_EFFECTS_UNNAMED))
        if t.cancer_note is not None:
            rows.append(statement_fact(kb, "Who it is for", t.cancer_note, cite))
        elif t.not_limited:
            rows.append(Fact("Who it is for", NOT_LIMITED))
        rows += [
            Fact("Listed for", line, cite(*same)) for line, same in listing_lines(kb, t.listed_for)
        ]
        rows += [Fact("Details", d.title, cite(d), d.items) for d in t.details]
        rows += [statement_fact(kb, "Notes", n, cite) for n in t.notes]
        if t.kind == "complementary":
            intro = kb.complementary_intro
            rows.append(Fact("Notes", intro.text, cite(intro)))
        first, last = kb.source_years
        if t.origin == "founding-text":
            heading = f"From the founding text (sources dated {first}-{last})"
        else:
            heading = "From sources after 2010 (not in the founding text)"
        blocks: list[Block] = [Facts(heading, tuple(rows))]
        updates = updates_for_treatment(kb, t)
        if updates:
            counted = _count(len(updates), "vetted fact")
            title = f"Since 2010: what has changed ({counted}, newest first)"
            blocks.append(since_2010_block(kb, updates, cite, self.reading, title))
        subtitle = t.kind_label
        if t.aliases:
            subtitle += "; also called: " + ", ".join(t.aliases)
        return page(kb, self.reading, cite, t.name, subtitle, blocks)

    def data(self) -> dict[str, Any]:
        kb = self.knowledge
        updates = updates_for_treatment(kb, self.treatment)
        cited = dict.fromkeys(
            source
            for statement in [*_statements(self.treatment), *updates]
            for source in statement.sources
        )
        return {
            "meta": meta(kb, self.reading),
            "treatment": self.treatment.record(),
            "updates": [update_record(kb, u, self.reading) for u in updates],
            "sources": [kb.source_by_id[source].record() for source in cited],
        }


class OptionsView(NamedTuple):
    """``bonemets options``: what applies to one cancer (or any), narrowed by filters, and why."""

    knowledge: KnowledgeBase
    cancer: Cancer | None
    options: tuple[Option, ...]
    updates: tuple[Update, ...]
    reading: Reading
    filters: Filters = NO_FILTERS

    def document(self) -> Document:
        kb = self.knowledge
        cite = Citations(kb)
        blocks = opening_blocks(kb, cite)
        if self.filters.active():
            blocks.append(Paragraph(filters_sentence(self.filters)))
        treatments, complementary = [], []
        for option in self.options:
            t = option.treatment
            # A qualification that is already the reason it is listed is not said twice.
            listed_by = {listing.update for listing in option.listings}
            what = "\n".join((t.summary.text, *qualified(kb, t.summary, cite, listed_by)))
            refs = cite(t.summary, *option.listings)
            if option.match == "complementary":
                complementary.append((t.name, what, format_refs(refs)))
            else:
                changed = "; ".join(update_title(u) for u in self.updates if is_about(u, t))
                treatments.append(
                    (
                        t.name,
                        why_listed(kb, option, cite),
                        given_summary(kb, option.routes),
                        what,
                        changed or "-",
                        format_refs(refs),
                    )
                )
        # With no cancer asked for, the page is about every cancer the sources name.
        for_cancer = f" for {self.cancer.name}" if self.cancer is not None else ""
        columns = ("Treatment", "Why it is listed", "How it is given", "What it does")
        if treatments or not complementary:
            blocks.append(
                Grid(
                    f"Options{for_cancer}",
                    (*columns, "Since 2010", "Sources"),
                    tuple(treatments),
                    flexible=3,
                )
            )
        if self.updates:
            title = (
                f"Since 2010: what has changed{for_cancer} "
                f"({_count(len(self.updates), 'vetted fact')}, newest first)"
            )
            blocks.append(since_2010_block(kb, list(self.updates), cite, self.reading, title))
        if complementary:
            blocks.append(
                Grid(
                    "Complementary care",
                    ("Treatment", "What it does", "Sources"),
                    tuple(complementary),
                )
            )
            blocks.append(Paragraph(kb.complementary_intro.text, cite(kb.complementary_intro)))
        blocks.append(
            Facts("What to expect", tuple(Fact("", s.text, cite(s)) for s in kb.prognosis))
        )
        title = "Treatment options" + (f": {self.cancer.name}" if self.cancer else "")
        return page(kb, self.reading, cite, title, SHOW_HINT, blocks)

    def data(self) -> dict[str, Any]:
        kb = self.knowledge
        return {
            "meta": meta(kb, self.reading),
            "cancer": self.cancer.record() if self.cancer is not None else None,
            "filters": filters_record(self.filters),
            "options": options_records(self.options),
            "updates": [update_record(kb, u, self.reading) for u in self.updates],
        }


def options_records(options: tuple[Option, ...]) -> list[dict[str, Any]]:
    """``[{"match": M, "listings": [...], "routes": [...], "treatment": record}]`` for JSON."""
    treatments = records([option.treatment for option in options])
    return [
        {
            "match": option.match,
            "listings": [listing.record() for listing in option.listings],
            "routes": list(option.routes),
            "treatment": treatment,
        }
        for option, treatment in zip(options, treatments, strict=True)
    ]


def filters_record(filters: Filters) -> dict[str, str | None]:
    """The filters of an options query as ids, for JSON."""
    return {name: None if value is None else value.id for name, value in filters._asdict().items()}


def filters_sentence(filters: Filters) -> str:
    """What the filters kept, in words, with what they cannot know."""
    said = []
    if filters.goal is not None:
        said.append(f"helps with: {filters.goal.name}")
    if filters.given is not None:
        said.append(f"given by: {filters.given.name}")
    if filters.bones is not None:
        said.append(f"the sources say what it does for: {filters.bones.name}")
    if filters.avoid is not None:
        said.append(f"its sources do not name: {filters.avoid.name}")
    sentence = "Only treatments whose sources say so are listed: " + "; ".join(said) + "."
    if filters.avoid is not None:
        sentence += (
            " Treatments whose sources name no side effects stay listed: ask your care team "
            "about their side effects."
        )
    if filters.bones is not None:
        sentence += " For treatments that lower the risk of fractures, use --goal fractures."
    return sentence


class UpdatesView(NamedTuple):
    """``bonemets updates``: every fact from after 2010, newest first, optionally narrowed."""

    knowledge: KnowledgeBase
    updates: tuple[Update, ...]
    treatment: Treatment | None
    cancer: Cancer | None
    reading: Reading

    def document(self) -> Document:
        kb = self.knowledge
        cite = Citations(kb)
        narrowed = [x.name for x in (self.treatment, self.cancer) if x is not None]
        subtitle = (
            "Vetted facts on what has changed since the founding text's sources "
            f"({kb.source_years[0]}-{kb.source_years[1]})."
        )
        if narrowed:
            subtitle += " Only those about: " + "; ".join(narrowed) + "."
        if self.reading.audience is Audience.patient:
            subtitle += " Add --audience clinician for doses, trial figures and grades."
        title = f"Since 2010: {_count(len(self.updates), 'vetted fact')}, newest first"
        block = since_2010_block(kb, list(self.updates), cite, self.reading, "")
        return page(kb, self.reading, cite, title, subtitle, [block])

    def data(self) -> dict[str, Any]:
        kb = self.knowledge
        return {
            "meta": meta(kb, self.reading),
            "filters": {
                "treatment": self.treatment.id if self.treatment else None,
                "cancer": self.cancer.id if self.cancer else None,
            },
            "updates": [update_record(kb, u, self.reading) for u in self.updates],
        }


class SourcesView(NamedTuple):
    """``bonemets sources``: every source, with the entries that cite it."""

    knowledge: KnowledgeBase
    reading: Reading

    def document(self) -> Document:
        kb = self.knowledge
        cited_by = citing_entries(kb)
        rows = tuple(
            (source.label, source.citation, ", ".join(cited_by.get(source.id, [])) or "nothing")
            for source in kb.sources
        )
        blocks: list[Block] = [
            Paragraph(kb.founding_text.attribution),
            Grid("Sources", ("Source", "Citation", "Cited by"), rows, flexible=1),
        ]
        subtitle = "Run 'bonemets sources --for ID' for the statements of one entry."
        return page(kb, self.reading, Citations(kb), "Sources", subtitle, blocks)

    def data(self) -> dict[str, Any]:
        kb = self.knowledge
        cited_by = citing_entries(kb)
        return {
            "meta": meta(kb, self.reading),
            "sources": [
                {**source.record(), "cited_by": cited_by.get(source.id, [])}
                for source in kb.sources
            ],
        }


class ProvenanceView(NamedTuple):
    """``bonemets sources --for ID``: each statement of one entry beside its full sources."""

    knowledge: KnowledgeBase
    entry: str
    title: str
    statements: tuple[tuple[str, str, tuple[str, ...]], ...]
    reading: Reading

    def document(self) -> Document:
        kb = self.knowledge
        rows = tuple(
            Fact(label, text, items=tuple(_cite_line(kb.source_by_id[s]) for s in sources))
            for label, text, sources in self.statements
        )
        subtitle = f"Entry {self.entry!r}: every statement, each followed by its sources."
        blocks: list[Block] = [Facts("", rows)]
        return page(kb, self.reading, Citations(kb), self.title, subtitle, blocks)

    def data(self) -> dict[str, Any]:
        return {
            "meta": meta(self.knowledge, self.reading),
            "entry": self.entry,
            "statements": [
                {"field": label, "text": text, "sources": list(sources)}
                for label, text, sources in self.statements
            ],
        }


def _cite_line(source: Source) -> str:
    return f"{source.label}: {source.citation}"


def _statements(treatment: Treatment) -> list[Sourced]:
    """Every record in a treatment that cites sources, in reading order."""
    return [
        treatment.summary,
        *([treatment.given] if treatment.given else []),
        *treatment.benefits,
        *treatment.side_effects,
        *treatment.side_effect_notes,
        *([treatment.cancer_note] if treatment.cancer_note else []),
        *treatment.listed_for,
        *treatment.details,
        *treatment.notes,
    ]


class ValidateView(NamedTuple):
    """``bonemets validate``: every problem in a knowledge file, a line each."""

    file: str
    problems: tuple[Problem, ...]
    counts: tuple[tuple[str, int], ...] = ()

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    def verdict(self) -> str:
        state = "invalid" if self.errors else "valid"
        return f"{state}: {_count(self.errors, 'error')}, {_count(self.warnings, 'warning')}"

    def document(self) -> Document:
        blocks: list[Block] = []
        if self.problems:
            blocks.append(Lines(tuple(problem_line(self.file, p) for p in self.problems)))
        else:
            counted = ", ".join(_count(n, what) for what, n in self.counts)
            blocks.append(Paragraph(f"No problems found ({counted})."))
        return Document(
            title=f"Validation of {self.file}", subtitle=self.verdict(), blocks=tuple(blocks)
        )

    def data(self) -> dict[str, Any]:
        return {
            "tool": "bonemets",
            "version": __version__,
            "json_format": JSON_FORMAT_VERSION,
            "file": self.file,
            "valid": not self.errors,
            "errors": self.errors,
            "warnings": self.warnings,
            "problems": [
                {
                    "severity": p.severity,
                    "path": p.path,
                    "message": p.message,
                    "line": p.line,
                    "column": p.column,
                }
                for p in self.problems
            ],
        }


def problem_line(file: str, problem: Problem) -> str:
    """'file:line:column: error: path: message', the shape editors and CI logs link to."""
    at = f":{problem.line}:{problem.column}" if problem.line is not None else ""
    where = f"{problem.path}: " if problem.path else ""
    return f"{file}{at}: {problem.severity}: {where}{problem.message}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
