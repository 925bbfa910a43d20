"""Medicines as pages of their own: lookups by generic, brand and multi-word names, each
page in each format, the class pages that name them, comparisons and the codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bonemets_cli.models import KnowledgeBase

from conftest import PLAIN_FOOTER, TEXT_FORMATS, Complete, Run, ok, one_error_line

MEDICINES = {
    "denosumab": ("Denosumab", "Xgeva", "M05BX04"),
    "zoledronic-acid": ("Zoledronic acid", "Zometa", "M05BA08"),
    "pamidronate": ("Pamidronate", None, "M05BA03"),
    "ibandronic-acid": ("Ibandronic acid", None, "M05BA06"),
    "radium-223": ("Radium-223", "Xofigo", "V10XX03"),
    "strontium-89": ("Strontium-89", "Metastron", "V10BX01"),
    "samarium-153": ("Samarium-153", "Quadramet", "V10BX02"),
}
"""Generic name, brand and ATC code of each medicine, as the pack gives them."""


def flat(text: str) -> str:
    """Text whatever its wrapping and its Markdown escapes."""
    return " ".join(text.replace("\\", "").split())


def as_json(run: Run, *args: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(ok(run(*args, "--format", "json")))
    return document


@pytest.mark.parametrize("output_format", TEXT_FORMATS)
@pytest.mark.parametrize("medicine", MEDICINES)
def test_each_medicine_page_in_each_format(run: Run, medicine: str, output_format: str) -> None:
    name, brand, atc = MEDICINES[medicine]
    patient = flat(ok(run("show", medicine, "-f", output_format, env={"COLUMNS": "400"})))
    clinician = flat(
        ok(run("show", medicine, "-f", output_format, "-a", "clinician", env={"COLUMNS": "400"}))
    )
    assert name in patient
    assert "About this medicine" in patient
    assert "What it is" in patient and "A medicine of the class" in patient
    if brand:
        assert f"{brand} (generic name: {name})" in patient
    assert f"{atc} (" in clinician and "ATC code" in clinician
    assert f"{atc} (" not in patient and "ATC code" not in patient
    assert "This is general information, not medical advice." in patient


@pytest.mark.parametrize("medicine", MEDICINES)
def test_each_medicine_page_as_json(run: Run, medicine: str, raw_data: dict[str, Any]) -> None:
    document = as_json(run, "show", medicine)
    stored = next(m for m in raw_data["medicines"] if m["id"] == medicine)
    assert list(document) == [
        "meta",
        "medicine",
        "classes",
        "updates",
        "sources",
        "names",
        "citations",
    ]
    record = document["medicine"]
    assert record["id"] == medicine and record["atc"]["code"] == MEDICINES[medicine][2]
    assert [c["id"] for c in document["classes"]] == [c["id"] for c in stored["classes"]]
    assert {u["id"] for u in document["updates"]} == set(stored.get("updates", []))
    for key in ("brands", "doses", "labels", "side_effects"):
        # the record spells out every field; the file leaves defaults out
        shown = [
            {k: v for k, v in item.items() if k in given}
            for item, given in zip(record[key], stored.get(key, []), strict=True)
        ]
        assert shown == stored.get(key, []), key


def test_a_medicine_page_exactly(run: Run) -> None:
    assert ok(run("show", "xofigo", "-f", "plain")) == (
        "Radium-223\n"
        "Medicine; brand name: Xofigo; also called: radium-223 dichloride, radium\n"
        "\n"
        "Signs that need help now (spinal cord, calcium, broken bone): bonemets urgent\n"
        "\n"
        "About this medicine:\n"
        "What it is: A medicine of the class Radiopharmaceutical therapy. (sources 1-2)\n"
        "  - Run 'bonemets show radiopharmaceutical-therapy' for the class.\n"
        "Brand name: Xofigo (generic name: Radium-223) (source 3)\n"
        "How it is given: Injected into a vein (IV). (sources 1-2)\n"
        "Dose: Shown for clinicians: add '--audience clinician'.\n"
        "Label (US): castration-resistant prostate cancer with symptomatic bone metastases and "
        "no known visceral metastatic disease (source 1)\n"
        "  - Cancers it names: Prostate cancer\n"
        "Side effects: These sources do not name its side effects: ask your care team.\n"
        "\n"
        "Since 2010: what has changed (2 vetted facts, newest first):\n"
        "Radium-223 for castration-resistant prostate cancer: Radium-223 is an injected "
        "radioactive medicine for advanced prostate cancer that has spread to bone and causes "
        "symptoms, when it has not spread to other organs. In a large trial it helped people "
        "live longer. (sources 1-2)\n"
        "  (newest source 2013; reviewed 2026-11-28)\n"
        "Caution: Radium-223: when not to use it: Radium-223 should not be combined with "
        "abiraterone plus prednisone. In Europe it is used after two earlier treatments, or "
        "when no other treatment can be given. Why: In a trial, adding radium-223 to "
        "abiraterone plus prednisone led to more fractures and deaths, and the European "
        "Medicines Agency issued a warning. (sources 3-4)\n"
        "  (newest source 2018; reviewed 2026-11-28)\n"
        "\n"
        "Sources:\n"
        '1. National Cancer Institute, "FDA Approval for Radium 223 Dichloride" (2013).\n'
        "2. Parker C et al. Alpha emitter radium-223 and survival in metastatic prostate "
        "cancer. N Engl J Med 2013;369:213–23.\n"
        "3. European Medicines Agency safety review of Xofigo (2018).\n"
        "4. ERA 223 trial NCT02043678.\n"
        "\n" + PLAIN_FOOTER
    )


@pytest.mark.parametrize(
    ("name", "medicine"),
    [
        ("zometa", "zoledronic-acid"),
        ("ZOMETA", "zoledronic-acid"),
        ("Xgeva", "denosumab"),
        ("zoledronic acid", "zoledronic-acid"),
        ("Zoledronic Acid", "zoledronic-acid"),
        ("zoledronate", "zoledronic-acid"),
        ("pamidronic acid", "pamidronate"),
        ("ibandronic acid", "ibandronic-acid"),
        ("radium-223 dichloride", "radium-223"),
        ("Radium 223", "radium-223"),
        ("metastron", "strontium-89"),
        ("Quadramet", "samarium-153"),
        ("samarium-153 lexidronam", "samarium-153"),
    ],
)
def test_brand_and_multi_word_names_open_the_medicine(run: Run, name: str, medicine: str) -> None:
    assert as_json(run, "show", name)["medicine"]["id"] == medicine


def test_a_treatment_name_still_opens_the_treatment(run: Run) -> None:
    assert as_json(run, "show", "bisphos")["treatment"]["id"] == "bisphosphonates"


def test_a_misspelt_brand_suggests_the_medicine(run: Run) -> None:
    line = one_error_line(run("show", "zometta"), 1)
    assert line.startswith(
        "Error: no treatment or medicine matches 'zometta'. Did you mean: zoledronic-acid?"
    )


def test_prolia_is_not_found(run: Run) -> None:
    assert "no treatment or medicine matches 'prolia'" in one_error_line(run("show", "prolia"), 1)


@pytest.mark.parametrize("output_format", TEXT_FORMATS)
def test_zoledronic_acid_shows_its_prostate_condition_and_hypercalcaemia(
    run: Run, output_format: str
) -> None:
    out = flat(ok(run("show", "zometa", "-f", output_format, env={"COLUMNS": "400"})))
    assert "Label (US)" in out and "Label (EU)" in out
    assert "Zometa: tumour-induced hypercalcaemia" in out
    assert (
        "zoledronic acid injection: multiple myeloma and documented bone metastases from solid tumours, in conjunction "
        "with standard antineoplastic therapy"
    ) in out
    assert (
        "Condition: prostate cancer should have progressed after at least one hormonal therapy"
    ) in out
    assert "hypercalcaemia of malignancy" in out and "tumour-induced hypercalcaemia" in out


def test_doses_and_the_code_are_for_clinicians(run: Run) -> None:
    patient = ok(run("show", "denosumab", "-f", "plain"))
    clinician = ok(run("show", "denosumab", "-f", "plain", "-a", "clinician"))
    assert "Dose: Shown for clinicians: add '--audience clinician'.\n" in patient
    assert "120 mg subcutaneously every 4 weeks" not in patient
    assert "Dose: 120 mg subcutaneously every 4 weeks (sources " in clinician
    assert "ATC code: M05BX04 (denosumab) (source " in clinician
    assert "WHO Collaborating Centre for Drug Statistics Methodology, ATC/DDD Index" in clinician


def test_facts_newest_first_and_a_caution_after_what_it_qualifies(run: Run) -> None:
    updates = [u["id"] for u in as_json(run, "show", "radium-223")["updates"]]
    assert updates == ["rp-radium-223", "rp-radium-223-limits"]
    years = [u["year"] or 0 for u in as_json(run, "show", "zoledronic-acid")["updates"]]
    assert years == sorted(years, reverse=True)


def test_the_class_page_names_its_medicines(run: Run) -> None:
    out = ok(run("show", "bisphosphonates", "-f", "plain", env={"COLUMNS": "400"}))
    assert (
        "Medicines: Zoledronic acid (Zometa), Pamidronate, Ibandronic acid. Run 'bonemets show "
        "NAME' for one, e.g. 'bonemets show zoledronic-acid'. (sources 4, 8)\n"
    ) in out
    listed = as_json(run, "show", "radiopharmaceutical-therapy")["medicines"]
    assert [(m["id"], m["brands"]) for m in listed] == [
        ("radium-223", ["Xofigo"]),
        ("strontium-89", ["Metastron"]),
        ("samarium-153", ["Quadramet"]),
    ]
    assert as_json(run, "show", "chemotherapy")["medicines"] == []


def test_the_class_page_names_the_same_medicines_from_a_checked_file(
    run: Run, write_data: Any, raw_data: dict[str, Any]
) -> None:
    """--data validates and builds every record; the bundled file is read lazily: the
    class page and the JSON codes are the same either way."""
    path: Path = write_data(raw_data)
    for args in (["show", "bisphosphonates"], ["list"]):
        lazy = as_json(run, *args)
        built = as_json(run, "--data", str(path), *args)
        assert lazy.get("medicines") == built.get("medicines")
        assert lazy["meta"]["diagnosis_codes"] == built["meta"]["diagnosis_codes"]


def test_myeloma_lists_denosumab_and_the_medicine_page_agrees(run: Run) -> None:
    options = as_json(run, "options", "--cancer", "myeloma")
    bma = next(o for o in options["options"] if o["treatment"]["id"] == "bone-modifying-agents")
    label = next(x for x in bma["listings"] if x["basis"] == "label")
    assert (label["medicine"], label["update"]) == ("denosumab", "bma-denosumab-myeloma")
    assert label["sources"] == ["xgeva-label-current", "raje-2018"]
    page = as_json(run, "show", "denosumab")
    us = page["medicine"]["labels"][0]
    assert us["cancers"] == ["myeloma", "solid-tumours"]
    assert us["updates"] == ["bma-denosumab-myeloma"]
    assert us["sources"] == ["xgeva-label-current"]
    cited = {s["id"] for s in page["sources"]}
    assert {"xgeva-label-current", "raje-2018"} <= cited
    plain = flat(ok(run("show", "denosumab", "-f", "plain", env={"COLUMNS": "400"})))
    assert (
        "Label (US): Xgeva: preventing skeletal-related events in multiple myeloma and in bone "
        "metastases from solid tumours (source 2) - Cancers it names: Myeloma, Solid tumours"
    ) in plain
    assert "Xgeva (denosumab) US prescribing information, indications (current label)." in plain
    assert "Raje N et al. Denosumab versus zoledronic acid" in plain


def test_compare_denosumab_with_zoledronic_acid(run: Run) -> None:
    patient = ok(run("compare", "denosumab", "zoledronic acid", "-f", "plain"))
    assert patient.startswith("Compared: Denosumab, Zoledronic acid\n")
    assert (
        "How it is given\n"
        "  Denosumab: Given as an injection under the skin (subcutaneously). [3-4]\n"
        "  Zoledronic acid: Given into a vein (IV), as an infusion. [2, 4]\n"
    ) in patient
    assert (
        "Side effects\n"
        "  Denosumab: Osteonecrosis of the jaw (jawbone that does not heal) [7-8]\n"
        "    Low calcium in the blood (hypocalcaemia) [8-9]\n"
    ) in patient
    assert "HR 0.98" not in patient
    assert "about 1 to 2 in 100 people" in patient
    clinician = ok(
        run("compare", "Xgeva", "Zometa", "-f", "plain", "-a", "clinician", env={"COLUMNS": "400"})
    )
    assert "Denosumab: 120 mg subcutaneously every 4 weeks [" in clinician
    assert "Zoledronic acid: 4 mg IV every 12 weeks or every 3–4 weeks [" in clinician
    assert "Time to first skeletal-related event: HR 0.98 (95% CI 0.85–1.14)" in clinician
    assert "breast (n=2,046): HR 0.82 (95% CI 0.71–0.95)" in clinician
    assert "1.3% with zoledronic acid and 1.8% with denosumab (P=0.13)" in clinician
    assert "ATC code\n  Denosumab: M05BX04 [" in clinician


def test_compare_medicines_as_json(run: Run) -> None:
    document = as_json(run, "compare", "denosumab", "zoledronic acid")
    assert list(document) == ["meta", "medicines", "shared_updates", "names", "citations"]
    assert [m["id"] for m in document["medicines"]] == ["denosumab", "zoledronic-acid"]
    assert [u["id"] for u in document["shared_updates"]] == [
        "bma-esmo-2020",
        "bma-denosumab-myeloma",
        "bma-asco-2017-breast",
        "bma-hypocalcaemia",
        "bma-onj",
        "bma-denosumab-vs-zoledronic",
    ]


def test_one_medicine_twice_is_a_usage_error(run: Run) -> None:
    line = one_error_line(run("compare", "zometa", "zoledronic acid"), 2)
    assert "name at least two different medicines to compare" in line


def test_a_medicine_beside_a_treatment_stands_for_its_class(run: Run) -> None:
    document = as_json(run, "compare", "chemo", "denosumab")
    assert [t["id"] for t in document["treatments"]] == ["chemotherapy", "bone-modifying-agents"]
    assert document["stood_for"] == [
        {"medicine": "Denosumab", "treatment": "Bone-modifying agents"}
    ]
    page = ok(run("compare", "bisphosphonates", "denosumab", "-f", "plain"))
    assert page.startswith("Compared: Bisphosphonates, Bone-modifying agents\n")
    assert (
        "\nDenosumab stands for its class here, Bone-modifying agents: a medicine named "
        "beside a treatment is compared as its class. Name only medicines to compare "
        "medicines, e.g. 'bonemets compare zoledronic acid denosumab'.\n"
    ) in page
    assert as_json(run, "compare", "chemo", "surgery")["stood_for"] == []


CODES = [
    {
        "classification": "ICD-10",
        "edition": "WHO",
        "code": "C79.5",
        "title": "secondary malignant neoplasm of bone and bone marrow",
        "parent": None,
        "sources": ["who-icd-10"],
    },
    {
        "classification": "ICD-10-CM",
        "edition": "US",
        "code": "C79.51",
        "title": "bone",
        "parent": "C79.5",
        "sources": ["cdc-icd-10-cm"],
    },
    {
        "classification": "ICD-10-CM",
        "edition": "US",
        "code": "C79.52",
        "title": "bone marrow",
        "parent": "C79.5",
        "sources": ["cdc-icd-10-cm"],
    },
]
"""The pack's Part 6: C79.5 in the WHO edition; the US edition splits it."""


@pytest.mark.parametrize(
    "page",
    [
        ["list"],
        ["show", "chemotherapy"],
        ["show", "denosumab"],
        ["options", "--cancer", "breast"],
        ["compare", "denosumab", "zometa"],
        ["info"],
        ["sins", "--location", "rigid", "--pain", "none", "--lesion", "blastic"]
        + ["--alignment", "normal", "--collapse", "none", "--posterolateral", "none"],
    ],
    ids=" ".join,
)
def test_every_page_names_the_diagnosis_codes_in_json(run: Run, page: list[str]) -> None:
    assert as_json(run, *page)["meta"]["diagnosis_codes"] == CODES


@pytest.mark.parametrize("output_format", TEXT_FORMATS)
def test_info_names_the_codes_with_their_edition(run: Run, output_format: str) -> None:
    out = flat(ok(run("info", "-f", output_format, env={"COLUMNS": "400"})))
    assert (
        "C79.5 (ICD-10, WHO edition): secondary malignant neoplasm of bone and bone marrow" in out
    )
    assert "C79.51 (ICD-10-CM, US edition, within C79.5): bone" in out
    assert "C79.52 (ICD-10-CM, US edition, within C79.5): bone marrow" in out
    assert "WHO ICD-10 tabular list." in out and "CDC ICD-10-CM tabular list." in out


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("bonemets show zo", ["zoledronic-acid"]),
        ("bonemets show x", ["xgeva", "xofigo"]),
        ("bonemets show X", ["Xgeva", "Xofigo"]),
        ("bonemets show ra", ["radiation-therapy", "radiopharmaceutical-therapy", "radium-223"]),
        ("bonemets compare denosumab zom", ["zometa"]),
        ("bonemets show prolia", []),
    ],
)
def test_medicine_names_and_brands_complete(
    complete: Complete, words: str, expected: list[str]
) -> None:
    assert complete(words) == expected


def test_search_finds_a_medicine_by_its_brand_and_points_to_its_page(run: Run) -> None:
    document = as_json(run, "search", "zometa")
    assert [(r["kind"], r["id"]) for r in document["results"]] == [
        ("medicine", "zoledronic-acid"),
        ("source", "zometa-eu-smpc"),
    ]
    out = ok(run("search", "zometa", "-f", "plain"))
    assert "Zoledronic acid (medicine), see 'bonemets show zoledronic-acid':\n" in out


def test_search_finds_the_spinal_score(run: Run) -> None:
    first = as_json(run, "search", "spinal", "instability")["results"][0]
    assert (first["kind"], first["id"], first["title"]) == (
        "score",
        "sins-score",
        "Spinal Instability Neoplastic Score (SINS)",
    )
    out = ok(run("search", "spinal", "instability", "-f", "plain", "-n", "1"))
    assert "Spinal Instability Neoplastic Score (SINS) (score), see 'bonemets sins':" in out


@pytest.mark.parametrize("words", [["show", "denosumab"], ["compare", "zometa", "denosumab"]])
def test_a_medicine_found_after_the_treatments_works_out_no_suggestions(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, words: list[str]
) -> None:
    """Suggestions are for a name found nowhere: a medicine's name, missed among the
    treatments, must not pay for them (they cost ~10M instructions at start-up)."""
    from bonemets_cli import names, query_pages

    def no_suggestions(*args: object) -> list[str]:
        raise AssertionError("suggestions worked out for a name that was found")

    monkeypatch.setattr(names, "closest", no_suggestions)
    command, *asked = words
    page = (
        query_pages.show_page(kb, asked[0])
        if command == "show"
        else query_pages.compare_page(kb, asked)
    )
    assert type(page).__name__ == ("MedicinePage" if command == "show" else "MedicineComparison")
