"""Every fact of the founding text can be reached through the command line."""

from __future__ import annotations

import re

import pytest

from conftest import SEED_DIR, Run

# Each phrase is quoted from the founding text (with "prostrate" corrected), and must
# appear in what some command prints. test_phrases_are_quoted_from_the_seed checks the
# quotes against the seed itself wherever the shared folder is present.
SEED_PHRASES = [
    # overview and the five factors
    "Most bone metastasis treatment involves treating the original cancer that caused "
    "the bone metastases (also known as mets)",
    "Cancer treatments already received",
    "The location, size and stage of the bone metastases",
    "The type of cancer that caused the bone metastases",
    "Whether any bones are weak or broken",
    "Your age, overall health and symptoms",
    # chemotherapy
    "chemotherapy is the main treatment for many types of metastatic cancers",
    "Chemotherapy often shrinks tumors, which helps you feel better and have less pain",
    "Chemotherapy drugs are administered intravenously",
    "or by mouth",
    "Because the drugs enter the bloodstream, they kill both cancer cells and some normal "
    "cells, which can cause side effects",
    "type, dosage and duration",
    "Hair loss",
    "Increased chance of infection",
    "Loss of appetite",
    "Nausea",
    "Vomiting",
    # radiation
    "Radiation therapy uses high-energy rays directed at the cancer",
    "radiation also destroys some surrounding normal cells, causing unpleasant side effects",
    "Radiation reduces both bone pain and the risk of fractures",
    # radiopharmaceuticals
    "A possible alternative to traditional external radiation is radiopharmaceutical therapy",
    "Rather than using external radiation directed at the cancer, the doctor injects active "
    "metals that give off radiation particles directly into the bone",
    "This localized radiation can kill cancer cells without harming normal cells, while also "
    "decreasing pain",
    "decreases platelet and white blood cell production in some people during treatment",
    "radiopharmaceutical therapy has fewer side effects than external radiation or chemotherapy",
    # surgery
    "In most cases, surgery can restore the function of the original bone",
    "The type of surgery depends on the location and size of the bone metastasis tumor",
    "Surgery typically involves removing all or part of the tumor and stabilizing the bone to "
    "prevent future breakage",
    "If the bone is fractured or about to fracture, surgery could include placing",
    "to strengthen or give structure to the bone",
    "Metal plates",
    "Rods",
    "Screws",
    "Wires",
    "Nails",
    "Pins",
    "Prostheses",
    "Reconstructive surgery is available if the bone has already been destroyed",
    # other treatments
    "Breast cancer and myeloma patients with bone metastases may receive drugs called "
    "bisphosphonates",
    "usually given intravenously",
    "They decrease the risk of fractures and reduce pain",
    "These drugs are different from chemotherapy and are commonly used together with other "
    "treatments",
    "For cancers whose growth is promoted by hormones (such as estrogen for breast cancer or "
    "testosterone for prostate cancer), hormone therapy is a possible treatment",
    "The treatment may involve removing a woman's ovaries or a man's testicles but more often, "
    "drugs can stop the organs from making the hormones or prevent the hormones from acting "
    "on the cancer cells",
    "This treatment helps the body's immune system to fight cancer",
    "Immunotherapy used to treat patients with metastatic cancer includes",
    "Cytokines",
    "Monoclonal antibodies",
    "Tumor vaccines",
    # complementary
    "You can use complementary treatments along with regular bone metastasis treatment to "
    "help you feel better",
    "Acupuncture to help relieve pain",
    "Counseling",
    "Energy therapies",
    "Nutrition therapy",
    "Peppermint tea to relieve nausea",
    "Physical therapy and exercise",
    "Spiritual support or support groups",
    "Stress management and relaxation techniques",
    "guided imagery",
    "meditation",
    # prognosis
    "treatment often shrinks bone mets and relieves symptoms, but bone mets are usually not "
    "curable",
    "Everyone responds differently to treatment, and your healthcare provider can monitor "
    "your condition and make the best choices for your situation",
    # sources
    "American Academy of Orthopaedic Surgeons. (2007). Metastatic bone disease.",
    "American Cancer Society. (2010). Bone metastasis.",
    "University of Michigan Comprehensive Cancer Center. (2010). Bone metastasis: Treatment.",
]


def flat(text: str) -> str:
    """Compare text whatever its wrapping, case, apostrophes or Markdown escapes."""
    text = text.replace("\u2019", "'").replace("\\", "").replace("prostrate", "prostate")
    return " ".join(text.split()).casefold()


@pytest.fixture(scope="module")
def everything_printed() -> str:
    from typer.testing import CliRunner

    from bonemets_cli import knowledge
    from bonemets_cli.cli import app

    from conftest import PINNED_ENV

    runner = CliRunner()
    names = [t.id for t in knowledge.load().treatments]
    commands = [["list"], *(["show", name, "--full"] for name in names)]
    commands += [["options", "--cancer", c, "--full"] for c in ("breast", "myeloma", "prostate")]
    outputs = [
        runner.invoke(app, [*command, "--format", "plain"], env=PINNED_ENV).stdout
        for command in commands
    ]
    return flat("\n".join(outputs))


@pytest.mark.parametrize("phrase", SEED_PHRASES)
def test_seed_fact_is_reachable(everything_printed: str, phrase: str) -> None:
    assert flat(phrase) in everything_printed


def test_retrieval_dates_are_shown(run: Run) -> None:
    out = run("list", "--format", "plain").stdout
    assert "Retrieved October 7, 2010" in out and "Retrieved October 4, 2010" in out


@pytest.mark.skipif(not SEED_DIR.is_dir(), reason="the shared seed folder is not beside the repo")
def test_phrases_are_quoted_from_the_seed() -> None:
    seed = flat(" ".join(p.read_text(encoding="utf-8") for p in sorted(SEED_DIR.glob("*.txt"))))
    seed = re.sub(r"\s*•\s*", " ", seed)
    missing = [phrase for phrase in SEED_PHRASES if flat(phrase) not in seed]
    assert missing == []


def test_the_seed_typo_is_corrected_in_what_users_read(run: Run) -> None:
    for command in (["show", "hormone"], ["options", "--cancer", "prostrate"], ["list"]):
        out = run(*command, "--format", "plain").stdout
        assert "prostrate" not in out.casefold()
    assert "testosterone for prostate cancer" in run("show", "hormone", "-f", "plain").stdout


# --- what the structure claims: every listing of a treatment for a cancer is backed ---

_SAYS = {
    "label": ("approv", "label", "indicat"),
    "guideline": ("guideline", "recommend"),
}
"""Words a fact must use for its listing's basis: a label approves, a guideline recommends."""


def _seed_text() -> str:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEED_DIR.glob("*.txt")))
    return flat(re.sub(r"\s*•\s*", " ", text))


def test_every_listing_of_a_treatment_for_a_cancer_is_backed_by_its_source() -> None:
    from bonemets_cli import knowledge

    kb = knowledge.load()
    seed = _seed_text() if SEED_DIR.is_dir() else None
    walked = []
    for treatment in kb.treatments:
        for listing in treatment.listed_for:
            cancer = kb.cancer_by_id[listing.cancer]
            walked.append((treatment.id, cancer.id, listing.basis))
            # the listing's own words name the cancer it lists the treatment for
            assert cancer.name.split()[0].casefold() in listing.text.casefold(), listing
            if listing.basis == "founding-text":
                assert listing.update is None
                assert set(listing.sources) == set(kb.founding_text.sources)
                if seed is not None:
                    assert flat(listing.text).rstrip(".") in seed, listing.text
                continue
            update = kb.update_by_id[listing.update or ""]
            said = " ".join([update.statement, *update.detail])
            assert " ".join(listing.text.split()) in " ".join(said.split())
            assert set(listing.sources) <= set(update.sources)
            # a label approves, a guideline recommends: the fact says which it is
            assert any(word in said.casefold() for word in _SAYS[listing.basis]), listing
    # what is listed, and on what basis: anything else is about a cancer, not for it
    assert walked == [
        ("radiopharmaceutical-therapy", "prostate", "label"),
        ("bisphosphonates", "breast", "founding-text"),
        ("bisphosphonates", "myeloma", "founding-text"),
        ("bisphosphonates", "myeloma", "label"),
        ("bisphosphonates", "solid-tumours", "label"),
        ("bisphosphonates", "prostate", "label"),
        ("bone-modifying-agents", "breast", "guideline"),
        ("bone-modifying-agents", "breast", "guideline"),
        ("bone-modifying-agents", "prostate", "guideline"),
        ("bone-modifying-agents", "solid-tumours", "guideline"),
        ("bone-modifying-agents", "solid-tumours", "label"),
        ("bone-modifying-agents", "myeloma", "label"),
        ("hormone-therapy", "breast", "founding-text"),
        ("hormone-therapy", "prostate", "founding-text"),
    ]


def test_treatments_the_founding_text_does_not_limit() -> None:
    from bonemets_cli import knowledge

    kb = knowledge.load()
    assert [t.id for t in kb.treatments if t.not_limited and t.kind != "complementary"] == [
        "chemotherapy",
        "radiation-therapy",
        "radiopharmaceutical-therapy",
        "surgery",
        "immunotherapy",
    ]
