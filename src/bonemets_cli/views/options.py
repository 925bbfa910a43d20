"""Pages about choosing treatment: the options for a cancer, narrowed by filters, and why."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from bonemets_cli.document import Document, Fact, Facts, Grid, Paragraph, format_refs
from bonemets_cli.models import KnowledgeBase
from bonemets_cli.views.page import (
    SHOW_HINT,
    Citations,
    Reading,
    count,
    given_summary,
    meta,
    opening_blocks,
    page,
    qualified,
    since_2010_block,
    update_record,
    update_title,
    why_listed,
)

if TYPE_CHECKING:
    from bonemets_cli.query import Filters, Option
    from bonemets_cli.query_pages import OptionsPage


class OptionsView(NamedTuple):
    """``bonemets options``: what applies to one cancer (or any), narrowed by filters, and why."""

    knowledge: KnowledgeBase
    result: OptionsPage
    reading: Reading

    def document(self) -> Document:
        kb, result = self.knowledge, self.result
        cite = Citations(kb)
        blocks = opening_blocks(kb, cite)
        if result.filters.active():
            blocks.append(Paragraph(filters_sentence(result.filters)))
        treatments, complementary = [], []
        for option in result.options:
            t = option.treatment
            # A qualification that is already the reason it is listed is not said twice.
            listed_by = {listing.update for listing in option.listings}
            what = "\n".join((t.summary.text, *qualified(kb, t.summary, cite, listed_by)))
            refs = cite(t.summary, *option.listings)
            if option.match == "complementary":
                complementary.append((t.name, what, format_refs(refs)))
            else:
                changed = "; ".join(update_title(u) for u in result.changes[t.id])
                treatments.append(
                    (
                        t.name,
                        why_listed(kb, option, cite),
                        given_summary(kb, option.routes),
                        what,
                        changed or "-",
                        format_refs(refs),
                    )
                )
        # With no cancer asked for, the page is about every cancer the sources name.
        for_cancer = f" for {result.cancer.name}" if result.cancer is not None else ""
        columns = ("Treatment", "Why it is listed", "How it is given", "What it does")
        if treatments or not complementary:
            blocks.append(
                Grid(
                    f"Options{for_cancer}",
                    (*columns, "Since 2010", "Sources"),
                    tuple(treatments),
                    flexible=3,
                )
            )
        if result.updates:
            title = (
                f"Since 2010: what has changed{for_cancer} "
                f"({count(len(result.updates), 'vetted fact')}, newest first)"
            )
            blocks.append(since_2010_block(kb, result.updates, cite, self.reading, title))
        if complementary:
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
        title = "Treatment options" + (f": {result.cancer.name}" if result.cancer else "")
        return page(kb, self.reading, cite, title, SHOW_HINT, blocks)

    def data(self) -> dict[str, Any]:
        kb, result = self.knowledge, self.result
        return {
            "meta": meta(kb, self.reading),
            "cancer": result.cancer.record() if result.cancer is not None else None,
            "filters": filters_record(result.filters),
            "options": options_records(result.options),
            "updates": [update_record(kb, u, self.reading) for u in result.updates],
        }


def options_records(options: tuple[Option, ...]) -> list[dict[str, Any]]:
    """``[{"match": M, "listings": [...], "routes": [...], "treatment": record}]`` for JSON."""
    treatments = [option.treatment.record() for option in options]
    return [
        {
            "match": option.match,
            "listings": [listing.record() for listing in option.listings],
            "routes": list(option.routes),
            "treatment": treatment,
        }
        for option, treatment in zip(options, treatments, strict=True)
    ]


def filters_record(filters: Filters) -> dict[str, str | None]:
    """The filters of an options query as ids, for JSON."""
    return {name: None if value is None else value.id for name, value in filters._asdict().items()}


def filters_sentence(filters: Filters) -> str:
    """What the filters kept, in words, with what they cannot know."""
    said = []
    if filters.goal is not None:
        said.append(f"helps with: {filters.goal.name}")
    if filters.given is not None:
        said.append(f"given by: {filters.given.name}")
    if filters.bones is not None:
        said.append(f"the sources say what it does for: {filters.bones.name}")
    if filters.avoid is not None:
        said.append(f"its sources do not name: {filters.avoid.name}")
    sentence = "Only treatments whose sources say so are listed: " + "; ".join(said) + "."
    if filters.avoid is not None:
        sentence += (
            " Treatments whose sources name no side effects stay listed: ask your care team "
            "about their side effects."
        )
    if filters.bones is not None:
        sentence += " For treatments that lower the risk of fractures, use --goal fractures."
    return sentence
