"""Questions asked of a KnowledgeBase: pure functions, no terminal, no I/O."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from bonemets_cli.errors import NotFound
from bonemets_cli.models import Cancer, KnowledgeBase, Named, Treatment, normalize

N = TypeVar("N", bound=Named)

_NEAR = 0.6
"""How alike two names must be (difflib ratio) for one to be suggested for the other."""

Match = Literal["any-cancer", "cancer", "complementary"]
"""Why a treatment is an option: it is for any cancer, for this cancer, or complementary."""


@dataclass(frozen=True)
class Option:
    """A treatment that applies to a cancer, and why it applies."""

    treatment: Treatment
    match: Match


def find_treatment(knowledge: KnowledgeBase, name: str) -> Treatment:
    """The treatment with this id, name or alias; a unique prefix also matches."""
    return find(knowledge.treatments, name, "treatment")


def find_cancer(knowledge: KnowledgeBase, name: str) -> Cancer:
    """The cancer with this id, name or alias (so 'prostrate' finds prostate)."""
    return find(knowledge.cancers, name, "cancer", list_known=True)


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
    """The ids of the entries whose names are nearest to ``wanted``, best first.

    Only names nearly as close as the best are kept, so one clear typo gets one
    suggestion, while a prefix shared by several names gets them all.
    """
    best: dict[str, float] = {}
    for entry in entries:
        for key in map(normalize, entry.names):
            contained = bool(wanted) and (wanted in key or key in wanted)
            score = max(difflib.SequenceMatcher(None, wanted, key).ratio(), 0.9 * contained)
            best[entry.id] = max(best.get(entry.id, 0.0), score)
    ranked = sorted(best.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < _NEAR:
        return []
    top = ranked[0][1]
    return [entry_id for entry_id, score in ranked if score >= max(_NEAR, top - 0.15)][:limit]


def options_for(knowledge: KnowledgeBase, cancer: Cancer) -> list[Option]:
    """Treatments for any cancer, then those tied to this cancer, then complementary care."""
    for_any = [t for t in knowledge.treatments if t.kind != "complementary" and not t.cancers]
    for_this = [
        t for t in knowledge.treatments if t.kind != "complementary" and cancer.id in t.cancers
    ]
    complementary = [
        t
        for t in knowledge.treatments
        if t.kind == "complementary" and (not t.cancers or cancer.id in t.cancers)
    ]
    return (
        [Option(t, "any-cancer") for t in for_any]
        + [Option(t, "cancer") for t in for_this]
        + [Option(t, "complementary") for t in complementary]
    )
