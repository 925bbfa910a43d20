"""What each command shows: a Document for reading and a JSON-ready dict of stored data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from bonemets_cli import __version__
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
from bonemets_cli.models import Cancer, KnowledgeBase, Treatment
from bonemets_cli.query import Option

DISCLAIMER = (
    "This is general information, not medical advice. "
    "Talk to your care team about your own treatment."
)

JSON_FORMAT_VERSION = 1
"""Bumped only when a key is removed or changes meaning; new keys may be added."""


class Sourced(Protocol):
    """Anything that cites sources: a statement, a side-effect link, a detail list."""

    @property
    def sources(self) -> tuple[str, ...]: ...


@dataclass
class Citations:
    """Numbers the sources a page cites, in the order they are first cited."""

    knowledge: KnowledgeBase
    numbers: dict[str, int] = field(default_factory=dict)

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


def footer(knowledge: KnowledgeBase) -> tuple[str, ...]:
    """The content's age and the disclaimer, shown under every page."""
    first, last = knowledge.source_years
    content = knowledge.content
    return (
        f"Founding text: {knowledge.founding_text.title!r}, from sources dated "
        f"{first}-{last}. Knowledge base reviewed {content.reviewed.isoformat()}; "
        f"next review due {content.next_review.isoformat()}.",
        DISCLAIMER,
    )


def meta(knowledge: KnowledgeBase) -> dict[str, Any]:
    """The header of every JSON document: versions, content dates and the disclaimer."""
    first, last = knowledge.source_years
    return {
        "tool": "bonemets",
        "version": __version__,
        "json_format": JSON_FORMAT_VERSION,
        "schema_version": knowledge.schema_version,
        "content": knowledge.content.model_dump(mode="json"),
        "founding_text": knowledge.founding_text.model_dump(mode="json"),
        "founding_sources_years": [first, last],
        "disclaimer": DISCLAIMER,
    }


def page(
    knowledge: KnowledgeBase, cite: Citations, title: str, subtitle: str, blocks: list[Block]
) -> Document:
    return Document(
        title=title,
        subtitle=subtitle,
        blocks=tuple(blocks),
        references=cite.references(),
        footer=footer(knowledge),
    )


def given_summary(knowledge: KnowledgeBase, treatment: Treatment) -> str:
    """The routes by name, for a table cell."""
    if treatment.given is None or not treatment.given.routes:
        return "not stated"
    return ", ".join(knowledge.route_by_id[route].name for route in treatment.given.routes)


@dataclass(frozen=True)
class ListView:
    """``bonemets list``: every treatment, a row each."""

    knowledge: KnowledgeBase

    def document(self) -> Document:
        kb = self.knowledge
        cite = Citations(kb)
        blocks: list[Block] = [Paragraph(s.text, cite(s)) for s in kb.overview]
        rows = tuple(
            (
                t.name,
                t.kind_label,
                given_summary(kb, t),
                t.summary.text,
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
        subtitle = "Run 'bonemets show NAME' for any treatment in full."
        return page(kb, cite, "Treatments for bone metastases", subtitle, blocks)

    def data(self) -> dict[str, Any]:
        return {
            "meta": meta(self.knowledge),
            "treatments": [t.model_dump(mode="json") for t in self.knowledge.treatments],
        }


@dataclass(frozen=True)
class ShowView:
    """``bonemets show NAME``: one treatment in full, each statement with its sources."""

    knowledge: KnowledgeBase
    treatment: Treatment

    def document(self) -> Document:
        kb, t = self.knowledge, self.treatment
        cite = Citations(kb)
        rows = [Fact("Summary", t.summary.text, cite(t.summary))]
        if t.given is not None:
            rows.append(Fact("How it is given", t.given.text, cite(t.given)))
        else:
            rows.append(Fact("How it is given", "The sources do not say."))
        rows += [Fact("Helps with", b.text, cite(b)) for b in t.benefits]
        rows += [
            Fact("Side effects", kb.side_effect_by_id[link.id].name, cite(link))
            for link in t.side_effects
        ]
        rows += [Fact("Side effects", note.text, cite(note)) for note in t.side_effect_notes]
        if not t.side_effects and not t.side_effect_notes:
            rows.append(Fact("Side effects", "The sources name none for this treatment."))
        if t.cancer_note is not None:
            rows.append(Fact("Who it is for", t.cancer_note.text, cite(t.cancer_note)))
        elif not t.cancers:
            rows.append(Fact("Who it is for", "The sources do not limit it to particular cancers."))
        if t.cancers:
            names = ", ".join(kb.cancer_by_id[c].name for c in t.cancers)
            rows.append(Fact("Cancers", names))
        rows += [Fact("Details", d.title, cite(d), d.items) for d in t.details]
        rows += [Fact("Notes", n.text, cite(n)) for n in t.notes]
        if t.kind == "complementary":
            intro = kb.complementary_intro
            rows.append(Fact("Notes", intro.text, cite(intro)))
        subtitle = t.kind_label
        if t.aliases:
            subtitle += "; also called: " + ", ".join(t.aliases)
        return page(kb, cite, t.name, subtitle, [Facts("", tuple(rows))])

    def data(self) -> dict[str, Any]:
        cited = dict.fromkeys(
            source for statement in _statements(self.treatment) for source in statement.sources
        )
        return {
            "meta": meta(self.knowledge),
            "treatment": self.treatment.model_dump(mode="json"),
            "sources": [
                self.knowledge.source_by_id[source].model_dump(mode="json") for source in cited
            ],
        }


@dataclass(frozen=True)
class OptionsView:
    """``bonemets options --cancer C``: what applies to one cancer, and why."""

    knowledge: KnowledgeBase
    cancer: Cancer
    options: tuple[Option, ...]

    def document(self) -> Document:
        kb = self.knowledge
        cite = Citations(kb)
        blocks: list[Block] = [Paragraph(s.text, cite(s)) for s in kb.overview]
        blocks.append(
            Facts("Treatment depends on", tuple(Fact("", f.text, cite(f)) for f in kb.factors))
        )
        treatments, complementary = [], []
        for option in self.options:
            t = option.treatment
            refs = cite(t.summary, t.cancer_note if option.match == "cancer" else None)
            if option.match == "complementary":
                complementary.append((t.name, t.summary.text, format_refs(refs)))
            else:
                why = "for any cancer" if option.match == "any-cancer" else "for this cancer"
                treatments.append(
                    (t.name, why, given_summary(kb, t), t.summary.text, format_refs(refs))
                )
        blocks.append(
            Grid(
                f"Options for {self.cancer.name}",
                ("Treatment", "Why it is listed", "How it is given", "What it does", "Sources"),
                tuple(treatments),
            )
        )
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
        subtitle = "Run 'bonemets show NAME' for any treatment in full."
        return page(kb, cite, f"Treatment options: {self.cancer.name}", subtitle, blocks)

    def data(self) -> dict[str, Any]:
        return {
            "meta": meta(self.knowledge),
            "cancer": self.cancer.model_dump(mode="json"),
            "options": [
                {"match": option.match, "treatment": option.treatment.model_dump(mode="json")}
                for option in self.options
            ],
        }


def _statements(treatment: Treatment) -> list[Sourced]:
    """Every record in a treatment that cites sources, in reading order."""
    return [
        treatment.summary,
        *([treatment.given] if treatment.given else []),
        *treatment.benefits,
        *treatment.side_effects,
        *treatment.side_effect_notes,
        *([treatment.cancer_note] if treatment.cancer_note else []),
        *treatment.details,
        *treatment.notes,
    ]
