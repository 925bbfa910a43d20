"""Where things are in a JSON text: paths as people write them, and lines and columns.

``json.loads`` keeps no positions, so a knowledge file with problems is walked once
more to say where each one lies.
"""

import json
import re
from collections.abc import Sequence

from bonemets_cli.errors import Problem


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


def located(text: str, problems: list[Problem]) -> list[Problem]:
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


def duplicate_keys(text: str) -> list[Problem]:
    """A problem, located, for each key repeated within one object."""
    return _scan(text).duplicates
