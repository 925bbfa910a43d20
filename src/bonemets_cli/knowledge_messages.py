"""Pydantic's validation errors in a curator's words: one problem per cause, said plainly."""

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from bonemets_cli.errors import Problem
from bonemets_cli.json_text import json_path
from bonemets_cli.models import (
    SAFE_TEXT_PATTERN,
    KnowledgeBase,
    Model,
    field_keys,
)
from bonemets_cli.terminal import UNSAFE


def _within(path: str, paths: set[str]) -> bool:
    """Whether ``path`` or any path it lies under is in ``paths``."""
    while path:
        if path in paths:
            return True
        path = path[: max(path.rfind("."), path.rfind("["), 0)]
    return False


Error = dict[str, Any]
"""One of pydantic's error records: type, loc, msg, input, ctx."""

_SAME_AS = {"unexpected_keyword_argument": "extra_forbidden", "dataclass_type": "model_type"}
"""Pydantic's error types for a dataclass that mean what its types for a model mean:
the records are dataclasses, and the messages are worded once, by the model's."""


def _causes(errors: list[Error]) -> list[tuple[Error, str | None]]:
    """Pydantic's errors with one per cause: a misspelt key is reported as unknown,
    with the key it resembles, and not again as that key missing. Each comes with
    the missing key it resembles, if any."""
    errors = [{**error, "type": _SAME_AS.get(error["type"], error["type"])} for error in errors]
    absent: dict[tuple[Any, ...], list[str]] = {}
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "missing" and loc and isinstance(loc[-1], str):
            absent.setdefault(loc[:-1], []).append(loc[-1])
    explained: set[tuple[Any, ...]] = set()
    causes: list[tuple[Error, str | None]] = []
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "too_short" and len(error["input"]) >= error["ctx"]["min_length"]:
            continue  # pydantic counts only the items that passed: their errors say why
        hint = None
        if error["type"] == "extra_forbidden" and loc[:-1] in absent:
            close = _closest(str(loc[-1]), absent[loc[:-1]], 1)
            if close:
                hint = close[0]
                explained.add((*loc[:-1], hint))
        causes.append((error, hint))
    return [(error, hint) for error, hint in causes if tuple(error["loc"]) not in explained]


def _closest(word: str, choices: Sequence[str], most: int) -> list[str]:
    """Up to ``most`` of ``choices`` that ``word`` could be a misspelling of, closest
    first. Only the first 100 characters are compared, so the cost is bounded."""
    import difflib  # only a file with problems needs it: not at start-up

    return difflib.get_close_matches(word[:100], choices, n=most, cutoff=0.6)


MAX_COMPARED = 200
"""The most ids one unknown reference is compared with, so suggesting stays cheap in a
file of thousands of entries: all of them up to this many; beyond, the ids that sort
nearest to it (a misspelling keeps its first letters more often than not)."""


def _closest_id(ref: str, ordered: list[str]) -> list[str]:
    """Up to three known ids ``ref`` could be meant for, from ids in sorted order."""
    if len(ordered) > MAX_COMPARED:
        from bisect import bisect_left  # only a file with problems needs it

        middle = bisect_left(ordered, ref[:100])
        half = MAX_COMPARED // 2
        ordered = ordered[max(0, middle - half) : middle + half]
    return _closest(ref, ordered, 3)


def _annotation_at(loc: Sequence[int | str]) -> Any:
    """The type the models expect at a location, or None if it is not a field."""
    annotation: Any = KnowledgeBase
    for part in loc:
        annotation = _unwrapped(annotation)
        if isinstance(part, int):
            if get_origin(annotation) is not tuple:
                return None
            annotation = get_args(annotation)[0]
        elif isinstance(annotation, type) and issubclass(annotation, Model):
            keys = field_keys(annotation)
            types = {keys[field.name]: field.type for field in dataclasses.fields(annotation)}
            if part not in types:
                return None
            annotation = types[part]
        else:
            return None
    return annotation


def _unwrapped(annotation: Any) -> Any:
    """Annotated and Optional taken off, down to the type itself."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin is Union or origin is UnionType:
            kinds = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(kinds) != 1:
                return annotation
            annotation = kinds[0]
        else:
            return annotation


def _keys_at(loc: Sequence[int | str]) -> list[str]:
    """The keys an object at ``loc`` may have."""
    model = _unwrapped(_annotation_at(loc))
    if isinstance(model, type) and issubclass(model, Model):
        return list(field_keys(model).values())
    return []


def _pattern(annotation: Any) -> str | None:
    for meta in get_args(annotation)[1:] if get_origin(annotation) is Annotated else ():
        pattern = getattr(meta, "pattern", None)
        if pattern:
            return str(pattern)
    return None


def _expected(annotation: Any, plural: bool = False, field: str = "") -> str:
    """What the models expect, in the data's words: 'a list of names', 'a date'."""
    pattern = _pattern(annotation)
    kind = _unwrapped(annotation)
    origin = get_origin(kind)
    if origin is tuple:
        items = _expected(get_args(kind)[0], plural=True, field=field)
        return f"a list of {items}"
    if origin is Literal:
        words = [repr(value) for value in get_args(kind)]
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
    if isinstance(kind, type) and issubclass(kind, Model):
        return "objects" if plural else "an object"
    if kind is dt.date:
        return "dates (YYYY-MM-DD)" if plural else "a date (YYYY-MM-DD)"
    if kind is bool:
        return "true or false"
    if kind is int:
        return "whole numbers" if plural else "a whole number"
    if kind is str and pattern == SAFE_TEXT_PATTERN:
        if field == "aliases":
            return "names"
        return "strings of text" if plural else "a string of text"
    if kind is str and pattern == _IDENTIFIER:
        what = "source ids" if field == "sources" else "ids"
        return what if plural else "an id"
    return "strings" if plural else "a string"


_IDENTIFIER = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def _got(value: Any, kind: bool = True) -> str:
    """The value a curator wrote, short: 'a string ('2012')', or just ''2012''."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    if not kind:
        return shown
    return f"{'a string' if isinstance(value, str) else 'a number'} ({shown})"


def _schema_problem(error: Error, hint: str | None) -> Problem:
    if error["type"] == "json_invalid":
        # json.loads accepted the text, so pydantic's stricter parser refused one of two
        # things: nesting deeper than it allows, or an escaped half of a UTF-16 pair
        # alone ("\udcff"), which is not text
        where = re.search(r"surrogate .*at line (\d+) column (\d+)", error["msg"])
        if where is not None:
            return Problem(
                "",
                "holds an escaped lone surrogate (\\ud800-\\udfff), which is not a "
                "character; write the character itself",
                int(where.group(1)),
                int(where.group(2)),
            )
        return Problem("", "is nested too deeply to be a knowledge file")
    return Problem(json_path(tuple(error["loc"])), _schema_message(error, hint))


def _schema_message(error: Error, hint: str | None) -> str:
    kind = error["type"]
    got = error.get("input")
    loc = tuple(error["loc"])
    field = next((part for part in reversed(loc) if isinstance(part, str)), "")
    if kind == "missing":
        return f"required key {loc[-1]!r} is missing" if loc else "required key is missing"
    if kind == "extra_forbidden":
        key = loc[-1] if loc else ""
        close = [hint] if hint else _closest(str(key), _keys_at(loc[:-1]), 1)
        if close:
            return f"unknown key {key!r} (did you mean {close[0]!r}?)"
        return f"unknown key {key!r}; check its spelling or remove it"
    annotation = _annotation_at(loc)
    if kind == "string_pattern_mismatch" and isinstance(got, str):
        unsafe = UNSAFE.search(got)
        if unsafe:
            return (
                f"contains the control or bidirectional character U+{ord(unsafe.group()):04X}; "
                f"remove it (got {_got(got, kind=False)})"
            )
        if error.get("ctx", {}).get("pattern") == SAFE_TEXT_PATTERN:
            return "starts with a space; remove it (markdown would show the text as code)"
        if error.get("ctx", {}).get("pattern") == _IDENTIFIER:
            return (
                "should be an id: lower-case letters and digits, words joined by hyphens, "
                f"not {_got(got, kind=False)}"
            )
        return f"is not in the expected form ({error['ctx']['pattern']}): {_got(got, kind=False)}"
    if kind == "date_parsing":
        return f"should be a real date written YYYY-MM-DD, not {_got(got, kind=False)}"
    if kind == "literal_error":
        return f"should be {_expected(annotation, field=field)}, not {_got(got, kind=False)}"
    if kind.endswith("_type") or kind in ("model_attributes_type", "is_instance_of"):
        return f"should be {_expected(annotation, field=field)}, not {_got(got)}"
    if kind == "string_too_short":
        return "should not be empty"
    if kind == "too_short":
        what = "source" if field == "sources" else "item"
        return f"should list at least one {what}, not be empty"
    if kind == "greater_than_equal":
        return f"should be {error['ctx']['ge']} or more, not {_got(got, kind=False)}"
    if kind == "less_than_equal":
        return f"should be {error['ctx']['le']} or less, not {_got(got, kind=False)}"
    return f"{error['msg']} (got {_got(got)})"
