"""Finding, reading and validating a knowledge file into a KnowledgeBase."""

import datetime as dt
import hashlib
import heapq
import json
import os
import re
import stat
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bonemets_cli.errors import DataError, Problem
from bonemets_cli.frozen import Frozen
from bonemets_cli.models import KnowledgeBase, complete, trusted

if TYPE_CHECKING:
    from pydantic import TypeAdapter

MAX_PROBLEMS = 50
"""The most problems one report lists; the rest are counted ("and 3,950 more"). Past
this many, the first ones tell a curator what to fix, and reporting stays cheap.
(knowledge_rules, knowledge_messages and json_text, which find and word problems, are
imported only when a file is checked: the bundled file's pages never load them.)"""

KNOWLEDGE_FILE = "knowledge.json"
MAX_BYTES = 64 * 1024 * 1024
"""64 MiB: far above any real knowledge file (the bundled one is 41 kB; 10,000
treatments make 15 MB); stops a wrong path from filling memory."""


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


class Report(Frozen):
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
        raise DataError(report.file, report.errors, report.omitted)
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

    Problems carry the line and column where they are found, and the report lists
    the first MAX_PROBLEMS in the file's order. Finding places reads the text a
    second time, so it is done only for a file that has problems. Every step is
    linear in the size of the file plus the number of problems, but for putting
    the places found in order (n log n in the number of problems).
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
        rules = rule_problems(raw, today=today or dt.date.today())
        # Let the parsed JSON go before the models are built from the text, so the two
        # are never in memory together: the garbage collector's full passes walk every
        # object alive, and a file of 100,000 links makes 400,000 of each.
        del raw
        found = validate(text, rules)
        knowledge = found.knowledge
        problems += found.problems
    if problems:
        from bonemets_cli.json_text import _located

        # In the file's order, as an editor shows it: the first MAX_PROBLEMS by line and
        # column (nsmallest keeps ties in the order found, and costs n log MAX_PROBLEMS);
        # a problem with no place (the whole file) comes first.
        located = _located(text, problems)
        listed = heapq.nsmallest(MAX_PROBLEMS, located, key=_place)
        omitted = len(located) - len(listed)
        if omitted:
            more = f"and {omitted:,} more error{'s' if omitted > 1 else ''} not listed"
            listed.append(Problem("", f"{more}; fix these and validate again"))
        return Report(name, tuple(listed), None, omitted)
    return Report(name, (), knowledge)


def _place(problem: Problem) -> tuple[int, int]:
    return (problem.line or 0, problem.column or 0)


def json_schema() -> str:
    """The JSON Schema a knowledge file follows, generated from the models."""
    schema = knowledge_adapter().json_schema()
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
    kept = 0

    def count_keys(found: dict[str, Any]) -> dict[str, Any]:
        nonlocal kept
        kept += len(found)
        return found

    if not text.strip():
        raise _unreadable("", "is empty; a knowledge file is a JSON object")
    try:
        # json builds each object itself (a hook given pairs costs a list of tuples per
        # object); the keys it kept are counted, for the check for repeated ones below
        raw = json.loads(text, object_hook=count_keys)
    except json.JSONDecodeError as error:
        raise DataError(
            "",
            [Problem("", f"is not valid JSON: {_syntax(error)}", error.lineno, error.colno)],
        ) from None
    except RecursionError:
        raise _unreadable("", _TOO_DEEP) from None
    except ValueError as error:  # an integer of more digits than Python converts
        digits = re.search(r"limit \((\d+) digits\)", str(error))
        limit = f"{int(digits.group(1)):,}" if digits else "4,300"
        raise _unreadable(
            "", f"holds a number of more than {limit} digits; no knowledge file needs one"
        ) from None
    if _key_ends(text) > kept:
        from bonemets_cli.json_text import _duplicate_keys

        problems = _duplicate_keys(text)
    else:
        problems = []
    if not isinstance(raw, dict):
        problems.append(
            Problem("", f"top level is a JSON {_json_type(raw)}; a knowledge file is an object")
        )
    return raw, problems


def _key_ends(text: str) -> int:
    """How many times a '"' is followed by ':' (JSON white space between): at least the
    number of keys in valid JSON, as every key ends so, and more only where a string
    holds an escaped quote before a colon. So when json kept as many keys, none was
    repeated; otherwise the slower scan finds the repeated ones, if any."""
    return text.count('":') + len(re.findall(r'"[ \t\n\r]+:', text))


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


class Validated(Frozen):
    """What ``validate`` found: the knowledge if valid, and every problem."""

    knowledge: KnowledgeBase | None
    problems: list[Problem]


def conform(text: str) -> tuple[KnowledgeBase | None, list[Any]]:
    """Check JSON text against the models alone, strictly: no string is read as a
    number, no number as a date. What this rejects the published schema rejects
    (a property test holds them to it); the errors are pydantic's."""
    from pydantic import ValidationError

    adapter = knowledge_adapter()
    try:
        return adapter.validate_json(text, strict=True), []
    except ValidationError as error:
        return None, error.errors(include_url=False)


@cache
def knowledge_adapter() -> "TypeAdapter[KnowledgeBase]":
    """Pydantic's validator and schema for a whole knowledge file, built on first use:
    only checking a file or writing its schema imports pydantic."""
    from pydantic import TypeAdapter

    complete()
    return TypeAdapter(KnowledgeBase)


def rule_problems(
    raw: dict[str, Any], *, today: dt.date, explain: int = MAX_PROBLEMS
) -> list[Problem]:
    """What the parsed JSON breaks that a schema cannot say: references, unique ids and
    names, and the order of dates (``knowledge_rules.reference_problems``).

    Only the first ``explain`` unknown references look for the ids they resemble."""
    from bonemets_cli.knowledge_rules import reference_problems

    try:
        return list(reference_problems(raw, today=today, explain=explain))
    except RecursionError:
        return [Problem("", _TOO_DEEP)]


def validate(text: str, rules: list[Problem]) -> Validated:
    """Validate the text against the models, and add the ``rules`` problems found in the
    same text parsed (``rule_problems``) but for those within a field the models reject.

    Every problem is returned, so the caller can list the first ones in the file."""
    from bonemets_cli.json_text import json_path
    from bonemets_cli.knowledge_messages import _causes, _schema_problem, _within

    try:
        knowledge, errors = conform(text)
    except RecursionError:
        return Validated(None, [Problem("", _TOO_DEEP)])
    problems = [_schema_problem(error, hint) for error, hint in _causes(errors)]
    # A field the schema rejects is reported once, not again as a dangling reference.
    rejected = {json_path(error["loc"]) for error in errors}
    problems += (problem for problem in rules if not _within(problem.path, rejected))
    return Validated(knowledge if not problems else None, problems)


_TOO_DEEP = "is nested too deeply to be a knowledge file"


def _json_type(value: Any) -> str:
    return {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )


def _unreadable(name: str, message: str) -> DataError:
    return DataError(name, [Problem("", message)])
