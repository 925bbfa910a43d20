"""Pages about choosing treatment: the options for a cancer, narrowed by filters, and why."""

from typing import TYPE_CHECKING, Any

from bonemets_cli.document import Document, Fact, Facts, Grid, Paragraph, format_refs
from bonemets_cli.frozen import Frozen
from bonemets_cli.models import KnowledgeBase
from bonemets_cli.views.page import (
    SHOW_HINT,
    Citations,
    Reading,
    cited,
    count,
    given_summary,
    in_full_on_a_short_page,
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


class OptionsView(Frozen):
    """``bonemets options``: what applies to one cancer (or any), narrowed by filters, and why.

    A short page by default: each treatment in a few lines, the later facts by title once
    (a caution in full). ``full`` shows every statement. Either way, every reason a
    treatment is listed keeps its sources, and every qualification stands beside the
    statement it qualifies."""

    knowledge: KnowledgeBase
    result: "OptionsPage"
    reading: Reading
    full: bool = False

    def document(self) -> Document:
        kb, result = self.knowledge, self.result
        cite = Citations(kb)
        blocks = opening_blocks(kb, cite) if self.full else []
        if result.filters.active():
            blocks.append(Paragraph(filters_sentence(result.filters)))
        treatments: list[tuple[str, ...]] = []
        complementary: list[tuple[str, str, tuple[int, ...]]] = []
        since = self._since_cells()
        for option in result.options:
            t = option.treatment
            # A qualification that is already the reason it is listed is not said twice.
            listed_by = {listing.update for listing in option.listings}
            qualifications = qualified(kb, t.summary, cite, listed_by)
            refs = cite(t.summary, *option.listings)
            if option.match == "complementary":
                complementary.append((t.name, "\n".join((t.summary.text, *qualifications)), refs))
            elif self.full:
                changed = "; ".join(update_title(u) for u in result.changes[t.id])
                treatments.append(
                    (
                        t.name,
                        why_listed(kb, option, cite),
                        given_summary(kb, option.routes),
                        "\n".join((t.summary.text, *qualifications)),
                        changed or "-",
                        format_refs(refs),
                    )
                )
            else:  # no Sources column: what it does carries its own
                summary = cited(t.summary.text, cite(t.summary))
                treatments.append(
                    (
                        t.name,
                        why_listed(kb, option, cite),
                        given_summary(kb, option.routes),
                        "\n".join((summary, *qualifications)),
                        since[t.id],
                    )
                )
        # With no cancer asked for, the page is about every cancer the sources name.
        for_cancer = f" for {result.cancer.name}" if result.cancer is not None else ""
        columns: tuple[str, ...] = ("Treatment", "Why listed", "How it is given", "What it does")
        columns += ("Since 2010", "Sources") if self.full else ("Since 2010",)
        if treatments or not complementary:
            blocks.append(Grid(f"Options{for_cancer}", columns, tuple(treatments), flexible=3))
        in_full = in_full_on_a_short_page(result.updates, self.reading)
        if self.full and result.updates:
            title = (
                f"Since 2010: what has changed{for_cancer} "
                f"({count(len(result.updates), 'vetted fact')}, newest first)"
            )
            blocks.append(since_2010_block(kb, result.updates, cite, self.reading, title))
        elif in_full:  # a short page hides no caution and no review warning
            title = f"Since 2010, in full: cautions and warnings{for_cancer}"
            blocks.append(since_2010_block(kb, in_full, cite, self.reading, title))
        if complementary and self.full:
            blocks.append(
                Grid(
                    "Complementary care",
                    ("Treatment", "What it does", "Sources"),
                    tuple((name, what, format_refs(refs)) for name, what, refs in complementary),
                )
            )
            blocks.append(Paragraph(kb.complementary_intro.text, cite(kb.complementary_intro)))
        elif complementary:
            # Each statement carries its sources, as the treatments above do: with no
            # Sources column the block needs no header and has the page's whole width.
            intro = kb.complementary_intro
            facts = tuple(
                Fact("", cited(f"{names}: {what}", refs))
                for names, what, refs in merged(complementary)
            )
            blocks.append(
                Facts("Complementary care", (Fact("", cited(intro.text, cite(intro))), *facts))
            )
        if self.full:
            blocks.append(
                Facts("What to expect", tuple(Fact("", s.text, cite(s)) for s in kb.prognosis))
            )
        title = "Treatment options" + (f": {result.cancer.name}" if result.cancer else "")
        subtitle = SHOW_HINT if self.full else SHORT_PAGE
        return page(kb, self.reading, cite, title, subtitle, blocks, short=not self.full)

    def _since_cells(self) -> dict[str, str]:
        """On a short page, each treatment's later facts: how many, and their titles the
        first time they stand on the page; a fact shared with a treatment above is not
        named again."""
        shown: dict[str, str] = {}
        cells = {}
        for option in self.result.options:
            t = option.treatment
            changes = self.result.changes.get(t.id, ())
            if not changes:
                cells[t.id] = ""
                continue
            new = [u for u in changes if u.id not in shown]
            earlier = " and ".join(dict.fromkeys(shown[u.id] for u in changes if u.id in shown))
            said = "; ".join(update_title(u) for u in new)
            if not new:
                cells[t.id] = f"{count(len(changes), 'fact')}, named under {earlier}"
            elif earlier:
                again = len(changes) - len(new)
                cells[t.id] = f"{count(len(changes), 'fact')}: {said}; {again} more under {earlier}"
            else:
                cells[t.id] = f"{count(len(changes), 'fact')}: {said}"
            shown.update(dict.fromkeys((u.id for u in new), t.name))
        return cells

    def data(self) -> dict[str, Any]:
        kb, result = self.knowledge, self.result
        return {
            "meta": meta(kb, self.reading),
            "cancer": result.cancer.record() if result.cancer is not None else None,
            "filters": filters_record(result.filters),
            "options": options_records(result.options),
            "updates": [update_record(kb, u, self.reading) for u in result.updates],
        }


SHORT_PAGE = "A short page: add --full for every statement, or run 'bonemets updates'."


def merged(
    rows: list[tuple[str, str, tuple[int, ...]]],
) -> tuple[tuple[str, str, tuple[int, ...]], ...]:
    """Rows that say the same thing with the same sources, as one row naming them all:
    a sentence shared by several treatments stands once on a page."""
    names: dict[tuple[str, tuple[int, ...]], list[str]] = {}
    for name, what, refs in rows:
        names.setdefault((what, refs), []).append(name)
    return tuple((", ".join(same), what, refs) for (what, refs), same in names.items())


def options_records(options: "tuple[Option, ...]") -> list[dict[str, Any]]:
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


def filters_record(filters: "Filters") -> dict[str, str | None]:
    """The filters of an options query as ids, for JSON."""
    return {name: None if value is None else value.id for name, value in filters.as_dict().items()}


def filters_sentence(filters: "Filters") -> str:
    """What the filters kept, in plain sentences, with what they cannot know."""
    said = []
    if filters.goal is not None:
        # A goal's name is a noun phrase ("Less pain", "Shrinking tumors"): named after
        # a colon, as the other filters are, it reads right whatever its grammar.
        said.append(
            "Only treatments whose sources say they help towards this goal are listed: "
            f"{lowered(filters.goal.name)}."
        )
    if filters.given is not None:
        said.append(
            "Only treatments whose sources say they are given this way are listed: "
            f"{lowered(filters.given.name)}."
        )
    if filters.bones is not None:
        said.append(
            "Only treatments whose sources say what they do for this state of the bone are "
            f"listed: {lowered(filters.bones.name)}."
        )
    if filters.avoid is not None:
        said.append(
            f"Treatments whose sources name {lowered(filters.avoid.name)} as a side effect "
            "are left out. Treatments whose sources name no side effects stay listed: ask "
            "your care team about their side effects."
        )
    if filters.bones is not None:
        said.append("For treatments that lower the risk of fractures, use --goal fractures.")
    return " ".join(said)


def lowered(name: str) -> str:
    """A name inside a sentence: 'By mouth' -> 'by mouth', but 'IV' stays 'IV'."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]
