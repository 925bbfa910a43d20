"""Questions asked of a KnowledgeBase: pure functions, no terminal, no I/O."""

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from bonemets_cli import frozen, names
from bonemets_cli.errors import NotFound, Problem
from bonemets_cli.models import (
    BoneState,
    Cancer,
    Detail,
    Goal,
    KnowledgeBase,
    Listing,
    Named,
    Route,
    SideEffect,
    SideEffectLink,
    Statement,
    Treatment,
    Update,
    normalize,
)

if TYPE_CHECKING:
    from bonemets_cli.pack_models import Medicine

N = TypeVar("N", bound=Named)

Match = Literal["not-limited", "listed", "some-cancers", "complementary"]
"""Why a treatment is an option: the founding text gives it without limiting it to
particular cancers; a source (the founding text, a label or a guideline) lists it for
this cancer; it is listed for some cancers (when no cancer was asked for); or it is
complementary care."""


class Option(frozen.Frozen):
    """A treatment that is an option, why, and the listings that make it one."""

    treatment: Treatment
    match: Match
    listings: tuple[Listing, ...] = ()
    """The sources' listings of it for the cancer asked (or for any, when none was)."""
    routes: tuple[str, ...] = ()
    """How it is given, by route id: its record's, then those later facts name."""


class Filters(frozen.Frozen):
    """What a patient's situation asks of a treatment; None asks nothing."""

    goal: Goal | None = None
    given: Route | None = None
    bones: BoneState | None = None
    avoid: SideEffect | None = None

    def active(self) -> bool:
        return any(value is not None for value in self.as_dict().values())

    def admit(self, knowledge: KnowledgeBase, treatment: Treatment) -> bool:
        """Whether what the knowledge base says of the treatment meets every filter set:
        for goals, routes and side effects, its record and every fact that names them;
        for bones, its record."""
        if self.goal is not None and self.goal.id not in goals_of(knowledge, treatment):
            return False
        if self.given is not None and self.given.id not in routes_of(knowledge, treatment):
            return False
        if self.bones is not None and not any(
            self.bones.id in link.states for link in treatment.bones
        ):
            return False
        return self.avoid is None or all(
            link.id != self.avoid.id for link in side_effects_of(knowledge, treatment)
        )


def listings_for(
    treatment: Treatment, cancer: Cancer | None, family: set[str] | None
) -> tuple[Listing, ...]:
    """The treatment's listings that hold for a cancer (all of them, for none): its own,
    and its groups' unless the listing leaves this cancer out ("other solid tumours"),
    or the same fact lists the cancer itself, with its own conditions."""
    if cancer is None or family is None:
        return treatment.listed_for
    direct = {x.update for x in treatment.listed_for if x.cancer == cancer.id}
    return tuple(
        x
        for x in treatment.listed_for
        if x.cancer == cancer.id
        or (x.cancer in family and cancer.id not in x.excludes and x.update not in direct)
    )


def goals_of(knowledge: KnowledgeBase, treatment: Treatment) -> set[str]:
    """The goals its own benefits name, and for complementary care those the founding
    text names for all of it ("to help you feel better")."""
    goals = {goal for benefit in treatment.benefits for goal in benefit.goals}
    if treatment.kind == "complementary":
        goals.update(knowledge.complementary_intro.goals)
    return goals


def routes_of(
    knowledge: KnowledgeBase, treatment: Treatment, cancer: Cancer | None = None
) -> list[str]:
    """The ways of giving it that its record names, then those a later fact names for it
    (radium-223 is given into a vein); for a cancer, only the facts about that cancer or
    about none in particular (radium-223 is for prostate cancer)."""
    family = cancer_family(knowledge, cancer) if cancer is not None else None
    routes = dict.fromkeys(treatment.given.routes if treatment.given is not None else ())
    for update in knowledge.updates:
        if treatment.id not in update.treatments:
            continue
        if family is None or not update.cancers or family & set(update.cancers):
            routes.update(dict.fromkeys(update.routes))
    return list(routes)


NO_FILTERS = Filters()


def find_treatment(knowledge: KnowledgeBase, name: str) -> Treatment:
    """The treatment with this id, name or alias; a unique prefix also matches.

    Treatments and medicines share one name space: a medicine's name (generic or
    brand) leads to the class it belongs to, the narrowest first ("zometa" ->
    bisphosphonates). Medicines are read only when no treatment matches.
    """
    return find_treatments(knowledge, [name])[0]


def find_treatments(knowledge: KnowledgeBase, wanted: Iterable[str]) -> list[Treatment]:
    """``find_treatment`` for each name, in order, the names of every entry read once."""
    return [treatment for treatment, _ in find_treatments_as_named(knowledge, wanted)]


def find_treatments_as_named(
    knowledge: KnowledgeBase, wanted: Iterable[str]
) -> "list[tuple[Treatment, Medicine | None]]":
    """Each name's treatment, in order, with the medicine named when a medicine's name
    stood for its class (so a page can say so)."""
    treatments = names.Index(knowledge.treatments)
    both: names.Index[Treatment | Medicine] | None = None
    found: list[tuple[Treatment, Medicine | None]] = []
    for name in wanted:
        treatment = treatments.lookup(name)
        if treatment is not None:
            found.append((treatment, None))
            continue
        if both is None:
            from bonemets_cli.query_pack import treatments_and_medicines

            both = names.Index(treatments_and_medicines(knowledge))
        entry = found_in(both, name, "treatment")
        if isinstance(entry, Treatment):
            found.append((entry, None))
        else:
            found.append((knowledge.treatment_by_id[entry.classes[0].id], entry))
    return found


def find_cancer(knowledge: KnowledgeBase, name: str) -> Cancer:
    """The cancer with this id, name or alias (so 'prostrate' finds prostate).

    A miss suggests a cancer only when the name is one typo from one of that cancer's
    own names, or the start of one, or holds one as whole words ('metastatic breast
    cancer'): never a different disease that merely looks alike ('melanoma' is not
    'myeloma'). It names the cancers listed, and the groups whose
    facts may apply to a cancer that is not.
    """
    try:
        return find(knowledge.cancers, name, "cancer")
    except NotFound:
        wanted = normalize(name)
        words = f" {wanted} "
        near = [
            c.id
            for c in knowledge.cancers
            if any(
                near_miss(wanted, key) or (len(key) > 3 and f" {key} " in words)
                for key in map(normalize, c.names)
            )
        ]
        groups = {group for c in knowledge.cancers for group in c.groups}
        hint = "".join(
            f" Facts for {c.name.lower()} may apply to a cancer not listed here: your care "
            f"team can say whether they do (run 'bonemets options --cancer {c.id}')."
            for c in knowledge.cancers
            if c.id in groups
        )
        raise NotFound(
            "cancer", name, near, known=[c.id for c in knowledge.cancers], hint=hint.strip()
        ) from None


def near_miss(typed: str, name: str) -> bool:
    """Whether ``typed`` is the start of ``name`` (three letters or more), or one edit
    (a letter added, dropped, changed, or two swapped) away from it."""
    if len(typed) >= 3 and name.startswith(typed):
        return True
    if abs(len(typed) - len(name)) > 1 or typed == name:
        return typed == name
    start = 0
    while start < min(len(typed), len(name)) and typed[start] == name[start]:
        start += 1
    a, b = typed[start:], name[start:]
    return (
        a[1:] == b[1:]  # changed
        or a[1:] == b  # added
        or a == b[1:]  # dropped
        or (len(a) >= 2 and a[0] == b[1:2] and a[1] == b[0] and a[2:] == b[2:])  # swapped
    )


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
    is accepted ("bisphos"). Otherwise NotFound carries the closest names of the
    same kind (see ``names``, the one vocabulary search shares).
    """
    return found_in(names.Index(entries), name, what, list_known=list_known)


def lookup(entries: Sequence[N], name: str) -> N | None:
    """``find`` without a miss's suggestions: the entry, or None."""
    return names.Index(entries).lookup(name)


def lookup_each(entries: Sequence[N], wanted: Iterable[str]) -> list[N | None]:
    """``lookup`` for each name, in order, the entries' names indexed once."""
    index = names.Index(entries)
    return [index.lookup(name) for name in wanted]


def find_each(
    entries: Sequence[N], wanted: Iterable[str], what: str, *, list_known: bool = False
) -> list[N]:
    """``find`` for each name, in order, the entries' names indexed once."""
    index = names.Index(entries)
    return [found_in(index, name, what, list_known=list_known) for name in wanted]


def found_in(index: names.Index[N], name: str, what: str, *, list_known: bool = False) -> N:
    """``find`` in an index already built: NotFound, with suggestions, on a miss."""
    found = index.lookup(name)
    if found is not None:
        return found
    if len(name) > names.MAX_NAME:
        raise NotFound(
            what, name, suggestions=(), hint=f"Names are at most {names.MAX_NAME} characters."
        )
    raise NotFound(
        what,
        name,
        suggestions=index.suggestions(name),
        known=[entry.id for entry in index.entries] if list_known else (),
    )


def options_for(
    knowledge: KnowledgeBase, cancer: Cancer | None, filters: Filters = NO_FILTERS
) -> list[Option]:
    """The treatments the founding text does not limit to particular cancers, then those
    a source lists for this cancer (for some cancer, when none is asked for), then
    complementary care; only those that meet the filters.

    A treatment is listed for a cancer only by a listing: the founding text, a label or
    a guideline that says so. A fact merely about a cancer (a trial, a caution) lists
    nothing, and a listing for a group (solid tumours) lists it for the group's members.
    """
    family = cancer_family(knowledge, cancer) if cancer is not None else None
    unlimited: list[Option] = []
    listed: list[Option] = []
    complementary: list[Option] = []
    for t in knowledge.treatments:
        if not filters.admit(knowledge, t):
            continue
        listings = listings_for(t, cancer, family)
        routes = tuple(routes_of(knowledge, t, cancer))
        if t.kind == "complementary":
            complementary.append(Option(t, "complementary", listings, routes))
        elif t.not_limited:
            unlimited.append(Option(t, "not-limited", listings, routes))
        elif listings:
            match: Match = "listed" if cancer is not None else "some-cancers"
            listed.append(Option(t, match, listings, routes))
    return unlimited + listed + complementary


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
    own: dict[str, SideEffectLink] = {}
    for link in treatment.side_effects:
        own.setdefault(link.id, link)  # the first link to each, looked up once, not rescanned
    return [
        mine
        if (mine := own.get(effect)) is not None and mine.sources == sources
        else SideEffectLink(id=effect, sources=sources)
        for effect, sources in found.items()
    ]


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
    """Most recent evidence first; ties keep the knowledge file's order. A caution comes
    right after the fact it qualifies when both are listed, never before it."""
    ordered = sorted(updates, key=lambda update: -(knowledge.year_of(update) or 0))
    listed = {update.id for update in ordered}
    placed = [u for u in ordered if u.qualifies not in listed]
    for caution in (u for u in ordered if u.qualifies in listed):
        after = next(i for i, u in enumerate(placed) if u.id == caution.qualifies)
        placed.insert(after + 1, caution)
    return placed


def is_about(update: Update, treatment: Treatment) -> bool:
    """Whether a fact from after 2010 concerns this treatment or one related to it."""
    return treatment.id in update.treatments or any(
        related in update.treatments for related in treatment.related
    )


def updates_for_treatment(knowledge: KnowledgeBase, treatment: Treatment) -> list[Update]:
    """Facts from after 2010 about this treatment or a related one, newest first."""
    return newest_first(knowledge, [u for u in knowledge.updates if is_about(u, treatment)])


def statements_of(treatment: Treatment) -> list[Statement | SideEffectLink | Listing | Detail]:
    """Every record in a treatment that cites sources, in reading order."""
    return [
        treatment.summary,
        *([treatment.given] if treatment.given else []),
        *treatment.benefits,
        *treatment.side_effects,
        *treatment.side_effect_notes,
        *([treatment.cancer_note] if treatment.cancer_note else []),
        *treatment.listed_for,
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


class Overdue(frozen.Frozen):
    """An entry whose next review date has passed."""

    entry: str
    next_review: dt.date


def overdue(knowledge: KnowledgeBase, today: dt.date) -> list[Overdue]:
    """Everything past its next review date: the content as a whole, then each dated
    entry (updates, warnings, glossary terms, questions, medicines, codes, the score)."""
    found = [
        Overdue(entry, next_review)
        for entry, _, next_review in _dated(knowledge, skip=_not_due(knowledge, today))
        if next_review < today
    ]
    if knowledge.content.next_review < today:
        found.insert(0, Overdue("content", knowledge.content.next_review))
    return found


def _not_due(knowledge: KnowledgeBase, today: dt.date) -> frozenset[str]:
    """The pack fields a trusted load has not built, when none of their entries is due:
    those need not be built to know that (ISO dates sort as text)."""
    if min(knowledge.unbuilt_review_dates(), default="9999") < today.isoformat():
        return frozenset()
    return frozenset(knowledge.unbuilt())


_DATED_LISTS = ("updates", "warnings", "glossary", "medicines", "codes")


def _dated(
    knowledge: KnowledgeBase, skip: frozenset[str] = frozenset()
) -> Iterator[tuple[str, str, dt.date]]:
    """Each entry with review dates: (its id, its JSON path, its next review date)."""
    for collection in _DATED_LISTS:
        if collection in skip:
            continue
        entries: tuple[Any, ...] = getattr(knowledge, collection)
        for index, entry in enumerate(entries):
            yield entry.id, f"{collection}[{index}]", entry.next_review
    if "questions" not in skip and knowledge.questions is not None:
        yield "questions", "questions", knowledge.questions.next_review
    if "sins" not in skip and knowledge.sins is not None:
        yield knowledge.sins.id, "sins", knowledge.sins.next_review


def review_warnings(knowledge: KnowledgeBase, today: dt.date) -> list[Problem]:
    """A warning for each entry past its next review date: it stays valid, but must be seen."""
    late = (
        [("content", knowledge.content.next_review)]
        if knowledge.content.next_review < today
        else []
    )
    late += [(path, due) for _, path, due in _dated(knowledge) if due < today]
    return [
        Problem(
            f"{path}.next_review",
            f"past its review date ({due.isoformat()}); review it against "
            "current guidance, then move the date on",
            severity="warning",
        )
        for path, due in late
    ]
