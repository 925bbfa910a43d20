"""The handout: one printable page for a patient and their carers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from bonemets_cli.document import Document, Fact, Facts, Grid, Paragraph
from bonemets_cli.models import KnowledgeBase
from bonemets_cli.views.options import options_records
from bonemets_cli.views.page import (
    SIDE_EFFECTS_UNNAMED,
    Citations,
    Reading,
    cited,
    given_summary,
    meta,
    opening_blocks,
    page,
    qualified,
    since_2010_block,
    update_record,
    why_listed,
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
        main = [o for o in result.options if o.match != "complementary"]
        rows = []
        for option in main:
            t, named = option.treatment, result.side_effects[option.treatment.id]
            # what it is, what later facts say of that, and why it is on this page
            what = (
                cited(t.summary.text, cite(t.summary)),
                *qualified(kb, t.summary, cite, {x.update for x in option.listings}),
                *why_listed(kb, option, cite).split("\n"),
            )
            helps = [
                line
                for b in t.benefits
                for line in (cited(b.text, cite(b)), *qualified(kb, b, cite))
            ]
            if named:
                names = ", ".join(kb.side_effect_by_id[link.id].name for link in named)
                effect_cell = cited(names, cite(*named))
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
                f"Treatment options for {result.cancer.name}",
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
