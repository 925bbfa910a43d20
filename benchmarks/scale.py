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

Standard library only. It never fails on a time: a benchmark is for reading.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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
    options = parser.parse_args()
    failed = 0
    if options.only != "hostile":
        failed |= scale(options)
    if options.only != "scale":
        if options.only is None:
            print()
        failed |= hostile(options.smoke, options.timeout)
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
    """The bundled knowledge with one statement of ``size`` characters."""
    data = knowledge_with(16)
    data["treatments"][0]["summary"]["text"] = ("word " * (size // 5)).strip()
    return data


def hostile(smoke: bool, timeout: float) -> int:
    """Time the hostile cases; each row is one file, with its size in the unit named."""
    scale_down = 100 if smoke else 1
    cases: list[tuple[str, int, str, Any, list[str]]] = [
        *(
            ("dangling references", n // scale_down, "refs", dangling, ["validate"])
            for n in (1_000, 2_000, 4_000)
        ),
        *(
            ("unknown fields", n // scale_down, "fields", unknown_fields, ["validate"])
            for n in (1_000, 2_000, 4_000)
        ),
        *(
            (
                "one error, big file",
                BIG_FILE_BYTES // scale_down,
                "bytes",
                big_file_with_one_error,
                c,
            )
            for c in (["validate"], ["list"])
        ),
        ("one huge statement", 5_000_000 // scale_down, "chars", huge_statement, ["validate"]),
    ]
    bonemets = bonemets_command()
    print(f"bonemets hostile: one run each, cut off after {timeout:g} s")
    print(f"{'case':22}{'command':10}{'size':>14} {'unit':7}{'file':>10}{'time':>10}  exit")
    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        for label, size, unit, build, args in cases:
            path = Path(folder) / f"{label.replace(' ', '-')}-{size}.json"
            if not path.exists():
                built = build(size)
                text = built if isinstance(built, str) else json.dumps(built, indent=2)
                path.write_text(text, encoding="utf-8")
            megabytes = f"{path.stat().st_size / 1e6:.1f} MB"
            argv = [*bonemets, *args, str(path)] if args == ["validate"] else [*bonemets, *args]
            env = {**os.environ, "BONEMETS_DATA": str(path), "NO_COLOR": "1"}
            started = time.perf_counter()
            try:
                result = subprocess.run(
                    argv, capture_output=True, env=env, check=False, timeout=timeout
                )
                wall, code = f"{time.perf_counter() - started:9.2f}s", str(result.returncode)
            except subprocess.TimeoutExpired:
                wall, code = f"{'>' + format(timeout, 'g'):>9}s", "cut off"
            if code != ("0" if build is huge_statement else "3"):
                failures += 1
            print(f"{label:22}{args[0]:10}{size:>14,} {unit:7}{megabytes:>10}{wall:>10}  {code}")
    print()
    print(
        f"goal: each <= {HOSTILE_GOAL_SECONDS:g} s (10 s for the big file); "
        "exit 3 (invalid data), 0 for the valid huge statement"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
