"""Where things are in a JSON text: paths as people write them, and lines and columns."""

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
        problem.replace(
            line=positions[places[problem.path]][0], column=positions[places[problem.path]][1]
        )
        if problem.line is None and problem.path in places
        else problem
        for problem in problems
    ]
