"""The handout: a page a clinic can print for a patient and their carers, on one or two
sheets: the warning signs first, then the options, the words it uses and the questions."""

from typing import TYPE_CHECKING, Any

from bonemets_cli.document import Block, Document, Fact, Facts, Grid, Paragraph, format_refs
from bonemets_cli.frozen import Frozen
from bonemets_cli.models import KnowledgeBase, Treatment
from bonemets_cli.views.options import options_records
from bonemets_cli.views.page import (
    DISCLAIMER,
    SIDE_EFFECTS_UNNAMED,
    Citations,
    Reading,
    cited,
    count,
    footer,
    given_summary,
    meta,
    update_record,
    update_title,
    why_listed,
)
from bonemets_cli.views.reference import (
    QUESTIONS_TITLE,
    question_blocks,
    term_fact,
    words_used,
)
from bonemets_cli.views.urgent import URGENT_TITLE

if TYPE_CHECKING:
    from bonemets_cli.pack_models import Term, UrgentWarning
    from bonemets_cli.query_handout import Handout

WORDS_TITLE = "Words on this page"


def warning_box(
    warnings: "tuple[UrgentWarning, ...]", cite: Citations, clinic: str | None
) -> Facts:
    """The box the handout opens with: each warning's signs and what to do, in the
    pack's words, shortened by nothing but layout (signs run on, one warning a row)."""
    rows = [Fact("Your care team", clinic)] if clinic else []
    for warning in warnings:
        signs = " ".join(
            f"{(s.when or 'signs').capitalize()}: {'; '.join(s.items)}." for s in warning.signs
        )
        what_to_do = f"What to do: {warning.act}"
        rows.append(Fact(warning.title, signs, cite(warning), items=(what_to_do,)))
    return Facts(URGENT_TITLE, tuple(rows), kind="urgent")


class HandoutView(Frozen):
    """``bonemets handout --cancer C``: a printable page for a patient and their carers."""

    knowledge: KnowledgeBase
    result: "Handout"
    reading: Reading
    clinic: str | None = None
    """The clinic's name and phone number, as the user gave them, for the warning box."""
    for_paper: bool = False
    """Set for a printed page: citations are cut to fit two sheets (on a screen, whole)."""

    def document(self) -> Document:
        kb, result = self.knowledge, self.result
        cite = Citations(kb)
        blocks: list[Block] = [Paragraph(DISCLAIMER)]
        if result.warnings:
            blocks.append(warning_box(result.warnings, cite, self.clinic))
        blocks += self._options(cite)
        words = words_used(result.glossary, _text_of(blocks))
        if words:
            defined = tuple(term_fact(term, cite) for term in words)
            blocks.append(Facts(WORDS_TITLE, defined, kind="terms"))
        if result.questions is not None:
            blocks += question_blocks(result.questions, cite, QUESTIONS_TITLE, kind="notes")
        title = f"Bone metastases: treatment options for {result.cancer.name}"
        subtitle = (
            f"For patients and carers, printed {self.reading.today.isoformat()}. "
            "Take it to your care team: they know your situation."
        )
        return Document(
            title=title,
            subtitle=subtitle,
            blocks=tuple(blocks),
            references=tuple(
                ref.replace(citation=shortened(ref.citation)) if self.for_paper else ref
                for ref in cite.references()
            ),
            # the disclaimer opens the page; the footer keeps the content's age
            footer=tuple(line for line in footer(kb, self.reading) if line != DISCLAIMER),
        )

    def _options(self, cite: Citations) -> list[Block]:
        """The options table, what has changed since 2010 (titles once, cautions marked),
        and complementary care in one line."""
        kb, result = self.knowledge, self.result
        main = [o for o in result.options if o.match != "complementary"]
        rows = []
        for option in main:
            t, named = option.treatment, result.side_effects[option.treatment.id]
            listed_by = {x.update for x in option.listings}
            what = "\n".join(
                (cited(t.summary.text, cite(t.summary)), *qualified_by(kb, t, cite, listed_by))
            )
            if named:
                names = ", ".join(kb.side_effect_by_id[link.id].name for link in named)
                effects = cited(names, cite(*named))
            else:
                effects = SIDE_EFFECTS_UNNAMED
            rows.append(
                (
                    t.name,
                    what,
                    given_summary(kb, option.routes),
                    why_listed(kb, option, cite),
                    effects,
                )
            )
        blocks: list[Block] = [
            Grid(
                f"Treatment options for {result.cancer.name}",
                ("Treatment", "What it is", "How it is given", "Why it is listed", "Side effects"),
                tuple(rows),
                flexible=3,  # why it is listed: the claim, never cut short
            )
        ]
        if result.updates:
            cautions = tuple(
                Fact("", update_title(u), cite(u), items=_why(u.caution_reason))
                for u in result.updates
                if u.caution
            )
            later = count(len(result.updates), "later fact")
            reach = (
                f"{later} about {result.cancer.name.lower()} and these treatments, with their "
                f"sources: bonemets updates --cancer {result.cancer.id}. A treatment in full: "
                "bonemets show NAME. Every source in full: bonemets sources."
            )
            title = f"What has changed since {kb.source_years[1]}"
            blocks.append(Facts(title, (*cautions, Fact("", reach))))
        complementary = [o.treatment for o in result.options if o.match == "complementary"]
        if complementary:
            intro = kb.complementary_intro
            names = ", ".join(t.name for t in complementary)
            refs = format_refs(cite(intro, *(t.summary for t in complementary)))
            blocks.append(Paragraph(f"{intro.text} Complementary care: {names}. [{refs}]"))
        return blocks

    def data(self) -> dict[str, Any]:
        kb, result = self.knowledge, self.result
        words = words_used(result.glossary, _text_of(list(self.document().blocks)))
        return {
            "meta": meta(kb, self.reading),
            "cancer": result.cancer.record(),
            "clinic": self.clinic,
            # what each warning is about stays on 'bonemets urgent': a page for one cancer
            # lists no fact "for any cancer"
            "warnings": [_without_applies_to(w.record()) for w in result.warnings],
            "options": options_records(result.options),
            "updates": [update_record(kb, u, self.reading) for u in result.updates],
            "complementary_intro": kb.complementary_intro.record(),
            "words": [term.record() for term in words],
            "questions": result.questions.record() if result.questions else None,
            "sources": [
                *(s.record() for s in result.sources),
                *(kb.source_by_id[source].record() for source in _sources_of(words, result)),
            ],
        }


SHORT_CITATION = 90
"""The most characters of a citation the printed handout shows; the rest is a command away."""


def shortened(citation: str) -> str:
    """A citation cut at a word to SHORT_CITATION characters, marked as cut."""
    if len(citation) <= SHORT_CITATION:
        return citation
    return citation[: SHORT_CITATION - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "\u2026"


def qualified_by(
    knowledge: KnowledgeBase, treatment: Treatment, cite: Citations, said: set[str | None]
) -> list[str]:
    """The later facts that qualify what a treatment is, by title with their sources;
    their words are on 'bonemets show' (those in ``said`` are already the reason it is
    listed)."""
    since = knowledge.source_years[1]
    facts = [
        knowledge.update_by_id[q.update]
        for q in treatment.summary.qualified_by
        if q.update not in said
    ]
    return [f"Qualified since {since}: {u.title} [{format_refs(cite(u))}]" for u in facts]


def _without_applies_to(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key != "applies_to"}


def _why(reason: str | None) -> tuple[str, ...]:
    return (f"Why: {reason}",) if reason else ()


def _sources_of(words: "list[Term]", result: "Handout") -> list[str]:
    """The sources of the words' definitions that the query's list does not hold."""
    listed = {s.id for s in result.sources}
    found = dict.fromkeys(s for term in words for d in term.definition for s in d.sources)
    return [source for source in found if source not in listed]


def _text_of(blocks: list[Block]) -> str:
    """Every word a list of blocks prints, to find the glossary words it uses."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Facts):
            parts.append(block.title)
            parts += [p for f in block.rows for p in (f.label, f.text, *f.items)]
        elif isinstance(block, Grid):
            parts += [block.title, *(cell for row in block.rows for cell in row)]
    return "\n".join(parts)
