"""``handout``: the options for one cancer, with the signs that need help now, the
questions to ask and the words the page uses, from the safety-and-reference pack."""

from typing import TYPE_CHECKING

from bonemets_cli import query, query_pack
from bonemets_cli.frozen import Frozen
from bonemets_cli.models import Cancer, KnowledgeBase, SideEffectLink, Source, Statement, Update
from bonemets_cli.pack_models import Questions, Term, UrgentWarning
from bonemets_cli.query import Option

if TYPE_CHECKING:  # the page's other queries: importing them costs the handout 3 M
    from bonemets_cli.query_pages import SideEffectsByTreatment


class Handout(Frozen):
    """``handout``: the options for one cancer, with what a patient needs beside them."""

    cancer: Cancer
    options: tuple[Option, ...]
    updates: tuple[Update, ...]
    side_effects: "SideEffectsByTreatment"
    sources: tuple[Source, ...]
    """The sources the printed page cites, in the knowledge file's order."""
    warnings: tuple[UrgentWarning, ...] = ()
    """The signs that need help now, for the box the page opens with."""
    questions: Questions | None = None
    glossary: tuple[Term, ...] = ()
    """Every glossary term: the page defines those of them it uses."""


def handout(knowledge: KnowledgeBase, cancer: str) -> Handout:
    found = query.find_cancer(knowledge, cancer)
    options = tuple(query.options_for(knowledge, found))
    updates = tuple(query.updates_for_cancer(knowledge, found))
    effects = {
        o.treatment.id: tuple(query.side_effects_of(knowledge, o.treatment)) for o in options
    }
    cited: list[Statement | SideEffectLink | Update] = [
        *knowledge.overview,
        *knowledge.factors,
        knowledge.complementary_intro,
        *knowledge.prognosis,
    ]
    for option in options:
        t = option.treatment
        cited += [t.summary, *t.benefits, *effects[t.id], *t.side_effect_notes]
    cited += updates
    warnings = query_pack.warnings(knowledge)
    questions = knowledge.questions
    glossary = tuple(query_pack.glossary(knowledge))
    ids = {source for record in cited for source in record.sources}
    ids.update(source for w in warnings for source in w.sources)
    ids.update(questions.sources if questions else ())
    sources = tuple(s for s in knowledge.sources if s.id in ids)
    return Handout(found, options, updates, effects, sources, warnings, questions, glossary)
