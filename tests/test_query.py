"""Pure query functions: lookups, suggestions and options, no terminal involved."""

from __future__ import annotations

import pytest

from bonemets_cli.errors import NotFound
from bonemets_cli.models import KnowledgeBase
from bonemets_cli.query import closest, find_cancer, find_treatment, options_for


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("chemotherapy", "chemotherapy"),
        ("Chemotherapy", "chemotherapy"),
        ("  CHEMO ", "chemotherapy"),
        ("radiation", "radiation-therapy"),
        ("radiation_therapy", "radiation-therapy"),
        ("Radiation   Therapy", "radiation-therapy"),
        ("radiotherapy", "radiation-therapy"),
        ("hormone", "hormone-therapy"),
        ("bisphos", "bisphosphonates"),
        ("peppermint", "peppermint-tea"),
        ("counselling", "counseling"),
    ],
)
def test_find_treatment_by_id_name_alias_or_unique_prefix(
    kb: KnowledgeBase, name: str, expected: str
) -> None:
    assert find_treatment(kb, name).id == expected


def test_ambiguous_prefix_suggests_each_candidate(kb: KnowledgeBase) -> None:
    with pytest.raises(NotFound) as caught:
        find_treatment(kb, "radio")
    assert caught.value.suggestions == ("radiation-therapy", "radiopharmaceutical-therapy")
    assert str(caught.value) == (
        "no treatment matches 'radio'. Did you mean: radiation-therapy, "
        "radiopharmaceutical-therapy?"
    )


def test_typo_suggests_closest_name(kb: KnowledgeBase) -> None:
    with pytest.raises(NotFound) as caught:
        find_treatment(kb, "chemoterapy")
    assert caught.value.suggestions[0] == "chemotherapy"
    assert caught.value.exit_code == 1


@pytest.mark.parametrize("name", ["", "   ", "x" * 10_000, "[/]", "化学療法"])
def test_odd_names_miss_cleanly(kb: KnowledgeBase, name: str) -> None:
    with pytest.raises(NotFound) as caught:
        find_treatment(kb, name)
    assert len(str(caught.value)) < 300


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("breast", "breast"),
        ("Breast cancer", "breast"),
        ("prostrate", "prostate"),
        ("PROSTATE", "prostate"),
        ("myeloma", "myeloma"),
    ],
)
def test_find_cancer(kb: KnowledgeBase, name: str, expected: str) -> None:
    assert find_cancer(kb, name).id == expected


def test_unknown_cancer_lists_known_ones(kb: KnowledgeBase) -> None:
    with pytest.raises(NotFound) as caught:
        find_cancer(kb, "lung")
    assert caught.value.known == ("breast", "myeloma", "prostate", "solid-tumours")


def _options(kb: KnowledgeBase, cancer: str) -> list[tuple[str, str]]:
    found = find_cancer(kb, cancer)
    return [(option.treatment.id, option.match) for option in options_for(kb, found)]


ANY_CANCER = [
    ("chemotherapy", "any-cancer"),
    ("radiation-therapy", "any-cancer"),
    ("radiopharmaceutical-therapy", "any-cancer"),
    ("surgery", "any-cancer"),
    ("immunotherapy", "any-cancer"),
]
COMPLEMENTARY = [
    (name, "complementary")
    for name in [
        "acupuncture",
        "counseling",
        "energy-therapies",
        "nutrition-therapy",
        "peppermint-tea",
        "physical-therapy",
        "spiritual-support",
        "stress-management",
    ]
]


def test_options_for_breast(kb: KnowledgeBase) -> None:
    assert _options(kb, "breast") == [
        *ANY_CANCER,
        ("bisphosphonates", "cancer"),
        ("bone-modifying-agents", "cancer"),
        ("hormone-therapy", "cancer"),
        *COMPLEMENTARY,
    ]


def test_options_for_myeloma(kb: KnowledgeBase) -> None:
    assert _options(kb, "myeloma") == [
        *ANY_CANCER,
        ("bisphosphonates", "cancer"),
        ("bone-modifying-agents", "cancer"),
        *COMPLEMENTARY,
    ]


def test_options_for_prostate_add_what_changed_since_2010(kb: KnowledgeBase) -> None:
    # The founding text ties only hormone therapy to prostate cancer; the zoledronic
    # acid trials (2017) bring the bisphosphonates in as well.
    assert _options(kb, "prostrate") == [
        *ANY_CANCER,
        ("bone-modifying-agents", "cancer"),
        ("hormone-therapy", "cancer"),
        ("bisphosphonates", "update"),
        *COMPLEMENTARY,
    ]


def test_closest_finds_substrings_and_typos(kb: KnowledgeBase) -> None:
    assert closest(kb.treatments, "surgeries") == ["surgery"]
    assert closest(kb.treatments, "zzzz") == []
