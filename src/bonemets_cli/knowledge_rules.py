"""What a schema cannot say of a knowledge file: references resolve, ids and names are
unique, dates are in order, and listings claim no more than their sources."""

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, pairwise, repeat
from typing import Any

from bonemets_cli.errors import Problem
from bonemets_cli.json_text import json_path
from bonemets_cli.knowledge import MAX_PROBLEMS
from bonemets_cli.knowledge_claims import (
    claim_problems,
    entries_of,
    medicine_quote_problems,
    score_problems,
)
from bonemets_cli.knowledge_messages import _closest_id
from bonemets_cli.knowledge_names import names_problems, names_shared_across, plain_names
from bonemets_cli.models import DATE_PATTERN

COLLECTIONS = (
    "sources",
    "factors",
    "cancers",
    "routes",
    "goals",
    "bone_states",
    "side_effects",
    "treatments",
    "updates",
    "warnings",
    "glossary",
    "medicines",
    "codes",
)
"""The top-level lists whose entries have ids."""

NAMED = (
    "cancers",
    "routes",
    "goals",
    "bone_states",
    "side_effects",
    "treatments",
    "glossary",
    "medicines",
)
"""The collections users look up by name or alias."""

SHARED_NAMES = ("treatments", "medicines")
"""Collections looked up together (``show``): a name leads to one entry across them."""

FACTS = ("updates", "warnings")
"""Collections of dated facts, which other records cite by id: ids unique across them."""

REFERENCES: dict[tuple[str, ...], dict[str, str]] = {
    ("treatments",): {"related": "treatments"},
    ("treatments", "listed_for"): {"cancer": "cancers", "excludes": "cancers", "update": "updates"},
    ("treatments", "given"): {"routes": "routes"},
    ("treatments", "benefits"): {"goals": "goals"},
    ("treatments", "side_effects"): {"id": "side_effects"},
    ("treatments", "bones"): {"states": "bone_states"},
    ("cancers",): {"groups": "cancers"},
    ("updates",): {
        "treatments": "treatments",
        "cancers": "cancers",
        "side_effects": "side_effects",
        "routes": "routes",
        "qualifies": "updates",
    },
    ("medicines",): {"updates": "updates"},
    ("medicines", "classes"): {"id": "treatments"},
    ("medicines", "given"): {"routes": "routes"},
    ("medicines", "doses"): {"updates": "updates"},
    ("medicines", "labels"): {"cancers": "cancers", "updates": "updates"},
    ("medicines", "side_effects"): {"id": "side_effects"},
}
"""Which fields refer to which collection, by where the record sits (list indices left
out). Every ``sources`` field anywhere below the top level refers to ``sources``, and
every ``update`` of a ``qualified_by`` entry to ``updates``."""


def reference_problems(
    raw: dict[str, Any], *, today: dt.date, explain: int = MAX_PROBLEMS
) -> Iterator[Problem]:
    """Duplicate ids and names, references that point nowhere, and impossible dates.

    Works on the parsed JSON rather than the models, so it runs even when the schema
    check fails and a curator learns everything wrong in one run. The first
    ``explain`` unknown references suggest the ids they resemble; the rest, which
    are counted rather than listed, are not worth the search.
    """
    ids = {name: _ids(raw.get(name)) for name in COLLECTIONS}
    known = {name: set(found) for name, found in ids.items()}
    for name in COLLECTIONS:
        # most often no id is repeated: then there is nothing to look for
        repeated = len(known[name]) < len(ids[name])
        duplicated = list(_duplicate_ids(name, entries_of(raw, name))) if repeated else []
        yield from duplicated
        if name in NAMED and (duplicated or not plain_names(raw.get(name))):
            yield from names_problems(name, entries_of(raw, name), {p.path for p in duplicated})
    del ids

    dangling, quoting = _dangling(raw, known, today, explain)
    yield from dangling
    for name in ("treatments", "medicines"):
        yield from _links_twice(name, entries_of(raw, name))
    yield from claim_problems(raw, [((place, index), entry) for place, index, entry in quoting])
    yield from names_shared_across(raw, SHARED_NAMES)
    yield from _ids_shared_across(raw, FACTS)
    yield from score_problems(raw.get("sins"))
    yield from medicine_quote_problems(raw)

    sources = {e["id"]: e for _, e in entries_of(raw, "sources") if isinstance(e.get("id"), str)}
    founding = raw.get("founding_text")
    cited = founding.get("sources") if isinstance(founding, dict) else None
    for index, source_id in enumerate(cited if isinstance(cited, list) else []):
        source = sources.get(source_id) if isinstance(source_id, str) else None
        if isinstance(source, dict) and source.get("year") is None:
            yield Problem(
                f"founding_text.sources[{index}]",
                f"source {source_id!r} needs a year: it dates the founding text",
            )


def _ids(entries: Any) -> list[str]:
    """The ids of a top-level list's objects (``entries_of``), in order."""
    if not isinstance(entries, list):
        return []
    if set(map(type, entries)) - {dict}:
        entries = [entry for entry in entries if isinstance(entry, dict)]
    return [found for found in map(dict.get, entries, repeat("id")) if isinstance(found, str)]


Location = tuple[int | str, ...]

Link = tuple[Any, int | str] | None
"""A location as a chain (parent link, key): cheap to extend, spelled out only when a
problem needs it."""


Quoting = tuple[Link, int, dict[str, Any]]
"""An entry of a ``qualified_by`` list: the list's place, the entry's index in it, and
the entry."""


def _location(link: Link) -> Location:
    """The keys and indices of a Link, from the top."""
    keys: list[int | str] = []
    while link is not None:
        link, key = link
        keys.append(key)
    return tuple(reversed(keys))


def _dangling(
    raw: dict[str, Any], known: dict[str, set[str]], today: dt.date, explain: int
) -> tuple[list[Problem], list[Quoting]]:
    """References that point nowhere, and impossible dates, in document order; and on
    the same walk, every entry of a ``qualified_by`` list (``Quoting``), for the claims.

    Visits every JSON object once, knowing from its shape (its location without list
    indices, e.g. ('treatments', 'benefits')) which of its fields are references. Each
    shape's plan is made once and holds its children's plans, so a visit looks up a
    child by its key and never hashes a shape. A place is a Link, made only for an
    object with something inside to visit, or a problem."""
    problems: list[Problem] = []
    quoting: list[Quoting] = []
    ordered: dict[str, list[str]] = {}

    def unknown(target: str, ref: str) -> str:
        nonlocal explain
        what = target.rstrip("s").replace("_", " ")
        message = f"unknown {what} {ref!r}"
        if explain <= 0:
            return message
        explain -= 1
        if target not in ordered:
            ordered[target] = sorted(known[target])
        close = _closest_id(ref, ordered[target])
        if not close:
            return f"{message}; no {what} has an id like it"
        quoted = [repr(choice) for choice in close]
        choices = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
        return f"{message} (did you mean {choices}?)"

    def dangle(link: Link, field_name: str, index: int | None, target: str, ref: str) -> None:
        loc = (*_location(link), field_name)
        member = loc if index is None else (*loc, index)
        problems.append(Problem(json_path(member), unknown(target, ref)))

    def check(node: dict[str, Any], plan: _Plan, link: Link) -> None:
        for field_name, target, ids in plan.references:
            value = node.get(field_name)
            if type(value) is list:
                for index, ref in enumerate(value):
                    if type(ref) is str and ref not in ids:
                        dangle(link, field_name, index, target, ref)
            elif type(value) is str and value not in ids:
                dangle(link, field_name, None, target, value)
        if plan.dated:
            problems.extend(_dates(json_path(_location(link)), node, today))
        for key, item in node.items():
            kind = type(item)
            if kind is dict:
                check(item, plan.child(key, known), (link, key))
            elif kind is list:
                if (
                    len(item) >= _LONG
                    and key != "qualified_by"
                    and _clean(item, plan.child(key, known))
                ):
                    continue
                # a list of strings (most are: sources, aliases) has nothing to visit
                within: _Plan | None = None
                for index, element in enumerate(item):
                    inner = type(element)
                    if inner is dict or inner is list:
                        if within is None:
                            place = (link, key)
                            within = plan.child(key, known)
                            if key == "qualified_by" and plan.quotes:
                                within = plan.quoted(key, known)
                                quoting.extend(
                                    (place, number, entry)
                                    for number, entry in enumerate(item)
                                    if type(entry) is dict
                                )
                        if inner is dict:
                            check(element, within, (place, index))
                        else:
                            visit(element, within, (place, index))

    def visit(value: list[Any], plan: _Plan, link: Link) -> None:
        for index, item in enumerate(value):
            kind = type(item)
            if kind is dict:
                check(item, plan, (link, index))
            elif kind is list:
                visit(item, plan, (link, index))

    check(raw, _Plan((), known, quotes=True), None)
    return problems, quoting


_LONG = 64
"""A list of objects this long is first checked as a whole (``_clean``)."""


def _clean(nodes: list[Any], plan: "_Plan") -> bool:
    """Whether a list of objects of one shape holds nothing to report and nothing to
    visit: every element an object whose fields hold no object, and no list but of
    plain values; no dates to check; every reference known.

    Checked a field at a time, at C speed, rather than an object at a time: a long
    list (100,000 side effects, or links to them) most often is so, and is then
    skipped. One that is not is walked object by object, as before; each object is
    read at most three times (here, in the list's own check and as a field of the
    objects around it), so the walk stays linear."""
    if plan.dated or set(map(type, nodes)) != {dict}:
        return False
    keys = set(chain.from_iterable(nodes))
    # A column is read for every key that any object has: where most objects lack
    # most keys (a misnamed field in each), that would be work of the square of the
    # list's length, so such a list is walked object by object.
    if len(keys) * len(nodes) > 4 * sum(map(len, nodes)):
        return False
    references = {name: ids for name, _, ids in plan.references}
    for key in keys:
        values = list(map(dict.get, nodes, repeat(key)))
        kinds = set(map(type, values))
        if dict in kinds:
            return False
        if list in kinds:  # a list of plain values: they are what is checked
            lists: list[Any] = values if kinds == {list} else [v for v in values if type(v) is list]
            within = list(chain.from_iterable(lists))
            inner = set(map(type, within))
            if dict in inner or list in inner:
                return False
            others = [] if kinds == {list} else [v for v in values if type(v) is not list]
            values, kinds = within + others, inner | (kinds - {list})
        ids = references.get(key)
        if ids is not None:
            refs = values if kinds <= {str} else [v for v in values if type(v) is str]
            if not ids.issuperset(refs):
                return False
    return True


class _Plan:
    """What to check in every object of one shape: its references (field, target
    collection, the target's ids), whether it carries dates, and its children's plans,
    made when first needed.

    ``quotes``: whether a ``qualified_by`` list below is one the claims read, which is
    any that is not itself within a ``qualified_by`` list; a shape within one has a
    plan of its own, ``quoted``."""

    __slots__ = ("children", "dated", "quotes", "references", "shape")

    def __init__(self, shape: tuple[str, ...], known: dict[str, set[str]], quotes: bool) -> None:
        self.shape = shape
        fields = (
            *REFERENCES.get(shape, {}).items(),
            *((("sources", "sources"),) if shape else ()),
            *((("update", "updates"),) if shape[-1:] == ("qualified_by",) else ()),
        )
        self.references = tuple((name, target, known[target]) for name, target in fields)
        self.dated = shape in _DATED
        self.quotes = quotes
        self.children: dict[str | None, _Plan] = {}

    def child(self, key: str, known: dict[str, set[str]]) -> "_Plan":
        plan = self.children.get(key)
        if plan is None:
            plan = self.children[key] = _Plan((*self.shape, key), known, self.quotes)
        return plan

    def quoted(self, key: str, known: dict[str, set[str]]) -> "_Plan":
        """The plan of what is within a ``qualified_by`` list at ``key``."""
        plan = self.children.get(None)
        if plan is None:
            plan = self.children[None] = _Plan((*self.shape, key), known, quotes=False)
        return plan


_DATED = (
    ("content",),
    ("updates",),
    ("sources",),
    ("warnings",),
    ("glossary",),
    ("questions",),
    ("medicines",),
    ("codes",),
    ("sins",),
)
"""The records that carry dates."""


def _dates(path: str, entry: dict[str, Any], today: dt.date) -> Iterator[Problem]:
    """added <= reviewed <= next_review; nothing added or reviewed after today; nothing
    retrieved before the year it was published. A missing or malformed date is the
    schema's to report."""
    dates = [
        (name, date)
        for name in ("added", "reviewed", "next_review")
        if (date := _date(entry.get(name))) is not None
    ]
    for (earlier, first), (later, second) in pairwise(dates):
        if second < first:
            yield Problem(f"{path}.{later}", f"{second} is before {path}.{earlier} ({first})")
    for name, date in dates:
        if name != "next_review" and date > today:
            yield Problem(
                f"{path}.{name}",
                f"{date} is in the future (today is {today}); give the date the entry was {name}",
            )
    retrieved, year = _date(entry.get("retrieved")), entry.get("year")
    if retrieved is not None and type(year) is int and retrieved.year < year:
        yield Problem(
            f"{path}.retrieved",
            f"{retrieved} is before the source was published ({year})",
        )


def _date(value: Any) -> dt.date | None:
    if type(value) is not str or not _DATE.match(value):
        return None
    return dt.date.fromisoformat(value)


_DATE = re.compile(DATE_PATTERN)


def _duplicate_ids(name: str, entries: Iterable[tuple[int, dict[str, Any]]]) -> Iterator[Problem]:
    first_seen: dict[str, int] = {}
    for index, entry in entries:
        entry_id = entry.get("id")
        if not isinstance(entry_id, str):
            continue
        if entry_id in first_seen:
            yield Problem(
                f"{name}[{index}].id",
                f"duplicate id {entry_id!r}, already used by {name}[{first_seen[entry_id]}]",
            )
        else:
            first_seen[entry_id] = index


def _links_twice(name: str, entries: Iterable[tuple[int, dict[str, Any]]]) -> Iterator[Problem]:
    """A side effect linked twice from one entry: its page would list it twice, and
    its sources belong in one link."""
    for index, entry in entries:
        links = entry.get("side_effects")
        if _distinct_links(links):
            continue
        first_seen: dict[str, int] = {}
        for place, link in enumerate(links if isinstance(links, list) else []):
            effect = link.get("id") if isinstance(link, dict) else None
            if not isinstance(effect, str):
                continue
            if effect in first_seen:
                yield Problem(
                    f"{name}[{index}].side_effects[{place}].id",
                    f"side effect {effect!r} is linked twice, already by "
                    f"{name}[{index}].side_effects[{first_seen[effect]}]; give it one link "
                    "that cites every source",
                )
            else:
                first_seen[effect] = place


def _distinct_links(links: Any) -> bool:
    """Whether a list of links names each side effect once (most do): one set, not a
    look-up a link at a time."""
    if not isinstance(links, list) or set(map(type, links)) != {dict}:
        return False
    effects = [effect for effect in map(dict.get, links, repeat("id")) if type(effect) is str]
    return len(set(effects)) == len(effects)


def _ids_shared_across(raw: dict[str, Any], collections: Sequence[str]) -> Iterator[Problem]:
    """An id used in one collection may not be reused in another cited alongside it."""
    first_seen: dict[str, tuple[str, int]] = {}
    for name in collections:
        for index, entry in entries_of(raw, name):
            entry_id = entry.get("id")
            if not isinstance(entry_id, str):
                continue
            first = first_seen.setdefault(entry_id, (name, index))
            if first[0] != name:
                yield Problem(
                    f"{name}[{index}].id",
                    f"duplicate id {entry_id!r}, already used by {first[0]}[{first[1]}]",
                )
