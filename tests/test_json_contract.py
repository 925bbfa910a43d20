"""The JSON contract for programs: every page self-contained (names and citations), its
format version, and its published schema (docs/schemas)."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bonemets_cli.models import KnowledgeBase
from bonemets_cli.views.contract import OUTPUT_TYPES
from bonemets_cli.views.page import JSON_FORMAT_VERSION, NAMED_KINDS

from conftest import REPO, Run, load_script, ok

readme_usage = load_script("readme_usage")

DATA_COMMANDS = [
    ["list"],
    ["show", "chemotherapy"],
    ["show", "denosumab", "--audience", "clinician"],
    ["options", "--cancer", "breast"],
    ["options", "--cancer", "myeloma", "--audience", "clinician"],
    ["options", "--given", "surgery", "--bones", "weak", "--avoid", "hair loss"],
    ["updates"],
    ["updates", "--cancer", "breast", "--audience", "clinician"],
    ["sources"],
    ["sources", "--for", "rp-radium-223"],
    ["side-effects"],
    ["side-effects", "chemotherapy", "radiation"],
    ["side-effects", "--has", "nausea"],
    ["compare", "bisphosphonates", "denosumab", "surgery"],
    ["complementary"],
    ["factors"],
    ["prognosis"],
    ["search", "nausia"],
    ["search", "zoledronic", "acid"],
    ["handout", "--cancer", "prostate"],
    ["handout", "--cancer", "breast", "--clinic", "St Mary's, 020 7946 0000"],
    ["info"],
    ["show", "bisphosphonates"],
    ["show", "zometa", "--audience", "clinician"],
    ["show", "radium-223"],
    ["compare", "denosumab", "zoledronic acid", "--audience", "clinician"],
    ["sins", "--location", "mobile", "--pain", "mechanical", "--lesion", "lytic"]
    + ["--alignment", "normal", "--collapse", "under-50", "--posterolateral", "none"],
    ["urgent"],
    ["urgent", "--audience", "clinician"],
    ["glossary"],
    ["glossary", "SRE"],
    ["questions"],
]
"""A page of every command with JSON output, in its variants."""


def strings_in(data: Any) -> set[str]:
    """Every string a JSON document holds, keys and values."""
    if isinstance(data, str):
        return {data}
    if isinstance(data, dict):
        return set(data).union(*(strings_in(v) for v in data.values()))
    if isinstance(data, list):
        return set().union(*(strings_in(v) for v in data))
    return set()


def test_json_format_is_3(run: Run) -> None:
    assert JSON_FORMAT_VERSION == 3
    assert json.loads(ok(run("list", "-f", "json")))["meta"]["json_format"] == 3
    assert json.loads(run("validate", "-f", "json").stdout)["json_format"] == 3


def test_show_names_its_side_effects_routes_and_goals(run: Run, kb: KnowledgeBase) -> None:
    document = json.loads(ok(run("show", "chemotherapy", "--format", "json")))
    assert [link["id"] for link in document["treatment"]["side_effects"]] == [
        "hair-loss",
        "infection",
        "appetite-loss",
        "nausea",
        "vomiting",
    ]
    assert document["names"]["side_effects"] == {
        "hair-loss": "Hair loss",
        "infection": "Increased chance of infection",
        "appetite-loss": "Loss of appetite",
        "nausea": "Nausea",
        "vomiting": "Vomiting",
    }
    assert document["names"]["routes"] == {"iv": "Into a vein (IV)", "oral": "By mouth"}
    assert document["names"]["treatments"] == {"chemotherapy": "Chemotherapy"}
    # the founding text's sources, then those of the diagnosis codes in meta
    assert list(document["citations"]) == [
        "aaos-2007",
        "acs-2010",
        "umich-2010",
        "who-icd-10",
        "cdc-icd-10-cm",
    ]
    assert document["citations"]["acs-2010"] == kb.source_by_id["acs-2010"].record()
    assert document["citations"]["acs-2010"]["citation"] == (
        "American Cancer Society. (2010). Bone metastasis. Retrieved October 4, 2010."
    )


@pytest.mark.parametrize("command", [["updates"], ["sources", "--for", "bma-onj"]], ids=" ".join)
def test_pages_that_give_source_ids_carry_their_citations(
    run: Run, kb: KnowledgeBase, command: list[str]
) -> None:
    document = json.loads(ok(run(*command, "--format", "json")))
    items = document.get("updates") or document["statements"]
    cited = {source for item in items for source in item["sources"]}
    assert cited and cited <= set(document["citations"])
    for source in cited:
        assert document["citations"][source] == kb.source_by_id[source].record()


def test_sources_for_an_entry_carries_the_trial_citation(run: Run) -> None:
    document = json.loads(ok(run("sources", "--for", "bma-onj", "--format", "json")))
    assert document["citations"]["saad-2012"]["id"] == "saad-2012"
    assert list(document["citations"]) == [
        "aaos-2007",
        "acs-2010",
        "umich-2010",
        "saad-2012",
        "who-icd-10",
        "cdc-icd-10-cm",
    ]


@pytest.mark.parametrize("command", DATA_COMMANDS, ids=" ".join)
def test_every_page_names_every_id_it_mentions(
    run: Run, kb: KnowledgeBase, command: list[str]
) -> None:
    document = json.loads(ok(run(*command, "--format", "json")))
    names, citations = document.pop("names"), document.pop("citations")
    mentioned = strings_in(document)
    assert list(names) == list(NAMED_KINDS)
    for kind in NAMED_KINDS:
        expected = {e.id: e.name for e in getattr(kb, kind) if e.id in mentioned}
        assert names[kind] == expected, kind
    assert citations == {s.id: s.record() for s in kb.sources if s.id in mentioned}
    assert citations  # every page cites at least the founding text's sources


# --- published output schemas -----------------------------------------------------------

SCHEMAS = REPO / "docs" / "schemas"


@functools.cache
def published(command: str) -> jsonschema.Draft202012Validator:
    """The published schema of a command's JSON, checked against the JSON Schema
    meta-schema once (the costly part) and then used for every page of that command."""
    schema = json.loads((SCHEMAS / f"{command}.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("command", list(OUTPUT_TYPES))
def test_committed_output_schema_is_current(run: Run, command: str) -> None:
    printed = ok(run("schema", "--for", command))
    committed = (SCHEMAS / f"{command}.json").read_text(encoding="utf-8")
    assert printed == committed, (
        f"run: bonemets schema --for {command} > docs/schemas/{command}.json"
    )
    assert json.loads(printed)["title"] == f"bonemets {command} --format json"


def test_every_command_with_json_output_has_a_schema() -> None:
    with_format = {
        name
        for name in readme_usage.commands()
        if re.search(r"--format\s+-f", readme_usage.help_text(name))
    }
    assert with_format == set(OUTPUT_TYPES)
    assert {path.stem for path in SCHEMAS.glob("*.json")} == set(OUTPUT_TYPES)


def test_schema_for_an_unknown_command_is_a_usage_error(run: Run) -> None:
    result = run("schema", "--for", "lst")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: no JSON output schema for 'lst'; one of: " + ", ".join(OUTPUT_TYPES) + ".\n"
    )


def test_schema_alone_is_still_the_knowledge_file_schema(run: Run) -> None:
    committed = (REPO / "data" / "knowledge.schema.json").read_text(encoding="utf-8")
    assert ok(run("schema")) == committed


@pytest.mark.parametrize(
    "command",
    [*DATA_COMMANDS, ["validate"]],
    ids=" ".join,
)
def test_every_commands_json_follows_its_published_schema(run: Run, command: list[str]) -> None:
    document = json.loads(run(*command, "--format", "json").stdout)
    published(command[0]).validate(document)


def test_invalid_files_report_follows_the_validate_schema(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"schema_version": 2, "x": 1}', encoding="utf-8")
    result = run("validate", str(path), "--format", "json")
    assert result.exit_code == 3
    published("validate").validate(json.loads(result.stdout))


def test_the_schemas_are_strict_about_keys(run: Run) -> None:
    """A key the contract does not name fails validation: the schema is not a formality."""
    schema = published("show")
    document = json.loads(run("show", "chemo", "--format", "json").stdout)
    schema.validate(document)  # as printed, it passes
    for extra in ({**document, "surprise": 1}, {**document, "meta": {**document["meta"], "x": 1}}):
        with pytest.raises(jsonschema.ValidationError):
            schema.validate(extra)
    del document["names"]["goals"]
    with pytest.raises(jsonschema.ValidationError):
        schema.validate(document)
