"""Help as a newcomer reads it: paragraphs that wrap to the width, arguments by name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bonemets_cli.cli.help_text import one_line_paragraphs

from conftest import Run, load_script, ok, one_error_line

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


# The handout's file: its suffix names its format ------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-o", "h.pdf"],
            "Error: cannot write a handout as 'h.pdf': end the file name with .html, .md, "
            ".txt or .json (for a PDF, write .html and print it to PDF from a browser). "
            "Try 'bonemets handout --help'.\n",
        ),
        (
            ["--format", "html", "-o", "h.docx"],
            "Error: cannot write a handout as 'h.docx': end the file name with .html, .md, "
            ".txt or .json (for a PDF, write .html and print it to PDF from a browser). "
            "Try 'bonemets handout --help'.\n",
        ),
        (
            ["--format", "json", "-o", "x.html"],
            "Error: --format json does not match 'x.html': end the file name with .json, "
            "or leave --format out. Try 'bonemets handout --help'.\n",
        ),
        (
            ["-f", "markdown", "-o", "x.txt"],
            "Error: --format markdown does not match 'x.txt': end the file name with .md, "
            "or leave --format out. Try 'bonemets handout --help'.\n",
        ),
    ],
)
def test_a_handout_file_whose_suffix_names_another_format_is_refused(
    run: Run, tmp_path: Path, args: list[str], message: str
) -> None:
    *flags, name = args  # the file's name comes last
    result = run("handout", "--cancer", "breast", *flags, str(tmp_path / name))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "given", "written_as"),
    [
        ("h.HTML", [], "html"),
        ("h.txt", ["--format", "table"], "table"),
        ("h.txt", [], "plain"),
        ("handout", ["--format", "json"], "json"),
        ("handout", [], "markdown"),
    ],
)
def test_a_handout_file_in_a_format_its_suffix_names_is_written(
    run: Run, tmp_path: Path, name: str, given: list[str], written_as: str
) -> None:
    target = tmp_path / name
    out = ok(run("handout", "--cancer", "breast", *given, "-o", str(target)))
    assert out.startswith(f"Wrote the handout to {target}")
    printed = ok(run("handout", "--cancer", "breast", "--format", written_as))
    assert target.read_text(encoding="utf-8") == printed


# Messages: full sentences, the right help to read, the next step -----------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["search", "zzzqqq"],
            1,
            "Error: nothing matches 'zzzqqq'. Run 'bonemets list' to browse.",
        ),
        (
            ["options", "breast", "--goal", "shrink", "--given", "surgery"],
            1,
            "Error: no treatment for Breast cancer meets --goal shrink and --given surgery "
            "together, though each alone matches some: drop one, or run "
            "'bonemets options --help'.",
        ),
        (
            ["options", "myeloma", "--given", "medicine"],
            1,
            "Error: no treatment for Myeloma meets --given medicine: drop it, or run "
            "'bonemets options --help'.",
        ),
        (
            ["options", "breast", "--goal"],
            2,
            "Error: Option '--goal' requires an argument. Try 'bonemets options --help'.",
        ),
        (
            ["list", "--color", "never", "--format"],
            2,
            "Error: Option '--format' requires an argument. Try 'bonemets list --help'.",
        ),
        (
            ["--data"],
            2,
            "Error: Option '--data' requires an argument. Try 'bonemets --help'.",
        ),
        (
            ["side-effects", "hair", "loss"],
            1,
            "Error: no treatment matches 'hair loss'. 'hair loss' is a side effect: "
            "'bonemets side-effects --has hair loss' lists the treatments that can cause it. "
            "Run 'bonemets list' to see every treatment.",
        ),
        (
            ["side-effects", "chemo", "being", "sick"],
            1,
            "Error: no treatment matches 'being sick'. 'being sick' is a side effect: "
            "'bonemets side-effects --has being sick' lists the treatments that can cause it. "
            "Run 'bonemets list' to see every treatment.",
        ),
        (
            ["side-effects", "zzz"],
            1,
            "Error: no treatment matches 'zzz'. Run 'bonemets list' to see every treatment.",
        ),
    ],
)
def test_messages_are_sentences_that_say_what_to_do(
    run: Run, args: list[str], code: int, message: str
) -> None:
    assert one_error_line(run(*args), code) == message


EMPTY_DATA = (
    "Error: --data was given an empty file name: name a knowledge file, or leave --data "
    "out to use the bundled one (as an empty BONEMETS_DATA does)."
)


@pytest.mark.parametrize(
    "args", [["list", "--data", ""], ["--data", "", "list"], ["--data=", "info"], ["--data", ""]]
)
def test_an_empty_data_option_is_a_usage_error(run: Run, args: list[str]) -> None:
    assert one_error_line(run(*args), 2) == EMPTY_DATA


def test_an_empty_bonemets_data_means_the_bundled_file(run: Run) -> None:
    bundled = ok(run("list", "-f", "plain"))
    assert ok(run("list", "-f", "plain", env={"BONEMETS_DATA": ""})) == bundled
