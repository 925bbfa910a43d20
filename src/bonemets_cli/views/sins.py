"""The spinal instability score's page: each answer with its points, the total, the band
and whether surgical consultation is recommended, beside the score's sources."""

from typing import TYPE_CHECKING, Any

from bonemets_cli.document import Block, Document, Fact, Facts, Grid
from bonemets_cli.frozen import Frozen
from bonemets_cli.models import KnowledgeBase
from bonemets_cli.views.page import Citations, Reading, meta, page

if TYPE_CHECKING:
    from bonemets_cli.pack_models import InstabilityScore
    from bonemets_cli.query_pack import SinsResult

DECISION_AID = "A decision aid for clinicians, never a treatment choice."


def maximum(score: "InstabilityScore") -> int:
    """The highest total the table allows: the most points of each component, added."""
    return sum(max(option.points for option in c.options) for c in score.components)


def consultation(result: "SinsResult") -> str:
    threshold = result.score.consultation_from
    if result.surgical_consultation:
        return f"Recommended (a total of {threshold} or more)."
    return f"Not recommended by the score (it is recommended from a total of {threshold})."


class SinsView(Frozen):
    """``bonemets sins``: the Spinal Instability Neoplastic Score of one set of answers."""

    knowledge: KnowledgeBase
    result: "SinsResult"
    reading: Reading

    def document(self) -> Document:
        kb, result = self.knowledge, self.result
        score = result.score
        cite = Citations(kb)
        refs = cite(score)
        rows = tuple(
            (choice.component.name, choice.option.label, str(choice.option.points))
            for choice in result.components
        )
        bands = "; ".join(f"{b.low}-{b.high} {b.label}" for b in score.bands)
        facts = (
            Fact("Total", f"{result.total} of {maximum(score)}", refs),
            Fact("Band", result.band, refs, (f"Bands: {bands}",)),
            Fact("Surgical consultation", consultation(result), refs),
            *(Fact("About the score", line, refs) for line in score.detail),
        )
        blocks: list[Block] = [
            Grid("Components", ("Component", "Answer", "Points"), rows, flexible=1),
            Facts("Result", facts),
        ]
        return page(kb, self.reading, cite, score.title, DECISION_AID, blocks)

    def data(self) -> dict[str, Any]:
        kb, result = self.knowledge, self.result
        score = result.score
        return {
            "meta": meta(kb, self.reading),
            "score": score.id,
            "title": score.title,
            "decision_aid": DECISION_AID,
            "total": result.total,
            "maximum": maximum(score),
            "band": result.band,
            "surgical_consultation": result.surgical_consultation,
            "consultation_from": score.consultation_from,
            "components": [
                {
                    "id": choice.component.id,
                    "name": choice.component.name,
                    "value": choice.option.key,
                    "label": choice.option.label,
                    "points": choice.option.points,
                }
                for choice in result.components
            ],
            "bands": [band.record() for band in score.bands],
            "sources": [kb.source_by_id[source].record() for source in score.sources],
        }
