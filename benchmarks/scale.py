"""How bonemets' cost grows with the size of a knowledge file.

Generates knowledge files of 100, 1,000 and 10,000 treatments (the bundled
entries, then numbered copies of them), and times `list --format json`,
`search` and `validate` on each, as whole commands in fresh processes.

Goal: with 10,000 treatments each command takes <= 1 s on a 2-core machine, and
cost grows linearly: the 10,000 / 1,000 ratio is <= 12.

The "hostile" section times files built to make error paths explode (issue 17):
1,000 / 2,000 / 4,000 treatments each with a dangling reference, or each with an
unknown field; a 28 MB file with one error; and one 5 MB statement. Goal: each within 5 s (10 s for
the 28 MB file), and cost linear in the count.

    python benchmarks/scale.py            # 3 runs per command and size, then hostile
    python benchmarks/scale.py --smoke    # small files, 1 run: checks that it works
    python benchmarks/scale.py --only hostile
    python benchmarks/scale.py --only hostile --case "side-effect links" --case "statement show"

Standard library only. It never fails on a time: a benchmark is for reading.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import bonemets_command  # noqa: E402

REPOSITORY_DATA = Path(__file__).resolve().parents[1] / "data" / "knowledge.json"
COMMANDS = {
    "list --format json": ["list", "--format", "json"],
    "search nausea": ["search", "nausea"],
    "validate": ["validate"],
}
GOAL_SECONDS = 1.0
GOAL_GROWTH = 12.0


def knowledge_with(treatments: int) -> dict[str, Any]:
    """The bundled knowledge with its treatments copied, numbered, up to ``treatments``."""
    data: dict[str, Any] = json.loads(REPOSITORY_DATA.read_text(encoding="utf-8"))
    originals = data["treatments"]
    copies = []
    for number in range(max(0, treatments - len(originals))):
        original = originals[number % len(originals)]
        copies.append(
            {
                **original,
                "id": f"{original['id']}-{number}",
                "name": f"{original['name']} {number}",
                "aliases": [],
                "related": [],
            }
        )
    data["treatments"] = (originals + copies)[:treatments]
    kept = {t["id"] for t in data["treatments"]}
    data["updates"] = [u for u in data["updates"] if set(u["treatments"]) <= kept]
    return data


def time_command(argv: list[str], path: Path) -> tuple[float, int]:
    env = {**os.environ, "BONEMETS_DATA": str(path), "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    result = subprocess.run(argv, capture_output=True, env=env, check=False)
    return time.perf_counter() - started, result.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="small files, 1 run")
    parser.add_argument("--only", choices=["scale", "hostile"], help="run one section")
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds before a hostile case is cut off"
    )
    parser.add_argument(
        "--case",
        action="append",
        help="only the hostile cases whose label and command contain this (repeatable)",
    )
    options = parser.parse_args()
    failed = 0
    if options.only != "hostile":
        failed |= scale(options)
    if options.only != "scale":
        if options.only is None:
            print()
        failed |= hostile(options.smoke, options.timeout, options.case)
    return failed


def scale(options: argparse.Namespace) -> int:
    sizes = [10, 100] if options.smoke else [100, 1_000, 10_000]
    runs = 1 if options.smoke else options.runs
    bonemets = bonemets_command()
    medians: dict[tuple[str, int], float] = {}
    failures = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"knowledge-{size}.json"
            path.write_text(json.dumps(knowledge_with(size), indent=2), encoding="utf-8")
            for label, args in COMMANDS.items():
                walls = []
                for _ in range(runs):
                    wall, code = time_command([*bonemets, *args], path)
                    if code == 2 and label.startswith("search"):
                        break  # not a command yet
                    if code not in (0, 1):
                        failures.append(f"{label} on {size}: exit {code}")
                        break
                    walls.append(wall)
                if walls:
                    medians[label, size] = statistics.median(walls)
    print(f"bonemets scale: median of {runs} run(s); whole commands, fresh processes")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores; Python {platform.python_version()}"
    )
    print()
    header = f"{'command':22}" + "".join(f"{size:>10,}" for size in sizes) + "    growth  goal"
    print(header)
    for label in COMMANDS:
        if not any((label, size) in medians for size in sizes):
            print(f"{label:22}  not a command yet")
            continue
        cells = "".join(
            f"{medians[label, size]:9.2f}s" if (label, size) in medians else f"{'-':>10}"
            for size in sizes
        )
        last, before = sizes[-1], sizes[-2]
        growth = medians[label, last] / medians[label, before]
        met = medians[label, last] <= GOAL_SECONDS and growth <= GOAL_GROWTH
        print(f"{label:22}{cells}  {growth:7.1f}x  {'met' if met else 'MISSED'}")
    print()
    print(
        f"goal: <= {GOAL_SECONDS:g} s at {sizes[-1]:,} treatments; "
        f"{sizes[-1]:,} / {sizes[-2]:,} growth <= {GOAL_GROWTH:g}x"
    )
    if options.smoke:
        print("smoke mode: the files are too small for these figures to mean anything")
    for failure in failures:
        print("FAILED:", failure)
    return 1 if failures else 0


HOSTILE_GOAL_SECONDS = 5.0
BIG_FILE_BYTES = 28_000_000
MANY_TREATMENTS = 10_000


def dangling(count: int) -> dict[str, Any]:
    """``count`` treatments, each related to a treatment that does not exist."""
    data = knowledge_with(count)
    for number, treatment in enumerate(data["treatments"]):
        treatment["related"] = [f"no-such-treatment-{number}"]
    return data


def unknown_fields(count: int) -> dict[str, Any]:
    """``count`` treatments, each with a misnamed field."""
    data = knowledge_with(count)
    for number, treatment in enumerate(data["treatments"]):
        treatment[f"field-{number}"] = number
    return data


def big_file_with_one_error(size: int) -> str:
    """A file of about ``size`` bytes (numbered copies of the treatments), one kind wrong."""
    per_treatment = len(json.dumps(knowledge_with(116), indent=2)) - len(
        json.dumps(knowledge_with(16), indent=2)
    )
    data = knowledge_with(16 + 100 * size // per_treatment)
    data["treatments"][-1]["kind"] = "surgery"
    return json.dumps(data, indent=2)


def huge_statement(size: int) -> dict[str, Any]:
    """The bundled knowledge with one statement (chemotherapy's summary) of ``size`` characters."""
    data = knowledge_with(16)
    data["treatments"][0]["summary"]["text"] = ("word " * (size // 5)).strip()
    return data


def side_effect_links(count: int) -> dict[str, Any]:
    """The bundled knowledge where chemotherapy links ``count`` side effects, each one new."""
    data = knowledge_with(16)
    data["side_effects"] += [
        {"id": f"effect-{number}", "name": f"Effect {number}", "aliases": []}
        for number in range(count)
    ]
    data["treatments"][0]["side_effects"] += [
        {"id": f"effect-{number}", "sources": ["acs-2010"]} for number in range(count)
    ]
    return data


class Case(NamedTuple):
    """One hostile case, timed at several sizes: ``build`` makes the file for a size,
    ``args`` the arguments (the file's path goes in BONEMETS_DATA)."""

    label: str
    command: str
    unit: str
    sizes: tuple[int, ...]
    build: Callable[[int], Any]
    args: Callable[[int, Path], list[str]]
    exits: tuple[int, ...]
    file_size: Callable[[int], int] = lambda size: size
    """The size that the file depends on (the same for every size of an argument)."""


def _many(size: int) -> dict[str, Any]:
    return knowledge_with(size)


def _names(count: int) -> list[str]:
    """``count`` names of treatments in the 10,000-treatment file."""
    data = knowledge_with(MANY_TREATMENTS)
    return [treatment["name"] for treatment in data["treatments"][:count]]


def hostile_cases(smoke: bool) -> list[Case]:
    down = 100 if smoke else 1
    many = MANY_TREATMENTS // down
    statement = tuple(n // down for n in (1_250_000, 2_500_000, 5_000_000))
    return [
        *(
            Case(
                f"{label}",
                "validate",
                unit,
                tuple(n // down for n in (1_000, 2_000, 4_000)),
                build,
                lambda size, path: ["validate", str(path)],
                (3,),
            )
            for label, unit, build in (
                ("dangling references", "refs", dangling),
                ("unknown fields", "fields", unknown_fields),
            )
        ),
        *(
            Case(
                "one error, big file",
                command,
                "bytes",
                (BIG_FILE_BYTES // down,),
                big_file_with_one_error,
                args,
                (3,),
            )
            for command, args in (
                ("validate", lambda size, path: ["validate", str(path)]),
                ("list", lambda size, path: ["list"]),
            )
        ),
        Case(
            "unknown name, 10k file",
            "show",
            "chars",
            tuple(n // down for n in (1_000, 3_000, 10_000)),
            _many,
            lambda size, path: ["show", "x" * size],
            (1,),
            lambda size: many,
        ),
        Case(
            "unknown id, 10k file",
            "sources",
            "chars",
            tuple(n // down for n in (250, 500, 1_000)),
            _many,
            lambda size, path: ["sources", "--for", "x" * size],
            (1,),
            lambda size: many,
        ),
        Case(
            "many names, 10k file",
            "compare",
            "names",
            tuple(max(2, n // down) for n in (100, 200, 400)),
            _many,
            lambda size, path: ["compare", *_names(size)],
            (0,),
            lambda size: many,
        ),
        *(
            Case("one huge statement", command, "chars", statement, huge_statement, args, (0,))
            for command, args in (
                ("validate", lambda size, path: ["validate", str(path)]),
                ("list", lambda size, path: ["list"]),
                ("show", lambda size, path: ["show", "chemotherapy"]),
                ("search", lambda size, path: ["search", "word"]),
            )
        ),
        Case(
            "side-effect links",
            "show",
            "links",
            tuple(n // down for n in (25_000, 50_000, 100_000)),
            side_effect_links,
            lambda size, path: ["show", "chemotherapy"],
            (0,),
        ),
    ]


def _children_cpu() -> float:
    """CPU seconds (user + system) used so far by the processes this one has waited for."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def hostile(smoke: bool, timeout: float, only: list[str] | None = None) -> int:
    """Time each hostile case at each of its sizes: one run each, so growth is visible."""
    bonemets = bonemets_command()
    print(f"bonemets hostile: one run each, cut off after {timeout:g} s; width 80, no colour")
    print("each cell: size: wall time/CPU time (exit code); the machine is shared, so CPU")
    print("time (user + system, of the command's process) is the steadier figure")
    print(f"{'case':24}{'command':10}{'unit':7}{'size: wall/CPU (exit)':>30}")
    failures = []
    with tempfile.TemporaryDirectory() as folder:
        for case in hostile_cases(smoke):
            if only and not any(part in f"{case.label} {case.command}" for part in only):
                continue
            cells = []
            walls = []
            for size in case.sizes:
                built_for = case.file_size(size)
                path = Path(folder) / f"{case.build.__name__}-{built_for}.json"
                if not path.exists():
                    built = case.build(built_for)
                    text = built if isinstance(built, str) else json.dumps(built, indent=2)
                    path.write_text(text, encoding="utf-8")
                env = {**os.environ, "BONEMETS_DATA": str(path), "NO_COLOR": "1", "COLUMNS": "80"}
                started, used = time.perf_counter(), _children_cpu()
                try:
                    result = subprocess.run(
                        [*bonemets, *case.args(size, path)],
                        capture_output=True,
                        env=env,
                        check=False,
                        timeout=timeout,
                    )
                    wall = time.perf_counter() - started
                    walls.append(wall)
                    cpu = _children_cpu() - used
                    cells.append(f"{size:,}: {wall:.2f}s/{cpu:.2f}s ({result.returncode})")
                    if result.returncode not in case.exits:
                        failures.append(
                            f"{case.label} {case.command} {size:,}: "
                            f"exit {result.returncode}, "
                            f"{result.stderr.decode(errors='replace')[:200]!r}"
                        )
                except subprocess.TimeoutExpired:
                    cells.append(f"{size:,}: >{timeout:g}s (cut off)")
                    failures.append(f"{case.label} {case.command} {size:,}: cut off")
            growth = ""
            if len(walls) == len(case.sizes) > 1:
                growth = (
                    f"   x{walls[-1] / walls[0]:.1f} time for "
                    f"x{case.sizes[-1] / case.sizes[0]:g} size"
                )
            print(f"{case.label:24}{case.command:10}{case.unit:7}  " + "  ".join(cells) + growth)
    print()
    print(
        f"goal: each <= {HOSTILE_GOAL_SECONDS:g} s (10 s for the big file and compare); "
        "the time grows no faster than the size; exit 3 for invalid data, 1 for a name "
        "that matches nothing, 0 otherwise"
    )
    if smoke:
        print("smoke mode: sizes divided by 100, too small for these figures to mean anything")
    for failure in failures:
        print("FAILED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
