"""How a query word meets the words of the knowledge base: as written, by its Snowball
stem, as the start of a longer word, or, only when none of these, as a typo."""

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from functools import cache
from itertools import chain, islice, takewhile
from typing import Literal

MatchKind = Literal["exact", "stem", "prefix", "synonym", "opposite", "typo"]

WORD = re.compile(r"[^\W_]+")
"""A word: a run of letters and digits."""

_NOT_WORD = bytes([*range(0x30), *range(0x3A, 0x41), *range(0x5B, 0x61), *range(0x7B, 0x80)])
"""The ASCII characters that are neither letters nor digits (controls, space, '_')."""
_ASCII_SPACES = bytes.maketrans(_NOT_WORD, b" " * len(_NOT_WORD))
"""Bytes of UTF-8 as ``words_in`` splits them: every ASCII character that is no letter
or digit becomes a space; letters, digits and the bytes of other characters stay."""


def words_in(text: str) -> list[str]:
    """The words of a text, case-folded: ``WORD.findall(text.casefold())``, in a third
    of the instructions (the regex engine asks the Unicode tables four questions of
    every character). ASCII is lowered and split at C speed on its UTF-8 bytes; only
    the pieces that hold other characters (a dash, an accented letter) go to the regex."""
    utf8 = text.encode("utf-8", "surrogatepass")  # any str, even a lone surrogate
    pieces = utf8.lower().translate(_ASCII_SPACES).decode("utf-8", "surrogatepass").split()
    if text.isascii():
        return pieces
    return [
        word
        for piece in pieces
        for word in ((piece,) if piece.isascii() else WORD.findall(piece.casefold()))
    ]


MAX_WORD = 40
"""No word of the vocabulary is longer: a longer query word is not compared for typos."""

NEGATIONS = ("in", "un", "non")
"""Prefixes that make a word its opposite. People ask about the plain word ('is my spine
stable', 'can it be cured'); sources often write the opposite ('instability', 'not
curable'). A word with one of these prefixes is found by the word without it, when the
knowledge base also uses the plain word in some form ('stabilizing' beside
'instability'): a word that only starts with the letters ('infusion', 'injection',
'information') is no opposite of 'fusion', 'jection' or 'formation'."""

_ADJECTIVE_SUFFIXES = ("al",)
"""Two-letter suffixes that make an adjective of a noun ending in a silent e: spine,
spinal. Other suffixes must be three letters or more, so 'cure' does not find 'curie'."""


def _uses(words: list[str], root: str) -> bool:
    """Whether a sorted vocabulary has a word that starts with this stem."""
    at = bisect_left(words, root)
    return at < len(words) and words[at].startswith(root)


def matcher(vocabulary: set[str]) -> Callable[[str, bool], dict[str, MatchKind]]:
    """A function from a query word to the vocabulary words it matches, and how."""
    stem = stemmer()
    words = sorted(vocabulary)

    def starting(prefix: str) -> Iterator[str]:
        """The words that start with ``prefix``, in order."""
        return takewhile(
            lambda word: word.startswith(prefix), islice(words, bisect_left(words, prefix), None)
        )

    def opposites(root: str) -> list[str]:
        """The vocabulary's words that negate a word of this stem ('instability' for
        'stabl'), when the vocabulary also has a word that starts with the stem. Only
        negated words whose rest starts as the stem does are stemmed, not all of them."""
        negated: dict[str, list[str]] = {}  # by the word they negate: 'stability'
        for prefix in sorted(NEGATIONS):  # each word in alphabetical order
            for word in starting(prefix + root[:2]):
                if len(word) - len(prefix) >= 4:
                    negated.setdefault(word[len(prefix) :], []).append(word)
        if not negated or not _uses(words, root):
            return []
        bases = sorted(negated)
        return [
            word
            for base, its_root in zip(bases, stem(bases), strict=True)
            if its_root == root
            for word in negated[base]
        ]

    def match(term: str, synonym: bool) -> dict[str, MatchKind]:
        found: dict[str, MatchKind] = {}
        (root,) = stem([term])
        # Words of one stem share their first two letters (dying, die; happy, happi):
        # only those are stemmed, not the whole vocabulary.
        near = list(dict.fromkeys(chain(starting(term[:2]), starting(root[:2]))))
        for word, its_root in zip(near, stem(near), strict=True):
            if its_root == root:
                found[word] = "stem"
        # The word's opposite: people ask if the spine is stable, sources say 'instability'.
        for word in opposites(root):
            found.setdefault(word, "opposite")
        if root.endswith("e") and len(root) >= 4:
            # A silent final e drops before a suffix that starts with a vowel: cure, curable.
            base = root[:-1]
            for word in starting(base):
                # A suffix of three letters or more (able, ing, ive): not 'curie'.
                suffix = word[len(base) :]
                if (len(suffix) >= 3 and suffix[0] in "aeiouy") or suffix in _ADJECTIVE_SUFFIXES:
                    found.setdefault(word, "stem")
        if len(term) >= 3:
            for word in starting(term):
                found.setdefault(word, "prefix")
        if term in vocabulary:
            found[term] = "exact"
        if synonym:
            return dict.fromkeys(found, "synonym")
        if found or len(term) < 4 or len(term) > MAX_WORD:
            return found
        allowed = 1 if len(term) < 8 else 2
        return {
            word: "typo"
            for word in words
            if abs(len(word) - len(term)) <= allowed and typos_within(term, word, allowed)
        }

    return match


@cache
def stemmer() -> Callable[[list[str]], list[str]]:
    """Snowball's English stemmer (PyStemmer, C): imported on the first search only."""
    import Stemmer

    # No cache: a search stems few words, each about once.
    stem: Callable[[list[str]], list[str]] = Stemmer.Stemmer("english", 0).stemWords
    return stem


def likeliest(term: str, found: dict[str, MatchKind]) -> str:
    """Of the words a mistyped term reached, the one fewest typos away, then nearest in
    length, then first alphabetically."""

    def typos(word: str) -> int:
        return next(limit for limit in range(1, 3) if typos_within(term, word, limit))

    return min(found, key=lambda word: (typos(word), abs(len(word) - len(term)), word))


def typos_within(a: str, b: str, limit: int) -> bool:
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
