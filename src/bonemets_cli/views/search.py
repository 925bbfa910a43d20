"""The search page: every entry that matched, best first, where it matched and how to open it."""

from typing import TYPE_CHECKING, Any

from bonemets_cli.document import Block, Document, Fact, Facts
from bonemets_cli.frozen import Frozen
from bonemets_cli.models import KnowledgeBase
from bonemets_cli.views.page import Citations, Reading, meta, page

if TYPE_CHECKING:
    from bonemets_cli.search import Result, SearchPage

HITS_SHOWN = 3
"""How many matching fields of one entry a search page shows; JSON has them all."""

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
    "warning": "bonemets urgent",
    "glossary": "bonemets glossary {}",
    "medicine": "bonemets show {}",
    "score": "bonemets sins",
    "code": "bonemets info",
    "questions": "bonemets questions",
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


def _why(result: "Result") -> str:
    """The words an entry matched other than as the query wrote them, and as what."""
    return "; ".join(
        f"matched {reading.found!r} for {reading.query!r}"
        + ("" if reading.match == "synonym" else f" ({reading.match})")
        for reading in result.readings
    )


class SearchView(Frozen):
    """``bonemets search TEXT``: every entry that matched, best first, and where."""

    knowledge: KnowledgeBase
    result: "SearchPage"
    reading: Reading
    limit: int = 0
    """Show only the best this many entries; 0 shows all."""

    def shown(self) -> "tuple[Result, ...]":
        results = self.result.found.results
        return results[: self.limit] if self.limit else results

    def document(self) -> Document:
        kb, found = self.knowledge, self.result.found
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
            if result.readings:
                rows.insert(0, Fact("why", _why(result), note=""))
            blocks.append(Facts(title, tuple(rows)))
        total = len(found.results)
        subtitle = f"{total} {'entry' if total == 1 else 'entries'} matched, best first."
        if len(self.shown()) < total:
            subtitle += f" Showing the first {len(self.shown())}: --limit 0 shows all."
        if found.corrections:
            read = ", ".join(f"{term!r} as {word!r}" for term, word in found.corrections)
            subtitle += f" Read {read}."
        title = f"Search: {self.result.query}"
        return page(kb, self.reading, Citations(kb), title, subtitle, blocks)

    def data(self) -> dict[str, Any]:
        found = self.result.found
        return {
            "meta": meta(self.knowledge, self.reading),
            "query": self.result.query,
            "terms": list(found.terms),
            "corrections": [{"term": term, "read_as": word} for term, word in found.corrections],
            "total": len(found.results),
            "results": [
                {
                    "kind": result.kind,
                    "id": result.entry,
                    "title": result.title,
                    "score": result.score,
                    "terms_matched": result.terms,
                    "command": _open_with(result.kind, result.entry),
                    "matched_as": [
                        {"query": reading.query, "found": reading.found, "how": reading.match}
                        for reading in result.readings
                    ],
                    "urgent": result.urgent,
                    "hits": [
                        {"field": hit.field, "text": hit.text, "words": list(hit.words)}
                        for hit in result.hits
                    ],
                }
                for result in self.shown()
            ],
        }
