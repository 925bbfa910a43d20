"""The page about the knowledge base itself: where it came from, how old, how much."""

from typing import TYPE_CHECKING, Any

from bonemets_cli import __version__
from bonemets_cli.document import Document, Fact, Facts
from bonemets_cli.frozen import Frozen
from bonemets_cli.models import KnowledgeBase
from bonemets_cli.views.page import (
    Citations,
    Reading,
    code_line,
    diagnosis_codes,
    meta,
    page,
    treatments_counted,
)

if TYPE_CHECKING:
    from bonemets_cli.query_pages import KnowledgeInfo


class _Cited(Frozen):
    sources: tuple[str, ...]


class InfoView(Frozen):
    """``bonemets info``: where the knowledge came from, how old it is, and how much there is."""

    knowledge: KnowledgeBase
    result: "KnowledgeInfo"
    reading: Reading

    def document(self) -> Document:
        kb, result = self.knowledge, self.result
        first, last = kb.source_years
        _, _, *others = result.counts.as_dict().items()  # the treatments, counted first
        counted = ", ".join(
            (
                treatments_counted(result.counts),
                *(f"{n} {what.replace('_', ' ')}" for what, n in others),
            )
        )
        cite = Citations(kb)
        codes = [
            (code_line(code), cite(_Cited(tuple(code["sources"])))) for code in diagnosis_codes(kb)
        ]
        where = "bundled with bonemets" if result.bundled else "chosen with --data or BONEMETS_DATA"
        rows = (
            Fact("Data file", result.path, note=where, whole=True),
            Fact("Schema version", str(kb.schema_version)),
            Fact("Content", kb.content.title),
            Fact("Reviewed", kb.content.reviewed.isoformat()),
            Fact("Next review due", kb.content.next_review.isoformat()),
            Fact("Founding text", f"{kb.founding_text.title!r}, sources dated {first}-{last}"),
            Fact("Counts", counted),
            *(Fact("Diagnosis code", text, refs) for text, refs in codes),
            Fact("Version", f"bonemets {__version__}"),
        )
        title = "About this knowledge base"
        return page(kb, self.reading, cite, title, "", [Facts("", rows)])

    def data(self) -> dict[str, Any]:
        return {
            "meta": meta(self.knowledge, self.reading),
            "data": {"path": self.result.path, "bundled": self.result.bundled},
            "counts": self.result.counts.as_dict(),
        }
