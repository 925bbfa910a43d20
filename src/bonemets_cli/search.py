"""Full-text search over every entry of a KnowledgeBase: ranked, typo-tolerant, pure."""

import difflib
import re
from bisect import bisect_right
from functools import cache
from itertools import accumulate
from typing import Any, NamedTuple, get_args

from bonemets_cli.models import KnowledgeBase, Model, Named, Source, Treatment, Update

_WORD = re.compile(r"[^\W_]+")

_IGNORED = frozenset("a an and are as at be by can for from in is it of on or the to with".split())
"""Words too common to search on, unless they are all the query has."""

_TITLE_WEIGHT = 3.0
"""A word in an entry's name, title or alias counts this many times one in its text."""

_TITLE_FIELDS = frozenset({"name", "aliases", "title", "label"})

_KIND_WEIGHTS = {"treatment": 1.0, "update": 1.0, "factor": 1.0, "section": 1.0}
"""The vocabulary (cancers, side effects, goals, routes) and the sources rank below
the entries that say something about them: a match there weighs this much."""
_OTHER_KIND_WEIGHT = 0.3

_NEAR = 0.6
"""How alike (difflib ratio) a word must be to a term to be offered as a closest term."""

_EXACT, _PREFIX, _TYPO = 1.0, 0.8, 0.6
"""How much a word counts when it matches exactly, as the start of a longer word, or
within a small typo."""


class Hit(NamedTuple):
    """One field of an entry in which the query matched."""

    field: str
    text: str
    words: tuple[str, ...]
    """The words of the text that matched, as they appear in the index (lower case)."""


class Result(NamedTuple):
    """An entry that matched, its score, and where in it the query matched."""

    kind: str
    entry: str
    title: str
    score: float
    terms: int
    """How many of the query's terms it matched: entries matching more rank first."""
    hits: tuple[Hit, ...]


class Found(NamedTuple):
    """The ranked results, and the typos the search read past ('nausia' -> 'nausea')."""

    terms: tuple[str, ...]
    corrections: tuple[tuple[str, str], ...]
    results: tuple[Result, ...]


def terms_of(query: str) -> tuple[str, ...]:
    """The words to search for: case-folded, common words dropped unless nothing is left."""
    words = tuple(dict.fromkeys(_WORD.findall(query.casefold())))
    kept = tuple(word for word in words if word not in _IGNORED)
    return kept or words


def search(knowledge: KnowledgeBase, query: str) -> Found:
    """Every entry that matches any term of ``query``, best first.

    A term matches a word exactly, as the start of a word (three letters or more),
    or within one typo (four letters or more; two typos from eight letters). Entries that
    match more terms come first, then those with the higher score; ties keep the
    knowledge file's order.
    """
    terms = terms_of(query)
    texts, places, owners = _index(knowledge)
    # Many fields repeat (names, aliases, shared statements): read each text once.
    vocabulary = set(_WORD.findall(" ".join(set(texts)).casefold()))
    weights = {term: _matches(term, vocabulary) for term in terms}
    corrections = tuple(
        (term, _likeliest(term, found))
        for term, found in weights.items()
        if found and max(found.values()) == _TYPO
    )
    matched_words = {word for found in weights.values() for word in found}
    if not matched_words:
        return Found(terms, corrections, ())
    pattern = re.compile(
        r"(?<!\w)("
        + "|".join(map(re.escape, sorted(matched_words, key=len, reverse=True)))
        + r")(?!\w)",
        re.IGNORECASE,
    )
    # One pass over all the text at once (no field holds a newline), then each match
    # is traced back to its field by offset: far faster than a search per field.
    starts = list(accumulate((len(text) + 1 for text in texts[:-1]), initial=0))
    found_in: dict[int, dict[str, None]] = {}
    for match in pattern.finditer("\n".join(texts)):
        index = bisect_right(starts, match.start()) - 1
        found_in.setdefault(index, {})[match.group().casefold()] = None
    hits_of: dict[int, list[Hit]] = {}  # by owner, in the knowledge file's order
    for index, words in found_in.items():
        owner, path = places[index]
        hits_of.setdefault(owner, []).append(Hit(path, texts[index], tuple(words)))
    results = []
    for owner, hits in hits_of.items():
        kind, entry, title = owners[owner]
        score = 0.0
        matched_terms = 0
        for found in weights.values():
            best = max(
                (
                    found.get(word, 0.0) * _field_weight(hit.field)
                    for hit in hits
                    for word in hit.words
                ),
                default=0.0,
            )
            score += best
            matched_terms += best > 0
        score *= _KIND_WEIGHTS.get(kind, _OTHER_KIND_WEIGHT)
        results.append(Result(kind, entry, title, round(score, 3), matched_terms, tuple(hits)))
    results.sort(key=lambda result: (-result.terms, -result.score))
    return Found(terms, corrections, tuple(results))


def closest_terms(knowledge: KnowledgeBase, query: str, limit: int = 5) -> list[str]:
    """Words of the knowledge base that look most like the query's words: for each
    term, the nearest word and any nearly as near."""
    texts, _, _ = _index(knowledge)
    vocabulary = {word for word in _WORD.findall(" ".join(set(texts)).casefold()) if len(word) > 2}
    found: dict[str, None] = {}
    for term in terms_of(query):
        scored = sorted(
            ((difflib.SequenceMatcher(None, term, word).ratio(), word) for word in vocabulary),
            reverse=True,
        )
        if scored and scored[0][0] >= _NEAR:
            best = scored[0][0]
            found.update((word, None) for score, word in scored if score >= best - 0.05)
    return list(found)[:limit]


def _field_weight(path: str) -> float:
    """Names and titles weigh more than running text: 'aliases[2]' is a name."""
    last = path.rsplit(".", 1)[-1].split("[", 1)[0]
    return _TITLE_WEIGHT if last in _TITLE_FIELDS else 1.0


def _likeliest(term: str, found: dict[str, float]) -> str:
    """Of the words a mistyped term reached, the one fewest typos away, then nearest in
    length, then first alphabetically."""

    def typos(word: str) -> int:
        return (
            next(limit for limit in range(1, 3) if _typos(term, word, limit)) if word != term else 0
        )

    return min(found, key=lambda word: (typos(word), abs(len(word) - len(term)), word))


def _matches(term: str, vocabulary: set[str]) -> dict[str, float]:
    """The words of the vocabulary this term matches, with how strongly.

    A short term found as it is ('pain') is not also read as a typo ('main'); a long
    one may be both ('prostrate', an alias, and 'prostate').
    """
    allowed = 0 if len(term) < 4 else 1 if len(term) < 8 else 2
    if term in vocabulary and len(term) < 8:
        allowed = 0
    found: dict[str, float] = {}
    for word in vocabulary:
        if word == term:
            found[word] = _EXACT
        elif len(term) >= 3 and word.startswith(term):
            found[word] = _PREFIX
        elif allowed and abs(len(word) - len(term)) <= allowed and _typos(term, word, allowed):
            found[word] = _TYPO
    return found


def _typos(a: str, b: str, limit: int) -> bool:
    """Whether a and b are within ``limit`` edits (insert, delete, change, swap)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return False
        previous2, previous = previous, current
    return previous[-1] <= limit


_SECTIONS = {
    "overview": "Overview",
    "complementary_intro": "Complementary treatments",
    "prognosis": "Prognosis",
    "content": "About this knowledge base",
    "founding_text": "Founding text",
}


Owner = tuple[str, str, str]
"""(kind, entry id, entry title): whose a text is."""


def _index(
    knowledge: KnowledgeBase,
) -> tuple[list[str], list[tuple[int, str]], list[Owner]]:
    """Every readable string in the knowledge base, and for each, where it is: the
    index of its owner and its path in that entry. Parallel lists, not a record per
    text: with 10,000 treatments there are some 60,000 texts."""
    texts: list[str] = []
    places: list[tuple[int, str]] = []
    owners: list[Owner] = []
    collections: tuple[tuple[str, tuple[Model, ...]], ...] = (
        ("treatment", knowledge.treatments),
        ("update", knowledge.updates),
        ("factor", knowledge.factors),
        ("cancer", knowledge.cancers),
        ("side effect", knowledge.side_effects),
        ("goal", knowledge.goals),
        ("bone state", knowledge.bone_states),
        ("route", knowledge.routes),
        ("source", knowledge.sources),
    )
    # Side effects are linked by id: their names belong to the treatments too.
    names = {effect.id: effect.name for effect in knowledge.side_effects}
    for kind, records in collections:
        for record in records:
            owners.append((kind, str(getattr(record, "id", "")), _title(record)))
            owner = len(owners) - 1
            _collect(record, "", owner, texts, places)
            if isinstance(record, Treatment):
                for index, link in enumerate(record.side_effects):
                    texts.append(names.get(link.id, link.id))
                    places.append((owner, f"side_effects[{index}]"))
    for section, title in _SECTIONS.items():
        owners.append(("section", section, title))
        value = getattr(knowledge, section)
        if isinstance(value, tuple):
            for index, record in enumerate(value):
                _collect(record, f"[{index}]", len(owners) - 1, texts, places)
        else:
            _collect(value, "", len(owners) - 1, texts, places)
    return texts, places, owners


def _collect(
    node: Model, path: str, owner: int, texts: list[str], places: list[tuple[int, str]]
) -> None:
    """Add the readable strings of one record, and of the records inside it."""
    readable, nested = _layout(type(node))
    for name in readable:
        value = getattr(node, name)
        where = f"{path}.{name}" if path else name
        if type(value) is str:
            texts.append(value)
            places.append((owner, where))
        elif type(value) is tuple:
            for index, item in enumerate(value):
                texts.append(item)
                places.append((owner, f"{where}[{index}]"))
    for name in nested:
        value = getattr(node, name)
        where = f"{path}.{name}" if path else name
        if type(value) is tuple:
            for index, item in enumerate(value):
                _collect(item, f"{where}[{index}]", owner, texts, places)
        elif value is not None:
            _collect(value, where, owner, texts, places)


def _title(record: Model) -> str:
    if isinstance(record, Named):
        return record.name
    if isinstance(record, Update):
        return record.title
    if isinstance(record, Source):
        return record.label
    return str(getattr(record, "text", getattr(record, "id", "")))


def _holds_records(annotation: Any) -> bool:
    if isinstance(annotation, type):
        return issubclass(annotation, Model)
    return any(_holds_records(arg) for arg in get_args(annotation))


@cache
def _layout(cls: type[Model]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A record type's text fields, and its fields that hold records."""
    nested = tuple(
        name for name, info in cls.model_fields.items() if _holds_records(info.annotation)
    )
    return _text_fields(cls), nested


@cache
def _text_fields(cls: type[Model]) -> tuple[str, ...]:
    """The fields of a record that hold readable text (not ids, dates or references)."""
    readable = {
        "name",
        "aliases",
        "title",
        "label",
        "citation",
        "text",
        "items",
        "statement",
        "detail",
        "applies_to",
        "grade",
        "attribution",
        "pmid",
        "doi",
        "trial",
        "url",
    }
    return tuple(name for name in cls.model_fields if name in readable)
