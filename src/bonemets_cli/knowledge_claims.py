"""What the data claims must stand in its sources' own words, and what must add up:
listings and qualifications quote the fact they name, cautions say what they qualify,
a medicine's doses and labels quote their facts, and the score table is whole."""

from collections.abc import Iterable, Iterator
from typing import Any

from bonemets_cli.errors import Problem


def claim_problems(
    raw: dict[str, Any], qualifications: Iterable[tuple["_Place", dict[str, Any]]]
) -> Iterator[Problem]:
    """What the structure claims must stand in its source's own words: a listing or a
    qualification quotes the fact it names, and a caution says what it qualifies and why.

    ``qualifications`` are the entries of every ``qualified_by`` list that is not within
    another, in the file's order, each with its place: found on the reference checks'
    walk (``knowledge_rules._dangling``), so the file is walked once for both."""
    updates = {e["id"]: e for _, e in entries_of(raw, "updates") if isinstance(e.get("id"), str)}

    def quoted(path: str, text: Any, update_id: Any) -> Iterator[Problem]:
        update = updates.get(update_id) if isinstance(update_id, str) else None
        if not isinstance(text, str) or not isinstance(update, dict):
            return  # a wrong type or an unknown fact is reported elsewhere
        detail = update.get("detail")
        words = [update.get("statement"), *(detail if isinstance(detail, list) else [])]
        said = " ".join(" ".join(w.split()) for w in words if isinstance(w, str))
        if " ".join(text.split()) not in said:
            yield Problem(
                f"{path}.text",
                f"is not quoted from the statement or detail of {update_id!r}; "
                "quote the fact's own words",
            )

    for index, treatment in entries_of(raw, "treatments"):
        listings = treatment.get("listed_for")
        for number, listing in enumerate(listings if isinstance(listings, list) else []):
            if not isinstance(listing, dict):
                continue
            path = f"treatments[{index}].listed_for[{number}]"
            update_id = listing.get("update")
            if listing.get("basis") == "founding-text":
                if update_id is not None:
                    yield Problem(f"{path}.update", "a founding-text listing names no fact")
            elif update_id is None:
                yield Problem(path, "a label or guideline listing names the fact that says so")
            else:
                yield from quoted(path, listing.get("text"), update_id)
    for place, qualification in qualifications:
        yield from quoted(_spelt(place), qualification.get("text"), qualification.get("update"))
    for index, update in entries_of(raw, "updates"):
        caution = update.get("caution") is True
        for field_name in ("qualifies", "caution_reason"):
            if caution and update.get(field_name) is None:
                yield Problem(f"updates[{index}]", f"a caution needs '{field_name}'")
            elif not caution and update.get(field_name) is not None:
                yield Problem(f"updates[{index}].{field_name}", "only a caution has this")


_Place = tuple[Any, int | str] | None
"""A place in the file as a chain (parent place, key or index): knowledge_rules.Link."""


def _spelt(place: _Place) -> str:
    """``treatments[0].benefits[1].qualified_by[0]``: keys as they are, unquoted."""
    keys: list[int | str] = []
    while place is not None:
        place, key = place
        keys.append(key)
    path = ""
    for key in reversed(keys):
        if isinstance(key, int):
            path += f"[{key}]"
        else:
            path = f"{path}.{key}" if path else key
    return path


def entries_of(raw: dict[str, Any], name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The objects of a top-level list, each with its index, one at a time: the checks
    read a list of 100,000 entries several times, and a list of pairs held meanwhile
    would be 100,000 more objects for the garbage collector to walk."""
    found = raw.get(name)
    if isinstance(found, list):
        for index, entry in enumerate(found):
            if isinstance(entry, dict):
                yield index, entry


def medicine_quote_problems(raw: dict[str, Any]) -> Iterator[Problem]:
    """A medicine's dose or label indication that names facts is in one of those facts'
    own words (statement or detail), so no figure or cancer is added on the way."""
    said: dict[Any, str] = {}
    for _, update in entries_of(raw, "updates"):
        detail = update.get("detail")
        words = [update.get("statement"), *(detail if isinstance(detail, list) else [])]
        if not isinstance(update.get("id"), str):
            continue
        said[update["id"]] = " ".join(" ".join(w.split()) for w in words if isinstance(w, str))
    for index, medicine in entries_of(raw, "medicines"):
        for field in ("doses", "labels"):
            records = medicine.get(field)
            for number, record in enumerate(records if isinstance(records, list) else []):
                if not isinstance(record, dict):
                    continue
                text, named = record.get("text"), record.get("updates")
                facts = (
                    [said[u] for u in named if isinstance(u, str) and u in said]
                    if isinstance(named, list)
                    else []
                )
                if (
                    isinstance(text, str)
                    and facts
                    and not any(" ".join(text.split()) in fact for fact in facts)
                ):
                    yield Problem(
                        f"medicines[{index}].{field}[{number}].text",
                        "is not in the words of the facts it names; quote one of them",
                    )


def score_problems(score: Any) -> Iterator[Problem]:
    """A score table that adds up: each component and each of its answers named once,
    bands that run without gap or overlap from 0 to the highest possible total, and a
    consultation threshold within that range."""
    if not isinstance(score, dict):
        return
    components = score.get("components")
    components = components if isinstance(components, list) else []
    highest = 0
    seen_components: set[str] = set()
    for index, component in enumerate(components):
        if not isinstance(component, dict):
            continue
        path = f"sins.components[{index}]"
        if str(component.get("id")) in seen_components:
            yield Problem(f"{path}.id", f"duplicate component {component.get('id')!r}")
        seen_components.add(str(component.get("id")))
        options = component.get("options")
        options = [o for o in options if isinstance(o, dict)] if isinstance(options, list) else []
        keys = [o.get("key") for o in options]
        for place, key in enumerate(keys):
            if key in keys[:place]:
                yield Problem(f"{path}.options[{place}].key", f"duplicate answer {key!r}")
        points = [o.get("points") for o in options]
        highest += max((p for p in points if type(p) is int), default=0)
    bands = score.get("bands")
    bands = [b for b in bands if isinstance(b, dict)] if isinstance(bands, list) else []
    expected = 0
    for index, band in enumerate(bands):
        low, high = band.get("low"), band.get("high")
        if type(low) is not int or type(high) is not int:
            continue
        if low != expected or high < low:
            yield Problem(
                f"sins.bands[{index}]",
                f"covers {low}-{high}; the bands must run on from {expected} without gap "
                "or overlap",
            )
        expected = high + 1
    if bands and expected != highest + 1:
        yield Problem("sins.bands", f"end at {expected - 1}; the highest total is {highest}")
    threshold = score.get("consultation_from")
    if type(threshold) is int and not 0 <= threshold <= highest:
        yield Problem("sins.consultation_from", f"{threshold} is outside the totals 0-{highest}")
