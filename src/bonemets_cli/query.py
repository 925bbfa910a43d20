"""Questions asked of a KnowledgeBase: pure functions, no terminal, no I/O."""

import datetime as dt
from collections.abc import Sequence
from typing import Literal, NamedTuple, TypeVar

from bonemets_cli.errors import NotFound, Problem
from bonemets_cli.models import (
    CITING,
    BoneState,
    Cancer,
    Detail,
    Goal,
    KnowledgeBase,
    Model,
    Named,
    Route,
    SideEffect,
    SideEffectLink,
    Statement,
    Treatment,
    Update,
    normalize,
    walk,
)

N = TypeVar("N", bound=Named)

_NEAR = 0.6
"""How alike two names must be (difflib ratio) for one to be suggested for the other."""

Match = Literal["any-cancer", "cancer", "update", "some-cancers", "complementary"]
"""Why a treatment is an option: it is for any cancer, for this cancer in the founding
text, for this cancer in a fact from after 2010, for some cancers (when no cancer was
asked for), or it is complementary care."""


class Option(NamedTuple):
    """A treatment that applies to a cancer, and why it applies."""

    treatment: Treatment
    match: Match


class Filters(NamedTuple):
    """What a patient's situation asks of a treatment; None asks nothing."""

    goal: Goal | None = None
    given: Route | None = None
    bones: BoneState | None = None
    avoid: SideEffect | None = None

    def active(self) -> bool:
        return any(value is not None for value in self)

    def admit(self, knowledge: KnowledgeBase, treatment: Treatment) -> bool:
        """Whether what the knowledge base says of the treatment meets every filter set:
        its record for goal, route and bones; for side effects, its record and the
        facts from after 2010 about it."""
        if self.goal is not None and not any(
            self.goal.id in benefit.goals for benefit in treatment.benefits
        ):
            return False
        if self.given is not None and (
            treatment.given is None or self.given.id not in treatment.given.routes
        ):
            return False
        if self.bones is not None and not any(
            self.bones.id in link.states for link in treatment.bones
        ):
            return False
        return self.avoid is None or all(
            link.id != self.avoid.id for link in side_effects_of(knowledge, treatment)
        )


NO_FILTERS = Filters()


def find_treatment(knowledge: KnowledgeBase, name: str) -> Treatment:
    """The treatment with this id, name or alias; a unique prefix also matches."""
    return find(knowledge.treatments, name, "treatment")


def find_cancer(knowledge: KnowledgeBase, name: str) -> Cancer:
    """The cancer with this id, name or alias (so 'prostrate' finds prostate)."""
    return find(knowledge.cancers, name, "cancer", list_known=True)


def find_goal(knowledge: KnowledgeBase, name: str) -> Goal:
    return find(knowledge.goals, name, "goal", list_known=True)


def find_route(knowledge: KnowledgeBase, name: str) -> Route:
    return find(knowledge.routes, name, "way of giving treatment", list_known=True)


def find_bone_state(knowledge: KnowledgeBase, name: str) -> BoneState:
    return find(knowledge.bone_states, name, "bone state", list_known=True)


def find_side_effect(knowledge: KnowledgeBase, name: str) -> SideEffect:
    return find(knowledge.side_effects, name, "side effect", list_known=True)


def find(entries: Sequence[N], name: str, what: str, *, list_known: bool = False) -> N:
    """Look an entry up by id, name or alias, forgiving case, hyphens and spacing.

    When nothing matches exactly, a prefix that only one entry's names start with
    is accepted ("bisphos"). Otherwise NotFound carries the closest names.
    """
    wanted = normalize(name)
    by_name = {normalize(key): entry for entry in entries for key in entry.names}
    if wanted in by_name:
        return by_name[wanted]
    if len(wanted) >= 3:
        prefixed = {id(entry): entry for key, entry in by_name.items() if key.startswith(wanted)}
        if len(prefixed) == 1:
            return next(iter(prefixed.values()))
    raise NotFound(
        what,
        name,
        suggestions=closest(entries, wanted),
        known=[entry.id for entry in entries] if list_known else (),
    )


def closest(entries: Sequence[Named], wanted: str, limit: int = 3) -> list[str]:
    """The ids of the entries whose names are nearest to ``wanted``, best first."""
    owners = {normalize(key): entry.id for entry in entries for key in entry.names}
    return closest_ids(owners, wanted, limit)


def closest_ids(owners: dict[str, str], wanted: str, limit: int = 3) -> list[str]:
    """Given names mapped to the ids they lead to, the ids nearest to ``wanted``.

    Only names nearly as close as the best are kept, so one clear typo gets one
    suggestion, while a prefix shared by several names gets them all.
    """
    import difflib  # only a miss needs it: imported here, not on every run

    best: dict[str, float] = {}
    for key, owner in owners.items():
        # A fragment of a name ("radio") points at it as strongly as a near-typo does.
        contained = bool(wanted) and wanted in key
        score = max(difflib.SequenceMatcher(None, wanted, key).ratio(), 0.9 * contained)
        best[owner] = max(best.get(owner, 0.0), score)
    ranked = sorted(best.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < _NEAR:
        return []
    top = ranked[0][1]
    return [owner for owner, score in ranked if score >= max(_NEAR, top - 0.15)][:limit]


def options_for(
    knowledge: KnowledgeBase, cancer: Cancer | None, filters: Filters = NO_FILTERS
) -> list[Option]:
    """Treatments for any cancer, then those tied to this cancer, then complementary care,
    keeping only those that meet the filters.

    A treatment is tied to a cancer by its own record, or by a fact from after 2010
    that concerns both (radium-223 for prostate cancer, say). With no cancer, every
    treatment is a candidate.
    """
    if cancer is None:
        ours: set[str] = set()
        updated: set[str] = set()
    else:
        ours = cancer_family(knowledge, cancer)
        updated = {
            t for u in updates_for_cancer(knowledge, cancer) if u.cancers for t in u.treatments
        }
    options: list[Option] = []
    for t in knowledge.treatments:
        if t.kind == "complementary" or not filters.admit(knowledge, t):
            continue
        if not t.cancers:
            options.append(Option(t, "any-cancer"))
        elif cancer is None:
            options.append(Option(t, "some-cancers"))
        elif ours & set(t.cancers):
            options.append(Option(t, "cancer"))
        elif t.id in updated:
            options.append(Option(t, "update"))
    order = {"any-cancer": 0, "cancer": 1, "update": 2, "some-cancers": 3}
    options.sort(key=lambda option: order[option.match])
    options += [
        Option(t, "complementary")
        for t in knowledge.treatments
        if t.kind == "complementary"
        and (cancer is None or not t.cancers or ours & set(t.cancers))
        and filters.admit(knowledge, t)
    ]
    return options


def updates_for_options(
    knowledge: KnowledgeBase, cancer: Cancer | None, options: Sequence[Option], filters: Filters
) -> list[Update]:
    """The facts from after 2010 an options page shows, newest first: those for the
    cancer (every one when none is asked for); once filters have narrowed the
    treatments, only those about a treatment still listed."""
    chosen = updates_for_cancer(knowledge, cancer) if cancer is not None else knowledge.updates
    if filters.active():
        chosen = [u for u in chosen if any(is_about(u, option.treatment) for option in options)]
    return newest_first(knowledge, chosen)


def side_effects_of(knowledge: KnowledgeBase, treatment: Treatment) -> list[SideEffectLink]:
    """Every side effect the knowledge base names for a treatment, with its sources:
    those of its own record, then those a fact from after 2010 names for it (by the
    fact's own list of treatments, not through related ones)."""
    found = {link.id: link.sources for link in treatment.side_effects}
    for update in knowledge.updates:
        if treatment.id in update.treatments:
            for effect in update.side_effects:
                found[effect] = tuple(dict.fromkeys((*found.get(effect, ()), *update.sources)))
    return [
        link
        if (link := _own(treatment, effect)) is not None and link.sources == sources
        else SideEffectLink.model_construct(id=effect, sources=sources)
        for effect, sources in found.items()
    ]


def _own(treatment: Treatment, effect: str) -> SideEffectLink | None:
    return next((link for link in treatment.side_effects if link.id == effect), None)


def side_effect_links(
    knowledge: KnowledgeBase, treatments: Sequence[Treatment]
) -> list[tuple[SideEffect, dict[str, SideEffectLink]]]:
    """Each side effect named for any of the treatments, with the links by treatment id,
    in the knowledge file's order of side effects."""
    named = {t.id: {link.id: link for link in side_effects_of(knowledge, t)} for t in treatments}
    rows: list[tuple[SideEffect, dict[str, SideEffectLink]]] = []
    for effect in knowledge.side_effects:
        links = {t.id: named[t.id][effect.id] for t in treatments if effect.id in named[t.id]}
        if links:
            rows.append((effect, links))
    return rows


def causes(knowledge: KnowledgeBase, effect: SideEffect) -> list[tuple[Treatment, SideEffectLink]]:
    """The treatments the knowledge base names this side effect for, with the sources."""
    return [
        (t, link)
        for t in knowledge.treatments
        for link in side_effects_of(knowledge, t)
        if link.id == effect.id
    ]


def updates_for_side_effect(knowledge: KnowledgeBase, effect: SideEffect) -> list[Update]:
    """Facts from after 2010 about this side effect, newest first."""
    return newest_first(knowledge, [u for u in knowledge.updates if effect.id in u.side_effects])


def cancer_family(knowledge: KnowledgeBase, cancer: Cancer) -> set[str]:
    """The cancer's id and the wider groups it belongs to (breast -> solid tumours)."""
    return {cancer.id, *cancer.groups}


def newest_first(knowledge: KnowledgeBase, updates: Sequence[Update]) -> list[Update]:
    """Most recent evidence first; ties keep the knowledge file's order."""
    return sorted(updates, key=lambda update: -(knowledge.year_of(update) or 0))


def is_about(update: Update, treatment: Treatment) -> bool:
    """Whether a fact from after 2010 concerns this treatment or one related to it."""
    return treatment.id in update.treatments or any(
        related in update.treatments for related in treatment.related
    )


def updates_for_treatment(knowledge: KnowledgeBase, treatment: Treatment) -> list[Update]:
    """Facts from after 2010 about this treatment or a related one, newest first."""
    return newest_first(knowledge, [u for u in knowledge.updates if is_about(u, treatment)])


def statements_of(treatment: Treatment) -> list[Statement | SideEffectLink | Detail]:
    """Every record in a treatment that cites sources, in reading order."""
    return [
        treatment.summary,
        *([treatment.given] if treatment.given else []),
        *treatment.benefits,
        *treatment.side_effects,
        *treatment.side_effect_notes,
        *([treatment.cancer_note] if treatment.cancer_note else []),
        *treatment.details,
        *treatment.notes,
    ]


def updates_for_cancer(knowledge: KnowledgeBase, cancer: Cancer) -> list[Update]:
    """Facts from after 2010 that concern this cancer, or no cancer in particular."""
    ours = cancer_family(knowledge, cancer)
    return newest_first(
        knowledge, [u for u in knowledge.updates if not u.cancers or ours & set(u.cancers)]
    )


def select_updates(
    knowledge: KnowledgeBase, treatment: Treatment | None = None, cancer: Cancer | None = None
) -> list[Update]:
    """Every update, newest first, narrowed to a treatment and to a cancer when given.

    Narrowed to a cancer, only the facts that name that cancer (or a group it
    belongs to) are kept.
    """
    chosen = list(knowledge.updates)
    if treatment is not None:
        chosen = [u for u in chosen if is_about(u, treatment)]
    if cancer is not None:
        family = cancer_family(knowledge, cancer)
        chosen = [u for u in chosen if family & set(u.cancers)]
    return newest_first(knowledge, chosen)


class Overdue(NamedTuple):
    """An entry whose next review date has passed."""

    entry: str
    next_review: dt.date


def overdue(knowledge: KnowledgeBase, today: dt.date) -> list[Overdue]:
    """Everything past its next review date: the content as a whole, and each update."""
    found = [Overdue(u.id, u.next_review) for u in knowledge.updates if u.next_review < today]
    if knowledge.content.next_review < today:
        found.insert(0, Overdue("content", knowledge.content.next_review))
    return found


def review_warnings(knowledge: KnowledgeBase, today: dt.date) -> list[Problem]:
    """A warning for each entry past its next review date: it stays valid, but must be seen."""
    paths = {update.id: f"updates[{i}]" for i, update in enumerate(knowledge.updates)}
    return [
        Problem(
            f"{paths.get(item.entry, item.entry)}.next_review",
            f"past its review date ({item.next_review.isoformat()}); review it against "
            "current guidance, then move the date on",
            severity="warning",
        )
        for item in overdue(knowledge, today)
    ]


def citing_entries(knowledge: KnowledgeBase) -> dict[str, list[str]]:
    """For each source id, the entries (by id) with a statement that cites it."""
    cited: dict[str, dict[str, None]] = {source.id: {} for source in knowledge.sources}
    for path, node in walk(knowledge):
        if isinstance(node, CITING):
            entry = entry_of(knowledge, path)
            for source_id in node.sources:
                cited.setdefault(source_id, {})[entry] = None
    return {source_id: list(entries) for source_id, entries in cited.items()}


def entry_of(knowledge: KnowledgeBase, path: str) -> str:
    """The id of the top-level entry a JSON path lies in ('treatments[3].x' -> 'surgery')."""
    head = path.split(".", 1)[0]
    field, _, index = head.partition("[")
    collection = getattr(knowledge, field)
    if index and isinstance(collection, tuple):
        item = collection[int(index.rstrip("]"))]
        return str(getattr(item, "id", field))
    return field


class SourcedText(NamedTuple):
    """One readable text of an entry: the field it is in, and the ids of its sources."""

    field: str
    text: str
    sources: tuple[str, ...]


class Provenance(NamedTuple):
    """Every statement of one entry, each with its sources."""

    entry: str
    title: str
    statements: tuple[SourcedText, ...]


_SECTIONS = {
    "overview": "Overview",
    "prognosis": "Prognosis",
    "complementary_intro": "Complementary treatments",
}


def provenance(knowledge: KnowledgeBase, key: str) -> Provenance:
    """Every statement of one entry with the ids of its sources.

    ``key`` names a treatment (as ``show`` does), an update or factor by id, or a
    section: overview, prognosis, complementary.
    """
    entries: dict[str, tuple[str, str, Model | tuple[Model, ...]]] = {}
    for section, title in _SECTIONS.items():
        entry: Model | tuple[Model, ...] = getattr(knowledge, section)
        for name in (section, title, section.split("_")[0]):
            entries[normalize(name)] = (section, title, entry)
    for factor in knowledge.factors:
        entries[normalize(factor.id)] = (factor.id, f"Factor: {factor.text}", factor)
    for update in knowledge.updates:
        for name in (update.id, update.title):
            entries[normalize(name)] = (update.id, f"Since 2010: {update.title}", update)
    for treatment in knowledge.treatments:
        for name in treatment.names:
            entries[normalize(name)] = (treatment.id, treatment.name, treatment)
    wanted = normalize(key)
    if wanted not in entries:
        owners = {name: found[0] for name, found in entries.items()}
        raise NotFound("entry", key, closest_ids(owners, wanted))
    entry_id, title, entry = entries[wanted]
    roots = entry if isinstance(entry, tuple) else (entry,)
    rows = [
        row
        for index, root in enumerate(roots)
        for path, node in walk(root, f"[{index}]" if isinstance(entry, tuple) else "")
        for row in _sourced_texts(knowledge, path, node)
    ]
    return Provenance(entry_id, title, tuple(rows))


def _sourced_texts(knowledge: KnowledgeBase, path: str, node: Model) -> list[SourcedText]:
    """The readable text(s) of one record that cites sources; none for other records."""
    field = path or "text"
    if isinstance(node, Update):
        return [SourcedText("statement", node.statement, node.sources)] + [
            SourcedText(f"detail[{i}]", line, node.sources) for i, line in enumerate(node.detail)
        ]
    if isinstance(node, SideEffectLink):
        return [SourcedText(field, knowledge.side_effect_by_id[node.id].name, node.sources)]
    if isinstance(node, Detail):
        return [SourcedText(field, f"{node.title}: {'; '.join(node.items)}", node.sources)]
    if isinstance(node, Statement):
        return [SourcedText(field, node.text, node.sources)]
    return []
