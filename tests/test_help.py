"""Help as a newcomer reads it: paragraphs that wrap to the width, arguments by name."""

from __future__ import annotations

import re

import pytest

from bonemets_cli.cli.root import one_line_paragraphs

from conftest import Run, load_script, ok

readme_usage = load_script("readme_usage")

WIDTHS = (60, 80, 120)


def help_at(run: Run, width: int, *command: str) -> str:
    return ok(run(*command, "--help", env={"COLUMNS": str(width)}))


def _description(text: str) -> list[list[str]]:
    """The paragraphs between the usage line and the first panel, each as its lines."""
    block = text.split("\n", 3)[3].split("╭", 1)[0]
    paragraphs = [p for p in re.split(r"\n\s*\n", block) if p.strip()]
    return [[line.strip() for line in p.splitlines()] for p in paragraphs]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", [[], *([c] for c in readme_usage.commands())])
def test_help_paragraphs_wrap_to_the_width(run: Run, width: int, command: list[str]) -> None:
    """No line of a paragraph ends while the next word would still have fit on it."""
    text = help_at(run, width, *command)
    for paragraph in _description(text):
        for line, after in zip(paragraph, paragraph[1:], strict=False):
            next_word = after.split()[0]
            assert len(line) + 1 + len(next_word) > width - 3, (line, after)


def test_show_help_reads_as_two_paragraphs_at_80_columns(run: Run) -> None:
    assert help_at(run, 80, "show").split("╭", 1)[0] == (
        "                                                                                \n"
        " Usage: bonemets show [OPTIONS] NAME...                                         \n"
        "                                                                                \n"
        " Show one treatment or medicine: every statement with its source, and what has  \n"
        " changed since 2010.                                                            \n"
        "                                                                                \n"
        " A later fact shows by its title (a caution or review warning in full); --full  \n"
        " shows each in full.                                                            \n"
        "                                                                                \n"
    )


def test_command_rows_wrap_to_the_width(run: Run) -> None:
    rows = help_at(run, 80)
    assert (
        "│ show           Show one treatment or medicine: every statement with its      │\n"
        "│                source, and what has changed since 2010.                      │\n"
    ) in rows
    assert (
        "│ sins           Spinal Instability Neoplastic Score (SINS), for clinicians: a │\n"
        "│                decision aid, never a treatment choice.                       │\n"
    ) in rows


def test_one_line_paragraphs_joins_lines_and_keeps_paragraphs() -> None:
    assert one_line_paragraphs("One\n  two.\n\nThree\nfour.") == "One two.\n\nThree four."
    assert one_line_paragraphs("\bkept\nas written") == "\bkept\nas written"
    assert one_line_paragraphs(None) is None


USAGE_LINES = {
    "show": "Usage: bonemets show [OPTIONS] NAME...",
    "options": "Usage: bonemets options [OPTIONS] [CANCER]...",
    "side-effects": "Usage: bonemets side-effects [OPTIONS] [NAME]...",
    "compare": "Usage: bonemets compare [OPTIONS] NAME...",
    "search": "Usage: bonemets search [OPTIONS] TEXT...",
    "glossary": "Usage: bonemets glossary [OPTIONS] [TERM]...",
    "validate": "Usage: bonemets validate [OPTIONS] [PATH]",
}


@pytest.mark.parametrize(("command", "usage"), USAGE_LINES.items())
def test_arguments_show_their_metavar_and_no_python_type(
    run: Run, command: str, usage: str
) -> None:
    text = help_at(run, 80, command)
    assert text.splitlines()[1].strip() == usage
    arguments = text.split("─ Arguments ", 1)[1].split("╰", 1)[0]
    name = usage.split()[-1].strip("[]").replace("]", "")
    assert re.search(rf"^│[ *]+{re.escape(name)}  +[A-Z]", arguments, re.MULTILINE), arguments
    assert "<" not in arguments


def test_no_help_shows_a_python_type() -> None:
    texts = [readme_usage.help_text(), *map(readme_usage.help_text, readme_usage.commands())]
    for text in texts:
        assert not re.search(r"<(list|path|str|int)\b|\{[A-Z_]+\}", text), text


def test_a_missing_argument_is_named_by_its_metavar(run: Run) -> None:
    result = run("show")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: Missing argument 'NAME'. Try 'bonemets show --help'.\n",
    )
