"""How bonemets' cost grows with the size of a knowledge file.

Generates knowledge files of 100, 1,000 and 10,000 treatments (the bundled
entries, then numbered copies of them), and times `list --format json`,
`search` and `validate` on each, as whole commands in fresh processes.

Goal: with 10,000 treatments each command takes <= 1 s on a 2-core machine, and
cost grows linearly: the 10,000 / 1,000 ratio is <= 12.

    python benchmarks/scale.py            # 3 runs per command and size
    python benchmarks/scale.py --smoke    # small files, 1 run: checks that it works

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
    options = parser.parse_args()
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


if __name__ == "__main__":
    sys.exit(main())
