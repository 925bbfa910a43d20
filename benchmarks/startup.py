"""How much bonemets costs on top of the framework it stands on.

Times every command against two floors, in the same interpreter and virtual
environment, interleaved so that the machine's ups and downs fall on all alike:

  (a) a minimal Typer app with one command that prints a word;
  (b) the same app printing a one-row rich Table.

--version, the completion request and --help are compared with (a); the commands
that print tables with (b). bonemets ends its process without the interpreter's
teardown (console.end); (b') is floor (b) ending the same way, and the table
commands' ratio to it (column b') is their own work over the framework's, like for
like. Prints the median wall time and peak RSS of each, and
each command's ratio to its floor. The goal, the team's budget: every ratio <= 1.15
(a page command within 1.15 x floor (b)), and peak RSS at most 5 MiB over the floor.

    python benchmarks/startup.py              # 25 runs each after 3 warm-ups
    python benchmarks/startup.py --smoke      # checks that it works, not the times
    python benchmarks/startup.py --instructions   # one run each under valgrind

Wall time on a shared or virtual machine is noisy. --instructions counts the
instructions each command executes (valgrind's callgrind): the same count every
time for the same code, so it shows a change of a few percent that wall time hides.

Standard library only. It never fails on a time: a benchmark is for reading.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

FLOOR_A = """\
import typer

app = typer.Typer()


@app.command()
def word() -> None:
    print("word")


@app.command()
def other() -> None:
    print("other")


app(prog_name="floor")
"""

FLOOR_B = """\
import typer

app = typer.Typer()


@app.command()
def table() -> None:
    from rich.console import Console
    from rich.table import Table

    grid = Table("name", "value")
    grid.add_row("word", "1")
    Console().print(grid)


@app.command()
def other() -> None:
    print("other")


app(prog_name="floor")
"""

FLOOR_B_ENDED = FLOOR_B.replace(
    'app(prog_name="floor")\n',
    """import os
import sys

try:
    app(prog_name="floor")
except SystemExit as done:
    code = done.code or 0
else:
    code = 0
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
""",
)

GOAL_RATIO = 1.15
GOAL_RSS_MIB = 5.0


@dataclass
class Case:
    label: str
    argv: list[str]
    floor: str  # "a" or "b"; "" for the floors themselves
    env: dict[str, str] = field(default_factory=dict)
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    failed: str = ""


def completion_env(prog: str, words: str) -> dict[str, str]:
    """What a shell sets when the user presses Tab after ``words``."""
    return {
        f"_{prog.upper()}_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        # the index of the word being completed: the last, or a new one after a space
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }


def bonemets_command() -> list[str]:
    """The installed console script beside this interpreter, as users run it."""
    script = Path(sys.executable).with_name("bonemets")
    if script.exists():
        return [str(script)]
    found = shutil.which("bonemets")
    if found:
        return [found]
    return [sys.executable, "-m", "bonemets_cli"]


def cases(folder: Path) -> list[Case]:
    floor_a = folder / "floor_a.py"
    floor_b = folder / "floor_b.py"
    floor_b_ended = folder / "floor_b_ended.py"
    floor_a.write_text(FLOOR_A, encoding="utf-8")
    floor_b.write_text(FLOOR_B, encoding="utf-8")
    floor_b_ended.write_text(FLOOR_B_ENDED, encoding="utf-8")
    python = [sys.executable]
    bonemets = bonemets_command()
    return [
        Case("floor (a): word", [*python, str(floor_a), "word"], ""),
        Case(
            "floor (a): completion", [*python, str(floor_a)], "", completion_env("floor", "floor w")
        ),
        Case("floor (a): --help", [*python, str(floor_a), "--help"], ""),
        Case("floor (b): table", [*python, str(floor_b), "table"], ""),
        Case("floor (b'): table, no teardown", [*python, str(floor_b_ended), "table"], ""),
        Case("bonemets --version", [*bonemets, "--version"], "a"),
        Case("bonemets completion", bonemets, "a", completion_env("bonemets", "bonemets sh")),
        Case(
            "bonemets completion of a name",
            bonemets,
            "a",
            completion_env("bonemets", "bonemets show ch"),
        ),
        Case("bonemets --help", [*bonemets, "--help"], "a"),
        Case("bonemets list", [*bonemets, "list"], "b"),
        Case("bonemets show chemotherapy", [*bonemets, "show", "chemotherapy"], "b"),
        Case("bonemets show bisphosphonates", [*bonemets, "show", "bisphosphonates"], "b"),
        Case("bonemets show denosumab", [*bonemets, "show", "denosumab"], "b"),
        Case("bonemets options --cancer breast", [*bonemets, "options", "--cancer", "breast"], "b"),
        Case("bonemets search nausea", [*bonemets, "search", "nausea"], "b"),
        Case("bonemets side-effects", [*bonemets, "side-effects"], "b"),
        Case("bonemets compare chemo radiation", [*bonemets, "compare", "chemo", "radiation"], "b"),
        Case("bonemets updates", [*bonemets, "updates"], "b"),
        Case("bonemets info", [*bonemets, "info"], "b"),
        Case(
            "bonemets handout --cancer breast",
            [*bonemets, "handout", "--cancer", "breast", "-f", "table"],
            "b",
        ),
    ]


def floor_of(case: Case, all_cases: list[Case]) -> Case | None:
    if not case.floor:
        return None
    if case.floor == "b":
        return all_cases[3]
    if "completion" in case.label:
        return all_cases[1]
    if "--help" in case.label:
        return all_cases[2]
    return all_cases[0]


LIKE_FOR_LIKE = "b'"
FOOTNOTE = (
    "b': the same ratio to floor (b'), floor (b) ending without the interpreter's teardown "
    "as bonemets does: its own work over the framework's, like for like"
)


def like_for_like(case: Case, all_cases: list[Case]) -> Case | None:
    """Floor (b'), for the table commands: floor (b) ending as bonemets ends."""
    return all_cases[4] if case.floor == "b" else None


def run_once(case: Case) -> None:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", **case.env}
    env.pop("FORCE_COLOR", None)
    # As installed for users: bytecode is cached after the warm-up, not compiled each run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    process = subprocess.Popen(
        case.argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
    )
    assert process.stderr is not None
    error = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    process.returncode = code
    if code != 0:
        last = error.decode(errors="replace").strip().splitlines()[-1:] or [""]
        case.failed = f"exit {code}: {last[0][:60]}"
        return
    case.walls.append(wall)
    case.cpus.append(usage.ru_utime + usage.ru_stime)
    case.rss.append(usage.ru_maxrss / 1024)  # KiB on Linux -> MiB


def instructions(case: Case, folder: Path) -> int | None:
    """Instructions executed by one run, counted by callgrind (None if it failed)."""
    out = folder / "callgrind.out"
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", **case.env}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *case.argv],
        capture_output=True,
        env=env,
        check=False,
    )
    found = [line for line in result.stderr.decode().splitlines() if "Collected :" in line]
    if result.returncode != 0 or not found:
        return None
    return int(found[-1].split(":")[-1].strip())


def instruction_report(all_cases: list[Case], folder: Path) -> str:
    counts = {case.label: instructions(case, folder) for case in all_cases}
    lines = [
        "bonemets startup: instructions executed (valgrind callgrind), one run each",
        "",
        f"{'command':36} {'Minstr':>9}  {'floor':>5} {'ratio':>6} {LIKE_FOR_LIKE:>6}",
    ]
    for case in all_cases:
        count = counts[case.label]
        if count is None:
            lines.append(f"{case.label:36} {'-':>9}  not run")
            continue
        floor = floor_of(case, all_cases)
        base = counts[floor.label] if floor is not None else None
        ratio = f"{count / base:6.2f}" if base else ""
        ended = like_for_like(case, all_cases)
        base_ended = counts[ended.label] if ended is not None else None
        ratio_ended = f" {count / base_ended:6.2f}" if base_ended else ""
        mark = f"({case.floor})" if floor is not None else ""
        lines.append(f"{case.label:36} {count / 1e6:9.1f}  {mark:>5} {ratio}{ratio_ended}")
    lines += ["", FOOTNOTE]
    return "\n".join(lines)


def report(all_cases: list[Case], runs: int, warmups: int) -> str:
    lines = [
        f"bonemets startup: {runs} runs each after {warmups} warm-up(s), interleaved",
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}",
        "",
        f"{'command':36} {'wall ms':>8} {'CPU ms':>7} {'RSS MiB':>8}  {'floor':>5} {'ratio':>6} "
        f"{'CPU':>5} {'+RSS':>6}  goal   {LIKE_FOR_LIKE:>5}",
    ]
    for case in all_cases:
        if case.failed and not case.walls:
            lines.append(f"{case.label:36} {'-':>8} {'-':>7} {'-':>8}  not run: {case.failed}")
            continue
        wall = statistics.median(case.walls) * 1000
        cpu = statistics.median(case.cpus) * 1000
        rss = statistics.median(case.rss)
        floor = floor_of(case, all_cases)
        if floor is None or not floor.walls:
            lines.append(f"{case.label:36} {wall:8.1f} {cpu:7.1f} {rss:8.1f}")
            continue
        ratio = wall / (statistics.median(floor.walls) * 1000)
        cpu_ratio = cpu / (statistics.median(floor.cpus) * 1000)
        extra = rss - statistics.median(floor.rss)
        met = ratio <= GOAL_RATIO and extra <= GOAL_RSS_MIB
        ended = like_for_like(case, all_cases)
        ratio_ended = (
            f"{wall / (statistics.median(ended.walls) * 1000):5.2f}"
            if ended is not None and ended.walls
            else ""
        )
        lines.append(
            f"{case.label:36} {wall:8.1f} {cpu:7.1f} {rss:8.1f}  {'(' + case.floor + ')':>5} "
            f"{ratio:6.2f} {cpu_ratio:5.2f} {extra:+6.1f}  {'met' if met else 'MISSED':6} "
            f"{ratio_ended}".rstrip()
        )
    lines += [
        "",
        FOOTNOTE,
        f"goal: ratio <= {GOAL_RATIO} to the matching floor, and peak RSS <= floor + "
        f"{GOAL_RSS_MIB:g} MiB",
        "ratio is of median wall time; CPU is the same ratio of user+system time, which a "
        "busy machine disturbs less",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="2 runs: check it works")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions with valgrind instead"
    )
    options = parser.parse_args()
    if options.instructions:
        if not shutil.which("valgrind"):
            print("valgrind is not installed", file=sys.stderr)
            return 1
        with tempfile.TemporaryDirectory() as folder:
            all_cases = cases(Path(folder))
            for case in all_cases:
                run_once(case)  # warm the bytecode cache
            print(instruction_report(all_cases, Path(folder)))
        return 0
    runs, warmups = (2, 1) if options.smoke else (options.runs, options.warmups)
    with tempfile.TemporaryDirectory() as folder:
        all_cases = cases(Path(folder))
        for _ in range(warmups):
            for case in all_cases:
                run_once(case)
        for case in all_cases:
            case.walls.clear()
            case.cpus.clear()
            case.rss.clear()
        for _ in range(runs):
            for case in all_cases:
                if not case.failed:
                    run_once(case)
    print(report(all_cases, runs, warmups))
    # Every case must run; the times are for reading.
    return 1 if any(case.failed for case in all_cases) else 0


if __name__ == "__main__":
    sys.exit(main())
