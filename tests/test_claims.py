"""The structure claims no more than the sources: listings, cautions, qualifications, names."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bonemets_cli.choices import OutputFormat

from conftest import Run

TEXT_FORMATS = [f.value for f in OutputFormat if f is not OutputFormat.json]


def ok(run: Run, *args: str, columns: int = 100) -> str:
    result = run(*args, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def flat(text: str) -> str:
    """Text whatever its wrapping and its Markdown escapes."""
    return " ".join(text.replace("\\", "").split())


def options_json(run: Run, *args: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(ok(run, "options", *args, "-f", "json"))
    return document


def option(document: dict[str, Any], treatment: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        o for o in document["options"] if o["treatment"]["id"] == treatment
    )
    return found


PAGES = [
    ["list"],
    ["show", "chemo"],
    ["show", "radiopharm"],
    ["show", "bone-modifying agents"],
    ["options", "--cancer", "breast"],
    ["options", "--cancer", "myeloma"],
    ["options", "--goal", "pain"],
    ["compare", "chemo", "surgery", "bisphosphonates"],
    ["handout", "--cancer", "prostate"],
]


@pytest.mark.parametrize("page", PAGES, ids=" ".join)
@pytest.mark.parametrize("output_format", [f.value for f in OutputFormat])
def test_no_page_says_for_any_cancer(run: Run, page: list[str], output_format: str) -> None:
    out = ok(run, *page, "-f", output_format)
    assert "any cancer" not in out.casefold()
    assert "any-cancer" not in out


@pytest.mark.parametrize("output_format", TEXT_FORMATS)
def test_what_the_founding_text_does_not_limit_says_exactly_that(
    run: Run, output_format: str
) -> None:
    out = flat(ok(run, "options", "--cancer", "breast", "-f", output_format))
    assert "The founding text does not limit it to particular cancers." in out
    document = options_json(run, "--cancer", "breast")
    assert option(document, "chemotherapy")["match"] == "not-limited"
    assert option(document, "chemotherapy")["listings"] == []


def test_myeloma_lists_denosumab_by_its_label_and_the_label_is_shown(run: Run) -> None:
    document = options_json(run, "--cancer", "myeloma")
    bma = option(document, "bone-modifying-agents")
    assert [(x["basis"], x["update"]) for x in bma["listings"]] == [
        ("label", "bma-denosumab-myeloma")
    ]
    assert "bma-denosumab-myeloma" in [u["id"] for u in document["updates"]]
    out = ok(run, "options", "--cancer", "myeloma", "--full", "-f", "plain")
    assert (
        "Bone-modifying agents\n"
        "  Why listed: Myeloma. Approved (drug label, denosumab): In the US, denosumab is now also "
        "approved to protect the bones of people with myeloma. [10-11]\n"
    ) in out
    # the bone-modifying agents' summary is the class, not a breast-cancer sentence
    assert (
        "  What it does: The guideline term for bone-strengthening drugs used in cancer: the "
        "bisphosphonates (such as zoledronic acid and pamidronate) and denosumab.\n"
    ) in out
    assert "For breast cancer that has spread to bone" not in out.split("Since 2010: what")[0]


def test_a_trial_about_a_cancer_lists_nothing(run: Run, raw_data: dict[str, Any]) -> None:
    # Without the label fact's listing, the trial that included myeloma patients
    # (bma-denosumab-vs-zoledronic) does not put denosumab on the myeloma page.
    from bonemets_cli.knowledge import conform
    from bonemets_cli.query import find_cancer, options_for

    bma = next(t for t in raw_data["treatments"] if t["id"] == "bone-modifying-agents")
    bma["listed_for"] = [x for x in bma["listed_for"] if x["cancer"] != "myeloma"]
    kb, errors = conform(json.dumps(raw_data))
    assert kb is not None, errors
    listed = [o.treatment.id for o in options_for(kb, find_cancer(kb, "myeloma"))]
    assert "bone-modifying-agents" not in listed and "bisphosphonates" in listed


@pytest.mark.parametrize("output_format", TEXT_FORMATS)
def test_cancer_specific_facts_keep_their_qualifier(run: Run, output_format: str) -> None:
    out = flat(ok(run, "options", "--cancer", "prostate", "-f", output_format))
    assert "Radium-223 for castration-resistant prostate cancer" in out
    assert (
        "FDA approval 15 May 2013 for castration-resistant prostate cancer with symptomatic "
        "bone metastases and no known visceral metastatic disease."
    ) in out


@pytest.mark.parametrize("output_format", TEXT_FORMATS)
def test_a_caution_is_named_in_every_format(run: Run, output_format: str) -> None:
    # wide enough that no statement wraps (a table's topic column still may)
    out = flat(ok(run, "updates", "--treatment", "radium", "-f", output_format, columns=400))
    assert out.index("Radium-223 is an injected radioactive medicine") < out.index(
        "Caution: Radium-223:"
    )
    assert "Why: In a trial, adding radium-223 to abiraterone plus prednisone led to more" in out


def test_low_calcium_counts_for_bisphosphonates(run: Run) -> None:
    out = ok(run, "side-effects", "--has", "low calcium", "-f", "plain")
    assert "\nBisphosphonates\n" in out and "\nBone-modifying agents\n" in out
    kept = [o["treatment"]["id"] for o in options_json(run, "--avoid", "calcium")["options"]]
    assert "bisphosphonates" not in kept and "bone-modifying-agents" not in kept


def test_radium_223_counts_as_given_into_a_vein(run: Run) -> None:
    document = options_json(run, "--given", "iv")
    radiopharm = option(document, "radiopharmaceutical-therapy")
    assert radiopharm["routes"] == ["injection", "iv"]
    out = ok(run, "options", "--given", "iv", "-f", "plain")
    assert "Radiopharmaceutical therapy\n" in out
    assert "  How it is given: Injection, Into a vein (IV)\n" in out


def test_complementary_care_counts_for_feeling_better(run: Run) -> None:
    document = options_json(run, "--goal", "feel better")
    assert [o["treatment"]["id"] for o in document["options"]] == [
        "chemotherapy",
        "acupuncture",
        "counseling",
        "energy-therapies",
        "nutrition-therapy",
        "peppermint-tea",
        "physical-therapy",
        "spiritual-support",
        "stress-management",
    ]


@pytest.mark.parametrize("output_format", TEXT_FORMATS)
def test_bisphosphonates_for_pain_carry_the_modest_benefit_caveat(
    run: Run, output_format: str
) -> None:
    out = flat(ok(run, "options", "--goal", "pain", "-f", output_format))
    bisphosphonates = out.split("Bisphosphonates", 1)[1]
    assert bisphosphonates.split("Acupuncture")[0].count(
        "These drugs help only modestly with pain, so they are not used alone to treat bone pain."
    )


@pytest.mark.parametrize("output_format", TEXT_FORMATS)
def test_a_qualified_seed_statement_shows_its_qualification_beside_it(
    run: Run, output_format: str
) -> None:
    out = flat(ok(run, "show", "radiopharm", "-f", output_format, columns=400))
    seed = "This localized radiation can kill cancer cells without harming normal cells"
    later = "Qualified since 2010 (Strontium-89 and samarium-153): They can lower blood counts."
    assert seed in out and later in out
    assert 0 < out.index(later) - out.index(seed) < 200


def test_qualifications_are_in_the_json_record(run: Run) -> None:
    document = json.loads(ok(run, "show", "radiopharm", "-f", "json"))
    assert document["treatment"]["benefits"][0]["qualified_by"] == [
        {"update": "rp-sr89-sm153", "text": "They can lower blood counts."}
    ]
    # the seed statement itself is unchanged
    assert document["treatment"]["benefits"][0]["text"] == (
        "This localized radiation can kill cancer cells without harming normal cells, while "
        "also decreasing pain."
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "melanoma",
            "Error: no cancer matches 'melanoma'. Known cancers: breast, myeloma, prostate, "
            "solid-tumours. Facts for solid tumours may apply to a cancer not listed here: your "
            "care team can say whether they do (run 'bonemets options --cancer solid-tumours').\n",
        ),
        (
            "myelomma",
            "Error: no cancer matches 'myelomma'. Did you mean: myeloma? Known cancers: breast, "
            "myeloma, prostate, solid-tumours. Facts for solid tumours may apply to a cancer not "
            "listed here: your care team can say whether they do (run 'bonemets options --cancer "
            "solid-tumours').\n",
        ),
    ],
)
def test_a_cancer_is_suggested_only_for_a_near_miss_of_its_own_name(
    run: Run, typed: str, message: str
) -> None:
    result = run("options", "--cancer", typed)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)


@pytest.mark.parametrize("output_format", TEXT_FORMATS)
def test_unnamed_side_effects_are_not_read_as_none(run: Run, output_format: str) -> None:
    out = flat(ok(run, "handout", "--cancer", "breast", "-f", output_format))
    assert "None named" not in out
    assert "These sources do not name its side effects: ask your care team." in out


@pytest.mark.parametrize("output_format", TEXT_FORMATS)
def test_the_footer_says_what_was_reviewed(run: Run, output_format: str) -> None:
    out = flat(ok(run, "list", "-f", output_format))
    assert "Knowledge base reviewed" not in out
    assert (
        "from sources dated 2007-2010, shown as written (not re-checked since). Facts added "
        "since 2010 reviewed 2026-11-28 to 2026-11-29; next review due 2027-11-28."
    ) in out


def test_show_lists_the_side_effects_later_facts_name(run: Run) -> None:
    out = ok(run, "show", "bisphosphonates", "-f", "plain")
    assert "Side effects: Osteonecrosis of the jaw (jawbone that does not heal) (source 5)\n" in out
    assert "Side effects: Low calcium in the blood (hypocalcaemia) (source 6)\n" in out
    assert "do not name its side effects" not in out


def test_a_route_from_a_fact_about_one_cancer_shows_on_that_cancers_pages(run: Run) -> None:
    radiopharm = option(options_json(run, "--cancer", "breast"), "radiopharmaceutical-therapy")
    assert radiopharm["routes"] == ["injection"]
    radiopharm = option(options_json(run, "--cancer", "prostate"), "radiopharmaceutical-therapy")
    assert radiopharm["routes"] == ["injection", "iv"]
    out = ok(run, "show", "radiopharm", "-f", "plain")
    assert (
        "  - Qualified since 2010 (Radium-223 for castration-resistant prostate cancer): Dose: "
        "50 kBq/kg IV every 4 weeks for 6 injections. [4-5]\n"
    ) in out


@pytest.mark.parametrize("output_format", TEXT_FORMATS)
def test_one_medicines_approval_is_not_read_as_the_whole_class(
    run: Run, output_format: str
) -> None:
    out = flat(ok(run, "show", "bisphosphonates", "-f", output_format, columns=400))
    assert (
        "Prostate cancer. Approved (drug label, zoledronic acid): In prostate cancer, it is used "
        "once the cancer has grown despite at least one hormone treatment."
    ) in out


@pytest.mark.parametrize("output_format", TEXT_FORMATS)
def test_the_handout_says_why_each_treatment_is_on_it(run: Run, output_format: str) -> None:
    out = flat(ok(run, "handout", "--cancer", "myeloma", "-f", output_format, columns=400))
    assert "The founding text does not limit it to particular cancers." in out
    assert (
        "Myeloma. Approved (drug label, denosumab): In the US, denosumab is now also approved "
        "to protect the bones of people with myeloma."
    ) in out
