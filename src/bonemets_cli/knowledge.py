"""Finding, reading and validating a knowledge file into a KnowledgeBase."""

import datetime as dt
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator, Sequence
from itertools import pairwise
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Literal, NamedTuple, Union, get_args, get_origin

from pydantic import ValidationError

from bonemets_cli.errors import DataError, Problem
from bonemets_cli.models import (
    DATE_PATTERN,
    SAFE_TEXT_PATTERN,
    KnowledgeBase,
    Model,
    mixed_scripts,
    normalize,
    trusted,
)
from bonemets_cli.terminal import UNSAFE

KNOWLEDGE_FILE = "knowledge.json"
MAX_BYTES = 64 * 1024 * 1024
"""64 MiB: far above any real knowledge file (the bundled one is 41 kB; 10,000
treatments make 15 MB); stops a wrong path from filling memory."""

MAX_PROBLEMS = 50
"""The most problems one report lists; the rest are counted ("and 3,950 more"). Past
this many, the first ones tell a curator what to fix, and reporting stays cheap."""


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
    """Everything found wrong with one knowledge file, and the knowledge when it is valid.

    At most MAX_PROBLEMS problems are listed; ``omitted`` counts the errors found
    beyond them, and a last problem line says how many."""

    file: str
    problems: tuple[Problem, ...]
    knowledge: KnowledgeBase | None
    omitted: int = 0

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


def load(path: Path | None = None, *, today: dt.date | None = None) -> KnowledgeBase:
    """Read, parse and validate a knowledge file; raise DataError listing every problem.

    scripts/format_data.py validates the bundled file and records the SHA-256 of
    the exact bytes that passed (the tests check the record is current). When the
    bundled file still has those bytes it is read without validating again; any
    other file, or a bundled file edited since, is validated in full.

    ``today`` dates the check that nothing was reviewed or added in the future; the
    CLI passes its own day (tests pin it); left out, it is the clock's.
    """
    if path is None:
        known_good = _known_good(bundled_path())
        if known_good is not None:
            return known_good
    report = check(path, today=today)
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


def check(path: Path | None = None, *, today: dt.date | None = None) -> Report:
    """Read, parse and validate a knowledge file, gathering every problem at once.

    Problems carry the line and column where they are found. Finding those reads
    the text a second time, so it is done only for a file that has problems, and
    only as far as the listed problems need. Every step is linear in the size of
    the file plus the number of problems.
    """
    path = path or bundled_path()
    name = str(path)
    try:
        text = read_text(path)
        raw, problems = parse(text)
    except DataError as error:
        return Report(name, error.problems, None)
    knowledge, omitted = None, 0
    if isinstance(raw, dict):
        found = validate(text, raw, today=today or dt.date.today())
        knowledge, omitted = found.knowledge, found.omitted
        problems += found.problems
    if problems:
        shown = problems[:MAX_PROBLEMS]
        omitted += len(problems) - len(shown)
        listed = _located(text, shown)
        if omitted:
            more = f"and {omitted:,} more error{'s' if omitted > 1 else ''} not listed"
            listed.append(Problem("", f"{more}; fix these and validate again"))
        return Report(name, tuple(listed), None, omitted)
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
        data = _read_regular_file(path, name)
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


_NOT_A_FILE = (
    (stat.S_ISDIR, "is a directory, not a knowledge file"),
    (stat.S_ISCHR, "is a device, not a file; give the path of a knowledge file"),
    (stat.S_ISBLK, "is a device, not a file; give the path of a knowledge file"),
    (stat.S_ISFIFO, "is a FIFO (named pipe), not a file; give the path of a knowledge file"),
    (stat.S_ISSOCK, "is a socket, not a file; give the path of a knowledge file"),
)

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once, writer or not
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def _read_regular_file(path: Path, name: str) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES; anything else refused at once.

    Checked before opening, so a device or FIFO is never opened (opening one can
    block, or have effects); checked again on what was opened, in case the path
    was swapped in between; and the read stops at the cap, in case it grows.
    """
    _refuse_unless_regular(os.stat(path), name)
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        _refuse_unless_regular(os.fstat(descriptor), name)
        chunks, size = [], 0
        while size <= MAX_BYTES:
            chunk = os.read(descriptor, min(1 << 20, MAX_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(descriptor)
    if size > MAX_BYTES:
        raise _too_big(name, "")
    return b"".join(chunks)


def _refuse_unless_regular(info: os.stat_result, name: str) -> None:
    for test, message in _NOT_A_FILE:
        if test(info.st_mode):
            raise _unreadable(name, message)
    if not stat.S_ISREG(info.st_mode):
        raise _unreadable(name, "is not a regular file; give the path of a knowledge file")
    if info.st_size > MAX_BYTES:
        raise _too_big(name, f"{info.st_size:,} bytes, ")


def _too_big(name: str, size: str) -> DataError:
    return _unreadable(
        name,
        f"is {size}over the {MAX_BYTES:,}-byte ({MAX_BYTES >> 20} MiB) limit for a knowledge file",
    )


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
            "",
            [Problem("", f"is not valid JSON: {_syntax(error)}", error.lineno, error.colno)],
        ) from None
    except RecursionError:
        raise _unreadable("", "is nested too deeply to be a knowledge file") from None
    except ValueError as error:  # an integer of more digits than Python converts
        digits = re.search(r"limit \((\d+) digits\)", str(error))
        limit = f"{int(digits.group(1)):,}" if digits else "4,300"
        raise _unreadable(
            "", f"holds a number of more than {limit} digits; no knowledge file needs one"
        ) from None
    problems = _duplicate_keys(text) if duplicated else []
    if not isinstance(raw, dict):
        problems.append(
            Problem("", f"top level is a JSON {_json_type(raw)}; a knowledge file is an object")
        )
    return raw, problems


def _syntax(error: json.JSONDecodeError) -> str:
    """What a JSON syntax error is, in a curator's words rather than the parser's."""
    text, index = error.doc, error.pos
    before = text[:index].rstrip()[-1:]
    after = text[index : index + 1]
    message = error.msg
    if message.startswith("Unterminated string"):
        return 'unclosed string: a closing " is missing'
    if message.startswith("Invalid control character"):
        return "a line break or tab inside a string; write it as \\n or \\t"
    if message.startswith("Invalid \\escape") or message.startswith("Invalid \\u"):
        return "a backslash that starts no valid escape; write \\\\ for a backslash"
    if not text[index:].strip():
        return "the file ends too soon: a bracket or brace is not closed"
    if message == "Expecting ',' delimiter":
        return "missing comma between two items"
    if message == "Expecting ':' delimiter":
        return "missing colon after a key"
    if message == "Extra data":
        return "more text after the end of the JSON object"
    if before == "," and after in "]}" and after:
        closer = "bracket" if after == "]" else "brace"
        return f"trailing comma: remove the comma before the closing {closer}"
    if after == "," and before in "{[,":
        return "a comma with nothing before it: remove it"
    if message.startswith("Expecting property name"):
        if before == ",":
            return "trailing comma: remove the comma before the closing brace"
        return "a key must be a string in double quotes"
    if message == "Expecting value":
        if before == ",":
            return "two commas in a row, or a comma with nothing after it"
        return "expected a value: a string in double quotes, number, object, array or null"
    return message


class Validated(NamedTuple):
    """What ``validate`` found: the knowledge if valid, the problems it lists (up to a
    limit), and how many more it found."""

    knowledge: KnowledgeBase | None
    problems: list[Problem]
    omitted: int = 0


def conform(text: str) -> tuple[KnowledgeBase | None, list[Any]]:
    """Check JSON text against the models alone, strictly: no string is read as a
    number, no number as a date. What this rejects the published schema rejects
    (a property test holds them to it); the errors are pydantic's."""
    try:
        return KnowledgeBase.model_validate_json(text, strict=True), []
    except ValidationError as error:
        return None, error.errors(include_url=False)


def validate(
    text: str, raw: dict[str, Any], *, today: dt.date, limit: int = MAX_PROBLEMS
) -> Validated:
    """Validate the text against the models, then check what a schema cannot say:
    references, unique ids and names, and the order of dates.

    ``raw`` is the same text parsed. At most ``limit`` problems are written out."""
    try:
        knowledge, errors = conform(text)
    except RecursionError:
        return Validated(None, [Problem("", "is nested too deeply to be a knowledge file")])
    causes = _causes(errors)
    problems = [_schema_problem(error, hint) for error, hint in causes[:limit]]
    omitted = len(causes) - len(problems)
    # A field the schema rejects is reported once, not again as a dangling reference.
    rejected = {json_path(error["loc"]) for error in errors}
    for problem in reference_problems(raw, today=today, explain=limit - len(problems)):
        if _within(problem.path, rejected):
            continue
        if len(problems) < limit:
            problems.append(problem)
        else:
            omitted += 1
    return Validated(knowledge if not problems else None, problems, omitted)


def _within(path: str, paths: set[str]) -> bool:
    """Whether ``path`` or any path it lies under is in ``paths``."""
    while path:
        if path in paths:
            return True
        path = path[: max(path.rfind("."), path.rfind("["), 0)]
    return False


Error = dict[str, Any]
"""One of pydantic's error records: type, loc, msg, input, ctx."""


def _causes(errors: list[Error]) -> list[tuple[Error, str | None]]:
    """Pydantic's errors with one per cause: a misspelt key is reported as unknown,
    with the key it resembles, and not again as that key missing. Each comes with
    the missing key it resembles, if any."""
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
            fields = {info.alias or key: info for key, info in annotation.model_fields.items()}
            if part not in fields:
                return None
            info = fields[part]
            annotation = info.annotation
            if info.metadata:  # the field's own constraints, such as a pattern
                annotation = Annotated.__class_getitem__((annotation, *info.metadata))  # type: ignore[attr-defined]
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
        return [info.alias or key for key, info in model.model_fields.items()]
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
    if error["type"] == "json_invalid":  # pydantic's parser nests less deep than json's
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


def _child(path: str, key: int | str) -> str:
    """The JSON path one step below ``path``: json_path, built a step at a time."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if _PLAIN_KEY.match(key):
        return f"{path}.{key}" if path else key
    return f"{path}[{json.dumps(key)}]"


def _parent(path: str) -> str:
    return path[: max(path.rfind("."), path.rfind("["), 0)]


class _Scan:
    """Where wanted JSON paths start in the text, and where keys are repeated."""

    def __init__(self) -> None:
        self.starts: dict[str, int] = {}
        self.duplicates: list[tuple[str, int]] = []


def _scan(text: str, wanted: set[str], duplicates: bool = False) -> _Scan:
    """Walk valid JSON text once more, recording where the ``wanted`` paths and their
    parents start (json.loads keeps no positions), and, if asked, repeated keys.

    Only objects and arrays that hold a wanted path are walked in Python; any other
    value is stepped over by the C decoder, so the cost is linear in the text and
    small. Finding repeated keys walks everything (only a file that has some).
    """
    scan = _Scan()
    decoder = json.JSONDecoder()
    space = re.compile(r"[ \t\n\r]*")
    descend = {""}
    for path in wanted:
        while path and path not in descend:
            descend.add(path)
            path = _parent(path)

    def skip(index: int) -> int:
        end = space.match(text, index)
        return end.end() if end else index

    def value(index: int, path: str) -> int:
        index = skip(index)
        if path in descend:
            scan.starts[path] = index
        opener = text[index]
        if opener not in "{[" or not (duplicates or path in descend):
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
                member = _child(path, key)
                if key in seen:
                    scan.duplicates.append((member, index))
                seen.add(key)
                after_value = value(skip(after) + 1, member)
                if member in descend:
                    scan.starts[member] = index  # point at the key, not its value
                index = after_value
            else:
                index = value(index, _child(path, count))
                count += 1
            index = skip(index)
            if text[index] == closer:
                return index + 1
            index = skip(index + 1)

    try:
        value(0, "")
    except (RecursionError, IndexError, ValueError):
        pass  # positions are a help, never a reason to fail
    return scan


def _positions(text: str, indexes: set[int]) -> dict[int, tuple[int, int]]:
    """Line and column of each index, counting the text's newlines once in all."""
    found = {}
    line, line_start, previous = 1, 0, 0
    for index in sorted(indexes):
        newlines = text.count("\n", previous, index)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", previous, index) + 1
        found[index] = (line, index - line_start + 1)
        previous = index
    return found


def _duplicate_keys(text: str) -> list[Problem]:
    duplicates = _scan(text, set(), duplicates=True).duplicates
    positions = _positions(text, {index for _, index in duplicates})
    return [
        Problem(
            path,
            "duplicate key; json keeps only the last one, so each key may appear once in an object",
            *positions[index],
        )
        for path, index in duplicates
    ]


def _located(text: str, problems: list[Problem]) -> list[Problem]:
    """The problems with line and column added, from the nearest path that exists."""
    unplaced = {p.path for p in problems if p.line is None}
    starts = _scan(text, unplaced).starts if unplaced else {}
    places = {}
    for path in unplaced:
        place = path
        while place and place not in starts:
            place = _parent(place)
        if place in starts:
            places[path] = starts[place]
    positions = _positions(text, set(places.values()))
    return [
        problem._replace(
            line=positions[places[problem.path]][0], column=positions[places[problem.path]][1]
        )
        if problem.line is None and problem.path in places
        else problem
        for problem in problems
    ]


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
    entries = {name: _entries(raw, name) for name in COLLECTIONS}
    known = {
        name: {e["id"] for _, e in found if isinstance(e.get("id"), str)}
        for name, found in entries.items()
    }
    for name, found in entries.items():
        duplicated = list(_duplicate_ids(name, found))
        yield from duplicated
        if name in NAMED:
            yield from _names(name, found, {p.path for p in duplicated})

    yield from _dangling(raw, known, today, explain)
    yield from claim_problems(raw)
    yield from _names_shared_across(raw, SHARED_NAMES)
    yield from _ids_shared_across(entries, FACTS)
    yield from _score_problems(raw.get("sins"))
    yield from _medicine_quote_problems(raw)

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
    updates = {e["id"]: e for _, e in _entries(raw, "updates") if isinstance(e.get("id"), str)}

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


def _dangling(
    raw: dict[str, Any], known: dict[str, set[str]], today: dt.date, explain: int
) -> list[Problem]:
    """References that point nowhere, and impossible dates, in document order.

    Visits every JSON object once, knowing from its shape (its location without list
    indices, e.g. ('treatments', 'benefits')) which of its fields are references."""
    problems: list[Problem] = []
    plans: dict[tuple[str, ...], tuple[tuple[str, str], ...]] = {}
    shapes: dict[tuple[tuple[str, ...], str], tuple[str, ...]] = {}
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
                    problems.append(Problem(json_path(member), unknown(target, ref)))
        if shape in _DATED:
            problems.extend(_dates(json_path(_location(link)), node, today))
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


def _names(
    name: str, entries: list[tuple[int, dict[str, Any]]], duplicate_ids: set[str]
) -> Iterator[Problem]:
    """A name or alias may lead to one entry only, or lookups could not choose; names
    compare as lookups compare them (models.normalize), so two that differ only in
    case, width, composition or invisible characters clash. A name must show
    something, and may not mix look-alike scripts within a word."""
    owner: dict[str, int] = {}
    for index, entry in entries:
        aliases = entry.get("aliases")
        spellings = [
            # an id already reported as a duplicate is not reported again as a name
            *(
                []
                if f"{name}[{index}].id" in duplicate_ids
                else [(f"{name}[{index}].id", entry.get("id"))]
            ),
            (f"{name}[{index}].name", entry.get("name")),
            *(
                (f"{name}[{index}].aliases[{number}]", alias)
                for number, alias in enumerate(aliases if isinstance(aliases, list) else [])
            ),
        ]
        keys: dict[str, str] = {}
        for path, spelling in spellings:
            if not isinstance(spelling, str):
                continue
            key = normalize(spelling)
            if not key and spelling.strip():
                yield Problem(path, "shows nothing: it is made only of invisible characters")
            scripts = mixed_scripts(spelling)
            if scripts:
                yield Problem(
                    path,
                    f"mixes {scripts[0]} and {scripts[1]} letters in one word; "
                    "write it in one script (look-alike letters hide a different name)",
                )
            if key:
                keys.setdefault(key, path)
        for key in keys:
            if key in owner and owner[key] != index:
                yield Problem(
                    f"{name}[{index}]",
                    f"name or alias {key!r} is also used by {name}[{owner[key]}]; "
                    "each name must lead to one entry",
                )
            else:
                owner.setdefault(key, index)


def _names_shared_across(raw: dict[str, Any], collections: Sequence[str]) -> Iterator[Problem]:
    """Across collections looked up together, a name, alias or brand leads to one entry.

    Two names within one collection are ``_ambiguous_names``' to report, except a
    brand name, which only this check reads.
    """
    owner: dict[str, tuple[str, int, bool]] = {}
    for name in collections:
        for index, entry in _entries(raw, name):
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


def _ids_shared_across(
    entries: dict[str, list[tuple[int, dict[str, Any]]]], collections: Sequence[str]
) -> Iterator[Problem]:
    """An id used in one collection may not be reused in another cited alongside it."""
    first_seen: dict[str, tuple[str, int]] = {}
    for name in collections:
        for index, entry in entries[name]:
            entry_id = entry.get("id")
            if not isinstance(entry_id, str):
                continue
            first = first_seen.setdefault(entry_id, (name, index))
            if first[0] != name:
                yield Problem(
                    f"{name}[{index}].id",
                    f"duplicate id {entry_id!r}, already used by {first[0]}[{first[1]}]",
                )


def _medicine_quote_problems(raw: dict[str, Any]) -> Iterator[Problem]:
    """A medicine's dose or label indication that names facts is in one of those facts'
    own words (statement or detail), so no figure or cancer is added on the way."""
    said: dict[Any, str] = {}
    for _, update in _entries(raw, "updates"):
        detail = update.get("detail")
        words = [update.get("statement"), *(detail if isinstance(detail, list) else [])]
        said[update.get("id")] = " ".join(" ".join(w.split()) for w in words if isinstance(w, str))
    for index, medicine in _entries(raw, "medicines"):
        for field in ("doses", "labels"):
            records = medicine.get(field)
            for number, record in enumerate(records if isinstance(records, list) else []):
                if not isinstance(record, dict):
                    continue
                text, named = record.get("text"), record.get("updates")
                facts = [said[u] for u in named if u in said] if isinstance(named, list) else []
                if (
                    isinstance(text, str)
                    and facts
                    and not any(" ".join(text.split()) in fact for fact in facts)
                ):
                    yield Problem(
                        f"medicines[{index}].{field}[{number}].text",
                        "is not in the words of the facts it names; quote one of them",
                    )


def _score_problems(score: Any) -> Iterator[Problem]:
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
        if component.get("id") in seen_components:
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


def _json_type(value: Any) -> str:
    return {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )


def _unreadable(name: str, message: str) -> DataError:
    return DataError(name, [Problem("", message)])
