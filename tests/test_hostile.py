"""Hostile input: nothing a file, a terminal or an argument holds crashes or garbles the tool."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest

from bonemets_cli import knowledge, render_long

from conftest import FORMATS, Run, bonemets_process, one_error_line

WriteData = Callable[..., Path]

COMMANDS = [
    ["list"],
    ["show", "chemotherapy"],
    ["options", "--cancer", "prostate"],
    ["updates"],
    ["sources"],
    ["sources", "--for", "bma-onj"],
    ["validate"],
    ["side-effects"],
    ["side-effects", "--has", "nausea"],
    ["compare", "chemo", "radiation", "radiopharmaceutical"],
    ["options", "--goal", "pain", "--avoid", "nausea"],
    ["complementary"],
    ["factors"],
    ["prognosis"],
    ["search", "nausia"],
    ["handout", "--cancer", "breast", "--format", "table"],  # later --format wins
    ["info"],
]


# --- files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty; a knowledge file is a JSON object"),
        (
            b"not json at all",
            "is not valid JSON: expected a value: a string in double quotes, "
            "number, object, array or null (line 1, column 1)",
        ),
        (b"[]", "top level is a JSON array; a knowledge file is an object"),
        (b"\xff\xfe{}", "is not valid UTF-8 (byte 0xFF on line 1); save it as UTF-8"),
        ('{"name": "caf\u00e9"}'.encode("latin-1"), "is not valid UTF-8 (byte 0xE9 on line 1)"),
        (b"[" * 200_000 + b"]" * 200_000, "is nested too deeply to be a knowledge file"),
        (b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "is nested too deeply to be a knowledge file"),
    ],
    ids=["empty", "not-json", "array", "invalid-utf8", "latin1", "deep-array", "deep-object"],
)
def test_bad_files_exit_3_with_one_line(
    run: Run, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "k.json"
    path.write_bytes(content)
    result = run("--data", str(path), "list")
    assert result.exit_code == 3
    assert one_error_line(result).startswith(f"Error: {path}: {message}")


def test_bom_is_accepted(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + knowledge.bundled_path().read_bytes())
    assert run("--data", str(path), "show", "chemo").exit_code == 0


def test_directory_missing_and_huge_files(run: Run, tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(70 * 1024 * 1024)
    cases = {
        tmp_path: "is a directory, not a knowledge file",
        tmp_path / "missing.json": "does not exist; check the path",
        huge: "is 73,400,320 bytes, over the 67,108,864-byte (64 MiB) limit for a knowledge file",
    }
    for path, message in cases.items():
        result = run("--data", str(path), "show", "chemo")
        assert result.exit_code == 3
        assert one_error_line(result) == f"Error: {path}: {message}"


def test_unreadable_file(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.json"
    path.write_text("{}", encoding="utf-8")

    def denied(*args: Any) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(knowledge.os, "open", denied)
    result = run("--data", str(path), "list")
    assert result.exit_code == 3
    assert one_error_line(result) == f"Error: {path}: cannot be read (permission denied)"


def test_hostile_file_name_and_keys_never_reach_the_terminal_raw(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "evil\x1b[31m\u202e.json"
    path.write_text('{"schema_version": 1, "\\u001b]0;pwned\\u0007": 1}', encoding="utf-8")
    for command in (["list"], ["validate", str(path)]):
        result = run("--data", str(path), *command)
        assert result.exit_code == 3
        everything = result.stdout + result.stderr
        assert "\x1b" not in everything and "\u202e" not in everything and "\x07" not in everything
        assert "evil\\x1b[31m\\u202e.json" in everything
    validated = run("validate", str(path)).stdout
    assert "[\"\\u001b]0;pwned\\u0007\"]: unknown key '\\x1b]0;pwned\\x07'" in validated


# --- data strings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "hostile",
    ["\x1b[2J", "\x1b]8;;http://x\x07link", "\x07", "\x00", "\x85", "\u202e", "\u2066", "\r"],
    ids=["ansi", "osc", "bel", "nul", "c1", "rlo", "lri", "cr"],
)
def test_control_and_bidi_in_data_are_rejected_with_the_field(
    run: Run, write_data: WriteData, raw_data: dict[str, Any], hostile: str
) -> None:
    raw_data["treatments"][4]["notes"][0]["text"] = f"before{hostile}after"
    result = run("--data", str(write_data(raw_data)), "list")
    assert result.exit_code == 3
    line = one_error_line(result)
    assert ": treatments[4].notes[0].text: contains the control or bidirectional character U+" in (
        line
    )
    assert hostile not in line


@pytest.mark.parametrize("output_format", FORMATS)
def test_long_strings_and_emoji_codes_render_literally(
    run: Run, write_data: WriteData, raw_data: dict[str, Any], output_format: str
) -> None:
    long_text = "word " * 4000 + ":pill: [bold]end[/]"
    raw_data["treatments"][0]["summary"]["text"] = long_text
    path = write_data(raw_data)
    result = run("--data", str(path), "show", "chemo", "-f", output_format)
    assert result.exit_code == 0
    flat = " ".join(result.stdout.split())
    if output_format == "json":
        assert json.loads(result.stdout)["treatment"]["summary"]["text"] == long_text
    elif output_format == "markdown":
        assert "word " * 100 in flat and ":pill: \\[bold\\]end\\[/\\]" in flat
    elif output_format == "plain":
        assert long_text in result.stdout
    else:  # wrapped inside its table cell: every word is there, none cut off
        assert flat.count("word") == 4000
        assert ":pill: [bold]end[/]" in flat


def _many_treatments(raw: dict[str, Any], count: int) -> dict[str, Any]:
    template = raw["treatments"][0]
    raw["treatments"] = [
        {**template, "id": f"t-{i}", "name": f"Treatment {i}", "aliases": [], "related": []}
        for i in range(count)
    ]
    raw["updates"] = []
    raw["medicines"] = []  # they name treatments and updates
    return raw


@pytest.mark.slow
def test_ten_thousand_entries(run: Run, write_data: WriteData, raw_data: dict[str, Any]) -> None:
    path = write_data(_many_treatments(raw_data, 10_000))
    result = run("--data", str(path), "list", "--format", "json")
    assert result.exit_code == 0
    names = [t["name"] for t in json.loads(result.stdout)["treatments"]]
    assert names == [f"Treatment {i}" for i in range(10_000)]
    assert run("--data", str(path), "show", "treatment 9999", "-f", "plain").exit_code == 0


# --- terminals -----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("columns", ["20", "40", "80", "100", "104", "120", "300"])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_narrow_and_wide_terminals_lose_nothing(run: Run, command: list[str], columns: str) -> None:
    result = run(*command, env={"COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    assert "…" not in result.stdout
    # a table either fits whole or gives way to lines: no column is cut off, so every
    # word the plain format prints is printed here too
    if int(columns) >= 80 and command != ["validate"]:
        plain = run(*command, "--format", "plain", env={"COLUMNS": columns}).stdout
        if "\nSources: 1. " in result.stdout:
            # a short page on a terminal names its sources by label; plain cites in full
            body, _, rest = plain.partition("\nSources:\n")
            plain = body + rest.split("\n\n", 1)[1]
        shown = set(result.stdout.split())
        missing = {w for w in plain.split() if w.isalpha() and w not in shown}
        assert not missing, sorted(missing)[:10]
    assert "This is general information, not medical advice." in " ".join(
        result.stdout.split()
    ) or (command == ["validate"])
    # Nothing runs past the width but a word no line can hold: a file path (of the
    # data file or the virtual environment) is never broken inside.
    too_wide = [
        line
        for line in result.stdout.splitlines()
        if len(line) > int(columns) and max(map(len, line.split())) <= int(columns) - 2
    ]
    assert not too_wide, too_wide


@pytest.mark.slow
@pytest.mark.parametrize("colour", ["never", "always"])
@pytest.mark.parametrize("columns", ["20", "40", "80", "100", "104", "120", "300"])
@pytest.mark.parametrize(
    "command",
    [*COMMANDS, ["show", "denosumab"], ["urgent"], ["glossary"], ["questions"]],
    ids=" ".join,
)
def test_every_page_prints_the_bytes_rich_prints(
    run: Run, command: list[str], columns: str, colour: str
) -> None:
    """Tables and blocks given way to lines are written by bonemets, a row at a time
    (render_long): every page, at every width, colour on and off, as rich prints it."""
    env = {"COLUMNS": columns}
    ours = run(*command, "--color", colour, env=env)
    with patch.object(render_long, "BY_RICH", True):
        by_rich = run(*command, "--color", colour, env=env)
    assert ours.exit_code == by_rich.exit_code == 0, ours.stderr
    assert ours.stdout == by_rich.stdout


def test_narrow_terminal_keeps_every_word_of_a_table(run: Run) -> None:
    wide = run("list", "-f", "plain").stdout.split()
    narrow = run("list", env={"COLUMNS": "20"}).stdout.split()
    for word in ("Radiopharmaceutical", "Bisphosphonates", "techniques", "(route", "stated)"):
        assert word in wide and word in narrow


ASCII_ONLY = [
    ["show", "denosumab", "-a", "clinician", "--full"],
    ["options", "-c", "prostate", "--full"],
]


def _ascii_fallback(text: str, output_format: str, args: list[str], utf8: str) -> None:
    if output_format == "json":
        assert json.loads(text) == json.loads(utf8)
    elif args[0] == "show" and output_format != "table":
        # typography becomes ASCII; nothing is dropped
        assert "(I-V, A-E)" in text
        assert "0.71-0.95" in " ".join(text.split()) or "0.71-\n" in text
    if output_format == "table":
        assert "-+-" in text or "---" in text


@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize("args", ASCII_ONLY, ids=" ".join)
def test_ascii_only_stdout_falls_back_instead_of_raising(
    run: Run, args: list[str], output_format: str
) -> None:
    """A stdout that can only encode ASCII, strictly (as an ASCII-only locale gives)."""
    result = run(*args, "-f", output_format, charset="ascii")
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    text = result.stdout_bytes.decode("ascii")  # nothing but ASCII reached the terminal
    utf8 = run(*args, "-f", "json").stdout if output_format == "json" else ""
    _ascii_fallback(text, output_format, args, utf8)


@pytest.mark.parametrize("output_format", ["table", "json"])
def test_ascii_only_locale_falls_back_instead_of_raising(output_format: str) -> None:
    """The same through a real process in the C locale: Python's stdout is ASCII-only."""
    args = ASCII_ONLY[0]
    result = bonemets_process(
        *args, "-f", output_format, text=False, LANG="C", LC_ALL="C", PYTHONIOENCODING="ascii"
    )
    assert (result.returncode, result.stderr) == (0, b""), result.stderr
    text = result.stdout.decode("ascii")  # nothing but ASCII reached the terminal
    utf8 = bonemets_process(*args, "-f", "json").stdout if output_format == "json" else ""
    _ascii_fallback(text, output_format, args, utf8)


@pytest.mark.slow
def test_closed_pipe_ends_quietly(tmp_path: Path, raw_data: dict[str, Any]) -> None:
    big = tmp_path / "big.json"
    big.write_text(json.dumps(_many_treatments(raw_data, 3000)), encoding="utf-8")
    for output_format in ("table", "json", "plain"):
        script = (
            f"{sys.executable} -m bonemets_cli --data {big} list -f {output_format} | head -1; "
            'echo "exit=${PIPESTATUS[0]}" >&2'
        )
        result = subprocess.run(
            ["bash", "-c", script], capture_output=True, text=True, timeout=120, check=False
        )
        assert len(result.stdout.splitlines()) == 1
        assert result.stderr == "exit=0\n", result.stderr


def test_closed_stderr_keeps_the_exit_code(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 2}', encoding="utf-8")
    script = (
        f"{sys.executable} -m bonemets_cli --data {bad} list 2>&1 | head -1; "
        'echo "exit=${PIPESTATUS[0]}"'
    )
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    first, status = result.stdout.splitlines()
    assert first == (
        f"Error: {bad} is not a valid knowledge file (13 problems); "
        f"run 'bonemets validate {bad}' for the list."
    )
    assert status == "exit=3"
    assert result.stderr == ""


def test_no_escape_sequences_in_a_pipe_unless_forced(run: Run) -> None:
    """Without NO_COLOR, on a colour terminal type, but into a pipe. (NO_COLOR and
    TERM=dumb are the pinned terminal every other test runs on.)"""
    env: dict[str, str | None] = {"NO_COLOR": None, "FORCE_COLOR": None, "TERM": "xterm-256color"}
    for command in COMMANDS:
        result = run(*command, env=env)
        assert result.exit_code == 0
        assert "\x1b" not in result.stdout + result.stderr


# --- arguments -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "argument",
    [
        "",
        "   ",
        "x" * 10_000,
        "\u5316\u5b66\u7642\u6cd5",
        "[",
        "[/]",
        "[bold]",
        "\x1b[31m",
        "\u202e",
    ],
    ids=["empty", "spaces", "10k", "non-ascii", "bracket", "close-tag", "markup", "ansi", "rlo"],
)
def test_odd_arguments_miss_cleanly(run: Run, argument: str) -> None:
    for args in (
        ["show", argument],
        ["options", "--cancer", argument],
        ["updates", "--cancer", argument],
        ["sources", "--for", argument],
    ):
        result = run(*args)
        assert result.exit_code == 1, (args, result.stderr)
        line = one_error_line(result)
        assert len(line) < 400
        assert "\x1b" not in line and "\u202e" not in line


# --- widths -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("columns", "width"),
    [("100", 100), ("5", 20), ("99999999", 500), ("0", 80), ("abc", 80), ("\u00b2", 80), ("", 80)],
)
def test_layout_width_is_clamped_and_falls_back(columns: str, width: int) -> None:
    from bonemets_cli.terminal import layout_size

    # no terminal in a test run, so an unusable COLUMNS falls back to 80
    assert layout_size({"COLUMNS": columns, "LINES": "x"}) == (width, 25)


@pytest.mark.parametrize(
    ("columns", "same_as"), [("0", "80"), ("99999999", "500"), ("\u00b2", "80"), ("-3", "80")]
)
def test_unusable_widths_still_print_everything(run: Run, columns: str, same_as: str) -> None:
    result = run("list", env={"COLUMNS": columns})
    assert result.exit_code == 0
    assert result.stdout == run("list", env={"COLUMNS": same_as}).stdout
    assert "Chemotherapy" in result.stdout
