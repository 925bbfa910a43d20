"""Pages about treatments themselves: the list, one in full, several side by side, sections."""

from typing import TYPE_CHECKING, Any

from bonemets_cli.document import Block, Document, Fact, Facts, Grid, Paragraph, format_refs
from bonemets_cli.frozen import Frozen
from bonemets_cli.models import KnowledgeBase, Statement, Treatment, Update
from bonemets_cli.views.page import (
    NOT_LIMITED,
    SHOW_HINT,
    SIDE_EFFECTS_UNNAMED,
    Citations,
    Reading,
    cited,
    count,
    given_summary,
    in_full_on_a_short_page,
    listing_lines,
    meta,
    page,
    qualified,
    side_by_side,
    since_2010_block,
    statement_fact,
    update_record,
    update_title,
)

if TYPE_CHECKING:
    from bonemets_cli.query_pages import (
        Comparison,
        MedicineName,
        Section,
        TreatmentList,
        TreatmentPage,
    )


class ListView(Frozen):
    """``bonemets list``: every treatment, a row each."""

    knowledge: KnowledgeBase
    result: "TreatmentList"
    reading: Reading

    def document(self) -> Document:
        kb = self.knowledge
        cite = Citations(kb)
        blocks: list[Block] = [Paragraph(s.text, cite(s)) for s in kb.overview]
        rows = tuple(
            (
                t.name,
                t.kind_label,
                given_summary(kb, self.result.routes[t.id]),
                "\n".join((t.summary.text, *qualified(kb, t.summary, cite))),
                format_refs(cite(t.summary)),
            )
            for t in self.result.treatments
        )
        blocks.append(
            Grid(
                "Treatments",
                ("Treatment", "Kind", "How it is given", "What it does", "Sources"),
                rows,
            )
        )
        blocks.append(Paragraph(kb.complementary_intro.text, cite(kb.complementary_intro)))
        if kb.updates:
            blocks.append(
                Paragraph(
                    f"{len(kb.updates)} facts from after 2010 update this text: "
                    "run 'bonemets updates', or 'bonemets show NAME' for one treatment."
                )
            )
        return page(kb, self.reading, cite, "Treatments for bone metastases", SHOW_HINT, blocks)

    def data(self) -> dict[str, Any]:
        return {
            "meta": meta(self.knowledge, self.reading),
            "treatments": [t.record() for t in self.result.treatments],
        }


class ShowView(Frozen):
    """``bonemets show NAME``: one treatment in full, each statement with its sources."""

    knowledge: KnowledgeBase
    result: "TreatmentPage"
    reading: Reading
    full: bool = False
    """Every later fact in full; by default their titles (a caution in full)."""

    def document(self) -> Document:
        kb, t = self.knowledge, self.result.treatment
        cite = Citations(kb)
        # What the record is silent on, said of the record's own sources only: later
        # facts (below) may well speak to it.
        these = "The founding text" if t.origin == "founding-text" else "These sources"
        rows = [statement_fact(kb, "Summary", t.summary, cite)]
        if t.given is not None:
            rows.append(statement_fact(kb, "How it is given", t.given, cite))
        else:
            rows.append(Fact("How it is given", f"{these} does not say."))
        rows += [statement_fact(kb, "Helps with", b, cite) for b in t.benefits]
        effects = self.result.side_effects
        rows += [
            Fact("Side effects", kb.side_effect_by_id[link.id].name, cite(link)) for link in effects
        ]
        rows += [statement_fact(kb, "Side effects", note, cite) for note in t.side_effect_notes]
        if not effects and not t.side_effect_notes:
            rows.append(Fact("Side effects", SIDE_EFFECTS_UNNAMED))
        if t.cancer_note is not None:
            rows.append(statement_fact(kb, "Who it is for", t.cancer_note, cite))
        elif t.not_limited:
            rows.append(Fact("Who it is for", NOT_LIMITED))
        rows += [
            Fact("Listed for", line, cite(*same)) for line, same in listing_lines(kb, t.listed_for)
        ]
        medicines = self.result.medicines
        if medicines:
            rows.append(Fact("Medicines", medicines_line(medicines), cite(*medicines)))
        rows += [Fact("Details", d.title, cite(d), d.items) for d in t.details]
        rows += [statement_fact(kb, "Notes", n, cite) for n in t.notes]
        if t.kind == "complementary":
            intro = kb.complementary_intro
            rows.append(Fact("Notes", intro.text, cite(intro)))
        first, last = kb.source_years
        if t.origin == "founding-text":
            heading = f"From the founding text (sources dated {first}-{last})"
        else:
            heading = "From sources after 2010 (not in the founding text)"
        blocks: list[Block] = [Facts(heading, tuple(rows))]
        updates = self.result.updates
        if updates:
            blocks += since_2010_blocks(kb, updates, cite, self.reading, self.full)
        subtitle = t.kind_label
        if t.aliases:
            subtitle += "; also called: " + ", ".join(t.aliases)
        # Short only when something was left out: the full citations otherwise.
        short = not self.full and bool(updates)
        return page(kb, self.reading, cite, t.name, subtitle, blocks, short=short)

    def data(self) -> dict[str, Any]:
        kb = self.knowledge
        return {
            "meta": meta(kb, self.reading),
            "treatment": self.result.treatment.record(),
            "updates": [update_record(kb, u, self.reading) for u in self.result.updates],
            "sources": [source.record() for source in self.result.sources],
            "medicines": [m.as_dict() for m in self.result.medicines],
        }


def since_2010_blocks(
    knowledge: KnowledgeBase,
    updates: tuple[Update, ...],
    cite: Citations,
    reading: Reading,
    full: bool,
) -> list[Block]:
    """The later facts of a page: every one in full, or (a short page) each by its
    title, once, but a caution (after the fact it qualifies) and a fact past its review
    date in full, so a short page hides no warning. The heading counts what follows it,
    and says the split when there is one (each part newest first)."""
    heading = f"Since 2010: what has changed ({count(len(updates), 'vetted fact')}"
    in_full = updates if full else in_full_on_a_short_page(updates, reading)
    titles = tuple(Fact("", update_title(u)) for u in updates if u not in in_full)
    if not titles:
        return [since_2010_block(knowledge, in_full, cite, reading, f"{heading}, newest first)")]
    hint = "Titles only: add --full to read each with its sources."
    if not in_full:
        return [Facts(f"{heading}, newest first)", titles), Paragraph(hint)]
    split = f"{len(titles)} by title, {len(in_full)} in full below"
    below = f"In full: cautions and warnings ({count(len(in_full), 'vetted fact')})"
    return [
        Facts(f"{heading}: {split})", titles),
        Paragraph(hint),
        since_2010_block(knowledge, in_full, cite, reading, below),
    ]


def medicines_line(medicines: "tuple[MedicineName, ...]") -> str:
    """The medicines of a class, named on the class's page, and how to read about one:
    'Zoledronic acid (Zometa), Pamidronate. Run 'bonemets show NAME' for one, ...'."""
    names = ", ".join(
        f"{m.name} ({', '.join(m.brands)})" if m.brands else m.name for m in medicines
    )
    return f"{names}. Run 'bonemets show NAME' for one, e.g. 'bonemets show {medicines[0].id}'."


class CompareView(Frozen):
    """``bonemets compare A B``: treatments side by side, a column each."""

    knowledge: KnowledgeBase
    result: "Comparison"
    reading: Reading

    def document(self) -> Document:
        kb = self.knowledge
        cite = Citations(kb)
        treatments = self.result.treatments

        def cell(statements: list[Statement], empty: str) -> str:
            lines = [
                line
                for s in statements
                for line in (cited(s.text, cite(s)), *qualified(kb, s, cite))
            ]
            return "\n".join(lines) or empty

        def for_whom(t: Treatment) -> str:
            lines = [cited(line, cite(*same)) for line, same in listing_lines(kb, t.listed_for)]
            if t.not_limited:
                lines.insert(0, NOT_LIMITED)
            return "\n".join(lines)

        def effects(t: Treatment) -> str:
            lines = [
                *(
                    cited(kb.side_effect_by_id[link.id].name, cite(link))
                    for link in self.result.side_effects[t.id]
                ),
                *(cited(note.text, cite(note)) for note in t.side_effect_notes),
            ]
            return "\n".join(lines) or SIDE_EFFECTS_UNNAMED

        topics: list[tuple[str, list[str]]] = [
            ("Kind", [t.kind_label for t in treatments]),
            (
                "How it is given",
                [cell([t.given] if t.given else [], "Not stated.") for t in treatments],
            ),
            ("Helps with", [cell(list(t.benefits), "Not stated.") for t in treatments]),
            ("Side effects", [effects(t) for t in treatments]),
            ("Who it is for", [for_whom(t) for t in treatments]),
        ]
        if any(t.bones for t in treatments):
            topics.append(("Weak or broken bones", [cell(list(t.bones), "-") for t in treatments]))
        topics.append(
            (
                "Since 2010",
                [
                    "\n".join(update_title(u) for u in self.result.changes[t.id]) or "-"
                    for t in treatments
                ],
            )
        )
        blocks: list[Block] = [
            Paragraph(
                f"{medicine} stands for its class here, {treatment}: a medicine named "
                "beside a treatment is compared as its class. Name only medicines to "
                "compare medicines, e.g. 'bonemets compare zoledronic acid denosumab'."
            )
            for medicine, treatment in self.result.stood_for
        ]
        blocks.append(side_by_side([t.name for t in treatments], topics))
        title = "Compared: " + ", ".join(t.name for t in treatments)
        return page(kb, self.reading, cite, title, SHOW_HINT, blocks)

    def data(self) -> dict[str, Any]:
        kb = self.knowledge
        return {
            "meta": meta(kb, self.reading),
            "treatments": [t.record() for t in self.result.treatments],
            "updates": [update_record(kb, u, self.reading) for u in self.result.updates],
            "stood_for": [
                {"medicine": medicine, "treatment": treatment}
                for medicine, treatment in self.result.stood_for
            ],
        }


class ComplementaryView(Frozen):
    """``bonemets complementary``: care used along with treatment, and what each helps with."""

    knowledge: KnowledgeBase
    treatments: tuple[Treatment, ...]
    reading: Reading

    def document(self) -> Document:
        kb = self.knowledge
        cite = Citations(kb)
        intro = kb.complementary_intro
        rows = tuple(
            (
                t.name,
                "; ".join(b.text for b in t.benefits) or "-",
                format_refs(cite(t.summary, *t.benefits)),
            )
            for t in self.treatments
        )
        blocks: list[Block] = [
            Paragraph(intro.text, cite(intro)),
            Grid(
                "Complementary treatments", ("Treatment", "Helps with", "Sources"), rows, flexible=1
            ),
        ]
        return page(kb, self.reading, cite, "Complementary treatments", SHOW_HINT, blocks)

    def data(self) -> dict[str, Any]:
        return {
            "meta": meta(self.knowledge, self.reading),
            "intro": self.knowledge.complementary_intro.record(),
            "treatments": [t.record() for t in self.treatments],
        }


class SectionView(Frozen):
    """A section of the founding text as statements: ``factors`` or ``prognosis``."""

    knowledge: KnowledgeBase
    result: "Section"
    title: str
    subtitle: str
    reading: Reading

    def document(self) -> Document:
        kb = self.knowledge
        cite = Citations(kb)
        facts = Facts("", tuple(Fact("", s.text, cite(s)) for s in self.result.statements))
        return page(kb, self.reading, cite, self.title, self.subtitle, [facts])

    def data(self) -> dict[str, Any]:
        return {
            "meta": meta(self.knowledge, self.reading),
            self.result.key: [s.record() for s in self.result.statements],
        }
