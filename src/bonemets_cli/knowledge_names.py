"""What a knowledge file's names must be: each name or alias leads to one entry (as
lookups compare names), shows something, and keeps to one script within a word."""

from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, compress, repeat
from operator import eq
from typing import Any

from bonemets_cli.errors import Problem
from bonemets_cli.knowledge_claims import entries_of
from bonemets_cli.models import mixed_scripts, normalize


def names_problems(
    name: str, entries: Iterable[tuple[int, dict[str, Any]]], duplicate_ids: set[str]
) -> Iterator[Problem]:
    """A name or alias may lead to one entry only, or lookups could not choose; names
    compare as lookups compare them (models.normalize), so two that differ only in
    case, width, composition or invisible characters clash. A name must show
    something, and may not mix look-alike scripts within a word."""
    owner: dict[str, int] = {}
    for index, entry in entries:
        aliases = entry.get("aliases")
        # A spelling's field, or its place among the aliases: its path is spelt out
        # only for a problem. An id already reported as a duplicate is not reported
        # again as a name.
        spellings: list[tuple[str | int, Any]] = (
            [("name", entry.get("name"))]
            if duplicate_ids and f"{name}[{index}].id" in duplicate_ids
            else [("id", entry.get("id")), ("name", entry.get("name"))]
        )
        if aliases:
            spellings += enumerate(aliases if isinstance(aliases, list) else ())
        keys: dict[str, None] = {}
        for field, spelling in spellings:
            if type(spelling) is not str:
                continue
            key = normalize(spelling)
            if not key or not spelling.isascii():  # ASCII is in one script
                yield from _unreadable(name, index, field, spelling, key)
            if key:
                keys[key] = None
        for key in keys:
            first = owner.setdefault(key, index)
            if first != index:
                yield Problem(
                    f"{name}[{index}]",
                    f"name or alias {key!r} is also used by {name}[{first}]; "
                    "each name must lead to one entry",
                )


def plain_names(entries: Any) -> bool:
    """Whether ``names_problems`` would find nothing in a collection, found for all its entries
    at once at C speed (the names of 100,000 side effects in 0.1 s, not 0.3 s): every
    entry an object, every id, name and alias a string of ASCII (in one script) that
    shows something and leads to one entry only. Anything else is ``names_problems``' to
    look at, an entry at a time."""
    if not isinstance(entries, list) or set(map(type, entries)) - {dict}:
        return False
    aliases = list(map(dict.get, entries, repeat("aliases")))
    # the entries with aliases (few), and their lists of them
    lists = [
        (index, found)
        for index, found in zip(
            compress(range(len(entries)), aliases), compress(aliases, aliases), strict=True
        )
        if isinstance(found, list)
    ]
    spellings = [
        *map(dict.get, entries, repeat("id")),
        *map(dict.get, entries, repeat("name")),
        *chain.from_iterable(found for _, found in lists),
    ]
    if set(map(type, spellings)) - {str} or not "".join(spellings).isascii():
        return False
    keys = _keys(spellings)
    if not all(keys):
        return False
    # Each key leads to one entry only where there are as many keys as there are keys
    # of each entry (its id and name are most often one key), added up.
    count = len(entries)
    ids, names = keys[:count], keys[count : 2 * count]
    same: int = sum(map(eq, ids, names))
    owned = 2 * count - same
    start = 2 * count
    for index, found in lists:
        own = {ids[index], names[index], *keys[start : start + len(found)]}
        owned += len(own) - len({ids[index], names[index]})
        start += len(found)
    return len(set(keys)) == owned


def _keys(spellings: list[str]) -> list[str]:
    """Each spelling as names compare (``normalize``), for many spellings of ASCII at
    once. On ASCII, ``normalize`` maps each character and makes every run of white
    space one space, trimmed at the ends: so the spellings, joined by a character
    that is not white space, normalised together and split again, are each
    normalised but for a space left at either end (a test holds the two equal)."""
    joined = "\x00".join(spellings)
    if not joined.isascii() or joined.count("\x00") != len(spellings) - 1:
        return list(map(normalize, spellings))
    return list(map(str.strip, normalize(joined).split("\x00"), repeat(" ")))


def _unreadable(
    name: str, index: int, field: str | int, spelling: str, key: str
) -> Iterator[Problem]:
    """A spelling that shows nothing, or that mixes look-alike scripts in a word."""
    if not key and spelling.strip():
        yield Problem(
            _spelling_path(name, index, field),
            "shows nothing: it is made only of invisible characters",
        )
    scripts = mixed_scripts(spelling)
    if scripts:
        yield Problem(
            _spelling_path(name, index, field),
            f"mixes {scripts[0]} and {scripts[1]} letters in one word; "
            "write it in one script (look-alike letters hide a different name)",
        )


def _spelling_path(name: str, index: int, field: str | int) -> str:
    """``treatments[3].name``, or ``treatments[3].aliases[1]`` for an alias's place."""
    if isinstance(field, int):
        return f"{name}[{index}].aliases[{field}]"
    return f"{name}[{index}].{field}"


def names_shared_across(raw: dict[str, Any], collections: Sequence[str]) -> Iterator[Problem]:
    """Across collections looked up together, a name, alias or brand leads to one entry.

    Two names within one collection are ``names_problems``' to report, except a
    brand name, which only this check reads.
    """
    owner: dict[str, tuple[str, int, bool]] = {}
    for name in collections:
        for index, entry in entries_of(raw, name):
            for key, is_brand in _lookup_names(entry).items():
                first = owner.setdefault(key, (name, index, is_brand))
                if first[:2] != (name, index) and (first[0] != name or is_brand or first[2]):
                    yield Problem(
                        f"{name}[{index}]",
                        f"name, alias or brand {key!r} is also used by {first[0]}[{first[1]}]; "
                        "each name must lead to one entry",
                    )


def _lookup_names(entry: dict[str, Any]) -> dict[str, bool]:
    """An entry's names as lookups compare them, each marked True if only a brand."""
    aliases = entry.get("aliases")
    names = [entry.get("id"), entry.get("name"), *(aliases if isinstance(aliases, list) else [])]
    keys = {normalize(n): False for n in names if isinstance(n, str)}
    brands = entry.get("brands")
    for brand in brands if isinstance(brands, list) else []:
        if isinstance(brand, dict) and isinstance(brand.get("name"), str):
            keys.setdefault(normalize(brand["name"]), True)
    return keys
