"""The JSON contract for programs: every page self-contained (names and citations), its
format version, and its published schema (docs/schemas)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_cli import DATA_COMMANDS

from bonemets_cli.models import KnowledgeBase
from bonemets_cli.views.page import JSON_FORMAT_VERSION, NAMED_KINDS

from conftest import Run, ok


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
    assert list(document["citations"]) == ["aaos-2007", "acs-2010", "umich-2010"]
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
    assert list(document["citations"]) == ["aaos-2007", "acs-2010", "umich-2010", "saad-2012"]


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
