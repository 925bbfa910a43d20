"""Regenerate the command reference in docs/usage.md from the real --help output.

Run ``python scripts/readme_usage.py`` after changing a command; tests/test_docs.py
fails while docs/usage.md and the code disagree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from typer.testing import CliRunner

from bonemets_cli.cli import app

USAGE = Path(__file__).resolve().parents[1] / "docs" / "usage.md"
START, END = "<!-- usage:start -->", "<!-- usage:end -->"
HELP_ENV = {"COLUMNS": "80", "TERMINAL_WIDTH": "80", "NO_COLOR": "1", "TERM": "dumb"}


def commands() -> list[str]:
    """Every command, in the order ``bonemets --help`` lists them."""
    from typer.main import get_command

    group = get_command(app)
    return list(group.commands)  # type: ignore[attr-defined]


def help_text(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env=HELP_ENV)
    if result.exit_code != 0:
        raise SystemExit(f"bonemets {' '.join(args)} --help failed: {result.output}")
    return "\n".join(line.rstrip() for line in result.stdout.strip("\n").splitlines())


def usage_section() -> str:
    parts = ["```text", "$ bonemets --help", help_text(), "```"]
    for command in commands():
        parts += ["", f"### `bonemets {command}`", "", "```text"]
        parts += [f"$ bonemets {command} --help", help_text(command), "```"]
    return "\n".join(parts)


def render(document: str) -> str:
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    return pattern.sub(lambda _: f"{START}\n{usage_section()}\n{END}", document)


def main() -> None:
    current = USAGE.read_text(encoding="utf-8")
    updated = render(current)
    if "--check" in sys.argv[1:]:
        sys.exit(0 if updated == current else "docs/usage.md is stale: run scripts/readme_usage.py")
    USAGE.write_text(updated, encoding="utf-8")


if __name__ == "__main__":
    main()
