"""Pages about side effects: treatments by side effect, and what can cause one side effect."""

from typing import TYPE_CHECKING, Any

from bonemets_cli.document import Block, Document, Fact, Facts, Grid, Paragraph, format_refs
from bonemets_cli.frozen import Frozen
from bonemets_cli.models import KnowledgeBase
from bonemets_cli.views.page import (
    SHOW_HINT,
    Citations,
    Reading,
    given_summary,
    meta,
    page,
    since_2010_block,
    update_record,
)

if TYPE_CHECKING:
    from bonemets_cli.query_pages import CausesPage, SideEffectMatrix


class SideEffectsView(Frozen):
    """``bonemets side-effects``: side effects down, treatments across, a mark where linked."""

    knowledge: KnowledgeBase
    result: "SideEffectMatrix"
    mark: str
    """What marks a link: a tick where the output can show one."""
    reading: Reading

    def document(self) -> Document:
        kb, result = self.knowledge, self.result
        cite = Citations(kb)
        named = {t for row in result.rows for t in row.links}
        columns = [t for t in result.treatments if t.id in named]
        quiet = [t for t in result.treatments if t.id not in named]
        blocks: list[Block] = []
        if columns:
            grid_rows = tuple(
                (
                    row.effect.name,
                    *(self.mark if t.id in row.links else "" for t in columns),
                    format_refs(cite(*row.links.values())),
                )
                for row in result.rows
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
            for t in result.treatments
            for note in t.side_effect_notes
        )
        if notes:
            blocks.append(Facts("What the sources say about side effects", notes))
        unnamed = [t.name for t in quiet if not t.side_effect_notes]
        if unnamed:
            blocks.append(
                Paragraph("The sources name no side effects for: " + ", ".join(unnamed) + ".")
            )
        if result.updates:
            blocks.append(since_2010_block(kb, result.updates, cite, self.reading, "Since 2010"))
        subtitle = (
            f"{self.mark} marks a side effect the sources name for a treatment. "
            "Run 'bonemets side-effects --has NAME' for one side effect."
        )
        return page(kb, self.reading, cite, "Side effects by treatment", subtitle, blocks)

    def data(self) -> dict[str, Any]:
        kb, result = self.knowledge, self.result
        return {
            "meta": meta(kb, self.reading),
            "treatments": [t.id for t in result.treatments],
            "side_effects": [
                {
                    "side_effect": row.effect.record(),
                    "treatments": {tid: list(link.sources) for tid, link in row.links.items()},
                }
                for row in result.rows
            ],
            "notes": [
                {"treatment": t.id, **note.record()}
                for t in result.treatments
                for note in t.side_effect_notes
            ],
            "updates": [update_record(kb, u, self.reading) for u in result.updates],
        }


class CausesView(Frozen):
    """``bonemets side-effects --has NAME``: the treatments that can cause one side effect."""

    knowledge: KnowledgeBase
    result: "CausesPage"
    reading: Reading

    def document(self) -> Document:
        kb, result = self.knowledge, self.result
        cite = Citations(kb)
        rows = tuple(
            (
                c.treatment.name,
                c.treatment.kind_label,
                given_summary(kb, c.routes),
                format_refs(cite(c.link)),
            )
            for c in result.causes
        )
        blocks: list[Block] = [
            Grid(
                "Treatments",
                ("Treatment", "Kind", "How it is given", "Sources"),
                rows,
                flexible=2,
            )
        ]
        if result.unnamed:
            blocks.append(
                Paragraph(
                    "Only treatments whose sources name this side effect are listed. The "
                    "sources for " + ", ".join(t.name for t in result.unnamed) + " mention "
                    "side effects without naming them: run 'bonemets show NAME'."
                )
            )
        if result.updates:
            blocks.append(since_2010_block(kb, result.updates, cite, self.reading, "Since 2010"))
        title = f"Treatments that can cause: {result.effect.name}"
        return page(kb, self.reading, cite, title, SHOW_HINT, blocks)

    def data(self) -> dict[str, Any]:
        kb, result = self.knowledge, self.result
        return {
            "meta": meta(kb, self.reading),
            "side_effect": result.effect.record(),
            "treatments": [
                {"treatment": c.treatment.record(), "sources": list(c.link.sources)}
                for c in result.causes
            ],
            "updates": [update_record(kb, u, self.reading) for u in result.updates],
        }
