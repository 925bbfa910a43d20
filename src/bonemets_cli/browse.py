"""Views that look across entries: side effects, comparison, search, sections, handout, info."""

from typing import Any, NamedTuple

from bonemets_cli import __version__
from bonemets_cli.document import Block, Document, Fact, Facts, Grid, Paragraph, format_refs
from bonemets_cli.models import (
    Cancer,
    KnowledgeBase,
    SideEffect,
    SideEffectLink,
    Statement,
    Treatment,
    Update,
)
from bonemets_cli.query import (
    Option,
    is_about,
    newest_first,
    routes_of,
    side_effects_of,
    updates_for_treatment,
)
from bonemets_cli.search import Found, Result
from bonemets_cli.views import (
    NOT_LIMITED,
    SHOW_HINT,
    SIDE_EFFECTS_UNNAMED,
    Citations,
    Reading,
    Sourced,
    given_summary,
    listing_lines,
    meta,
    opening_blocks,
    options_records,
    page,
    qualified,
    since_2010_block,
    update_record,
    update_title,
    why_listed,
)

HITS_SHOWN = 3
"""How many matching fields of one entry a search page shows; JSON has them all."""


def _cited(text: str, refs: tuple[int, ...]) -> str:
    """A statement with its reference numbers, for a table cell."""
    return f"{text} [{format_refs(refs)}]" if refs else text


def _effect_names(knowledge: KnowledgeBase, links: list[SideEffectLink]) -> str:
    return ", ".join(knowledge.side_effect_by_id[link.id].name for link in links)


class SideEffectsView(NamedTuple):
    """``bonemets side-effects``: side effects down, treatments across, a mark where linked."""

    knowledge: KnowledgeBase
    treatments: tuple[Treatment, ...]
    rows: tuple[tuple[SideEffect, dict[str, SideEffectLink]], ...]
    mark: str
    reading: Reading

    def document(self) -> Document:
        kb = self.knowledge
        cite = Citations(kb)
        named = {t for _, links in self.rows for t in links}
        columns = [t for t in self.treatments if t.id in named]
        quiet = [t for t in self.treatments if t.id not in named]
        blocks: list[Block] = []
        if columns:
            grid_rows = tuple(
                (
                    effect.name,
                    *(self.mark if t.id in links else "" for t in columns),
                    format_refs(cite(*links.values())),
                )
                for effect, links in self.rows
            )
            blocks.append(
                Grid(
                    "Side effects named by the sources",
                    ("Side effect", *(t.name for t in columns), "Sources"),
                    grid_rows,
                    flexible=0,
                    readable=16,
                )
            )
        notes = tuple(
            Fact(t.name, note.text, cite(note))
            for t in self.treatments
            for note in t.side_effect_notes
        )
        if notes:
            blocks.append(Facts("What the sources say about side effects", notes))
        unnamed = [t.name for t in quiet if not t.side_effect_notes]
        if unnamed:
            blocks.append(
                Paragraph("The sources name no side effects for: " + ", ".join(unnamed) + ".")
            )
        updates = self.updates()
        if updates:
            blocks.append(since_2010_block(kb, updates, cite, self.reading, "Since 2010"))
        subtitle = (
            f"{self.mark} marks a side effect the sources name for a treatment. "
            "Run 'bonemets side-effects --has NAME' for one side effect."
        )
        return page(kb, self.reading, cite, "Side effects by treatment", subtitle, blocks)

    def updates(self) -> list[Update]:
        """The facts from after 2010 about a side effect shown, for a treatment shown."""
        effects = {effect.id for effect, _ in self.rows}
        return newest_first(
            self.knowledge,
            [
                u
                for u in self.knowledge.updates
                if effects & set(u.side_effects) and any(is_about(u, t) for t in self.treatments)
            ],
        )

    def data(self) -> dict[str, Any]:
        kb = self.knowledge
        return {
            "meta": meta(kb, self.reading),
            "treatments": [t.id for t in self.treatments],
            "side_effects": [
                {
                    "side_effect": effect.record(),
                    "treatments": {tid: list(link.sources) for tid, link in links.items()},
                }
                for effect, links in self.rows
            ],
            "notes": [
                {"treatment": t.id, **note.record()}
                for t in self.treatments
                for note in t.side_effect_notes
            ],
            "updates": [update_record(kb, u, self.reading) for u in self.updates()],
        }


class CausesView(NamedTuple):
    """``bonemets side-effects --has NAME``: the treatments that can cause one side effect."""

    knowledge: KnowledgeBase
    effect: SideEffect
    causes: tuple[tuple[Treatment, SideEffectLink], ...]
    updates: tuple[Update, ...]
    reading: Reading

    def document(self) -> Document:
        kb = self.knowledge
        cite = Citations(kb)
        rows = tuple(
            (t.name, t.kind_label, given_summary(kb, routes_of(kb, t)), format_refs(cite(link)))
            for t, link in self.causes
        )
        blocks: list[Block] = [
            Grid(
                "Treatments",
                ("Treatment", "Kind", "How it is given", "Sources"),
                rows,
                flexible=2,
            )
        ]
        unnamed = [
            t.name for t in kb.treatments if t.side_effect_notes and not side_effects_of(kb, t)
        ]
        if unnamed:
            blocks.append(
                Paragraph(
                    "Only treatments whose sources name this side effect are listed. The "
                    "sources for " + ", ".join(unnamed) + " mention side effects without "
                    "naming them: run 'bonemets show NAME'."
                )
            )
        if self.updates:
            blocks.append(
                since_2010_block(kb, list(self.updates), cite, self.reading, "Since 2010")
            )
        title = f"Treatments that can cause: {self.effect.name}"
        return page(kb, self.reading, cite, title, SHOW_HINT, blocks)

    def data(self) -> dict[str, Any]:
        kb = self.knowledge
        return {
            "meta": meta(kb, self.reading),
            "side_effect": self.effect.record(),
            "treatments": [
                {"treatment": t.record(), "sources": list(link.sources)} for t, link in self.causes
            ],
            "updates": [update_record(kb, u, self.reading) for u in self.updates],
        }


class CompareView(NamedTuple):
    """``bonemets compare A B``: treatments side by side, a column each."""

    knowledge: KnowledgeBase
    treatments: tuple[Treatment, ...]
    reading: Reading

    def document(self) -> Document:
        kb = self.knowledge
        cite = Citations(kb)

        def cell(statements: list[Statement], empty: str) -> str:
            lines = [
                line
                for s in statements
                for line in (_cited(s.text, cite(s)), *qualified(kb, s, cite))
            ]
            return "\n".join(lines) or empty

        def for_whom(t: Treatment) -> str:
            lines = [_cited(line, cite(*same)) for line, same in listing_lines(kb, t.listed_for)]
            if t.not_limited:
                lines.insert(0, NOT_LIMITED)
            return "\n".join(lines)

        def effects(t: Treatment) -> str:
            lines = [
                *(
                    _cited(kb.side_effect_by_id[link.id].name, cite(link))
                    for link in side_effects_of(kb, t)
                ),
                *(_cited(note.text, cite(note)) for note in t.side_effect_notes),
            ]
            return "\n".join(lines) or SIDE_EFFECTS_UNNAMED

        topics: list[tuple[str, list[str]]] = [
            ("Kind", [t.kind_label for t in self.treatments]),
            (
                "How it is given",
                [cell([t.given] if t.given else [], "Not stated.") for t in self.treatments],
            ),
            ("Helps with", [cell(list(t.benefits), "Not stated.") for t in self.treatments]),
            ("Side effects", [effects(t) for t in self.treatments]),
            ("Who it is for", [for_whom(t) for t in self.treatments]),
        ]
        if any(t.bones for t in self.treatments):
            topics.append(
                ("Weak or broken bones", [cell(list(t.bones), "-") for t in self.treatments])
            )
        topics.append(
            (
                "Since 2010",
                [
                    "\n".join(update_title(u) for u in updates_for_treatment(kb, t)) or "-"
                    for t in self.treatments
                ],
            )
        )
        grid = Grid(
            "",
            ("", *(t.name for t in self.treatments)),
            tuple((topic, *cells) for topic, cells in topics),
            shared=True,
        )
        title = "Compared: " + ", ".join(t.name for t in self.treatments)
        return page(kb, self.reading, cite, title, SHOW_HINT, [grid])

    def data(self) -> dict[str, Any]:
        kb = self.knowledge
        return {
            "meta": meta(kb, self.reading),
            "treatments": [t.record() for t in self.treatments],
            "updates": [
                update_record(kb, u, self.reading)
                for u in kb.updates
                if any(is_about(u, t) for t in self.treatments)
            ],
        }


class ComplementaryView(NamedTuple):
    """``bonemets complementary``: care used along with treatment, and what each helps with."""

    knowledge: KnowledgeBase
    reading: Reading

    def treatments(self) -> list[Treatment]:
        return [t for t in self.knowledge.treatments if t.kind == "complementary"]

    def document(self) -> Document:
        kb = self.knowledge
        cite = Citations(kb)
        intro = kb.complementary_intro
        rows = tuple(
            (
                t.name,
                "; ".join(b.text for b in t.benefits) or "-",
                format_refs(cite(t.summary, *t.benefits)),
            )
            for t in self.treatments()
        )
        blocks: list[Block] = [
            Paragraph(intro.text, cite(intro)),
            Grid(
                "Complementary treatments", ("Treatment", "Helps with", "Sources"), rows, flexible=1
            ),
        ]
        return page(kb, self.reading, cite, "Complementary treatments", SHOW_HINT, blocks)

    def data(self) -> dict[str, Any]:
        return {
            "meta": meta(self.knowledge, self.reading),
            "intro": self.knowledge.complementary_intro.record(),
            "treatments": [t.record() for t in self.treatments()],
        }


class SectionView(NamedTuple):
    """A section of the founding text as statements: ``factors`` or ``prognosis``."""

    knowledge: KnowledgeBase
    key: str
    """The JSON key and knowledge field: "factors" or "prognosis"."""
    title: str
    subtitle: str
    reading: Reading

    def document(self) -> Document:
        kb = self.knowledge
        cite = Citations(kb)
        statements: tuple[Statement, ...] = getattr(kb, self.key)
        facts = Facts("", tuple(Fact("", s.text, cite(s)) for s in statements))
        return page(kb, self.reading, cite, self.title, self.subtitle, [facts])

    def data(self) -> dict[str, Any]:
        statements: tuple[Statement, ...] = getattr(self.knowledge, self.key)
        return {
            "meta": meta(self.knowledge, self.reading),
            self.key: [s.record() for s in statements],
        }


_OPEN_WITH = {
    "treatment": "bonemets show {}",
    "update": "bonemets sources --for {}",
    "factor": "bonemets factors",
    "cancer": "bonemets options --cancer {}",
    "side effect": "bonemets side-effects --has {}",
    "goal": "bonemets options --goal {}",
    "bone state": "bonemets options --bones {}",
    "route": "bonemets options --given {}",
    "source": "bonemets sources",
}
_OPEN_SECTION = {
    "overview": "bonemets list",
    "complementary_intro": "bonemets complementary",
    "prognosis": "bonemets prognosis",
    "content": "bonemets info",
    "founding_text": "bonemets info",
}


def _open_with(kind: str, entry: str) -> str:
    """The command that shows an entry in full."""
    if kind == "section":
        return _OPEN_SECTION.get(entry, "bonemets list")
    return _OPEN_WITH.get(kind, "bonemets list").format(entry)


def _where(path: str) -> str:
    """A field's path as words: 'benefits[0].text' -> 'benefits'."""
    parts = [part.split("[", 1)[0] for part in path.split(".")]
    parts = [part for part in parts if part and part != "text"] or ["text"]
    return " ".join(parts).replace("_", " ")


class SearchView(NamedTuple):
    """``bonemets search TEXT``: every entry that matched, best first, and where."""

    knowledge: KnowledgeBase
    query: str
    """As typed, with control and bidirectional characters escaped: it is shown back."""
    found: Found
    reading: Reading
    limit: int = 0
    """Show only the best this many entries; 0 shows all."""

    def shown(self) -> tuple[Result, ...]:
        results = self.found.results
        return results[: self.limit] if self.limit else results

    def document(self) -> Document:
        kb = self.knowledge
        blocks: list[Block] = []
        for result in self.shown():
            rows = [
                Fact(_where(hit.field), hit.text, note="matched: " + ", ".join(hit.words))
                for hit in result.hits[:HITS_SHOWN]
            ]
            hidden = len(result.hits) - HITS_SHOWN
            if hidden > 0:
                rows.append(Fact("", f"... and {hidden} more: see --format json"))
            title = f"{result.title} ({result.kind}), see '{_open_with(result.kind, result.entry)}'"
            blocks.append(Facts(title, tuple(rows)))
        count = len(self.found.results)
        subtitle = f"{count} {'entry' if count == 1 else 'entries'} matched, best first."
        if len(self.shown()) < count:
            subtitle += f" Showing the first {len(self.shown())}: --limit 0 shows all."
        if self.found.corrections:
            read = ", ".join(f"{term!r} as {word!r}" for term, word in self.found.corrections)
            subtitle += f" Read {read}."
        return page(kb, self.reading, Citations(kb), f"Search: {self.query}", subtitle, blocks)

    def data(self) -> dict[str, Any]:
        return {
            "meta": meta(self.knowledge, self.reading),
            "query": self.query,
            "terms": list(self.found.terms),
            "corrections": [
                {"term": term, "read_as": word} for term, word in self.found.corrections
            ],
            "total": len(self.found.results),
            "results": [
                {
                    "kind": result.kind,
                    "id": result.entry,
                    "title": result.title,
                    "score": result.score,
                    "terms_matched": result.terms,
                    "hits": [
                        {"field": hit.field, "text": hit.text, "words": list(hit.words)}
                        for hit in result.hits
                    ],
                }
                for result in self.shown()
            ],
        }


class HandoutView(NamedTuple):
    """``bonemets handout --cancer C``: one printable page for a patient and their carers."""

    knowledge: KnowledgeBase
    cancer: Cancer
    options: tuple[Option, ...]
    updates: tuple[Update, ...]
    reading: Reading

    def document(self) -> Document:
        kb = self.knowledge
        cite = Citations(kb)
        blocks = opening_blocks(kb, cite)
        main = [o for o in self.options if o.match != "complementary"]
        effects = {o.treatment.id: side_effects_of(kb, o.treatment) for o in main}
        rows = []
        for option in main:
            t, named = option.treatment, effects[option.treatment.id]
            # what it is, what later facts say of that, and why it is on this page
            what = (
                _cited(t.summary.text, cite(t.summary)),
                *qualified(kb, t.summary, cite, {x.update for x in option.listings}),
                *why_listed(kb, option, cite).split("\n"),
            )
            helps = [
                line
                for b in t.benefits
                for line in (_cited(b.text, cite(b)), *qualified(kb, b, cite))
            ]
            if named:
                effect_cell = _cited(_effect_names(kb, named), cite(*named))
            else:
                effect_cell = (
                    "See the notes below." if t.side_effect_notes else SIDE_EFFECTS_UNNAMED
                )
            rows.append(
                (
                    t.name,
                    "; ".join(what),
                    given_summary(kb, option.routes),
                    "; ".join(helps) or "Not stated.",
                    effect_cell,
                )
            )
        blocks.append(
            Grid(
                f"Treatment options for {self.cancer.name}",
                ("Treatment", "What it is", "How it is given", "Helps with", "Side effects"),
                tuple(rows),
                flexible=1,
            )
        )
        notes = tuple(
            Fact(o.treatment.name, n.text, cite(n))
            for o in main
            for n in o.treatment.side_effect_notes
        )
        if notes:
            blocks.append(Facts("About side effects", notes))
        if self.updates:
            title = f"What has changed since {kb.source_years[1]}"
            blocks.append(since_2010_block(kb, list(self.updates), cite, self.reading, title))
        intro = kb.complementary_intro
        blocks.append(Paragraph(intro.text, cite(intro)))
        blocks.append(
            Grid(
                "Complementary care",
                ("Treatment", "What it does"),
                tuple(
                    (o.treatment.name, _cited(o.treatment.summary.text, cite(o.treatment.summary)))
                    for o in self.options
                    if o.match == "complementary"
                ),
                flexible=1,
            )
        )
        blocks.append(
            Facts("What to expect", tuple(Fact("", s.text, cite(s)) for s in kb.prognosis))
        )
        title = f"Bone metastases: treatment options for {self.cancer.name}"
        subtitle = (
            f"A handout for patients and carers, printed {self.reading.today.isoformat()}. "
            "Take it to your care team: they know your situation."
        )
        return page(kb, self.reading, cite, title, subtitle, blocks)

    def data(self) -> dict[str, Any]:
        kb = self.knowledge
        return {
            "meta": meta(kb, self.reading),
            "cancer": self.cancer.record(),
            "options": options_records(self.options),
            "updates": [update_record(kb, u, self.reading) for u in self.updates],
            "complementary_intro": kb.complementary_intro.record(),
            "prognosis": [s.record() for s in kb.prognosis],
            "sources": [s.record() for s in kb.sources if s.id in self._cited()],
        }

    def _cited(self) -> set[str]:
        """The ids of the sources the printed page cites."""
        kb = self.knowledge
        records: list[Sourced] = [*kb.overview, *kb.factors, kb.complementary_intro, *kb.prognosis]
        for option in self.options:
            t = option.treatment
            records += [t.summary, *t.benefits, *side_effects_of(kb, t), *t.side_effect_notes]
        records += self.updates
        return {source for record in records for source in record.sources}


class InfoView(NamedTuple):
    """``bonemets info``: where the knowledge came from, how old it is, and how much there is."""

    knowledge: KnowledgeBase
    path: str
    bundled: bool
    reading: Reading

    def counts(self) -> dict[str, int]:
        kb = self.knowledge
        complementary = sum(t.kind == "complementary" for t in kb.treatments)
        return {
            "treatments": len(kb.treatments) - complementary,
            "complementary": complementary,
            "cancers": len(kb.cancers),
            "side_effects": len(kb.side_effects),
            "factors": len(kb.factors),
            "updates": len(kb.updates),
            "sources": len(kb.sources),
        }

    def document(self) -> Document:
        kb = self.knowledge
        first, last = kb.source_years
        counted = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in self.counts().items())
        rows = (
            Fact(
                "Data file",
                self.path,
                note="bundled with bonemets"
                if self.bundled
                else "chosen with --data or BONEMETS_DATA",
            ),
            Fact("Schema version", str(kb.schema_version)),
            Fact("Content", kb.content.title),
            Fact("Reviewed", kb.content.reviewed.isoformat()),
            Fact("Next review due", kb.content.next_review.isoformat()),
            Fact("Founding text", f"{kb.founding_text.title!r}, sources dated {first}-{last}"),
            Fact("Counts", counted),
            Fact("Version", f"bonemets {__version__}"),
        )
        return page(
            kb, self.reading, Citations(kb), "About this knowledge base", "", [Facts("", rows)]
        )

    def data(self) -> dict[str, Any]:
        return {
            "meta": meta(self.knowledge, self.reading),
            "data": {"path": self.path, "bundled": self.bundled},
            "counts": self.counts(),
        }
