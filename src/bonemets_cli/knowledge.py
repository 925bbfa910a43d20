"""Finding, reading and validating a knowledge file into a KnowledgeBase."""

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from bonemets_cli.errors import DataError, Problem
from bonemets_cli.models import KnowledgeBase, normalize, trusted
from bonemets_cli.terminal import UNSAFE

KNOWLEDGE_FILE = "knowledge.json"
MAX_BYTES = 32 * 1024 * 1024
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


class Report(NamedTuple):
    """Everything found wrong with one knowledge file, and the knowledge when it is valid."""

    file: str
    problems: tuple[Problem, ...]
    knowledge: KnowledgeBase | None

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


def load(path: Path | None = None) -> KnowledgeBase:
    """Read, parse and validate a knowledge file; raise DataError listing every problem.

    scripts/format_data.py validates the bundled file and records the SHA-256 of
    the exact bytes that passed (the tests check the record is current). When the
    bundled file still has those bytes it is read without validating again; any
    other file, or a bundled file edited since, is validated in full.
    """
    if path is None:
        known_good = _known_good(bundled_path())
        if known_good is not None:
            return known_good
    report = check(path)
    if report.knowledge is None:
        raise DataError(report.file, report.errors)
    return report.knowledge


def digest(data: bytes) -> str:
    """How validated bytes are recorded: the lowercase hex SHA-256."""
    return hashlib.sha256(data).hexdigest()


def recorded_digest_path(knowledge_file: Path) -> Path:
    """``knowledge.sha256`` beside the file, in the format of ``sha256sum``."""
    return knowledge_file.with_suffix(".sha256")


def _known_good(path: Path) -> KnowledgeBase | None:
    try:
        data = path.read_bytes()
        recorded = recorded_digest_path(path).read_text(encoding="ascii").split()[0]
    except (OSError, UnicodeDecodeError, IndexError):
        return None
    if digest(data) != recorded:
        return None
    return trusted(KnowledgeBase, json.loads(data.decode("utf-8-sig")))


def check(path: Path | None = None) -> Report:
    """Read, parse and validate a knowledge file, gathering every problem at once.

    Problems carry the line and column where they are found. Finding those reads
    the text a second time, so it is done only for a file that has problems.
    """
    path = path or bundled_path()
    name = str(path)
    try:
        text = read_text(path)
        raw, problems = parse(text)
    except DataError as error:
        return Report(name, error.problems, None)
    knowledge = None
    if isinstance(raw, dict):
        knowledge, found = validate(raw)
        problems += found
    if problems:
        return Report(name, tuple(_located(text, problems)), None)
    return Report(name, (), knowledge)


def json_schema() -> str:
    """The JSON Schema a knowledge file follows, generated from the models."""
    schema = KnowledgeBase.model_json_schema()
    return json.dumps({"$schema": _JSON_SCHEMA_DIALECT, **schema}, indent=2) + "\n"


_JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


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


def parse(text: str) -> tuple[Any, list[Problem]]:
    """Parse JSON text; problems for duplicate keys (json would silently keep the last)
    and for a top level that is not an object. Unparseable text raises DataError."""
    duplicated = False

    def note_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicated
        result = dict(pairs)
        duplicated = duplicated or len(result) < len(pairs)
        return result

    if not text.strip():
        raise _unreadable("", "is empty; a knowledge file is a JSON object")
    try:
        raw = json.loads(text, object_pairs_hook=note_duplicates)
    except json.JSONDecodeError as error:
        raise DataError(
            "", [Problem("", f"is not valid JSON: {error.msg}", error.lineno, error.colno)]
        ) from None
    except RecursionError:
        raise _unreadable("", "is nested too deeply to be a knowledge file") from None
    problems = _scan(text).duplicates if duplicated else []
    if not isinstance(raw, dict):
        problems.append(
            Problem("", f"top level is a JSON {_json_type(raw)}; a knowledge file is an object")
        )
    return raw, problems


def validate(raw: dict[str, Any]) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Validate parsed JSON against the models, then check every cross-reference."""
    try:
        knowledge: KnowledgeBase | None = KnowledgeBase.model_validate(raw)
        problems = []
    except ValidationError as error:
        knowledge, problems = None, schema_problems(error)
    except RecursionError:
        return None, [Problem("", "is nested too deeply to be a knowledge file")]
    # A field the schema rejects is reported once, not again as a dangling reference.
    rejected = tuple(p.path for p in problems)
    problems += [
        p
        for p in reference_problems(raw)
        if not any(p.path == r or p.path.startswith((r + ".", r + "[")) for r in rejected)
    ]
    return (knowledge if not problems else None), problems


def schema_problems(error: ValidationError) -> list[Problem]:
    """One problem per pydantic error, located by JSON path."""
    return [
        Problem(json_path(detail["loc"]), _schema_message(detail))
        for detail in error.errors(include_url=False)
    ]


def json_path(loc: Sequence[int | str]) -> str:
    """('treatments', 0, 'name') -> 'treatments[0].name'.

    A key that is not a plain name is quoted, with anything unusual escaped, so a
    hostile key cannot reach the terminal as a control sequence.
    """
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            path += f".{part}" if path else part
        else:
            path += f"[{json.dumps(part)}]"
    return path or "(top level)"


_PLAIN_KEY = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


class _Scan:
    """Where each JSON path starts in the text, and where keys are repeated."""

    def __init__(self) -> None:
        self.starts: dict[str, int] = {}
        self.duplicates: list[Problem] = []


def _scan(text: str) -> _Scan:
    """Walk valid JSON text once more, recording positions (json.loads keeps none)."""
    scan = _Scan()
    decoder = json.JSONDecoder()
    space = re.compile(r"[ \t\n\r]*")

    def skip(index: int) -> int:
        end = space.match(text, index)
        return end.end() if end else index

    def value(index: int, loc: tuple[int | str, ...]) -> int:
        index = skip(index)
        scan.starts[json_path(loc) if loc else ""] = index
        opener = text[index]
        if opener not in "{[":
            return int(decoder.raw_decode(text, index)[1])
        closer = "}" if opener == "{" else "]"
        index = skip(index + 1)
        if text[index] == closer:
            return index + 1
        seen: set[str] = set()
        count = 0
        while True:
            if opener == "{":
                key, after = decoder.raw_decode(text, index)
                if key in seen:
                    line, column = _position(text, index)
                    scan.duplicates.append(
                        Problem(
                            json_path((*loc, key)),
                            "duplicate key; json keeps only the last one, so each key "
                            "may appear once in an object",
                            line,
                            column,
                        )
                    )
                seen.add(key)
                member = (*loc, key)
                after_value = value(skip(after) + 1, member)
                scan.starts[json_path(member)] = index  # point at the key, not its value
                index = after_value
            else:
                index = value(index, (*loc, count))
                count += 1
            index = skip(index)
            if text[index] == closer:
                return index + 1
            index = skip(index + 1)

    try:
        value(0, ())
    except (RecursionError, IndexError, ValueError):
        pass  # positions are a help, never a reason to fail
    return scan


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _located(text: str, problems: list[Problem]) -> list[Problem]:
    """The problems with line and column added, from the nearest path that exists."""
    starts = _scan(text).starts
    located = []
    for problem in problems:
        if problem.line is not None:
            located.append(problem)
            continue
        path = problem.path
        while path and path not in starts:
            path = path[: max(path.rfind("."), path.rfind("["), 0)]
        index = starts.get(path)
        if index is None:
            located.append(problem)
        else:
            line, column = _position(text, index)
            located.append(problem._replace(line=line, column=column))
    return located


def _schema_message(detail: Any) -> str:
    kind = detail["type"]
    got = detail.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field; check its spelling or remove it"
    message = str(detail["msg"])
    if kind == "string_pattern_mismatch" and isinstance(got, str):
        unsafe = UNSAFE.search(got)
        if unsafe:
            message = (
                f"contains the control or bidirectional character U+{ord(unsafe.group()):04X}; "
                "remove it"
            )
    if isinstance(got, (str, int, float, bool)) or got is None:
        shown = repr(got)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        message += f" (got {shown})"
    return message


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
)
"""The top-level lists whose entries have ids."""

NAMED = ("cancers", "routes", "goals", "bone_states", "side_effects", "treatments")
"""The collections users look up by name or alias."""

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
}
"""Which fields refer to which collection, by where the record sits (list indices left
out). Every ``sources`` field anywhere below the top level refers to ``sources``, and
every ``update`` of a ``qualified_by`` entry to ``updates``."""


def reference_problems(raw: dict[str, Any]) -> Iterator[Problem]:
    """Duplicate ids and names, references that point nowhere, and impossible dates.

    Works on the parsed JSON rather than the models, so it runs even when the schema
    check fails and a curator learns everything wrong in one run.
    """
    entries = {name: _entries(raw, name) for name in COLLECTIONS}
    known = {
        name: {e["id"] for _, e in found if isinstance(e.get("id"), str)}
        for name, found in entries.items()
    }
    for name, found in entries.items():
        yield from _duplicate_ids(name, found)
        if name in NAMED:
            yield from _ambiguous_names(name, found)

    yield from _dangling(raw, known)
    yield from claim_problems(raw)

    sources = {e.get("id"): e for _, e in entries["sources"]}
    founding = raw.get("founding_text")
    cited = founding.get("sources") if isinstance(founding, dict) else None
    for index, source_id in enumerate(cited if isinstance(cited, list) else []):
        source = sources.get(source_id)
        if isinstance(source, dict) and source.get("year") is None:
            yield Problem(
                f"founding_text.sources[{index}]",
                f"source {source_id!r} needs a year: it dates the founding text",
            )


def claim_problems(raw: dict[str, Any]) -> Iterator[Problem]:
    """What the structure claims must stand in its source's own words: a listing or a
    qualification quotes the fact it names, and a caution says what it qualifies and why."""
    updates = {e.get("id"): e for _, e in _entries(raw, "updates")}

    def quoted(path: str, text: Any, update_id: Any) -> Iterator[Problem]:
        update = updates.get(update_id)
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

    for index, treatment in _entries(raw, "treatments"):
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
    for path, qualification in _qualifications(raw, ""):
        yield from quoted(path, qualification.get("text"), qualification.get("update"))
    for index, update in _entries(raw, "updates"):
        caution = update.get("caution") is True
        for field_name in ("qualifies", "caution_reason"):
            if caution and update.get(field_name) is None:
                yield Problem(f"updates[{index}]", f"a caution needs '{field_name}'")
            elif not caution and update.get(field_name) is not None:
                yield Problem(f"updates[{index}].{field_name}", "only a caution has this")


def _qualifications(node: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every entry of a ``qualified_by`` list, with its path."""
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{path}.{key}" if path else key
            if key == "qualified_by" and isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, dict):
                        yield f"{child}[{index}]", item
            elif isinstance(value, (dict, list)):
                yield from _qualifications(value, child)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, (dict, list)):
                yield from _qualifications(item, f"{path}[{index}]")


def _entries(raw: dict[str, Any], name: str) -> list[tuple[int, dict[str, Any]]]:
    found = raw.get(name)
    if not isinstance(found, list):
        return []
    return [(index, entry) for index, entry in enumerate(found) if isinstance(entry, dict)]


Location = tuple[int | str, ...]

Link = tuple[Any, int | str] | None
"""A location as a chain (parent link, key): cheap to extend, spelled out only when a
problem needs it."""


def _location(link: Link) -> Location:
    """The keys and indices of a Link, from the top."""
    keys: list[int | str] = []
    while link is not None:
        link, key = link
        keys.append(key)
    return tuple(reversed(keys))


def _dangling(raw: dict[str, Any], known: dict[str, set[str]]) -> list[Problem]:
    """References that point nowhere, and impossible dates, in document order.

    Visits every JSON object once, knowing from its shape (its location without list
    indices, e.g. ('treatments', 'benefits')) which of its fields are references."""
    problems: list[Problem] = []
    plans: dict[tuple[str, ...], tuple[tuple[str, str], ...]] = {}
    shapes: dict[tuple[tuple[str, ...], str], tuple[str, ...]] = {}

    def check(node: dict[str, Any], shape: tuple[str, ...], link: Link) -> None:
        plan = plans.get(shape)
        if plan is None:
            plan = plans[shape] = (
                *REFERENCES.get(shape, {}).items(),
                *((("sources", "sources"),) if shape else ()),
                *((("update", "updates"),) if shape[-1:] == ("qualified_by",) else ()),
            )
        for field_name, target in plan:
            value = node.get(field_name)
            refs = enumerate(value) if type(value) is list else [(None, value)]
            for index, ref in refs:
                if type(ref) is str and ref not in known[target]:
                    loc = (*_location(link), field_name)
                    member = loc if index is None else (*loc, index)
                    choices = ", ".join(sorted(known[target])) or "none defined"
                    what = target.rstrip("s").replace("_", " ")
                    problems.append(
                        Problem(json_path(member), f"unknown {what} {ref!r} (known: {choices})")
                    )
        if shape in (("content",), ("updates",)):
            problems.extend(_date_order(json_path(_location(link)), node))
        for key, item in node.items():
            kind = type(item)
            if kind is dict:
                check(item, child_shape(shape, key), (link, key))
            elif kind is list:
                # a list of strings (most are: sources, aliases) has nothing to visit
                for index, element in enumerate(item):
                    inner = type(element)
                    if inner is dict or inner is list:
                        visit(element, child_shape(shape, key), ((link, key), index))

    def child_shape(shape: tuple[str, ...], key: str) -> tuple[str, ...]:
        child = shapes.get((shape, key))
        if child is None:
            child = shapes[(shape, key)] = (*shape, key)
        return child

    def visit(value: Any, shape: tuple[str, ...], link: Link) -> None:
        if type(value) is dict:
            check(value, shape, link)
            return
        for index, item in enumerate(value):
            kind = type(item)
            if kind is dict or kind is list:
                visit(item, shape, (link, index))

    check(raw, (), None)
    return problems


def _date_order(path: str, entry: dict[str, Any]) -> Iterator[Problem]:
    """added <= reviewed <= next_review, wherever those dates are given and readable."""
    # A missing or malformed date is the schema's to report.
    dates = [
        (name, date)
        for name in ("added", "reviewed", "next_review")
        if (date := _date(entry.get(name))) is not None
    ]
    for (earlier, first), (later, second) in pairwise(dates):
        if second < first:
            yield Problem(f"{path}.{later}", f"{second} is before {path}.{earlier} ({first})")


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _duplicate_ids(name: str, entries: list[tuple[int, dict[str, Any]]]) -> Iterator[Problem]:
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


def _ambiguous_names(name: str, entries: list[tuple[int, dict[str, Any]]]) -> Iterator[Problem]:
    """A name or alias may lead to one entry only, or lookups could not choose."""
    owner: dict[str, int] = {}
    for index, entry in entries:
        aliases = entry.get("aliases")
        names = [
            entry.get("id"),
            entry.get("name"),
            *(aliases if isinstance(aliases, list) else []),
        ]
        for key in dict.fromkeys(normalize(n) for n in names if isinstance(n, str)):
            if key in owner and owner[key] != index:
                yield Problem(
                    f"{name}[{index}]",
                    f"name or alias {key!r} is also used by {name}[{owner[key]}]; "
                    "each name must lead to one entry",
                )
            else:
                owner.setdefault(key, index)


def _json_type(value: Any) -> str:
    return {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )


def _unreadable(name: str, message: str) -> DataError:
    return DataError(name, [Problem("", message)])
