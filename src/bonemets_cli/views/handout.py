"""The handout: one printable page for a patient and their carers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from bonemets_cli.document import Document, Fact, Facts, Grid, Paragraph
from bonemets_cli.models import KnowledgeBase
from bonemets_cli.views.options import options_records
from bonemets_cli.views.page import (
    Citations,
    Reading,
    cited,
    given_summary,
    meta,
    opening_blocks,
    page,
    since_2010_block,
    update_record,
)

if TYPE_CHECKING:
    from bonemets_cli.query_pages import Handout


class HandoutView(NamedTuple):
    """``bonemets handout --cancer C``: one printable page for a patient and their carers."""

    knowledge: KnowledgeBase
    result: Handout
    reading: Reading

    def document(self) -> Document:
        kb, result = self.knowledge, self.result
        cite = Citations(kb)
        blocks = opening_blocks(kb, cite)
        main = [o.treatment for o in result.options if o.match != "complementary"]

        def side_effects(treatment_id: str, has_notes: bool) -> str:
            links = result.side_effects[treatment_id]
            if not links:
                return "See the notes below." if has_notes else "None named."
            names = ", ".join(kb.side_effect_by_id[link.id].name for link in links)
            return cited(names, cite(*links))

        rows = tuple(
            (
                t.name,
                cited(t.summary.text, cite(t.summary)),
                given_summary(kb, t),
                "; ".join(cited(b.text, cite(b)) for b in t.benefits) or "Not stated.",
                side_effects(t.id, bool(t.side_effect_notes)),
            )
            for t in main
        )
        blocks.append(
            Grid(
                f"Treatment options for {result.cancer.name}",
                ("Treatment", "What it is", "How it is given", "Helps with", "Side effects"),
                rows,
                flexible=1,
            )
        )
        notes = tuple(Fact(t.name, n.text, cite(n)) for t in main for n in t.side_effect_notes)
        if notes:
            blocks.append(Facts("About side effects", notes))
        if result.updates:
            title = f"What has changed since {kb.source_years[1]}"
            blocks.append(since_2010_block(kb, result.updates, cite, self.reading, title))
        intro = kb.complementary_intro
        blocks.append(Paragraph(intro.text, cite(intro)))
        blocks.append(
            Grid(
                "Complementary care",
                ("Treatment", "What it does"),
                tuple(
                    (o.treatment.name, cited(o.treatment.summary.text, cite(o.treatment.summary)))
                    for o in result.options
                    if o.match == "complementary"
                ),
                flexible=1,
            )
        )
        blocks.append(
            Facts("What to expect", tuple(Fact("", s.text, cite(s)) for s in kb.prognosis))
        )
        title = f"Bone metastases: treatment options for {result.cancer.name}"
        subtitle = (
            f"A handout for patients and carers, printed {self.reading.today.isoformat()}. "
            "Take it to your care team: they know your situation."
        )
        return page(kb, self.reading, cite, title, subtitle, blocks)

    def data(self) -> dict[str, Any]:
        kb, result = self.knowledge, self.result
        return {
            "meta": meta(kb, self.reading),
            "cancer": result.cancer.record(),
            "options": options_records(result.options),
            "updates": [update_record(kb, u, self.reading) for u in result.updates],
            "complementary_intro": kb.complementary_intro.record(),
            "prognosis": [s.record() for s in kb.prognosis],
            "sources": [s.record() for s in result.sources],
        }
