"""Pure query functions: lookups, suggestions and options, no terminal involved."""

from __future__ import annotations

import pytest

from bonemets_cli.errors import NotFound
from bonemets_cli.models import KnowledgeBase
from bonemets_cli.names import suggestions
from bonemets_cli.query import find_cancer, find_treatment, options_for


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
    ("chemotherapy", "not-limited"),
    ("radiation-therapy", "not-limited"),
    ("radiopharmaceutical-therapy", "not-limited"),
    ("surgery", "not-limited"),
    ("immunotherapy", "not-limited"),
]
"""The treatments the founding text gives without limiting them to particular cancers."""
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


def _listings(kb: KnowledgeBase, cancer: str) -> dict[str, list[tuple[str, str, str | None]]]:
    """What lists each treatment for a cancer: (cancer, basis, fact)."""
    return {
        o.treatment.id: [(x.cancer, x.basis, x.update) for x in o.listings]
        for o in options_for(kb, find_cancer(kb, cancer))
        if o.listings
    }


def test_options_for_breast(kb: KnowledgeBase) -> None:
    assert _options(kb, "breast") == [
        *ANY_CANCER,
        ("bisphosphonates", "listed"),
        ("bone-modifying-agents", "listed"),
        ("hormone-therapy", "listed"),
        *COMPLEMENTARY,
    ]
    assert _listings(kb, "breast") == {
        "bisphosphonates": [
            ("breast", "founding-text", None),
            ("solid-tumours", "label", "bp-zoledronic-label"),
        ],
        # ESMO's line for "other solid tumours" does not pass to breast cancer
        "bone-modifying-agents": [
            ("breast", "guideline", "bma-asco-2017-breast"),
            ("breast", "guideline", "bma-esmo-2020"),
            ("solid-tumours", "label", "bma-denosumab-approval"),
        ],
        "hormone-therapy": [("breast", "founding-text", None)],
    }


def test_options_for_myeloma_list_denosumab_by_its_label_only(kb: KnowledgeBase) -> None:
    assert _options(kb, "myeloma") == [
        *ANY_CANCER,
        ("bisphosphonates", "listed"),
        ("bone-modifying-agents", "listed"),
        *COMPLEMENTARY,
    ]
    # The trial about myeloma patients (bma-denosumab-vs-zoledronic) lists nothing;
    # the current US label (bma-denosumab-myeloma) does.
    assert _listings(kb, "myeloma") == {
        "bisphosphonates": [
            ("myeloma", "founding-text", None),
            ("myeloma", "label", "bp-zoledronic-label"),
        ],
        "bone-modifying-agents": [("myeloma", "label", "bma-denosumab-myeloma")],
    }


def test_options_for_prostate_list_only_what_a_source_approves_or_recommends(
    kb: KnowledgeBase,
) -> None:
    assert _options(kb, "prostrate") == [
        *ANY_CANCER,
        ("bisphosphonates", "listed"),
        ("bone-modifying-agents", "listed"),
        ("hormone-therapy", "listed"),
        *COMPLEMENTARY,
    ]
    assert _listings(kb, "prostate") == {
        "radiopharmaceutical-therapy": [("prostate", "label", "rp-radium-223")],
        # the label's own line for prostate cancer, with its condition, stands alone
        "bisphosphonates": [("prostate", "label", "bp-zoledronic-label")],
        "bone-modifying-agents": [
            ("prostate", "guideline", "bma-esmo-2020"),
            ("solid-tumours", "label", "bma-denosumab-approval"),
        ],
        "hormone-therapy": [("prostate", "founding-text", None)],
    }


def test_cancer_suggestions_are_near_misses_of_the_same_cancer(kb: KnowledgeBase) -> None:
    from bonemets_cli.errors import NotFound

    def suggested(name: str) -> tuple[str, ...]:
        with pytest.raises(NotFound) as caught:
            find_cancer(kb, name)
        return caught.value.suggestions

    assert suggested("melanoma") == ()  # a different disease, however alike it looks
    assert suggested("lung") == ()
    assert suggested("myelomas") == ("myeloma",)  # one letter added
    assert suggested("mieloma") == ("myeloma",)  # one letter changed
    assert suggested("brest cancer") == ("breast",)  # one letter dropped
    assert suggested("prostaet") == ("prostate",)  # two letters swapped
    assert find_cancer(kb, "myel").id == "myeloma"  # a prefix of one cancer's name opens it
    # castration-resistant prostate cancer is not all prostate cancer: no alias opens the
    # prostate page, but a name that holds a listed cancer's name points to it
    assert suggested("castration-resistant prostate cancer") == ("prostate",)
    assert suggested("metastatic breast cancer") == ("breast",)


def test_near_miss() -> None:
    from bonemets_cli.query import near_miss

    assert near_miss("mye", "myeloma") and not near_miss("my", "myeloma")
    assert near_miss("myelome", "myeloma") and near_miss("myeloma", "myeloma")
    assert not near_miss("melanoma", "myeloma") and not near_miss("myelomaxx", "myeloma")


def test_closest_finds_substrings_and_typos(kb: KnowledgeBase) -> None:
    assert suggestions(kb.treatments, "surgeries") == ["surgery"]
    assert suggestions(kb.treatments, "zzzz") == []


def test_filters_admit_only_what_the_knowledge_says(kb: KnowledgeBase) -> None:
    from bonemets_cli.query import Filters, find_bone_state, find_goal, find_route, find_side_effect

    surgery = find_treatment(kb, "surgery")
    chemo = find_treatment(kb, "chemo")
    assert Filters().admit(kb, chemo) and not Filters().active()
    assert Filters(goal=find_goal(kb, "pain")).admit(kb, chemo)
    assert not Filters(goal=find_goal(kb, "pain")).admit(kb, surgery)
    assert Filters(given=find_route(kb, "by mouth")).admit(kb, chemo)
    assert Filters(bones=find_bone_state(kb, "fractured")).admit(kb, surgery)
    assert not Filters(bones=find_bone_state(kb, "weak")).admit(kb, chemo)
    assert not Filters(avoid=find_side_effect(kb, "vomiting")).admit(kb, chemo)
    assert Filters(avoid=find_side_effect(kb, "vomiting")).admit(kb, surgery)
    # bisphosphonates' own record names no side effect; a fact from after 2010 names one
    bisphosphonates = find_treatment(kb, "bisphosphonates")
    assert not Filters(avoid=find_side_effect(kb, "onj")).admit(kb, bisphosphonates)
    # the hypocalcaemia fact gives a rate for zoledronic acid, a bisphosphonate
    assert not Filters(avoid=find_side_effect(kb, "low calcium")).admit(kb, bisphosphonates)
    # radium-223 is given into a vein; complementary care helps you feel better
    radiopharm = find_treatment(kb, "radiopharmaceutical")
    assert Filters(given=find_route(kb, "iv")).admit(kb, radiopharm)
    assert Filters(goal=find_goal(kb, "feel better")).admit(kb, find_treatment(kb, "counseling"))


def test_options_without_a_cancer_mark_cancer_specific_treatments(kb: KnowledgeBase) -> None:
    from bonemets_cli.query import Filters, find_route

    found = options_for(kb, None, Filters(given=find_route(kb, "iv")))
    assert [(o.treatment.id, o.match, o.routes) for o in found] == [
        ("chemotherapy", "not-limited", ("iv", "oral")),
        ("radiopharmaceutical-therapy", "not-limited", ("injection", "iv")),
        ("bisphosphonates", "some-cancers", ("iv",)),
        ("bone-modifying-agents", "some-cancers", ("injection", "iv")),
    ]


def test_side_effect_links_follow_the_file_order(kb: KnowledgeBase) -> None:
    from bonemets_cli.query import causes, find_side_effect, side_effect_links

    rows = side_effect_links(kb, [find_treatment(kb, "radiopharm"), find_treatment(kb, "chemo")])
    assert [effect.id for effect, _ in rows] == [
        "hair-loss",
        "infection",
        "appetite-loss",
        "nausea",
        "vomiting",
        "low-platelets",
        "low-white-cells",
        "low-blood-counts",  # named for radiopharmaceuticals by a fact since 2010
    ]
    assert [t.id for t, _ in causes(kb, find_side_effect(kb, "platelets"))] == [
        "radiopharmaceutical-therapy"
    ]


@pytest.mark.parametrize(
    ("query", "first", "corrected"),
    [
        ("chemotherapy", "chemotherapy", ()),
        ("peppermint", "peppermint-tea", ()),
        ("nausia", "peppermint-tea", (("nausia", "nausea"),)),
        ("hormone", "hormone-therapy", ()),
        ("reconstructive", "surgery", ()),
        ("osteonecrosis jaw", "bma-onj", ()),
        ("the jaw", "bma-onj", ()),
        ("prostheses", "surgery", ()),
        ("bisphosphonats", "bisphosphonates", (("bisphosphonats", "bisphosphonate"),)),
        ("pian", "urgent-fracture", (("pian", "pain"),)),  # a warning sign: first
    ],
)
def test_search_ranks_and_forgives(
    kb: KnowledgeBase, query: str, first: str, corrected: tuple[tuple[str, str], ...]
) -> None:
    from bonemets_cli.search import search

    found = search(kb, query)
    assert found.results[0].entry == first
    assert found.corrections == corrected


def test_search_typo_tolerance_scales_with_length(kb: KnowledgeBase) -> None:
    from bonemets_cli.search import search

    words = {w for r in search(kb, "pain").results for h in r.hits for w in h.words}
    assert "main" not in words  # found as it is: not also read as a typo
    assert search(kb, "jwa").results == ()  # three letters: no typo allowed
    assert search(kb, "vomting").corrections == (("vomting", "vomiting"),)
    assert search(kb, "vomitting").corrections == ()  # its stem is vomiting's: no typo
    assert search(kb, "zzzzzzzz").results == ()


def test_search_terms_drop_common_words_unless_alone() -> None:
    from bonemets_cli.search import terms_of

    assert terms_of("The Jaw and the BONE") == ("jaw", "bone")
    assert terms_of("the") == ("the",)
    assert terms_of("?!") == ()


def test_an_options_page_shows_the_facts_about_what_it_lists(kb: KnowledgeBase) -> None:
    from bonemets_cli.query import Filters, find_bone_state, updates_for_options

    breast = find_cancer(kb, "breast")
    unfiltered = updates_for_options(kb, breast, options_for(kb, breast), Filters())
    assert {u.id for u in unfiltered} >= {"bma-asco-2017-breast", "rt-single-fraction"}
    broken = Filters(bones=find_bone_state(kb, "broken"))
    listed = options_for(kb, breast, broken)
    assert [o.treatment.id for o in listed] == ["surgery"]
    assert [u.id for u in updates_for_options(kb, breast, listed, broken)] == ["rt-astro-2024"]
    everything = updates_for_options(kb, None, options_for(kb, None, broken), broken)
    assert [u.id for u in everything] == ["rt-astro-2024"]
