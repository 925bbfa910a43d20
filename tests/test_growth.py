"""No command's work grows faster than the length of one argument or one field.

Work is counted, not timed: every line of Python executed and every call into C,
plus the length of the string each call to one of str's own methods works on
(``text.partition``, ``text.split``...), where quadratic copying hides. A command is run in-process at a size n, at 2n and at
4n: the work added from 2n to 4n may be at most GROWTH times the work added from n to
2n. A linear step gives 2 (whatever its fixed cost), a quadratic one 4. (Issue 17 §5:
a 5 MB statement, 100,000 side-effect links, 10,000-character names.)
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Run

pytestmark = pytest.mark.slow  # every command run under a tracer, three sizes each: about a minute

GROWTH = 2.5
"""The largest ratio allowed: linear work gives 2, quadratic 4."""


def work(action: Callable[[], object]) -> int:
    """Lines of Python executed while ``action`` runs, plus the characters of every
    string a str method is called on (the profiler sees the bound method, so its
    receiver): a loop in bytecode and a copy in C both count."""
    steps = 0

    def line(frame: Any, event: str, arg: Any) -> Any:
        nonlocal steps
        steps += 1
        return line

    def c_call(frame: Any, event: str, arg: Any) -> None:
        nonlocal steps
        if event == "c_call":
            receiver = getattr(arg, "__self__", None)
            steps += 1 + (len(receiver) if isinstance(receiver, str) else 0)

    sys.settrace(line)
    sys.setprofile(c_call)
    try:
        action()
    finally:
        sys.setprofile(None)
        sys.settrace(None)
    return steps


def assert_linear(measure: Callable[[int], int], size: int) -> None:
    measure(size)  # first use imports modules and fills caches: not counted
    once, twice, four = measure(size), measure(2 * size), measure(4 * size)
    assert four - twice <= GROWTH * (twice - once), (once, twice, four)


def _statement(raw: dict[str, Any], size: int) -> dict[str, Any]:
    data = copy.deepcopy(raw)
    data["treatments"][0]["summary"]["text"] = ("word " * (size // 5)).strip()
    return data


def _links(raw: dict[str, Any], count: int) -> dict[str, Any]:
    data = copy.deepcopy(raw)
    data["side_effects"] += [
        {"id": f"effect-{n}", "name": f"Effect {n}", "aliases": []} for n in range(count)
    ]
    data["treatments"][0]["side_effects"] += [
        {"id": f"effect-{n}", "sources": ["acs-2010"]} for n in range(count)
    ]
    return data


def _command_work(
    run: Run, write_data: Callable[..., Path], data: dict[str, Any], args: list[str]
) -> int:
    path = write_data(data)
    results: list[Any] = []
    steps = work(lambda: results.append(run("--data", str(path), *args)))
    assert results[0].exit_code == 0, results[0].stderr
    return steps


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["show", "chemotherapy"],
        ["show", "chemotherapy", "-f", "plain"],
        ["show", "chemotherapy", "-f", "markdown"],
        ["show", "chemotherapy", "-f", "html"],
        ["show", "chemotherapy", "-f", "json"],
        ["search", "word"],
        ["compare", "chemotherapy", "radiation"],
        ["handout", "--cancer", "breast", "-f", "table"],
    ],
    ids=" ".join,
)
def test_work_is_linear_in_one_fields_length(
    run: Run, write_data: Callable[..., Path], raw_data: dict[str, Any], args: list[str]
) -> None:
    assert_linear(
        lambda size: _command_work(run, write_data, _statement(raw_data, size), args), 4_000
    )


@pytest.mark.parametrize(
    "args",
    [
        ["show", "chemotherapy", "-f", "json"],
        ["show", "chemotherapy", "-f", "plain"],
        ["side-effects", "chemotherapy", "-f", "json"],
        ["list", "-f", "json"],
    ],
    ids=" ".join,
)
def test_work_is_linear_in_the_length_of_one_list(
    run: Run, write_data: Callable[..., Path], raw_data: dict[str, Any], args: list[str]
) -> None:
    assert_linear(lambda count: _command_work(run, write_data, _links(raw_data, count), args), 500)


def _miss_work(run: Run, args: Callable[[str], list[str]], size: int) -> int:
    results: list[Any] = []
    name = ("zq" * size)[:size]  # a name that matches nothing
    steps = work(lambda: results.append(run(*args(name))))
    assert results[0].exit_code in (1, 2), results[0].stderr
    return steps


@pytest.mark.parametrize(
    "args",
    [
        lambda name: ["show", name],
        lambda name: ["sources", "--for", name],
        lambda name: ["options", "--cancer", name],
        lambda name: ["compare", name, "chemotherapy"],
        lambda name: ["side-effects", "--has", name],
        lambda name: ["search", name],
    ],
    ids=["show", "sources --for", "options --cancer", "compare", "side-effects --has", "search"],
)
def test_work_is_linear_in_one_arguments_length(run: Run, args: Callable[[str], list[str]]) -> None:
    assert_linear(lambda size: _miss_work(run, args, size), 2_000)


def _treatments(raw: dict[str, Any], count: int) -> dict[str, Any]:
    """The bundled knowledge with ``count`` treatments: its own, then numbered copies."""
    data = copy.deepcopy(raw)
    originals = data["treatments"]
    data["treatments"] = [
        *originals,
        *(
            {
                **originals[n % len(originals)],
                "id": f"{originals[n % len(originals)]['id']}-{n}",
                "name": f"{originals[n % len(originals)]['name']} {n}",
                "aliases": [],
                "related": [],
            }
            for n in range(count - len(originals))
        ),
    ]
    return data


def test_work_is_linear_in_the_number_of_names_compared(
    run: Run, write_data: Callable[..., Path], raw_data: dict[str, Any]
) -> None:
    """Every treatment of a file of n compared: the names are indexed once, not once a
    name (which made 400 names of 10,000 treatments take over 40 s)."""

    def measure(count: int) -> int:
        data = _treatments(raw_data, count)
        names = [treatment["name"] for treatment in data["treatments"]]
        return _command_work(run, write_data, data, ["compare", "-f", "json", *names])

    assert_linear(measure, 40)


@pytest.mark.parametrize("columns", ["100", "30"], ids=["table", "as lines"])
def test_work_is_linear_in_the_number_of_rows_of_a_long_table(
    run: Run, write_data: Callable[..., Path], raw_data: dict[str, Any], columns: str
) -> None:
    """A treatment's side effects, over the 1,000 rows from which a table is written a
    row at a time (render_long.LongTable, LongLines): 100,000 took a minute in rich."""

    def measure(count: int) -> int:
        path = write_data(_links(raw_data, count))
        results: list[Any] = []
        steps = work(
            lambda: results.append(
                run("--data", str(path), "show", "chemotherapy", env={"COLUMNS": columns})
            )
        )
        assert results[0].exit_code == 0, results[0].stderr
        assert f"Effect {count - 1}" in results[0].stdout
        return steps

    assert_linear(measure, 1_200)


@pytest.mark.parametrize("columns", ["100", "30"], ids=["table", "as lines"])
def test_work_is_linear_in_the_length_of_a_statement_of_a_long_table(
    run: Run, write_data: Callable[..., Path], raw_data: dict[str, Any], columns: str
) -> None:
    """A statement over the 100,000 characters from which a table is written a row at
    a time (render_long.LongTable): a 5 MB statement is 100,000 lines of a cell."""

    def measure(size: int) -> int:
        path = write_data(_statement(raw_data, size))
        results: list[Any] = []
        steps = work(
            lambda: results.append(
                run("--data", str(path), "show", "chemotherapy", env={"COLUMNS": columns})
            )
        )
        assert results[0].exit_code == 0, results[0].stderr
        return steps

    assert_linear(measure, 120_000)
