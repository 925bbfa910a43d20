"""The page of facts from after 2010: newest first, optionally narrowed."""

from typing import TYPE_CHECKING, Any

from bonemets_cli.choices import Audience
from bonemets_cli.document import Document
from bonemets_cli.frozen import Frozen
from bonemets_cli.models import KnowledgeBase
from bonemets_cli.views.page import (
    Citations,
    Reading,
    count,
    meta,
    page,
    since_2010_block,
    update_record,
)

if TYPE_CHECKING:
    from bonemets_cli.query_pages import UpdatesPage


class UpdatesView(Frozen):
    """``bonemets updates``: every fact from after 2010, newest first, optionally narrowed."""

    knowledge: KnowledgeBase
    result: "UpdatesPage"
    reading: Reading

    def document(self) -> Document:
        kb, result = self.knowledge, self.result
        cite = Citations(kb)
        narrowed = [x.name for x in (result.treatment, result.cancer) if x is not None]
        subtitle = (
            "Vetted facts on what has changed since the founding text's sources "
            f"({kb.source_years[0]}-{kb.source_years[1]})."
        )
        if narrowed:
            subtitle += " Only those about: " + "; ".join(narrowed) + "."
        if self.reading.audience is Audience.patient:
            subtitle += " Add --audience clinician for doses, trial figures and grades."
        title = f"Since 2010: {count(len(result.updates), 'vetted fact')}, newest first"
        block = since_2010_block(kb, result.updates, cite, self.reading, "")
        return page(kb, self.reading, cite, title, subtitle, [block])

    def data(self) -> dict[str, Any]:
        kb, result = self.knowledge, self.result
        return {
            "meta": meta(kb, self.reading),
            "filters": {
                "treatment": result.treatment.id if result.treatment else None,
                "cancer": result.cancer.id if result.cancer else None,
            },
            "updates": [update_record(kb, u, self.reading) for u in result.updates],
        }
