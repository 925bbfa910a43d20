"""The commands that look across entries: side effects, compare, filters, search, handout, info."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bonemets_cli import knowledge
from bonemets_cli.choices import Audience
from bonemets_cli.models import KnowledgeBase

from conftest import (
    DATA_FILE,
    FORMATS,
    PLAIN_FOOTER,
    PLAIN_SOURCES_1_3,
    TEXT_FORMATS,
    TODAY,
    Complete,
    Run,
    ok,
    one_error_line,
)

WriteData = Callable[..., Path]


# --- side effects ----------------------------------------------------------------------


def test_side_effect_matrix_table_exact(run: Run) -> None:
    out = ok(run("side-effects", "chemo", "radiopharm"))
    matrix = out.split("Side effects named by the sources\n", 1)[1].split("\n\n", 1)[0]
    assert matrix == (
        "                                                       Radiopharmaceutical          \n"
        "Side effect                             Chemotherapy   therapy               Sources\n"
        "────────────────────────────────────────────────────────────────────────────────────\n"
        "Hair loss                               ✓                                    1-3    \n"
        "Increased chance of infection           ✓                                    1-3    \n"
        "Loss of appetite                        ✓                                    1-3    \n"
        "Nausea                                  ✓                                    1-3    \n"
        "Vomiting                                ✓                                    1-3    \n"
        "Decreased platelet production                          ✓                     1-3    \n"
        "Decreased white blood cell production                  ✓                     1-3    \n"
        "Lower blood counts                                     ✓                     4-5    "
    )


def test_side_effect_matrix_covers_every_named_link(run: Run) -> None:
    document = json.loads(ok(run("side-effects", "-f", "json")))
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    expected = {
        (t["id"], link["id"])
        for t in raw["treatments"]
        if t["kind"] != "complementary"
        for link in t["side_effects"]
    } | {  # and those a fact from after 2010 names for a treatment
        (treatment, effect)
        for u in raw["updates"]
        for treatment in u["treatments"]
        for effect in u.get("side_effects", [])
    }
    shown = {
        (treatment, row["side_effect"]["id"])
        for row in document["side_effects"]
        for treatment in row["treatments"]
    }
    assert shown == expected
    assert "radiation-therapy" in {note["treatment"] for note in document["notes"]}
    assert {u["id"] for u in document["updates"]} == {
        "bma-onj",
        "bma-hypocalcaemia",
        "rp-sr89-sm153",
    }


def test_side_effect_mark_falls_back_to_ascii(run: Run) -> None:
    result = run("side-effects", "chemo", charset="ascii")  # an ASCII-only stdout
    assert (result.exit_code, result.stderr) == (0, "")
    out = result.stdout_bytes.decode("ascii")
    assert "x marks a side effect" in out
    assert "Hair loss                     | x            | 1-3" in out
    assert "\u2713" not in out


def test_has_lists_the_treatments_that_cause_a_side_effect(run: Run) -> None:
    out = ok(run("side-effects", "--has", "Nausea", "-f", "plain"))
    assert out == (
        "Treatments that can cause: Nausea\n"
        "Run 'bonemets show NAME' for any treatment in full.\n"
        "\n"
        "Signs that need help now (spinal cord, calcium, broken bone): bonemets urgent\n"
        "\n"
        "Treatments:\n"
        "\n"
        "Chemotherapy\n"
        "  Kind: main treatment\n"
        "  How it is given: Into a vein (IV), By mouth\n"
        "  Sources: 1-3\n"
        "\n"
        "Only treatments whose sources name this side effect are listed. The sources for "
        "Radiation therapy mention side effects without naming them: run 'bonemets show "
        "NAME'.\n"
        "\n" + PLAIN_SOURCES_1_3 + PLAIN_FOOTER
    )


def test_has_reaches_updates_by_alias(run: Run) -> None:
    document = json.loads(ok(run("side-effects", "--has", "onj", "-f", "json")))
    assert [(t["treatment"]["id"], t["sources"]) for t in document["treatments"]] == [
        ("bisphosphonates", ["saad-2012"]),  # named by the fact since 2010 alone
        ("bone-modifying-agents", ["saad-2012"]),
    ]
    assert [u["id"] for u in document["updates"]] == ["bma-onj"]


def test_avoid_heeds_the_side_effects_named_since_2010(run: Run) -> None:
    kept = _option_ids(run, "--cancer", "myeloma", "--avoid", "jaw")
    assert "bisphosphonates" not in kept and "bone-modifying-agents" not in kept
    assert "radiopharmaceutical-therapy" not in _option_ids(run, "--avoid", "blood counts")


def test_has_unknown_side_effect_lists_the_known(run: Run) -> None:
    line = one_error_line(run("side-effects", "--has", "headache"), 1)
    assert line.startswith(
        "Error: no side effect matches 'headache'. Known side effects: hair-loss"
    )
    assert line.endswith("Run 'bonemets side-effects' to see every side effect.")


def test_has_with_names_is_a_usage_error(run: Run) -> None:
    assert "not both" in one_error_line(run("side-effects", "chemo", "--has", "nausea"), 2)


# --- compare -----------------------------------------------------------------------------


def test_compare_plain_exact(run: Run) -> None:
    out = ok(run("compare", "surgery", "immunotherapy", "-f", "plain"))
    assert out == (
        "Compared: Surgery, Immunotherapy\n"
        "Run 'bonemets show NAME' for any treatment in full.\n"
        "\n"
        "Signs that need help now (spinal cord, calcium, broken bone): bonemets urgent\n"
        "\n"
        "Kind\n"
        "  Surgery: main treatment\n"
        "  Immunotherapy: other treatment\n"
        "\n"
        "How it is given\n"
        "  Surgery: Surgery typically involves removing all or part of the tumor and "
        "stabilizing the bone to prevent future breakage. [1-3]\n"
        "  Immunotherapy: Not stated.\n"
        "\n"
        "Helps with\n"
        "  Surgery: In most cases, surgery can restore the function of the original bone. [1-3]\n"
        "    Stabilizing the bone helps prevent future breakage. [1-3]\n"
        "  Immunotherapy: Not stated.\n"
        "\n"
        "Side effects\n"
        "  Surgery: These sources do not name its side effects: ask your care team.\n"
        "  Immunotherapy: These sources do not name its side effects: ask your care team.\n"
        "\n"
        "Who it is for\n"
        "  Surgery: The founding text does not limit it to particular cancers.\n"
        "  Immunotherapy: The founding text does not limit it to particular cancers.\n"
        "\n"
        "Weak or broken bones\n"
        "  Surgery: Surgery typically involves removing all or part of the tumor and "
        "stabilizing the bone to prevent future breakage. [1-3]\n"
        "    If the bone is fractured or about to fracture, surgery could include placing "
        "metal plates, rods, screws, wires, nails, pins or prostheses to strengthen or give "
        "structure to the bone. [1-3]\n"
        "    Reconstructive surgery is available if the bone has already been destroyed. [1-3]\n"
        "  Immunotherapy: -\n"
        "\n"
        "Since 2010\n"
        "  Surgery: Radiation guideline update (ASTRO 2024)\n"
        "  Immunotherapy: -\n"
        "\n" + PLAIN_SOURCES_1_3 + PLAIN_FOOTER
    )


def test_compare_table_puts_treatments_side_by_side(run: Run) -> None:
    out = ok(run("compare", "chemo", "radiation", "radium-223"))
    lines = out.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("──"))
    assert lines[rule - 2].split() == ["Radiopharmaceutical"]
    assert lines[rule - 1].split() == ["Chemotherapy", "Radiation", "therapy", "therapy"]
    assert lines[rule + 1].split() == ["Kind", *["main", "treatment"] * 3]
    assert "Hair loss [1-3]" in out


def test_compare_json_keeps_the_order_given(run: Run) -> None:
    document = json.loads(ok(run("compare", "denosumab", "bisphosphonates", "-f", "json")))
    assert [t["id"] for t in document["treatments"]] == ["bone-modifying-agents", "bisphosphonates"]
    assert "bma-onj" in {u["id"] for u in document["updates"]}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["compare", "chemo"], 2, "name at least two different treatments to compare"),
        (["compare", "chemo", "chemotherapy"], 2, "name at least two different treatments"),
        (["compare", "chemo", "xyzzy"], 1, "no treatment or medicine matches 'xyzzy'"),
        (["compare"], 2, "Missing argument"),
    ],
)
def test_compare_errors(run: Run, args: list[str], code: int, message: str) -> None:
    assert message in one_error_line(run(*args), code)


# --- options filters ---------------------------------------------------------------------


def _option_ids(run: Run, *args: str) -> list[str]:
    document = json.loads(ok(run("options", *args, "-f", "json")))
    return [option["treatment"]["id"] for option in document["options"]]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--goal", "pain"],
            [
                "chemotherapy",
                "radiation-therapy",
                "radiopharmaceutical-therapy",
                "bisphosphonates",
                "acupuncture",
            ],
        ),
        (
            ["--goal", "fractures", "--cancer", "prostate"],
            # bisphosphonates: listed for prostate cancer by the zoledronic acid label
            ["radiation-therapy", "surgery", "bisphosphonates", "bone-modifying-agents"],
        ),
        (["--given", "oral"], ["chemotherapy"]),
        (["--given", "tablet"], ["chemotherapy"]),
        (
            ["--given", "injection", "--cancer", "breast"],
            ["radiopharmaceutical-therapy", "bone-modifying-agents"],
        ),
        (["--bones", "broken"], ["surgery"]),
        (["--bones", "about to fracture"], ["surgery"]),
        (
            ["--cancer", "myeloma", "--avoid", "jaw", "--goal", "fractures"],
            ["radiation-therapy", "surgery"],
        ),
        (["--goal", "nausea"], ["peppermint-tea"]),
    ],
)
def test_filters_combine(run: Run, args: list[str], expected: list[str]) -> None:
    assert _option_ids(run, *args) == expected


def test_avoid_leaves_out_only_what_the_sources_name(run: Run) -> None:
    every = _option_ids(run, "--cancer", "breast")
    kept = _option_ids(run, "--cancer", "breast", "--avoid", "nausea")
    assert set(every) - set(kept) == {"chemotherapy"}
    out = ok(run("options", "--cancer", "breast", "--avoid", "nausea", "-f", "plain"))
    assert (
        "\nTreatments whose sources name nausea as a side effect are left out. "
        "Treatments whose sources name no side effects stay listed: ask your care team about "
        "their side effects.\n"
    ) in out


def test_filters_are_recorded_in_json(run: Run) -> None:
    document = json.loads(ok(run("options", "--goal", "shrink", "--given", "iv", "-f", "json")))
    assert document["filters"] == {"goal": "shrink", "given": "iv", "bones": None, "avoid": None}
    assert document["cancer"] is None
    assert [o["match"] for o in document["options"]] == ["not-limited"]


def test_filter_without_cancer_says_which_cancers(run: Run) -> None:
    out = ok(run("options", "--given", "iv", "--full", "-f", "plain"))
    assert (
        "Bisphosphonates\n"
        "  Why listed: Breast cancer, Myeloma. Founding text: Breast cancer and myeloma "
        "patients with bone metastases may receive drugs called bisphosphonates. [1-3]\n"
        "    Myeloma, Solid tumours. Approved (drug label, zoledronic acid): In the US, zoledronic "
        "acid is approved "
        "for people with myeloma and for people whose solid cancer has spread to bone, given "
        "alongside their cancer treatment. [8]\n"
        "    Prostate cancer. Approved (drug label, zoledronic acid): In prostate cancer, it is used "
        "once the cancer "
        "has grown despite at least one hormone treatment. [8]\n"
    ) in out


@pytest.mark.parametrize(
    ("option", "known"),
    [
        ("--goal", "Known goals: pain, fractures, shrink, function, feel-better, nausea."),
        (
            "--given",
            "Known way of giving treatments: iv, oral, injection, external, surgery, medicine.",
        ),
        ("--bones", "Known bone states: weak, broken."),
        ("--avoid", "Known side effects: hair-loss, infection, appetite-loss, nausea"),
    ],
)
def test_unknown_filter_value_lists_the_valid_ones(run: Run, option: str, known: str) -> None:
    line = one_error_line(run("options", option, "zzz"), 1)
    assert line.startswith("Error: no ") and known in line


def test_no_treatment_meets_the_filters(run: Run) -> None:
    line = one_error_line(run("options", "--given", "surgery", "--goal", "nausea"), 1)
    assert line == (
        "Error: no treatment meets --goal nausea and --given surgery together, though each "
        "alone matches some: drop one, or run 'bonemets options --help'."
    )


# --- the rest of the knowledge -------------------------------------------------------------


def test_factors_plain_exact(run: Run) -> None:
    out = ok(run("factors", "-f", "plain"))
    assert out == (
        "Treatment depends on\n"
        "Your care team weighs these. See 'bonemets options --help' to filter by them.\n"
        "\n"
        "Cancer treatments already received (sources 1-3)\n"
        "The location, size and stage of the bone metastases (sources 1-3)\n"
        "The type of cancer that caused the bone metastases (sources 1-3)\n"
        "Whether any bones are weak or broken (sources 1-3)\n"
        "Your age, overall health and symptoms (sources 1-3)\n"
        "\n" + PLAIN_SOURCES_1_3 + PLAIN_FOOTER
    )


def test_prognosis_cites_the_american_cancer_society(run: Run) -> None:
    document = json.loads(ok(run("prognosis", "-f", "json")))
    assert [s["sources"] for s in document["prognosis"]] == [
        ["acs-2010"],
        ["aaos-2007", "acs-2010", "umich-2010"],
    ]
    out = ok(run("prognosis", "-f", "plain"))
    assert "bone mets are usually not curable. (source 1)\n" in out
    assert "1. American Cancer Society. (2010). Bone metastasis." in out


def test_complementary_lists_the_eight(run: Run) -> None:
    document = json.loads(ok(run("complementary", "-f", "json")))
    assert len(document["treatments"]) == 8
    assert document["intro"]["text"].startswith("You can use complementary treatments")
    out = ok(run("complementary", "-f", "markdown"))
    assert "| Peppermint tea | Peppermint tea to relieve nausea. | 1-3 |" in out


# --- search ------------------------------------------------------------------------------


def test_search_plain_exact(run: Run) -> None:
    out = ok(run("search", "hair", "-f", "plain"))
    assert out == (
        "Search: hair\n"
        "2 entries matched, best first.\n"
        "\n"
        "Chemotherapy (treatment), see 'bonemets show chemotherapy':\n"
        "side effects: Hair loss\n"
        "  (matched: hair)\n"
        "\n"
        "Hair loss (side effect), see 'bonemets side-effects --has hair-loss':\n"
        "name: Hair loss\n"
        "  (matched: hair)\n"
        "aliases: losing hair\n"
        "  (matched: hair)\n"
        "\n" + PLAIN_FOOTER
    )


def test_search_forgives_a_typo_and_says_so(run: Run) -> None:
    document = json.loads(ok(run("search", "nausia", "-f", "json")))
    assert document["corrections"] == [{"term": "nausia", "read_as": "nausea"}]
    ids = [r["id"] for r in document["results"]]
    # BM25: the short entry that is about nausea before the long one that names it once.
    assert ids[:2] == ["peppermint-tea", "chemotherapy"]
    assert document["results"][0]["matched_as"] == [
        {"query": "nausia", "found": "nausea", "how": "typo"}
    ]
    assert "Read 'nausia' as 'nausea'." in ok(run("search", "nausia"))


def test_search_ranks_entries_matching_more_words_first(run: Run) -> None:
    document = json.loads(ok(run("search", "zoledronic", "acid", "every", "12", "-f", "json")))
    first = document["results"][0]
    assert (first["id"], first["terms_matched"]) == ("bma-zoledronic-12-weekly", 4)


def test_search_shows_where_it_matched(run: Run) -> None:
    document = json.loads(ok(run("search", "NCT02043678", "-f", "json")))
    hits = {(r["id"], h["field"]) for r in document["results"] for h in r["hits"]}
    assert ("era-223", "trial") in hits
    assert ("rp-radium-223-limits", "detail[0]") in hits


def test_search_with_no_hit_exits_1_with_the_closest_terms(run: Run) -> None:
    line = one_error_line(run("search", "nauseated"), 1)
    assert line.startswith("Error: nothing matches 'nauseated'. Closest terms: nausea, ")
    assert one_error_line(run("search", "qqqqzz"), 1) == (
        "Error: nothing matches 'qqqqzz'. Run 'bonemets list' to browse."
    )


def test_search_shows_the_best_entries_up_to_the_limit(run: Run) -> None:
    every = json.loads(ok(run("search", "cancer", "--limit", "0", "-f", "json")))
    best = json.loads(ok(run("search", "cancer", "-n", "3", "-f", "json")))
    assert every["total"] == best["total"] == len(every["results"]) > 20
    assert best["results"] == every["results"][:3]
    default = json.loads(ok(run("search", "cancer", "-f", "json")))
    assert len(default["results"]) == 20
    out = ok(run("search", "cancer", "-n", "3", "-f", "plain"))
    assert f"{every['total']} entries matched, best first. Showing the first 3: --limit 0" in out
    assert out.count(", see 'bonemets ") == 3


def test_search_needs_a_word(run: Run) -> None:
    assert "give at least one word" in one_error_line(run("search", "--", "?!"), 2)


@pytest.fixture(scope="module")
def seed_phrases() -> list[str]:
    from test_seed import SEED_PHRASES

    return SEED_PHRASES


def test_every_seed_phrase_is_found_by_search(kb: KnowledgeBase, seed_phrases: list[str]) -> None:
    """The second route to each seed fact, after list/show/options (test_seed.py): the
    search page's JSON data, built as the CLI builds it, without running the CLI."""
    from test_seed import flat

    from bonemets_cli.search import search_page
    from bonemets_cli.views.page import Reading
    from bonemets_cli.views.search import SearchView

    reading = Reading(Audience.patient, TODAY)

    for phrase in seed_phrases:
        document = SearchView(kb, search_page(kb, phrase), reading, limit=20).data()
        texts = [flat(hit["text"]) for r in document["results"] for hit in r["hits"]]
        assert any(flat(phrase) in text for text in texts), phrase


# --- handout -----------------------------------------------------------------------------


def test_handout_markdown_has_every_part(run: Run) -> None:
    out = ok(run("handout", "--cancer", "prostrate"))
    assert out.startswith("# Bone metastases: treatment options for Prostate cancer\n")
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    assert headings == [
        "## When to get help now",
        "## Treatment options for Prostate cancer",
        "## What has changed since 2010",
        "## Words on this page",
        "## Questions to ask your care team",
        "## Sources",
    ]
    assert "Hair loss, Increased chance of infection, Loss of appetite, Nausea, Vomiting" in out
    assert "FDA approval 15 May 2013 for castration-resistant prostate cancer" in out
    assert "next review due 2027-11-28" in out
    assert "newest source" not in out  # no curator lines on a page for patients
    assert out.splitlines()[4] == (
        "This is general information, not medical advice. "
        "Talk to your care team about your own treatment."
    )


def test_handout_html_is_self_contained_and_escaped(
    run: Run, write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    hostile = '<script>alert(1)</script> & "quotes" <img src=x onerror=alert(2)>'
    raw_data["treatments"][0]["summary"]["text"] = hostile
    path = write_data(raw_data)
    out = ok(run("--data", str(path), "handout", "-c", "breast", "-f", "html"))
    assert out.startswith("<!DOCTYPE html>\n")
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in out
    assert "default-src 'none'" in out
    assert "http://" not in out and "https://" not in out and "src=" not in out.replace("src=x", "")


def test_handout_needs_a_cancer(run: Run) -> None:
    assert "say which cancer with --cancer" in one_error_line(run("handout"), 2)


def _browser() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
def test_handout_html_renders_in_a_headless_browser(run: Run, tmp_path: Path) -> None:
    browser = _browser()
    if browser is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no chromium: .ci/run installs it")
        pytest.skip("no chromium on this machine")
    page = tmp_path / "handout.html"
    page.write_text(ok(run("handout", "-c", "breast", "-f", "html")), encoding="utf-8")
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [*command, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "<h1>Bone metastases: treatment options for Breast cancer</h1>" in dom.stdout
    assert "Treatment options for Breast cancer" in dom.stdout
    assert "This is general information, not medical advice." in dom.stdout
    pdf = tmp_path / "handout.pdf"
    printed = subprocess.run(
        [*command, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert printed.returncode == 0, printed.stderr[-2000:]
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert pdf.stat().st_size > 10_000


# --- info --------------------------------------------------------------------------------


def test_info_names_the_bundled_file(run: Run) -> None:
    document = json.loads(ok(run("info", "-f", "json")))
    assert document["data"] == {"path": str(knowledge.bundled_path()), "bundled": True}
    assert document["counts"] == {
        "treatments": 8,
        "complementary": 8,
        "cancers": 4,
        "side_effects": 10,
        "factors": 5,
        "updates": 15,
        "warnings": 3,
        "glossary_terms": 12,
        "questions": 13,
        "sources": 57,
    }
    out = ok(run("info", "-f", "plain"))
    assert "Schema version: 1\n" in out
    assert "Reviewed: 2026-11-28\nNext review due: 2027-11-28\n" in out


def test_info_names_a_chosen_file(
    run: Run, write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    path = write_data(raw_data)
    document = json.loads(ok(run("info", "-f", "json", env={"BONEMETS_DATA": str(path)})))
    assert document["data"] == {"path": str(path), "bundled": False}


# --- colour and completion ----------------------------------------------------------------


def test_color_never_wins_over_force_color(run: Run) -> None:
    forced = {"FORCE_COLOR": "1", "NO_COLOR": None, "TERM": "xterm-256color"}
    assert "\x1b[" in ok(run("list", env=forced))
    assert "\x1b" not in ok(run("--color", "never", "list", env=forced))


def test_color_always_colours_a_pipe(run: Run) -> None:
    assert "\x1b[" in ok(run("--color", "always", "list", env={"NO_COLOR": None}))
    assert "\x1b" not in ok(run("list", env={"NO_COLOR": None}))


def test_no_color_is_honoured(run: Run) -> None:
    out = ok(run("--color", "auto", "show", "chemo", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}))
    assert "\x1b[3" not in out and "\x1b[9" not in out  # no foreground colour codes


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("bonemets show chem", ["chemotherapy"]),
        ("bonemets options --cancer pro", ["prostate"]),
        ("bonemets options --goal f", ["fractures", "function", "feel-better"]),
        (
            "bonemets options --given ",
            ["iv", "oral", "injection", "external", "surgery", "medicine"],
        ),
        ("bonemets options --bones ", ["weak", "broken"]),
        ("bonemets options --avoid vom", ["vomiting"]),
        ("bonemets side-effects --has hai", ["hair-loss"]),
        ("bonemets compare chemo radio", ["radiotherapy", "radiopharmaceutical-therapy"]),
        ("bonemets show radiot", ["radiotherapy"]),
        ("bonemets list --format ", FORMATS),
        ("bonemets sid", ["side-effects"]),
        ("bonemets s", ["show", "sources", "schema", "side-effects", "search", "sins"]),
        ("bonemets --color never opt", ["options"]),
        ("bonemets --d", ["--data"]),
    ],
)
def test_shell_completion(complete: Complete, words: str, expected: list[str]) -> None:
    assert complete(words) == expected


def test_completion_reads_the_chosen_file(
    complete: Complete, tmp_path: Path, raw_data: dict[str, Any]
) -> None:
    raw_data["cancers"][0]["id"] = "bladder"
    raw_data["cancers"][0]["aliases"] = []
    path = tmp_path / "custom.json"
    path.write_text(json.dumps(raw_data).replace('"breast"', '"bladder"'), encoding="utf-8")
    assert complete("bonemets options --cancer b", BONEMETS_DATA=str(path)) == ["bladder"]


def test_completion_of_a_broken_file_is_silent(complete: Complete, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{", encoding="utf-8")
    assert complete("bonemets show ch", BONEMETS_DATA=str(path)) == []


def test_show_completion_prints_a_script(run: Run) -> None:
    result = run("--show-completion", "bash", env={"SHELL": "/bin/bash"})
    assert (result.exit_code, result.stderr) == (0, "")
    assert "_bonemets_completion" in result.stdout
    assert "complete_bash" in result.stdout


def test_install_completion_writes_the_script_for_the_shell(run: Run, tmp_path: Path) -> None:
    result = run("--install-completion", "bash", env={"HOME": str(tmp_path), "SHELL": "/bin/bash"})
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    script = tmp_path / ".bash_completions" / "bonemets.sh"
    assert "_BONEMETS_COMPLETE=complete_bash" in script.read_text(encoding="utf-8")
    assert str(script) in (tmp_path / ".bashrc").read_text(encoding="utf-8")


def test_the_whole_matrix_fits_100_columns_and_gives_way_to_lines_below(run: Run) -> None:
    wide = ok(run("side-effects"))
    header = wide.split("Side effects named by the sources\n", 1)[1].splitlines()[1]
    assert header.split() == [
        "Side",
        "effect",
        "Chemotherapy",
        "therapy",
        "Bisphosphonates",
        "agents",
        "Sources",
    ]
    narrow = ok(run("side-effects", env={"COLUMNS": "60"}))
    block = narrow.split("Side effects named by the sources\n", 1)[1].split("\n\n", 1)[0]
    assert block.startswith("Hair loss\n  Chemotherapy: ✓\n  Sources: 1-3\n")
    assert "Bisphosphonates: \n" not in block  # unmarked pairs are left out
    assert "Osteonecrosis of the jaw (jawbone that does not heal)\n  Bisphosphonates: ✓\n" in block


@pytest.mark.parametrize("output_format", TEXT_FORMATS)
def test_search_echoes_a_hostile_query_escaped(run: Run, output_format: str) -> None:
    out = ok(run("search", "nausea\x1b[31m\u202e", "-f", output_format))
    assert "\x1b" not in out and "\u202e" not in out
    # shown as the visible escape; Markdown escapes its backslash to display it
    assert ("nausea\\\\x1b" if output_format == "markdown" else "nausea\\x1b") in out


def test_search_json_echoes_the_query_as_given(run: Run) -> None:
    """JSON keeps the user's string; the character travels as a JSON escape, not raw."""
    out = ok(run("search", "nausea\u202e", "-f", "json"))
    assert "\u202e" not in out and '"query": "nausea\\u202e"' in out
    assert json.loads(out)["query"] == "nausea\u202e"
