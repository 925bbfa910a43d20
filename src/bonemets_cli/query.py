"""Questions asked of a KnowledgeBase: pure functions, no terminal, no I/O."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from bonemets_cli.errors import NotFound
from bonemets_cli.models import Cancer, KnowledgeBase, Named, Treatment, normalize

N = TypeVar("N", bound=Named)

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
    """The ids of the entries whose names are nearest to ``wanted``."""
    owner = {normalize(key): entry.id for entry in entries for key in entry.names}
    near = difflib.get_close_matches(wanted, owner, n=limit * 3, cutoff=0.6)
    near += [key for key in owner if wanted and (wanted in key or key in wanted)]
    return list(dict.fromkeys(owner[key] for key in near))[:limit]


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
