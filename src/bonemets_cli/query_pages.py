"""One query per page: what each command asks of the knowledge base, as a typed result.

The view of a page turns its result into a Document and JSON data without asking the
knowledge base anything more; the names it needs to print come with the result.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bonemets_cli import query, query_sources
from bonemets_cli.errors import NothingMatched, Problem
from bonemets_cli.frozen import Frozen
from bonemets_cli.models import (
    Cancer,
    KnowledgeBase,
    SideEffect,
    SideEffectLink,
    Source,
    Statement,
    Treatment,
    Update,
)
from bonemets_cli.query import Filters, Option
from bonemets_cli.query_sources import Provenance

if TYPE_CHECKING:
    from bonemets_cli.query_medicines import MedicineComparison, MedicinePage

SideEffectsByTreatment = Mapping[str, tuple[SideEffectLink, ...]]
"""Every side effect the knowledge base names for a treatment, by treatment id."""

UpdatesByTreatment = Mapping[str, tuple[Update, ...]]
"""The facts from after 2010 on a page that concern a treatment, by treatment id."""


class TreatmentList(Frozen):
    """``list``: every treatment, and how each is given (its record's routes, then those
    later facts name for it)."""

    treatments: tuple[Treatment, ...]
    routes: Mapping[str, tuple[str, ...]]


def treatment_list(knowledge: KnowledgeBase) -> TreatmentList:
    routes = {t.id: tuple(query.routes_of(knowledge, t)) for t in knowledge.treatments}
    return TreatmentList(knowledge.treatments, routes)


class MedicineName(Frozen):
    """A medicine as a class page names it: its id, generic name and brand names."""

    id: str
    name: str
    brands: tuple[str, ...]
    sources: tuple[str, ...]
    """The sources that place it in the class."""


class TreatmentPage(Frozen):
    """``show``: one treatment, every side effect named for it, the later facts about it
    (newest first), every source cited, and the medicines that belong to it."""

    treatment: Treatment
    side_effects: tuple[SideEffectLink, ...]
    updates: tuple[Update, ...]
    sources: tuple[Source, ...]
    medicines: tuple[MedicineName, ...] = ()


def show_page(knowledge: KnowledgeBase, name: str) -> "TreatmentPage | MedicinePage":
    """``show NAME``: a treatment's page, or a medicine's (by generic or brand name).

    Treatments are looked up first, so a treatment's page never loads the pack's records;
    a miss there is not worth suggestions (a medicine's name is no mistake), so only a
    miss in both works them out.
    """
    treatment = query.lookup(knowledge.treatments, name)
    if treatment is None:
        from bonemets_cli import query_medicines, query_pack

        entry = query_pack.find_entry(knowledge, name)
        if not isinstance(entry, Treatment):
            return query_medicines.medicine_page(knowledge, entry)
        treatment = entry
    return _treatment_page(knowledge, treatment)


def medicines_in(knowledge: KnowledgeBase, treatment: Treatment) -> tuple[MedicineName, ...]:
    """The medicines that belong to a treatment class, in the knowledge file's order.

    Read from the medicines' JSON, so a class page need not build the pack's records.
    """
    return tuple(
        MedicineName(
            m["id"],
            m["name"],
            tuple(brand["name"] for brand in m.get("brands", ())),
            tuple(link["sources"]),
        )
        for m in knowledge.as_json("medicines")
        for link in m["classes"]
        if link["id"] == treatment.id
    )


def treatment_page(knowledge: KnowledgeBase, name: str) -> TreatmentPage:
    """The page of the treatment with this name (a medicine's name leads to its class)."""
    return _treatment_page(knowledge, query.find_treatment(knowledge, name))


def _treatment_page(knowledge: KnowledgeBase, treatment: Treatment) -> TreatmentPage:
    updates = tuple(query.updates_for_treatment(knowledge, treatment))
    cited = dict.fromkeys(
        source
        for statement in [*query.statements_of(treatment), *updates]
        for source in statement.sources
    )
    return TreatmentPage(
        treatment,
        tuple(query.side_effects_of(knowledge, treatment)),
        updates,
        tuple(knowledge.source_by_id[source] for source in cited),
        medicines_in(knowledge, treatment),
    )


def find_filters(
    knowledge: KnowledgeBase,
    goal: str | None = None,
    given: str | None = None,
    bones: str | None = None,
    avoid: str | None = None,
) -> Filters:
    """The filters of an options page, each name looked up in its vocabulary."""
    return Filters(
        goal=query.find_goal(knowledge, goal) if goal is not None else None,
        given=query.find_route(knowledge, given) if given is not None else None,
        bones=query.find_bone_state(knowledge, bones) if bones is not None else None,
        avoid=query.find_side_effect(knowledge, avoid) if avoid is not None else None,
    )


class OptionsPage(Frozen):
    """``options``: the treatments for a cancer (or any) that meet the filters, and the
    facts from after 2010 the page shows, newest first."""

    cancer: Cancer | None
    filters: Filters
    options: tuple[Option, ...]
    updates: tuple[Update, ...]
    changes: UpdatesByTreatment
    """Of ``updates``, those about each listed treatment."""


def options_page(knowledge: KnowledgeBase, cancer: str | None, filters: Filters) -> OptionsPage:
    found = query.find_cancer(knowledge, cancer) if cancer is not None else None
    chosen = query.options_for(knowledge, found, filters)
    if not chosen:
        raise NothingMatched(_nothing_meets(knowledge, found, filters))
    updates = tuple(query.updates_for_options(knowledge, found, chosen, filters))
    return OptionsPage(found, filters, tuple(chosen), updates, _about(chosen, updates))


def _nothing_meets(knowledge: KnowledgeBase, cancer: Cancer | None, filters: Filters) -> str:
    """Which filter matched nothing on its own; or, when each matches some treatments,
    that no treatment meets them all together."""
    alone = {
        "goal": Filters(goal=filters.goal),
        "given": Filters(given=filters.given),
        "bones": Filters(bones=filters.bones),
        "avoid": Filters(avoid=filters.avoid),
    }
    named = {
        f"--{field} {value.id}": alone[field]
        for field, value in filters.as_dict().items()
        if value is not None
    }
    where = f" for {cancer.name}" if cancer is not None else ""
    empty = [name for name, one in named.items() if not query.options_for(knowledge, cancer, one)]
    if empty:
        it = "it" if len(empty) == 1 else "them"
        return (
            f"no treatment{where} meets {' or '.join(empty)}: drop {it}, "
            "or run 'bonemets options --help'."
        )
    *first, last = named
    return (
        f"no treatment{where} meets {', '.join(first)} and {last} together, though each "
        "alone matches some: drop one, or run 'bonemets options --help'."
    )


def _about(options: Sequence[Option], updates: Sequence[Update]) -> UpdatesByTreatment:
    return {
        option.treatment.id: tuple(u for u in updates if query.is_about(u, option.treatment))
        for option in options
    }


class UpdatesPage(Frozen):
    """``updates``: the facts from after 2010, newest first, narrowed when asked."""

    treatment: Treatment | None
    cancer: Cancer | None
    updates: tuple[Update, ...]


def updates_page(
    knowledge: KnowledgeBase, treatment: str | None = None, cancer: str | None = None
) -> UpdatesPage:
    found_treatment = query.find_treatment(knowledge, treatment) if treatment is not None else None
    found_cancer = query.find_cancer(knowledge, cancer) if cancer is not None else None
    chosen = query.select_updates(knowledge, found_treatment, found_cancer)
    if not chosen:
        raise NothingMatched("no update matches those filters; run 'bonemets updates' for all")
    return UpdatesPage(found_treatment, found_cancer, tuple(chosen))


class CitedSource(Frozen):
    """A source and the ids of the entries that cite it."""

    source: Source
    cited_by: tuple[str, ...]


def sources_page(knowledge: KnowledgeBase) -> tuple[CitedSource, ...]:
    """``sources``: every source, with the entries that cite it."""
    cited_by = query_sources.citing_entries(knowledge)
    return tuple(CitedSource(s, tuple(cited_by.get(s.id, ()))) for s in knowledge.sources)


def provenance_page(knowledge: KnowledgeBase, entry: str) -> Provenance:
    """``sources --for ID``: each statement of one entry with its sources."""
    return query_sources.provenance(knowledge, entry)


class Validation(Frozen):
    """``validate``: every problem in one knowledge file, and its counts when it is valid."""

    file: str
    """The path as given: escaped where it is shown, kept as it is in JSON."""
    problems: tuple[Problem, ...]
    counts: "Counts | None" = None
    """How much a valid file holds, as ``info`` counts it."""
    omitted: int = 0
    """Errors found beyond those listed; the last problem listed says how many."""

    @property
    def errors(self) -> int:
        """Every error found, listed or not (the line saying how many are not is no error)."""
        listed = sum(p.severity == "error" for p in self.problems)
        return listed - (1 if self.omitted else 0) + self.omitted

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)


def validation(path: Path | None, today: dt.date) -> Validation:
    from bonemets_cli import knowledge as knowledge_file

    report = knowledge_file.check(path, today=today)
    found = report.knowledge
    if found is None:
        return Validation(report.file, report.problems, omitted=report.omitted)
    return Validation(
        report.file,
        (*report.problems, *query.review_warnings(found, today)),
        counts_of(found),
    )


class SideEffectRow(Frozen):
    """One side effect and the treatments it is named for, by id, with the link."""

    effect: SideEffect
    links: Mapping[str, SideEffectLink]


class SideEffectMatrix(Frozen):
    """``side-effects``: side effects down, treatments across, and the later facts about
    a side effect shown for a treatment shown, newest first."""

    treatments: tuple[Treatment, ...]
    rows: tuple[SideEffectRow, ...]
    updates: tuple[Update, ...]


def side_effect_matrix(knowledge: KnowledgeBase, names: Sequence[str] = ()) -> SideEffectMatrix:
    """The named treatments (once each), or by default every one but complementary care."""
    if names:
        treatments = tuple(dict.fromkeys(query.find_treatments(knowledge, names)))
    else:
        treatments = tuple(t for t in knowledge.treatments if t.kind != "complementary")
    rows = tuple(SideEffectRow(*row) for row in query.side_effect_links(knowledge, treatments))
    effects = {row.effect.id for row in rows}
    updates = query.newest_first(
        knowledge,
        [
            u
            for u in knowledge.updates
            if effects & set(u.side_effects) and any(query.is_about(u, t) for t in treatments)
        ],
    )
    return SideEffectMatrix(treatments, rows, tuple(updates))


class Cause(Frozen):
    """A treatment that can cause a side effect, the link that names it, and how the
    treatment is given (by route id)."""

    treatment: Treatment
    link: SideEffectLink
    routes: tuple[str, ...]


class CausesPage(Frozen):
    """``side-effects --has NAME``: the treatments that can cause one side effect."""

    effect: SideEffect
    causes: tuple[Cause, ...]
    updates: tuple[Update, ...]
    unnamed: tuple[Treatment, ...]
    """Treatments whose sources mention side effects without naming any."""


def causes_page(knowledge: KnowledgeBase, name: str) -> CausesPage:
    effect = query.find_side_effect(knowledge, name)
    causes = tuple(
        Cause(t, link, tuple(query.routes_of(knowledge, t)))
        for t, link in query.causes(knowledge, effect)
    )
    if not causes:
        raise NothingMatched(
            f"no treatment's sources name {effect.name!r} as a side effect; "
            "run 'bonemets side-effects' for those that do"
        )
    unnamed = tuple(
        t
        for t in knowledge.treatments
        if t.side_effect_notes and not query.side_effects_of(knowledge, t)
    )
    updates = tuple(query.updates_for_side_effect(knowledge, effect))
    return CausesPage(effect, causes, updates, unnamed)


class Comparison(Frozen):
    """``compare``: treatments side by side, and the later facts about any of them."""

    treatments: tuple[Treatment, ...]
    side_effects: SideEffectsByTreatment
    changes: UpdatesByTreatment
    """The later facts about each treatment, newest first."""
    updates: tuple[Update, ...]
    """The later facts about any of them, newest first, as the table lists them."""
    stood_for: tuple[tuple[str, str], ...] = ()
    """Each medicine named beside a treatment, and the class it stands for on the page:
    (medicine name, treatment name)."""


def comparison(knowledge: KnowledgeBase, names: Sequence[str]) -> Comparison:
    """The named treatments, once each (a usage error is the caller's if fewer than two)."""
    found = query.find_treatments_as_named(knowledge, names)
    stood_for = tuple((m.name, t.name) for t, m in found if m is not None)
    return _comparison(knowledge, [t for t, _ in found]).replace(stood_for=stood_for)


def _comparison(knowledge: KnowledgeBase, found: Sequence[Treatment]) -> Comparison:
    treatments = tuple(dict.fromkeys(found))
    updates = query.newest_first(
        knowledge,
        [u for u in knowledge.updates if any(query.is_about(u, t) for t in treatments)],
    )
    return Comparison(
        treatments,
        {t.id: tuple(query.side_effects_of(knowledge, t)) for t in treatments},
        {t.id: tuple(query.updates_for_treatment(knowledge, t)) for t in treatments},
        tuple(updates),
    )


def compare_page(
    knowledge: KnowledgeBase, names: Sequence[str]
) -> "Comparison | MedicineComparison":
    """``compare``: treatments side by side; medicines, when every name is a medicine's
    (generic or brand). A medicine named beside a treatment stands for its class.

    Treatments are looked up first, so comparing them never loads the pack's records;
    suggestions are worked out only for a name that is in neither.
    """
    found = query.lookup_each(knowledge.treatments, names)
    if None in found:
        from bonemets_cli import query_medicines, query_pack

        entries = query_pack.find_entries(knowledge, names)
        if not any(isinstance(entry, Treatment) for entry in entries):
            medicines = [entry for entry in entries if not isinstance(entry, Treatment)]
            return query_medicines.medicine_comparison(knowledge, medicines)
        return comparison(knowledge, names)
    return _comparison(knowledge, [t for t in found if t is not None])


def complementary(knowledge: KnowledgeBase) -> tuple[Treatment, ...]:
    """``complementary``: the care used along with regular treatment."""
    return tuple(t for t in knowledge.treatments if t.kind == "complementary")


class Section(Frozen):
    """A section of the founding text as statements: ``factors`` or ``prognosis``."""

    key: str
    """The JSON key and knowledge field: "factors" or "prognosis"."""
    statements: tuple[Statement, ...]


def section(knowledge: KnowledgeBase, key: str) -> Section:
    statements: tuple[Statement, ...] = getattr(knowledge, key)
    return Section(key, statements)


class Counts(Frozen):
    """How much the knowledge base holds, by kind; JSON keeps this order."""

    treatments: int
    """Main and other treatments: every treatment but complementary care."""
    complementary: int
    cancers: int
    side_effects: int
    factors: int
    updates: int
    warnings: int
    glossary_terms: int
    questions: int
    sources: int


class KnowledgeInfo(Frozen):
    """``info``: where the knowledge was loaded from, and how much it holds."""

    path: str
    """As given: escaped where it is shown, kept as it is in JSON."""
    bundled: bool
    counts: Counts


def knowledge_info(knowledge: KnowledgeBase, chosen: Path | None) -> KnowledgeInfo:
    from bonemets_cli import knowledge as knowledge_file

    path = chosen if chosen is not None else knowledge_file.bundled_path()
    return KnowledgeInfo(str(path), chosen is None, counts_of(knowledge))


def counts_of(knowledge: KnowledgeBase) -> Counts:
    """How much it holds, by kind: one count for ``info`` and ``validate``."""
    complementary = sum(t.kind == "complementary" for t in knowledge.treatments)
    return Counts(
        treatments=len(knowledge.treatments) - complementary,
        complementary=complementary,
        cancers=len(knowledge.cancers),
        side_effects=len(knowledge.side_effects),
        factors=len(knowledge.factors),
        updates=len(knowledge.updates),
        warnings=len(knowledge.as_json("warnings")),
        glossary_terms=len(knowledge.as_json("glossary")),
        questions=len((knowledge.as_json("questions") or {}).get("items", ())),
        sources=len(knowledge.sources),
    )
