"""Full-text search over every entry of a KnowledgeBase: ranked retrieval, pure.

How an entry ranks, in order of precedence:

1. A warning whose signs the query names comes before anything else.
2. Entries matching more of the query's concepts come first. A concept is a word of
   the query, or a phrase that is an alias of an entry ('throwing up'), which also
   matches that entry's other names ('vomiting').
3. Then by a BM25 score (k1=1.2, b=0.9) over the entry's fields, a word in its name
   or aliases counting more than one in a title, and that more than one in its text
   (a sentence the entry repeats counts once); the entry's length is its characters.
   Multiplied up when the query's words stand together in one field.

A query word matches a word of the text as written, by its stem (Snowball English:
'fractures' meets 'fracture'), by the stem with a silent final e dropped before a
vowel ('cured' meets 'curable'), or as the start of a longer word. Only a word that
matches in none of these ways is read as a typo, so an exact or stemmed match always
outranks a typo match. Common words ('will', 'I', 'my', 'how') are dropped unless they
are all the query has.
"""

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from functools import cache
from itertools import islice, pairwise

from bonemets_cli import names
from bonemets_cli.errors import NothingMatched
from bonemets_cli.frozen import Frozen
from bonemets_cli.models import KnowledgeBase
from bonemets_cli.search_index import build_index
from bonemets_cli.search_words import (
    MAX_WORD,
    WORD,
    MatchKind,
    likeliest,
    matcher,
    stemmer,
    words_in,
)

STOP_WORDS = frozenset(
    """
    a about after am an and any are as at be been being but by can could did do does
    doing for from get go going got had has have how i if in into is it its me might
    my no not of on or our should so some than that the their them then there these
    they this those to too up was we what when where which who why will with would you
    your
    """.split()
)
"""Words too common to search on, unless they are all the query has."""

FIELD_WEIGHTS = {"name": 4.0, "title": 2.0, "text": 1.0}
"""How much one occurrence of a word counts in each kind of field."""

_FIELD_OF = {"name": "name", "aliases": "name", "title": "title", "label": "title"}

_KIND_WEIGHTS = {"cancer": 0.1, "side effect": 0.1, "goal": 0.1, "bone state": 0.1}
"""The vocabulary (cancers, side effects, goals, bone states, routes) and the sources
rank below the entries that say something about them: their score weighs this much.
A glossary term, which defines a word, and the questions to ask, which name a subject
without answering it, weigh half. Every other kind, including kinds added later,
weighs 1."""
_KIND_WEIGHTS |= {"route": 0.1, "source": 0.1, "glossary": 0.5, "questions": 0.5}

_K1, _B = 1.2, 0.9
"""BM25's term-frequency saturation (its usual value) and length normalization (above
the usual 0.75: a long entry that names a word once is rarely about it)."""

_PROXIMITY = 0.5
"""How much more an entry scores when all the query's concepts stand together (within
_WINDOW words of each other, in one field); in proportion for some of them."""
_WINDOW = 3

_MATCH_WEIGHTS: dict[MatchKind, float] = {
    "exact": 1.0,
    "stem": 0.9,
    "synonym": 0.85,
    "prefix": 0.8,
    "opposite": 0.7,
    "typo": 0.6,
}
"""How much a word counts by how it matched."""


class Hit(Frozen):
    """One field of an entry in which the query matched."""

    field: str
    text: str
    words: tuple[str, ...]
    """The words of the text that matched, as they appear in the index (lower case)."""


class Reading(Frozen):
    """Why an entry matched a query word other than as written: ('vomiting',
    'throwing up', 'synonym'), ('fractures', 'fracture', 'stem')."""

    found: str
    query: str
    match: MatchKind


class Result(Frozen):
    """An entry that matched, its score, and where in it the query matched."""

    kind: str
    entry: str
    title: str
    score: float
    terms: int
    """How many of the query's concepts it matched: entries matching more rank first."""
    hits: tuple[Hit, ...]
    readings: tuple[Reading, ...] = ()
    """The query words it matched other than as written, and as what."""
    urgent: bool = False
    """A warning whose signs the query names: it ranks first."""


class Found(Frozen):
    """The ranked results, and the typos the search read past ('nausia' -> 'nausea')."""

    terms: tuple[str, ...]
    corrections: tuple[tuple[str, str], ...]
    results: tuple[Result, ...]


def terms_of(query: str) -> tuple[str, ...]:
    """The words to search for: case-folded, common words dropped unless nothing is left."""
    words = tuple(dict.fromkeys(WORD.findall(query.casefold())))
    kept = tuple(word for word in words if word not in STOP_WORDS)
    return kept or words


class _Way(Frozen):
    """One way of saying what a part of the query asks for."""

    words: tuple[str, ...]
    """The words to score, stop words left out."""
    phrase: str | None
    """When its stop words matter: the words as they must stand in one field."""
    synonym: bool
    """Another name for what the query said, not the query's own words."""


class _Concept(Frozen):
    """What one part of the query asks for: the query's own words, and, when they are an
    alias of an entry, that entry's own name ('throwing up' or 'vomiting')."""

    query: str
    ways: tuple[_Way, ...]
    """The query's own words first."""


def concepts_of(knowledge: KnowledgeBase, query: str) -> list[_Concept]:
    """The query's terms, with each phrase that is an alias of an entry taken as one
    concept that its entry's own name also satisfies ('being sick' or 'vomiting').

    Phrases compare by the stems of their words: 'shrinking tumours' is the alias
    'shrink tumours'. A phrase whose stop words matter matches only where its words
    stand together, so 'being sick' is not 'feeling sick', though both say 'sick'.
    """
    terms = terms_of(query)
    if not terms:
        return []
    stem = stemmer()
    words = WORD.findall(query.casefold())
    stems = stem(words)
    by_phrase: dict[tuple[str, ...], list[names.Alias]] = {}
    spellings = names.aliases(knowledge)
    split = [WORD.findall(spelling) for spelling in spellings]
    roots = iter(stem([word for parts in split for word in parts]))  # one call for all
    for entries, parts in zip(spellings.values(), split, strict=True):
        by_phrase.setdefault(tuple(islice(roots, len(parts))), []).extend(entries)
    longest = max(map(len, by_phrase), default=1)
    concepts: list[tuple[int, _Concept]] = []
    covered: set[str] = set()
    start = 0
    while start < len(words):
        for size in range(min(longest, len(words) - start), 0, -1):
            key = tuple(stems[start : start + size])
            own = {word for word in words[start : start + size] if word in terms}
            if key in by_phrase and own - covered:
                said = by_phrase[key][0].alias
                ways = {_way(said, synonym=False): None}
                for alias in by_phrase[key]:
                    ways.setdefault(_way(alias.name, synonym=True), None)
                concepts.append((start, _Concept(said, tuple(ways))))
                covered |= own
                start += size
                break
        else:
            start += 1
    concepts += [
        (words.index(term) if term in words else 0, _Concept(term, (_Way((term,), None, False),)))
        for term in terms
        if term not in covered
    ]
    return [concept for _, concept in sorted(concepts, key=lambda item: item[0])]


def _way(name: str, *, synonym: bool) -> _Way:
    """A name as a way to match: its significant words, and, when leaving out its
    stop words would change what it says ('being sick', 'at risk'), the phrase."""
    words = WORD.findall(name.casefold())
    significant = tuple(_significant(name))
    phrase = " ".join(words) if len(words) > len(significant) else None
    return _Way(significant, phrase, synonym)


def _significant(name: str) -> list[str]:
    words = WORD.findall(name.casefold())
    return [word for word in words if word not in STOP_WORDS] or words


def search(knowledge: KnowledgeBase, query: str) -> Found:
    """Every entry that matches any concept of ``query``, best first (see the module's
    docstring for the order). Ties keep the knowledge file's order."""
    terms = terms_of(query)
    concepts = concepts_of(knowledge, query)
    texts, places, owners = build_index(knowledge)
    # Many fields repeat (names, aliases, shared statements): read each text once.
    words_of = {text: words_in(text) for text in dict.fromkeys(texts)}
    vocabulary = set().union(*words_of.values())
    match_word = matcher(vocabulary)
    # For each concept, each alternative, each word: the vocabulary words it matches.
    wanted = [
        [[match_word(word, way.synonym) for word in way.words] for way in concept.ways]
        for concept in concepts
    ]
    corrections = tuple(
        (concept.query, likeliest(concept.query, found))
        for concept, alternatives in zip(concepts, wanted, strict=True)
        if concept.ways[0].phrase is None
        for found in alternatives[0]
        if found and all(kind == "typo" for kind in found.values())
    )
    matched_words = {
        word for alternatives in wanted for found in alternatives for f in found for word in f
    }
    if not matched_words:
        return Found(terms, corrections, ())
    counts, hits_of = _occurrences(texts, places, words_of, matched_words)
    lengths = _lengths(texts, places, hits_of)
    # The mean counts repeated sentences too: a pass at C speed, where one that left
    # them out would cost a set per entry; it only scales every length alike.
    average = sum(map(len, texts)) / len(owners)
    frequency: dict[str, int] = {}
    for words in counts.values():
        for word in words:
            frequency[word] = frequency.get(word, 0) + 1
    total = len(owners)
    results = []
    for owner, hits in hits_of.items():
        kind, entry, title = owners[owner]
        tf = counts[owner]
        norm = _K1 * (1 - _B + _B * lengths[owner] / average)

        def bm25(word: str, tf: dict[str, float] = tf, norm: float = norm) -> float:
            df = frequency[word]
            idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
            return idf * tf[word] * (_K1 + 1) / (tf[word] + norm)

        score = 0.0
        matched = 0
        readings: dict[Reading, None] = {}
        present: list[set[str]] = []
        for concept, alternatives in zip(concepts, wanted, strict=True):
            best, reading, used = 0.0, None, set()
            for way, found in zip(concept.ways, alternatives, strict=True):
                if way.phrase is not None and not any(
                    _stands_in(way.phrase, hit.text) for hit in hits
                ):
                    continue
                per_word = []
                for matches in found:
                    options = [
                        (_MATCH_WEIGHTS[how] * bm25(word), word, how)
                        for word, how in matches.items()
                        if word in tf
                    ]
                    if not options:
                        break
                    per_word.append(max(options))
                else:
                    value = sum(option[0] for option in per_word) / len(per_word)
                    if len(per_word) > 1 and way.phrase is None:
                        # A phrase of several words ('high calcium') counts more where
                        # its words, as found, stand together than where they are apart.
                        phrase = " ".join(option[1] for option in per_word)
                        value *= 1 + _PROXIMITY * any(_stands_in(phrase, h.text) for h in hits)
                    if value > best:
                        best = value
                        used = {option[1] for option in per_word}
                        reading = None
                        if way.synonym:
                            found_as = way.phrase or " ".join(option[1] for option in per_word)
                            reading = Reading(found_as, concept.query, "synonym")
                        elif len(per_word) == 1 and per_word[0][1] != way.words[0]:
                            reading = Reading(per_word[0][1], way.words[0], per_word[0][2])
            score += best
            matched += best > 0
            present.append(used)
            if reading is not None:
                readings[reading] = None
        if not matched:
            continue
        score *= 1 + _PROXIMITY * _together(hits, present)
        score *= _KIND_WEIGHTS.get(kind, 1.0)
        # A warning comes first when one of its signs holds every concept of the
        # query: 'weak legs', 'pins and needles'; not a word such as 'losing' alone.
        urgent = (
            kind == "warning"
            and all(present)
            and any(
                hit.field.startswith("signs") and all(used <= set(hit.words) for used in present)
                for hit in hits
            )
        )
        results.append(
            Result(
                kind, entry, title, round(score, 3), matched, tuple(hits), tuple(readings), urgent
            )
        )
    results.sort(key=lambda result: (-result.urgent, -result.terms, -result.score))
    return Found(terms, corrections, tuple(results))


def _stands_in(phrase: str, text: str) -> bool:
    """Whether the words of ``phrase`` stand together, in order, in ``text``."""
    return f" {phrase} " in f" {' '.join(WORD.findall(text.casefold()))} "


def _together(hits: Iterable[Hit], present: list[set[str]]) -> float:
    """How many neighbouring pairs of the query's matched concepts stand within
    _WINDOW words of each other in one field, as a share of all such pairs."""
    sets = [words for words in present if words]
    if len(sets) < 2:
        return 0.0
    close: set[int] = set()
    for hit in hits:
        if len(hit.words) < 2:
            continue
        positions = [
            [i for i, word in enumerate(WORD.findall(hit.text.casefold())) if word in words]
            for words in sets
        ]
        for pair, (here, there) in enumerate(pairwise(positions)):
            if any(abs(a - b) <= _WINDOW for a in here for b in there):
                close.add(pair)
    return len(close) / (len(sets) - 1)


def _occurrences(
    texts: list[str],
    places: list[tuple[int, str]],
    words_of: dict[str, list[str]],
    words: set[str],
) -> tuple[dict[int, dict[str, float]], dict[int, list[Hit]]]:
    """For each owner with a match: each matched word's weighted count (a word in a
    name counts FIELD_WEIGHTS['name'] times), and the fields it matched in.
    ``words_of`` holds the words of each distinct text."""
    # Each distinct text is counted once, at C speed (a text of megabytes costs
    # little), then traced to every field that holds it: entries repeat much text.
    tallies = {
        text: {word: count for word, count in Counter(its_words).items() if word in words}
        for text, its_words in words_of.items()
        if not words.isdisjoint(its_words)
    }
    found_in = {index: tallies[text] for index, text in enumerate(texts) if text in tallies}
    counts: dict[int, dict[str, float]] = {}
    hits_of: dict[int, list[Hit]] = {}  # by owner, in the knowledge file's order
    counted: set[tuple[int, str]] = set()
    for index in found_in:  # in the order of texts
        owner, path = places[index]
        tf = counts.setdefault(owner, {})
        # The sources repeat a sentence in several fields of one entry (its summary
        # and its benefits, say): it counts once, where it first stands.
        if (owner, texts[index]) not in counted:
            counted.add((owner, texts[index]))
            weight = FIELD_WEIGHTS[field_kind(path)]
            for word, count in found_in[index].items():
                tf[word] = tf.get(word, 0.0) + weight * count
        hits_of.setdefault(owner, []).append(Hit(path, texts[index], tuple(found_in[index])))
    return counts, hits_of


def _lengths(
    texts: list[str], places: list[tuple[int, str]], owners: Iterable[int]
) -> dict[int, int]:
    """The length in characters of each of these owners' distinct texts. An owner's
    texts stand together in ``texts``, so each is a slice: no pass over the rest."""
    order = [owner for owner, _ in places]
    return {
        owner: sum(map(len, set(texts[bisect_left(order, owner) : bisect_right(order, owner)])))
        for owner in owners
    }


@cache
def field_kind(path: str) -> str:
    """Which FIELD_WEIGHTS a field takes: 'aliases[2]' is a name, 'title' a title."""
    last = path.rsplit(".", 1)[-1].split("[", 1)[0]
    return _FIELD_OF.get(last, "text")


def closest_terms(knowledge: KnowledgeBase, query: str, limit: int = 5) -> list[str]:
    """Words of the knowledge base that look most like the query's words: for each
    term, the nearest word and any nearly as near (``names.closest``, as lookups use)."""
    texts, _, _ = build_index(knowledge)
    vocabulary = {word for text in set(texts) for word in words_in(text) if len(word) > 2}
    words = {word: word for word in sorted(vocabulary)}  # ties: alphabetical, every run
    found: dict[str, None] = {}
    for term in terms_of(query):
        found.update((word, None) for word in names.closest(words, term[:MAX_WORD], limit))
    return list(found)[:limit]


class SearchPage(Frozen):
    """``search``: the query as typed, and what matched."""

    query: str
    """As typed: escaped where it is shown, kept as it is in JSON."""
    found: Found


def search_page(knowledge: KnowledgeBase, text: str) -> SearchPage:
    """The search page's query. It lives here rather than in query_pages, which the
    search page would import for nothing else (3 M instructions)."""
    found = search(knowledge, text)
    if not found.results:
        near = closest_terms(knowledge, text)
        hint = f" Closest terms: {', '.join(near)}." if near else ""
        raise NothingMatched(f"nothing matches {text!r}.{hint} Run 'bonemets list' to browse.")
    return SearchPage(text, found)
