"""One vocabulary: every name an entry answers to, and the closest names to one that misses.

``show``, ``options``, ``compare`` and ``search`` all look names up here, so that a
name one command knows, the others know too.
"""

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from itertools import islice
from typing import Generic, TypeVar

from bonemets_cli.frozen import Frozen
from bonemets_cli.models import KnowledgeBase, Named, field_names, normalize

N = TypeVar("N", bound=Named)

MAX_NAME = 200
"""Longer than any name: a longer one is not looked up, nor compared for suggestions."""

_NEAR = 0.6
"""How alike two names must be (difflib ratio) for one to be suggested for the other."""

_NEARLY_AS_NEAR = 0.15
"""Names this much less alike than the best are suggested beside it."""


def names_of(entries: Iterable[N]) -> dict[str, N]:
    """Each entry by every normalized spelling of it: id, name and aliases."""
    return {normalize(key): entry for entry in entries for key in entry.names}


class Index(Generic[N]):
    """Entries by every name they answer to, normalized once: one index serves every
    name looked up in one go (a comparison of 400 treatments out of 10,000 once
    normalized all their names for each name it looked up)."""

    def __init__(self, entries: Iterable[N]) -> None:
        self.entries = tuple(entries)
        self.by_name = names_of(self.entries)
        self._sorted: list[str] | None = None

    def lookup(self, name: str) -> N | None:
        """The entry with this id, name or alias, forgiving case, hyphens and spacing;
        else the one entry whose names alone start with it ("bisphos"); else None."""
        wanted = normalize(name)
        if len(wanted) > MAX_NAME:
            return None
        if wanted in self.by_name:
            return self.by_name[wanted]
        if len(wanted) >= 3:
            return self._only_one_starting(wanted)
        return None

    def _only_one_starting(self, wanted: str) -> N | None:
        """The entry whose names alone start with ``wanted``: names in sorted order put
        every name that starts with it in one run, read until a second entry shows."""
        if self._sorted is None:
            self._sorted = sorted(self.by_name)
        found: N | None = None
        for key in islice(self._sorted, bisect_left(self._sorted, wanted), None):
            if not key.startswith(wanted):
                break
            entry = self.by_name[key]
            if found is not None and entry is not found:
                return None
            found = entry
        return found

    def suggestions(self, name: str, limit: int = 3) -> list[str]:
        """The ids of the entries whose names are nearest to ``name`` (see ``closest``)."""
        owners = {key: entry.id for key, entry in self.by_name.items()}
        return closest(owners, normalize(name), limit)


def closest(owners: Mapping[str, str], wanted: str, limit: int = 3) -> list[str]:
    """Given names mapped to what they lead to (an id, or the word itself), what the
    names nearest to ``wanted`` lead to, best first.

    Only names nearly as close as the best are kept, so one clear typo gets one
    suggestion, while a prefix shared by several names gets them all. A name longer
    than MAX_NAME gets none: comparing it would cost time for nothing, since no name
    is that long. Names far longer or shorter than ``wanted`` are not compared either.
    """
    if not wanted or len(wanted) > MAX_NAME:
        return []
    import difflib  # only on a miss: most runs never need it

    best: dict[str, float] = {}
    for key, owner in owners.items():
        # A fragment of a name ("radio") points at it as strongly as a near-typo does.
        if wanted in key:
            score = 0.9
        elif 2 * min(len(key), len(wanted)) / (len(key) + len(wanted)) < _NEAR:
            continue  # the ratio can't reach _NEAR: skip the comparison
        else:
            score = difflib.SequenceMatcher(None, wanted, key).ratio()
        best[owner] = max(best.get(owner, 0.0), score)
    ranked = sorted(best.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < _NEAR:
        return []
    top = ranked[0][1]
    return [owner for owner, score in ranked if score >= max(_NEAR, top - _NEARLY_AS_NEAR)][:limit]


def suggestions(entries: Iterable[Named], name: str, limit: int = 3) -> list[str]:
    """The ids of the entries (of this one kind) whose names are nearest to ``name``."""
    return Index(entries).suggestions(name, limit)


class Alias(Frozen):
    """A name an entry answers to besides its own, and that entry."""

    kind: str
    entry: str
    alias: str
    """Normalized: lower case, single spaces."""
    name: str
    """The entry's own name, normalized. Not its other aliases: those may name its
    members (radium-223 and strontium-89 of radiopharmaceuticals), not synonyms."""


VOCABULARY_KINDS: tuple[tuple[str, str], ...] = (
    ("treatments", "treatment"),
    ("cancers", "cancer"),
    ("side_effects", "side effect"),
    ("goals", "goal"),
    ("bone_states", "bone state"),
    ("routes", "route"),
)
"""The collections of named entries, by field of the knowledge base, and their kinds.
A collection added later is found by ``named_collections`` with its field as kind."""


def named_collections(knowledge: KnowledgeBase) -> list[tuple[str, tuple[Named, ...]]]:
    """Every collection of named entries in the knowledge base, with its kind."""
    known = dict(VOCABULARY_KINDS)
    found: list[tuple[str, tuple[Named, ...]]] = []
    for field in field_names(type(knowledge)):
        value = getattr(knowledge, field)
        if isinstance(value, tuple) and value and all(isinstance(v, Named) for v in value):
            kind = known.get(field, field.removesuffix("s").replace("_", " "))
            found.append((kind, value))
    return found


def aliases(knowledge: KnowledgeBase) -> dict[str, list[Alias]]:
    """Every alias of every named entry, by its normalized spelling.

    Search reads a query's words through these: 'throwing up' is an alias of vomiting,
    so a query that says it also looks for 'vomiting', the entry's own name.
    """
    found: dict[str, list[Alias]] = {}
    for kind, entries in named_collections(knowledge):
        for entry in entries:
            if not entry.aliases:
                continue
            name = normalize(entry.name)
            for alias in dict.fromkeys(normalize(alias) for alias in entry.aliases):
                if alias != name:
                    found.setdefault(alias, []).append(Alias(kind, entry.id, alias, name))
    return found


_READINGS_KEPT = 3
"""Readings kept for the words from one place on: two tell an ambiguity, and one more
stands in for a reading that names the same entries as another once the words before
are read."""


_Readings = dict[tuple[str, ...], tuple[int, tuple[str, ...]]]
"""The readings of the words from one place on: by the ids they name, where the first
name ends and the reading that goes on from there."""


class Split(Frozen):
    """How a list of words reads as names of one kind (``split_names``)."""

    readings: tuple[tuple[str, ...], ...]
    """Each way to read the words as names, longest names first; a name is its words
    joined by spaces. At most two: one is a clear reading, two an ambiguous one, none
    a word that starts no name."""
    unknown: str
    """With no reading: the first words that start no name, up to where a name starts."""


def split_names(entries: Sequence[Named], words: Sequence[str]) -> Split:
    """Read words as a list of names of these entries, so names of several words need no
    quotes: ``zoledronic acid denosumab`` reads as 'zoledronic acid', 'denosumab'.

    A word holding spaces (quoted on the command line) stays within one name. Each name
    is looked up as ``Index.lookup`` does (a unique prefix counts), and no name is longer than
    the longest an entry has. Two readings that name different entries make the words
    ambiguous; readings that name the same entries are one.
    """
    index = Index(entries)
    longest = max((len(key.split()) for key in index.by_name), default=0)
    found: dict[str, Named | None] = {}

    def entry(first: int, end: int) -> Named | None:
        name = " ".join(words[first:end])
        if name not in found:
            found[name] = index.lookup(name) if len(name.split()) <= longest else None
        return found[name]

    def ends(first: int) -> range:
        """Where a name starting at ``first`` may end, the longest first."""
        return range(min(len(words), first + longest), first, -1)

    # From the last word back: the readings of the words from each one on, by the
    # entries they name, each once (as the commands take them), a few at most. Each
    # reading says where its first name ends and which reading goes on from there.
    readings: list[_Readings] = [{} for _ in words]
    readings.append({(): (len(words), ())})
    for first in range(len(words) - 1, -1, -1):
        for end in ends(first):
            named = entry(first, end)
            if named is None:
                continue
            for key in readings[end]:
                readings[first].setdefault(tuple(dict.fromkeys((named.id, *key))), (end, key))
                if len(readings[first]) == _READINGS_KEPT:
                    break
            if len(readings[first]) == _READINGS_KEPT:
                break
    if readings[0]:
        return Split(tuple(_names(words, readings, key) for key in list(readings[0])[:2]), "")
    # No reading: the unknown words start at the last place the words read up to.
    reached = {0}
    for first in range(len(words)):
        if first in reached:
            reached.update(end for end in ends(first) if entry(first, end) is not None)
    start = max(first for first in reached if first < len(words) and not readings[first])
    stop = next(
        (
            first
            for first in range(start + 1, len(words))
            if any(entry(first, e) for e in ends(first))
        ),
        len(words),
    )
    return Split((), " ".join(words[start:stop]))


def _names(
    words: Sequence[str], readings: list[_Readings], key: tuple[str, ...]
) -> tuple[str, ...]:
    """One reading's names, followed from the first word to the last."""
    names: list[str] = []
    first = 0
    while first < len(words):
        end, key = readings[first][key]
        names.append(" ".join(words[first:end]))
        first = end
    return tuple(names)
