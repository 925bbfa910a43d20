"""Finding, reading and validating a knowledge file into a KnowledgeBase."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bonemets_cli.errors import DataError, Problem
from bonemets_cli.models import (
    CITING,
    Benefit,
    Cancer,
    Given,
    KnowledgeBase,
    Named,
    SideEffectLink,
    Treatment,
    Update,
    normalize,
    walk,
)

KNOWLEDGE_FILE = "knowledge.json"
MAX_BYTES = 20 * 1024 * 1024
"""Far above any real knowledge file; stops a wrong path from filling memory."""


def bundled_path() -> Path:
    """The knowledge file shipped with bonemets.

    A wheel carries ``data/`` inside the package. An editable install runs from the
    source tree, where ``data/`` sits at the top level beside ``src/``.
    """
    package_dir = Path(__file__).resolve().parent
    installed = package_dir / "data" / KNOWLEDGE_FILE
    if installed.is_file():
        return installed
    source_tree = package_dir.parent.parent / "data" / KNOWLEDGE_FILE
    if source_tree.is_file():
        return source_tree
    raise DataError(
        str(installed),
        [Problem("", "the bundled knowledge file is missing; reinstall bonemets")],
    )


def load(path: Path | None = None) -> KnowledgeBase:
    """Read, parse and validate a knowledge file; raise DataError listing every problem."""
    path = path or bundled_path()
    raw = parse(read_text(path), str(path))
    return validate(raw, str(path))


def read_text(path: Path) -> str:
    """The file's text, or a DataError that says in plain words why it can't be read."""
    name = str(path)
    try:
        if path.is_dir():
            raise _unreadable(name, "is a directory, not a knowledge file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _unreadable(
                name, f"is {size:,} bytes, over the {MAX_BYTES:,}-byte limit for a knowledge file"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise _unreadable(name, "does not exist; check the path") from None
    except PermissionError:
        raise _unreadable(name, "cannot be read (permission denied)") from None
    except OSError as error:
        raise _unreadable(name, f"cannot be read ({error.strerror or error})") from None
    try:
        # utf-8-sig accepts a byte-order mark, which some editors add.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _unreadable(
            name,
            f"is not valid UTF-8 (byte 0x{data[error.start]:02X} on line {line}); save it as UTF-8",
        ) from None


def parse(text: str, name: str) -> Any:
    """Parse JSON text, rejecting duplicate keys, which json would silently drop."""
    duplicates: list[str] = []

    def reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                duplicates.append(key)
            result[key] = value
        return result

    if not text.strip():
        raise _unreadable(name, "is empty; a knowledge file is a JSON object")
    try:
        raw = json.loads(text, object_pairs_hook=reject_duplicates)
    except json.JSONDecodeError as error:
        raise _unreadable(
            name, f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except RecursionError:
        raise _unreadable(name, "is nested too deeply to be a knowledge file") from None
    problems = [
        Problem("", f"duplicate key {key!r} in one object; each key may appear only once")
        for key in dict.fromkeys(duplicates)
    ]
    if not isinstance(raw, dict):
        problems.append(
            Problem("", f"top level is a JSON {_json_type(raw)}; a knowledge file is an object")
        )
    if problems:
        raise DataError(name, problems)
    return raw


def validate(raw: Any, name: str) -> KnowledgeBase:
    """Validate parsed JSON against the models, then check every cross-reference."""
    try:
        knowledge = KnowledgeBase.model_validate(raw)
    except ValidationError as error:
        raise DataError(name, schema_problems(error)) from None
    except RecursionError:
        raise _unreadable(name, "is nested too deeply to be a knowledge file") from None
    problems = list(reference_problems(knowledge))
    if problems:
        raise DataError(name, problems)
    return knowledge


def schema_problems(error: ValidationError) -> list[Problem]:
    """One problem per pydantic error, located by JSON path."""
    return [
        Problem(json_path(detail["loc"]), _schema_message(detail))
        for detail in error.errors(include_url=False)
    ]


def json_path(loc: tuple[int | str, ...]) -> str:
    """('treatments', 0, 'name') -> 'treatments[0].name'."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def _schema_message(detail: Any) -> str:
    kind = detail["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field; check its spelling or remove it"
    message = str(detail["msg"])
    if kind == "value_error":
        message = message.removeprefix("Value error, ")
    got = detail.get("input")
    if isinstance(got, (str, int, float, bool)) or got is None:
        shown = repr(got)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        message += f" (got {shown})"
    return message


def reference_problems(knowledge: KnowledgeBase) -> Iterator[Problem]:
    """Duplicate ids and names, references that point nowhere, and impossible dates."""
    collections: dict[str, tuple[Any, ...]] = {
        "sources": knowledge.sources,
        "factors": knowledge.factors,
        "cancers": knowledge.cancers,
        "routes": knowledge.routes,
        "goals": knowledge.goals,
        "side_effects": knowledge.side_effects,
        "treatments": knowledge.treatments,
        "updates": knowledge.updates,
    }
    for field, entries in collections.items():
        yield from _duplicate_ids(field, entries)
        if entries and isinstance(entries[0], Named):
            yield from _ambiguous_names(field, entries)

    known: dict[str, dict[str, Any]] = {
        "source": knowledge.source_by_id,
        "route": knowledge.route_by_id,
        "goal": knowledge.goal_by_id,
        "side effect": knowledge.side_effect_by_id,
        "cancer": knowledge.cancer_by_id,
        "treatment": knowledge.treatment_by_id,
    }

    def unknown(path: str, what: str, ref: str) -> Iterator[Problem]:
        if ref not in known[what]:
            choices = ", ".join(sorted(known[what])) or "none defined"
            yield Problem(path, f"unknown {what} {ref!r} (known: {choices})")

    def dangling(path: str, what: str, ids: tuple[str, ...]) -> Iterator[Problem]:
        for index, ref in enumerate(ids):
            yield from unknown(f"{path}[{index}]", what, ref)

    for path, node in walk(knowledge):
        if isinstance(node, CITING):
            yield from dangling(f"{path}.sources", "source", node.sources)
        if isinstance(node, Given):
            yield from dangling(f"{path}.routes", "route", node.routes)
        if isinstance(node, Benefit):
            yield from dangling(f"{path}.goals", "goal", node.goals)
        if isinstance(node, SideEffectLink):
            yield from unknown(f"{path}.id", "side effect", node.id)
        if isinstance(node, Treatment):
            yield from dangling(f"{path}.cancers", "cancer", node.cancers)
            yield from dangling(f"{path}.related", "treatment", node.related)
        if isinstance(node, Cancer):
            yield from dangling(f"{path}.groups", "cancer", node.groups)
        if isinstance(node, Update):
            yield from dangling(f"{path}.treatments", "treatment", node.treatments)
            yield from dangling(f"{path}.cancers", "cancer", node.cancers)
            yield from dangling(f"{path}.side_effects", "side effect", node.side_effects)
            yield from _date_order(path, node)

    yield from _date_order("content", knowledge.content)
    for index, source_id in enumerate(knowledge.founding_text.sources):
        source = knowledge.source_by_id.get(source_id)
        if source is not None and source.year is None:
            yield Problem(
                f"founding_text.sources[{index}]",
                f"source {source_id!r} needs a year: it dates the founding text",
            )


def _date_order(path: str, entry: Any) -> Iterator[Problem]:
    """added <= reviewed <= next_review, wherever those dates are given."""
    dates = [(name, getattr(entry, name, None)) for name in ("added", "reviewed", "next_review")]
    present = [(name, value) for name, value in dates if value is not None]
    for (earlier, first), (later, second) in pairwise(present):
        if second < first:
            yield Problem(f"{path}.{later}", f"{second} is before {path}.{earlier} ({first})")


def _duplicate_ids(field: str, entries: tuple[Any, ...]) -> Iterator[Problem]:
    first_seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if entry.id in first_seen:
            yield Problem(
                f"{field}[{index}].id",
                f"duplicate id {entry.id!r}, already used by {field}[{first_seen[entry.id]}]",
            )
        else:
            first_seen[entry.id] = index


def _ambiguous_names(field: str, entries: tuple[Any, ...]) -> Iterator[Problem]:
    """A name or alias may lead to one entry only, or lookups could not choose."""
    owner: dict[str, int] = {}
    for index, entry in enumerate(entries):
        for name in dict.fromkeys(normalize(n) for n in entry.names):
            if name in owner and owner[name] != index:
                yield Problem(
                    f"{field}[{index}]",
                    f"name or alias {name!r} is also used by {field}[{owner[name]}]; "
                    "each name must lead to one entry",
                )
            else:
                owner.setdefault(name, index)


def _json_type(value: Any) -> str:
    return {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )


def _unreadable(name: str, message: str) -> DataError:
    return DataError(name, [Problem("", message)])
