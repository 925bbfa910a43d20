"""Pages about sources: every source with what cites it, and one entry beside its sources."""

from typing import TYPE_CHECKING, Any

from bonemets_cli.document import Block, Document, Fact, Facts, Grid, Paragraph
from bonemets_cli.frozen import Frozen
from bonemets_cli.models import KnowledgeBase, Source
from bonemets_cli.views.page import Citations, Reading, meta, page

if TYPE_CHECKING:
    from bonemets_cli.query_pages import CitedSource
    from bonemets_cli.query_sources import Provenance


class SourcesView(Frozen):
    """``bonemets sources``: every source, with the entries that cite it."""

    knowledge: KnowledgeBase
    sources: tuple["CitedSource", ...]
    reading: Reading

    def document(self) -> Document:
        kb = self.knowledge
        rows = tuple(
            (s.source.label, s.source.citation, ", ".join(s.cited_by) or "nothing")
            for s in self.sources
        )
        blocks: list[Block] = [
            Paragraph(kb.founding_text.attribution),
            Grid("Sources", ("Source", "Citation", "Cited by"), rows, flexible=1),
        ]
        subtitle = "Run 'bonemets sources --for ID' for the statements of one entry."
        return page(kb, self.reading, Citations(kb), "Sources", subtitle, blocks)

    def data(self) -> dict[str, Any]:
        return {
            "meta": meta(self.knowledge, self.reading),
            "sources": [{**s.source.record(), "cited_by": list(s.cited_by)} for s in self.sources],
        }


class ProvenanceView(Frozen):
    """``bonemets sources --for ID``: each statement of one entry beside its full sources."""

    knowledge: KnowledgeBase
    result: "Provenance"
    reading: Reading

    def document(self) -> Document:
        kb = self.knowledge
        rows = tuple(
            Fact(
                field_label(s.field),
                s.text,
                items=tuple(_cite_line(kb.source_by_id[i]) for i in s.sources),
            )
            for s in self.result.statements
        )
        subtitle = f"Entry {self.result.entry!r}: every statement, each followed by its sources."
        blocks: list[Block] = [Facts("", rows)]
        return page(kb, self.reading, Citations(kb), self.result.title, subtitle, blocks)

    def data(self) -> dict[str, Any]:
        return {
            "meta": meta(self.knowledge, self.reading),
            "entry": self.result.entry,
            "statements": [
                {"field": s.field, "text": s.text, "sources": list(s.sources)}
                for s in self.result.statements
            ],
        }


FIELD_LABELS = {
    "summary": "Summary",
    "given": "How it is given",
    "benefits": "Helps with",
    "bones": "Weak or broken bones",
    "cancer_note": "Who it is for",
    "notes": "Notes",
    "side_effects": "Side effects",
    "side_effect_notes": "Side effects",
    "details": "Details",
    "statement": "For patients",
    "detail": "For clinicians",
}
"""Each field of an entry as the pages name it; JSON keeps the field's path."""


def field_label(path: str) -> str:
    """The words a person reads for a statement's place in its entry: 'benefits[0]' ->
    'Helps with', 'detail[1]' -> 'For clinicians'; a section's statements are 'Statement'."""
    field = path.split("[", 1)[0]
    return FIELD_LABELS.get(field, "Statement")


def _cite_line(source: Source) -> str:
    return f"{source.label}: {source.citation}"
