"""Curators' tools: validate reports every problem at once; schema; custom knowledge files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA_FILE, REPO, Run, line_of

WriteData = Callable[..., Path]


def test_bundled_file_is_valid(run: Run) -> None:
    result = run("validate", "--format", "plain")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1:] == [
        "valid: 0 errors, 0 warnings",
        "",
        "No problems found: 16 treatments (8 main or other, 8 complementary), 15 updates, "
        "57 sources.",
        "",
    ]


def test_validate_and_info_count_treatments_in_the_same_words(run: Run) -> None:
    said = "16 treatments (8 main or other, 8 complementary)"
    validate = run("validate", "--format", "plain")
    info = run("info", "--format", "plain")
    assert (validate.exit_code, info.exit_code) == (0, 0)
    assert f"No problems found: {said}, 15 updates, 57 sources.\n" in validate.stdout
    assert f"Counts: {said}, 4 cancers, 10 side effects, " in info.stdout


def _broken(raw: dict[str, Any]) -> str:
    """A file with one of each kind of problem, as text (a duplicate key needs text)."""
    raw["treatments"][0]["kind"] = "surgery"
    raw["treatments"][1]["colour"] = "red"
    del raw["treatments"][2]["summary"]
    raw["side_effects"][1]["id"] = "hair-loss"
    raw["treatments"][3]["benefits"][0]["goals"] = ["happiness"]
    raw["updates"][0]["statement"] = "Hidden \u202e text"
    text = json.dumps(raw, indent=2, ensure_ascii=False)
    return text.replace('"label": "ACS 2010",', '"label": "ACS 2010",\n      "label": "ACS",', 1)


def test_validate_reports_every_problem_at_once(
    run: Run, write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    path = write_data(_broken(raw_data))
    result = run("validate", str(path), "--format", "plain")
    assert result.exit_code == 3
    assert result.stderr == ""

    def at(needle: str, column: int, after: str = "", before: int = 0) -> str:
        return f"{path}:{line_of(path, needle, after) - before}:{column}"

    lines = result.stdout.splitlines()
    assert lines[:3] == [f"Validation of {path}", "invalid: 8 errors, 0 warnings", ""]
    # in the file's order, line then column, as an editor lists them
    assert lines[3:] == [
        at('"label": "ACS",', 7) + ": error: sources[1].label: duplicate key; json keeps only "
        "the last one, so each key may appear once in an object",
        at('"id": "hair-loss"', 7, after='"name": "Hair loss"')
        + ": error: side_effects[1].id: duplicate id 'hair-loss', already used by side_effects[0]",
        at('"kind": "surgery"', 7) + ": error: treatments[0].kind: should be 'main', "
        "'other' or 'complementary', not 'surgery'",
        # ... one error for the duplicate (its id is not reported again as a clashing name);
        # chemotherapy's link to the id it had points nowhere
        at('"infection"', 11, after='"id": "chemotherapy"')
        + ": error: treatments[0].side_effects[1].id: unknown side effect 'infection'; "
        "no side effect has an id like it",
        at('"colour"', 7) + ": error: treatments[1].colour: unknown key 'colour'; check its "
        "spelling or remove it",
        # a missing field is found at the entry that lacks it
        at('"id": "radiopharmaceutical-therapy"', 5, before=1)
        + ": error: treatments[2].summary: required key 'summary' is missing",
        at('"happiness"', 13) + ": error: treatments[3].benefits[0].goals[0]: unknown goal "
        "'happiness'; no goal has an id like it",
        at('"Hidden', 7) + ": error: updates[0].statement: contains the control or "
        "bidirectional character U+202E; remove it (got 'Hidden \\u202e text')",
        "",
    ]


def test_validate_json_for_another_tools_ci(
    run: Run, write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["treatments"][0]["kind"] = "surgery"
    path = write_data(raw_data)
    result = run("validate", str(path), "--format", "json")
    assert result.exit_code == 3
    document = json.loads(result.stdout)
    assert {k: document[k] for k in ("file", "valid", "errors", "warnings")} == {
        "file": str(path),
        "valid": False,
        "errors": 1,
        "warnings": 0,
    }
    assert document["problems"] == [
        {
            "severity": "error",
            "path": "treatments[0].kind",
            "message": "should be 'main', 'other' or 'complementary', not 'surgery'",
            "line": line_of(path, '"kind": "surgery"'),
            "column": 7,
        }
    ]


def test_json_syntax_error_is_located(run: Run, write_data: WriteData) -> None:
    path = write_data('{\n  "schema_version": 1,\n  "content": {,}\n}')
    result = run("validate", str(path), "-f", "plain")
    assert result.exit_code == 3
    assert result.stdout.splitlines()[3] == (
        f"{path}:3:15: error: is not valid JSON: a comma with nothing before it: remove it"
    )


def test_overdue_review_is_a_warning_not_an_error(
    run: Run, write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["updates"][5].update(
        added="2020-01-01", reviewed="2020-01-01", next_review="2021-01-01"
    )
    path = write_data(raw_data)
    result = run("validate", str(path), "-f", "plain")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1:4] == [
        "valid: 0 errors, 1 warning",
        "",
        f"{path}: warning: updates[5].next_review: past its review date (2021-01-01); review it "
        "against current guidance, then move the date on",
    ]


def test_which_file_validate_checks(
    run: Run, write_data: WriteData, raw_data: dict[str, Any], tmp_path: Path
) -> None:
    good = write_data(raw_data, "good.json")
    missing = tmp_path / "missing.json"
    # PATH beats --data, which beats BONEMETS_DATA, which beats the bundled file
    result = run("--data", str(missing), "validate", str(good), env={"BONEMETS_DATA": "x"})
    assert result.exit_code == 0
    assert run("--data", str(missing), "validate", env={"BONEMETS_DATA": str(good)}).exit_code == 3
    assert run("validate", env={"BONEMETS_DATA": str(good)}).stdout.startswith(
        f"Validation of {good}\n"
    )
    assert run("validate").stdout.startswith("Validation of ")


def test_every_command_reads_a_curators_own_file(
    run: Run, write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["treatments"][0]["name"] = "Clinic chemotherapy"
    path = str(write_data(raw_data))
    for args in (
        ["list"],
        ["show", "clinic chemotherapy"],
        ["options", "-c", "breast"],
        ["sources", "--for", "chemotherapy"],
    ):
        by_option = run("--data", path, *args, "-f", "plain")
        by_env = run(*args, "-f", "plain", env={"BONEMETS_DATA": path})
        assert by_option.exit_code == by_env.exit_code == 0
        assert "Clinic chemotherapy" in by_option.stdout
        assert by_option.stdout == by_env.stdout


def test_schema_command_matches_the_committed_copy(run: Run) -> None:
    result = run("schema")
    assert result.exit_code == 0
    committed = (REPO / "data" / "knowledge.schema.json").read_text(encoding="utf-8")
    assert result.stdout == committed, "run: bonemets schema > data/knowledge.schema.json"
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert "treatments" in schema["required"]


def test_bundled_data_follows_the_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((REPO / "data" / "knowledge.schema.json").read_text(encoding="utf-8"))
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    checker = jsonschema.Draft202012Validator(schema)
    checker.validate(data)
    data["treatments"][0]["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError):
        checker.validate(data)


def test_data_file_points_editors_at_the_schema() -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert data["$schema"] == "./knowledge.schema.json"


def test_problem_lines_never_wrap(
    run: Run, write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    """One problem, one line, at any width: grep and editors' quickfix read them whole."""
    raw_data["treatments"][0]["sumary"] = raw_data["treatments"][0].pop("summary")
    path = write_data(raw_data)
    line = line_of(path, '"sumary"')
    expected = (
        f"{path}:{line}:7: error: treatments[0].sumary: "
        "unknown key 'sumary' (did you mean 'summary'?)"
    )
    for columns in ("40", "20", "0"):
        result = run("validate", str(path), env={"COLUMNS": columns})
        assert result.exit_code == 3
        assert expected in result.stdout.splitlines()
    plain = run("validate", str(path), "--format", "plain", env={"COLUMNS": "40"})
    assert plain.stdout.splitlines()[3] == expected


def test_validate_github_annotations(
    run: Run, write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["treatments"][0]["sumary"] = raw_data["treatments"][0].pop("summary")
    raw_data["content"]["next_review"] = "2026-01-01"  # passed on the pinned day: a warning
    raw_data["content"]["reviewed"] = "2025-06-01"
    path = write_data(raw_data, name="k,b:100%.json")
    line = line_of(path, '"sumary"')
    result = run("validate", str(path), "--format", "github", env={"COLUMNS": "40"})
    assert (result.exit_code, result.stderr) == (3, "")
    file = str(path).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
    assert result.stdout == (
        f"::error file={file},line={line},col=7::treatments[0].sumary: "
        "unknown key 'sumary' (did you mean 'summary'?)\n"
        "invalid: 1 error, 0 warnings\n"
    )
    clean = run("validate", "--format", "github")
    assert (clean.exit_code, clean.stdout) == (0, "valid: 0 errors, 0 warnings\n")


def test_validate_counts_the_errors_it_does_not_list(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "many.json"
    unknown = ", ".join(f'"x{n}": 1' for n in range(3999))
    path.write_text('{"schema_version": 1, ' + unknown + "}", encoding="utf-8")
    document = json.loads(run("validate", str(path), "--format", "json").stdout)
    missing = 12  # the required top-level keys the file leaves out
    assert (document["errors"], document["warnings"]) == (3999 + missing, 0)
    assert len(document["problems"]) == 51  # 50 listed, and the line saying how many more
    verdict = f"invalid: {3999 + missing:,} errors, 0 warnings"
    shown = {
        output_format: run("validate", str(path), "--format", output_format).stdout
        for output_format in ("plain", "table", "markdown", "github")
    }
    for output_format, text in shown.items():
        assert verdict in text, output_format
    github = shown["github"].splitlines()
    assert github[-2] == (
        f"::error file={path}::and {3999 + missing - 50:,} more errors not listed; "
        "fix these and validate again"
    )
    assert github[-1] == verdict
