"""The README, CHANGELOG and CI script say what the code does."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from bonemets_cli import __version__, cli
from bonemets_cli.errors import ExitCode

from conftest import REPO, Run, load_script

README = (REPO / "README.md").read_text(encoding="utf-8")
USAGE = (REPO / "docs" / "usage.md").read_text(encoding="utf-8")


readme_usage = load_script("readme_usage")


def test_usage_reference_is_generated_from_current_help() -> None:
    assert readme_usage.render(USAGE) == USAGE, "run: python scripts/readme_usage.py"


@pytest.mark.parametrize("command", readme_usage.commands())
def test_every_command_has_help_and_a_reference_section(command: str) -> None:
    text = readme_usage.help_text(command)
    summary = text.splitlines()[3].strip()
    assert len(summary) > 20, f"{command} needs a docstring"
    assert f"### `bonemets {command}`" in USAGE


def test_readme_is_a_front_door() -> None:
    assert len(README.splitlines()) <= 250
    assert "<!-- usage:start -->" not in README  # the reference lives in docs/usage.md
    for heading in ("## Quickstart", "## Examples", "## Exit codes", "## Environment variables"):
        assert heading in README
    for user in ("patient", "nurse", "educator", "curator", "program"):
        assert f"### A {user}" in README or f"### An {user}" in README, user
    assert "bonemets urgent" in README


def test_readme_links_lead_somewhere() -> None:
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        if not target.startswith("http"):
            assert (REPO / target).exists(), target


def _readme_examples() -> list[list[str]]:
    """Every bonemets command in the README's Examples section, as words."""
    section = README.split("## Examples", 1)[1].split("\n## ", 1)[0]
    commands = []
    for line in section.splitlines():
        if line.startswith("bonemets "):
            command = line.split("#", 1)[0].split("|", 1)[0].split(">", 1)[0]
            commands.append(shlex.split(command)[1:])
    return commands


@pytest.mark.parametrize("words", _readme_examples(), ids=" ".join)
def test_readme_examples_run(run: Run, words: list[str], tmp_path: Path) -> None:
    if words[0] == "urgent" and "urgent" not in readme_usage.commands():
        pytest.skip("'bonemets urgent' is being added in parallel (issue 12)")
    own = str(tmp_path / "my-knowledge.json")
    (tmp_path / "my-knowledge.json").write_text(
        (REPO / "data" / "knowledge.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = run(*(own if word == "my-knowledge.json" else word for word in words))
    assert (result.exit_code, result.stderr) == (0, ""), words
    assert result.stdout


def _quickstart() -> list[str]:
    block = README.split("<!-- quickstart -->", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_quickstart_is_two_commands_install_and_run_then_test() -> None:
    install, test = _quickstart()
    assert "pip install ." in install and install.endswith("bonemets list")
    assert test == "pip install '.[test]' && pytest"


def test_ci_runs_the_readme_test_command() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- quickstart -->" in script
    assert 'eval "$test_command"' in script


def test_exit_codes_are_documented() -> None:
    table = README.split("## Exit codes", 1)[1].split("##", 1)[0]
    documented = [int(code) for code in re.findall(r"^\| (\d+) \|", table, re.MULTILINE)]
    assert documented == list(ExitCode)


def test_environment_variables_are_documented() -> None:
    source = "".join(
        path.read_text(encoding="utf-8") for path in Path(cli.__file__).parent.glob("*.py")
    )
    for variable in sorted(set(re.findall(r"\b(BONEMETS_[A-Z]+)\b", source))):
        assert f"`{variable}`" in README


def test_changelog_names_the_current_version() -> None:
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.startswith("# Changelog")
    assert "## [Unreleased]" in changelog
    assert f"## [{__version__}] - " in changelog


def test_version_lives_in_one_place() -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject
    assert not re.search(r"^version\s*=", pyproject, re.MULTILINE)


def test_json_documentation_names_every_key(run: Run) -> None:
    """docs/json.md lists the keys the code really prints."""
    doc = (REPO / "docs" / "json.md").read_text(encoding="utf-8")
    document = json.loads(run("show", "bisphosphonates", "--format", "json").stdout)
    assert f'"json_format": {document["meta"]["json_format"]}' in doc
    assert f"It is **{document['meta']['json_format']}**" in doc
    for key in document["meta"]:
        assert f'"{key}"' in doc, key
    for key in document["treatment"]:
        assert f"`{key}`" in doc, key
    for key in document["updates"][0]:
        assert f"`{key}`" in doc, key
    for kind in document["names"]:
        assert f"`{kind}`" in doc, kind
    for key in document["citations"]["acs-2010"]:
        assert f'"{key}"' in doc, key


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["show", "chemo"],
        ["options", "--cancer", "breast"],
        ["updates"],
        ["sources"],
        ["sources", "--for", "bma-onj"],
        ["side-effects"],
        ["side-effects", "--has", "nausea"],
        ["compare", "chemo", "surgery"],
        ["complementary"],
        ["factors"],
        ["prognosis"],
        ["search", "pain"],
        ["handout", "--cancer", "breast"],
        ["info"],
        ["urgent"],
        ["glossary"],
        ["questions"],
        ["validate"],
    ],
    ids=" ".join,
)
def test_json_documentation_names_each_commands_keys(run: Run, command: list[str]) -> None:
    doc = (REPO / "docs" / "json.md").read_text(encoding="utf-8")
    rows = [line for line in doc.splitlines() if line.startswith(f"| `{command[0]}")]
    assert rows, command
    document = json.loads(run(*command, "--format", "json").stdout)
    if command[0] == "validate":
        said = doc.split("`validate --format json` prints", 1)[1]
        assert all(f"`{key}`" in said for key in document)
        return
    for key in set(document) - {"meta", "names", "citations"}:
        assert any(f"`{key}`" in row for row in rows), (command, key)


def test_json_documentation_names_the_search_keys(run: Run) -> None:
    doc = (REPO / "docs" / "json.md").read_text(encoding="utf-8")
    found = json.loads(run("search", "throwing", "up", "--format", "json").stdout)
    row = next(line for line in doc.splitlines() if line.startswith("| `search` |"))
    keys = [*found, *found["results"][0], *found["results"][0]["matched_as"][0]]
    for key in (key for key in keys if key not in ("meta", "names", "citations")):
        assert f'"{key}"' in row or f"`{key}`" in row, key
