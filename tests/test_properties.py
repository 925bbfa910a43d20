"""Property-based: any data string, any argument, any command, any format: no crash, no garble."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bonemets_cli import knowledge
from bonemets_cli.cli import app

from conftest import FORMATS, PINNED_ENV, examples

BASE: dict[str, Any] = json.loads(knowledge.bundled_path().read_text(encoding="utf-8"))
RUNNER = CliRunner()

# Anything at all, with the troublemakers made likely: markup, emoji codes, escapes,
# control and bidirectional characters, and very long text.
troublemakers = st.sampled_from(
    [
        "[bold]",
        "[/]",
        "[link=http://x]",
        ":pill:",
        "\x1b[31m",
        "\x1b]8;;x\x07",
        "\x00",
        "\x85",
        "\u202e",
        "\u2066",
        "\r\n",
        "\t",
        "\\",
        "|",
        "*",
        "#",
        "<script>",
        "é",
        "\u2013",
        "\U0001f48a",
    ]
)
data_text = st.lists(st.one_of(st.text(max_size=30), troublemakers), max_size=8).map("".join)
argument = st.one_of(data_text, st.text(max_size=5), st.just("x" * 10_000))

# Where a curator's string may land: names, statements, list items, citations.
FIELDS = [
    ("treatments", 0, "name"),
    ("treatments", 1, "summary", "text"),
    ("treatments", 3, "details", 0, "items", 2),
    ("treatments", 5, "aliases", 0),
    ("sources", 1, "citation"),
    ("updates", 0, "statement"),
    ("updates", 4, "detail", 1),
    ("cancers", 0, "name"),
    ("side_effects", 3, "name"),
]


def _commands(arg: str) -> list[list[str]]:
    return [
        ["list"],
        ["show", "chemotherapy"],
        ["show", arg],
        ["options", "--cancer", "breast"],
        ["options", "--cancer", arg],
        ["updates", "--audience", "clinician"],
        ["updates", "--treatment", arg],
        ["sources"],
        ["sources", "--for", arg],
        ["validate"],
        ["search", arg],
        ["compare", "chemo", arg],
        ["side-effects", arg],
        ["side-effects", "--has", arg],
        ["options", "--goal", arg, "--avoid", "nausea"],
        ["options", "--avoid", arg],
        ["handout", "--cancer", "breast"],
        ["info"],
    ]


COMMAND = st.integers(min_value=0, max_value=len(_commands("x")) - 1)
VALIDATE = 9


def _set(data: dict[str, Any], where: tuple[Any, ...], value: str) -> None:
    target: Any = data
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value


def _check(result: Any, output_format: str) -> None:
    assert result.exit_code in (0, 1, 2, 3), result.exception
    assert "Traceback" not in result.stdout + result.stderr
    assert "\x1b" not in result.stdout + result.stderr  # nothing here goes to a TTY
    if output_format == "html":  # every data string is escaped: no markup but ours
        assert "<script" not in result.stdout.casefold()
    if result.exit_code == 0 and output_format == "json":
        document = json.loads(result.stdout)
        header = document.get("meta", document)  # validate's report is its own header
        assert (header["tool"], header["json_format"]) == ("bonemets", 1)


@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    value=data_text,
    where=st.sampled_from(FIELDS),
    arg=argument,
    command=COMMAND,
    output_format=st.sampled_from(FORMATS),
)
def test_any_data_string_any_command_any_format(
    value: str, where: tuple[Any, ...], arg: str, command: int, output_format: str
) -> None:
    data = copy.deepcopy(BASE)
    _set(data, where, value)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "k.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        args = ["--data", str(path), *_commands(arg)[command], "--format", output_format]
        result = RUNNER.invoke(app, args, env=PINNED_ENV)
    _check(result, output_format)
    if result.exit_code == 0 and output_format == "json" and command == 0:
        stored: Any = json.loads(result.stdout)
        if where[0] == "treatments":  # list prints treatments: the string comes back exactly
            for key in where:
                stored = stored[key]
            assert stored == value


@settings(max_examples=examples(80), deadline=None)
@given(
    arg=argument,
    command=COMMAND,
    output_format=st.sampled_from(FORMATS),
)
def test_any_argument_on_the_bundled_data(arg: str, command: int, output_format: str) -> None:
    args = [*_commands(arg)[command], "--format", output_format]
    result = RUNNER.invoke(app, args, env=PINNED_ENV)
    _check(result, output_format)
    if result.exit_code != 0:
        assert result.stdout == "" or command == VALIDATE
        assert len(result.stderr.splitlines()) == 1


@settings(max_examples=examples(60), deadline=None)
@given(value=data_text.filter(lambda s: s.strip() and s.isprintable()))
def test_json_round_trips_any_printable_name(value: str) -> None:
    data = copy.deepcopy(BASE)
    data["treatments"][0]["name"] = value
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "k.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        result = RUNNER.invoke(app, ["--data", str(path), "list", "-f", "json"], env=PINNED_ENV)
    if result.exit_code == 0:
        assert json.loads(result.stdout)["treatments"][0]["name"] == value
    else:  # a name that collides with another entry's name or alias is refused
        assert result.exit_code == 3
        assert "is also used by" in result.stderr or "bidirectional" in result.stderr
