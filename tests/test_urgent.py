"""When to get help now, plain words and questions: the commands, the pointer line on every
patient page, and the handout a clinic prints (its page count in a real browser)."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_layers import _IMPORTED_AT_EXIT
from test_pack import _blocks, _part, needs_pack

from bonemets_cli.choices import Paper
from bonemets_cli.cli import root
from bonemets_cli.cli.handout import paper_from_locale

from conftest import FORMATS, TEXT_FORMATS, Complete, Run, ok, one_error_line

POINTER = "Signs that need help now (spinal cord, calcium, broken bone): bonemets urgent"


def flat(text: str) -> str:
    """Text whatever its wrapping, its Markdown escapes and its HTML entities."""
    return " ".join(html.unescape(text).replace("\\", "").split())


def wide(run: Run, *args: str) -> str:
    """A page at 400 columns, so no statement wraps in a table."""
    return ok(run(*args, env={"COLUMNS": "400"}))


# --- urgent -------------------------------------------------------------------------------


def test_urgent_plain_exact(run: Run) -> None:
    assert ok(run("urgent", "-f", "plain")) == URGENT_PLAIN


URGENT_PLAIN = (
    "When to get help now\n"
    "The signs to watch for, and what to do and how soon. Add --audience clinician for the referral criteria.\n"
    "\n"
    "Spinal cord compression:\n"
    "Signs:\n"
    "  - back or neck pain, often the first sign (more than 90 in 100 people with cord compression have it)\n"
    "  - pain that feels like a tight band around the body\n"
    "  - back pain made worse by coughing, sneezing or going to the toilet\n"
    "  - pain that keeps getting worse or does not go away\n"
    "  - pain that stops you sleeping or wakes you at night\n"
    "  - pain that is worse lying flat, standing or moving\n"
    "  - weakness in the arms or legs, or difficulty walking, or feeling unsteady on your feet\n"
    "  - numbness or pins and needles, for example in the toes, fingers or buttocks\n"
    "  - not being able to pass urine or stool, or losing control of the bladder or bowel\n"
    "  - erection problems\n"
    "What to do: Contact your hospital team straight away, on the emergency number they gave you. If you cannot reach them, contact your GP (family doctor) or go to the nearest emergency department without delay. Tell them you have cancer and are worried about your spine. (sources 1-5)\n"
    "What it is: Cancer in the bones of the spine can press on the spinal cord. This is called spinal cord compression. It is an emergency. Treatment works best when it starts early; left untreated, it can cause lasting weakness or paralysis. Around 3 to 5 in 100 people with cancer develop it, more often when the cancer has already spread to bone. (sources 1-5)\n"
    "\n"
    "High calcium in the blood (hypercalcaemia):\n"
    "Signs (early):\n"
    "  - feeling much more tired than usual\n"
    "  - feeling weak\n"
    "  - not wanting to eat\n"
    "  - constipation\n"
    "  - poor concentration\n"
    "  - mild confusion\n"
    "  - low mood\n"
    "  - irritability\n"
    "Signs (later, if untreated):\n"
    "  - feeling or being sick\n"
    "  - drowsiness\n"
    "  - passing a lot of urine\n"
    "  - being very thirsty or dehydrated\n"
    "  - confusion or agitation\n"
    "  - muscle spasms or tremors\n"
    "  - bone pain\n"
    "  - an irregular heartbeat\n"
    "What to do: Contact your care team as soon as possible if you notice these signs: high calcium can be an emergency that needs urgent medical attention. A blood test shows whether calcium is high. Treatment starts as soon as possible, sometimes with a short stay in hospital. (sources 6-9)\n"
    "What it is: Cancer that has spread to bone can release calcium into the blood. Too much calcium in the blood is called hypercalcaemia. It mostly happens when cancer is advanced. It can make you very unwell, and without treatment it can become life-threatening, but it can be treated. (sources 6-9)\n"
    "\n"
    "A weakened or broken bone (pathological fracture):\n"
    "Signs:\n"
    "  - pain in one place that lasts more than 1 to 2 weeks\n"
    "  - pain that your pain medicine does not control\n"
    "  - pain that comes on when you walk or lift things\n"
    "  - pain at one spot after little or no injury: a bone can break without a fall\n"
    "What to do: Tell your care team about any new or lasting bone pain, however minor it seems, and about pain that comes with walking or lifting. They will check whether the bone has been weakened. (sources 10-12)\n"
    "What it is: Cancer can weaken a bone so much that it breaks without a fall or injury. This is called a pathological fracture. The bones that carry your weight, such as the legs and spine, are most at risk. Treatment can strengthen a weak bone before it breaks. (sources 10-12)\n"
    "\n"
    "Sources:\n"
    "1. Cancer Research UK. Spinal cord compression (patient information: symptoms, what to do, who is at risk).\n"
    "2. Macmillan Cancer Support. Malignant spinal cord compression; and Signs and symptoms of secondary bone cancer (patient information).\n"
    "3. Royal National Orthopaedic Hospital NHS Trust. MSCC patient information (symptoms to watch for; what to tell the doctor).\n"
    '4. Scottish Government. Scottish referral guidelines for suspected cancer: quick reference guide, section "Malignant spinal cord compression".\n'
    "5. National Institute for Health and Care Excellence. Metastatic spinal cord compression in adults: risk assessment, diagnosis and management. Clinical guideline CG75, 2008 (replaced by NICE guideline NG234, Spinal metastases and metastatic spinal cord compression, 2023).\n"
    "6. Cancer Research UK. High calcium in people with cancer; and Managing high calcium (patient information).\n"
    "7. Marie Curie. Hypercalcaemia (palliative care knowledge zone, for professionals).\n"
    "8. El-Hajj Fuleihan G et al. Treatment of hypercalcemia of malignancy in adults: an Endocrine Society clinical practice guideline. J Clin Endocrinol Metab 2023;108(3):507–528. doi:10.1210/clinem/dgac621. PMID 36545746.\n"
    "9. US prescribing information (FDA labels), indications sections: zoledronic acid injection; Osenvelt (denosumab-bmwo) 120 mg.\n"
    "10. Macmillan Cancer Support. Signs and symptoms of secondary bone cancer; and Managing symptoms of secondary bone cancer (patient information).\n"
    "11. Breast Cancer Network Australia. Managing symptoms of bone metastases (patient information).\n"
    "12. Breast Cancer Now. Secondary (metastatic) breast cancer in the bone (patient information).\n"
    "\n"
    "Warning signs reviewed 2026-11-29; next review due 2027-11-29.\n"
    "This is general information, not medical advice. Talk to your care team about your own treatment.\n"
)


def _pack_warnings() -> dict[str, dict[str, Any]]:
    return _blocks(_part(1))


def _signs(fields: dict[str, Any]) -> list[str]:
    """Each sign as the pack writes it, a staged line ("early: a, b") split into its signs."""
    signs: list[str] = []
    for item in fields["signs items"]:
        stage = re.match(r"^(early|later, if untreated): (.*)$", item)
        signs += stage.group(2).split(", ") if stage else [item]
    return signs


@needs_pack
@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_urgent_shows_every_warning_in_the_packs_words(
    run: Run, output_format: str, audience: str
) -> None:
    out = wide(run, "urgent", "-f", output_format, "-a", audience)
    if output_format == "json":
        out = json.dumps(json.loads(out), ensure_ascii=False)
    out = flat(out)
    for warning_id, fields in _pack_warnings().items():
        for text in (fields["statement"], fields["act"], *_signs(fields)):
            assert flat(str(text)) in out, (warning_id, text)
    for words in ("straight away", "as soon as possible"):
        assert words in out
    if audience == "clinician" or output_format == "json":
        assert "within 24 hours" in out
        assert "NICE replaced CG75 with NG234 in 2023." in out
    assert "dexamethasone" not in out.casefold() and "MRI" not in out


@needs_pack
def test_urgent_clinician_adds_the_referral_criteria_and_grade(run: Run) -> None:
    out = ok(run("urgent", "-f", "plain", "-a", "clinician"))
    pack = _pack_warnings()["urgent-spinal-cord-compression"]
    assert (
        "For clinicians: UK referral guidance for people with cancer: seek advice immediately, "
        "as an emergency, for radicular pain"
    ) in out
    assert "  - Refer urgently (within 24 hours) for pain in the thoracic or cervical spine" in out
    shown = flat(out.replace("\n  - ", " "))
    assert flat(str(pack["detail"])) in shown
    assert (
        "Grade: Endocrine Society (GRADE: strong or conditional recommendation; certainty of "
        "evidence)\n"
    ) in out
    assert "Add --audience clinician" not in out
    for line in out.splitlines():  # NG234 only as the guideline that replaced CG75
        if "NG234" in line:
            assert "replace" in line, line


def test_urgent_json_carries_sources_and_review_dates(run: Run) -> None:
    document = json.loads(ok(run("urgent", "-f", "json")))
    assert [w["id"] for w in document["warnings"]] == [
        "urgent-spinal-cord-compression",
        "urgent-high-calcium",
        "urgent-fracture",
    ]
    for warning in document["warnings"]:
        assert (warning["reviewed"], warning["next_review"]) == ("2026-11-29", "2027-11-29")
        assert warning["sources"]
    cited = [s for w in document["warnings"] for s in w["sources"]]
    assert set(cited) <= set(document["citations"])
    assert document["citations"]["nice-cg75"]["citation"].endswith(
        "(replaced by NICE guideline NG234, Spinal metastases and metastatic spinal cord "
        "compression, 2023)."
    )
    assert document["meta"]["disclaimer"].startswith("This is general information")


@pytest.mark.parametrize("output_format", TEXT_FORMATS)
def test_urgent_puts_signs_then_what_to_do_in_every_text_format(
    run: Run, output_format: str
) -> None:
    out = flat(wide(run, "urgent", "-f", output_format))
    assert out.index("Spinal cord compression") < out.index("back or neck pain")
    assert out.index("erection problems") < out.index("Contact your hospital team straight away")
    assert out.index("straight away") < out.index("High calcium in the blood")
    assert "Warning signs reviewed 2026-11-29; next review due 2027-11-29." in out


def test_urgent_warns_when_past_its_review_date(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(root, "today", lambda: dt.date(2027, 12, 1))
    result = run("urgent", "-f", "plain")
    assert result.stdout.count("WARNING: warning signs were due for review on 2027-11-29") == 1


# --- the pointer on every patient page ------------------------------------------------------

PATIENT_PAGES = [
    ["show", "chemo"],
    ["options", "--cancer", "breast"],
    ["side-effects"],
    ["side-effects", "--has", "nausea"],
    ["compare", "chemo", "surgery"],
]


@pytest.mark.parametrize("page", PATIENT_PAGES, ids=" ".join)
@pytest.mark.parametrize("output_format", TEXT_FORMATS)
def test_every_patient_page_points_to_urgent_near_the_top(
    run: Run, page: list[str], output_format: str
) -> None:
    out = ok(run(*page, "-f", output_format, env={"COLUMNS": "80"}))
    top = out.split("<main>")[-1].splitlines()[:6]
    assert any(POINTER in html.unescape(line) for line in top), top
    assert out.count("bonemets urgent") == 1


def test_the_pointer_is_one_line_at_80_columns(run: Run) -> None:
    out = ok(run("show", "chemo", env={"COLUMNS": "80"}))
    assert f"\n{POINTER}\n" in out and len(POINTER) <= 80


def test_the_pointer_does_not_load_the_pack() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _IMPORTED_AT_EXIT, "compare", "chemo", "surgery", "-f", "plain"],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = set(result.stderr.split())
    assert "bonemets_cli.views.urgent" in imported
    assert not imported & {"bonemets_cli.pack_models", "bonemets_cli.query_pack"}


# --- glossary -------------------------------------------------------------------------------


def test_glossary_term_plain_exact(run: Run) -> None:
    assert ok(run("glossary", "SRE", "-f", "plain")) == SRE_PLAIN


SRE_PLAIN = (
    "Glossary: skeletal-related event\n"
    "Run 'bonemets glossary' for every word.\n"
    "\n"
    "skeletal-related event (SRE): a bone complication counted in trials: a fracture caused by cancer, spinal cord compression, or the need for surgery or radiation to a bone. (source 1)\n"
    "\n"
    "Sources:\n"
    "1. Raje N et al. Denosumab versus zoledronic acid in bone disease treatment of newly diagnosed multiple myeloma: an international, double-blind, double-dummy, randomised, controlled, phase 3 study. Lancet Oncol 2018. doi:10.1016/S1470-2045(18)30072-X. PMID 29429912.\n"
    "\n"
    "Glossary reviewed 2026-11-29; next review due 2027-11-29.\n"
    "This is general information, not medical advice. Talk to your care team about your own treatment.\n"
)


def test_glossary_term_table_exact(run: Run) -> None:
    assert ok(run("glossary", "onj")) == ONJ_TABLE


ONJ_TABLE = (
    "Glossary: osteonecrosis of the jaw\n"
    "Run 'bonemets glossary' for every word.\n"
    "\n"
    "Topic                Statement                                Sources\n"
    "─────────────────────────────────────────────────────────────────────\n"
    "osteonecrosis of     an area of jawbone that does not heal.   1      \n"
    "the jaw (ONJ)                                                        \n"
    "\n"
    "Sources\n"
    "1. Saad F et al. Ann Oncol 2012;23:1341–7. PMID 21986094.\n"
    "\n"
    "Glossary reviewed 2026-11-29; next review due 2027-11-29.\n"
    "This is general information, not medical advice. Talk to your care team about your own treatment.\n"
)


def test_glossary_term_markdown_exact(run: Run) -> None:
    assert ok(run("glossary", "onj", "-f", "markdown")) == ONJ_MARKDOWN


ONJ_MARKDOWN = (
    "# Glossary: osteonecrosis of the jaw\n"
    "\n"
    "*Run 'bonemets glossary' for every word.*\n"
    "\n"
    "- **osteonecrosis of the jaw (ONJ):** an area of jawbone that does not heal. \\[1\\]\n"
    "\n"
    "## Sources\n"
    "\n"
    "1. Saad F et al. Ann Oncol 2012;23:1341–7. PMID 21986094.\n"
    "\n"
    "---\n"
    "\n"
    "*Glossary reviewed 2026-11-29; next review due 2027-11-29.*\n"
    "\n"
    "*This is general information, not medical advice. Talk to your care team about your own treatment.*\n"
)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        (["hypercalcemia"], "hypercalcaemia"),
        (["HYPERCALCAEMIA"], "hypercalcaemia"),
        (["metastases"], "metastasis"),
        (["bisphosphonates"], "bisphosphonate"),
        (["pathologic", "fracture"], "pathological fracture"),
        (["pathological", "fractures"], "pathological fracture"),
        (["spinal", "cord", "compression"], "spinal cord compression"),
        (["MSCC"], "spinal cord compression"),
        (["sre"], "skeletal-related event"),
        (["skeletal-related", "events"], "skeletal-related event"),
        (["ONJ"], "osteonecrosis of the jaw"),
        (["radiopharmaceuticals"], "radiopharmaceutical"),
        (["stereotactic", "radiotherapy"], "stereotactic radiation therapy"),
        (["bone-modifying", "agents"], "bone-modifying agent"),
    ],
)
def test_glossary_forgives_spelling_plurals_abbreviations_and_endings(
    run: Run, typed: list[str], name: str
) -> None:
    out = ok(run("glossary", *typed, "-f", "plain"))
    assert out.startswith(f"Glossary: {name}\n")


def test_sbrt_is_not_in_the_glossary_and_says_where_to_look(run: Run) -> None:
    # The packs never spell SBRT out: no definition is made up for it.
    line = one_error_line(run("glossary", "SBRT"), 1)
    assert line.startswith("Error: no glossary term matches 'SBRT'. Known glossary terms: ")
    assert "stereotactic-radiation-therapy" in line
    assert line.endswith("Run 'bonemets search SBRT' to find where the facts use it.")


def test_unknown_term_suggests_the_closest(run: Run) -> None:
    line = one_error_line(run("glossary", "hypercalcamia"), 1)
    assert "Did you mean: hypercalcaemia?" in line


@needs_pack
@pytest.mark.parametrize("output_format", FORMATS)
def test_glossary_lists_every_term_in_the_packs_words(run: Run, output_format: str) -> None:
    out = flat(wide(run, "glossary", "-f", output_format))
    if output_format == "json":
        document = json.loads(wide(run, "glossary", "-f", output_format))
        out = flat(" ".join(d["text"] for t in document["terms"] for d in t["definition"]))
        assert all(t["next_review"] == "2027-11-29" for t in document["terms"])
    written = re.findall(r"^- \*\*(.+?)\*\*: (.*)$", _part(4), flags=re.MULTILINE)
    assert len(written) == 12
    for _, text in written:
        for sentence in re.findall(r"(.+?)\s\([^()]+\)(?=\s+[A-Z]|$)", text):
            assert flat(sentence) in out, sentence


# --- questions ------------------------------------------------------------------------------


def test_questions_plain_exact(run: Run) -> None:
    assert ok(run("questions", "-f", "plain")) == QUESTIONS_PLAIN


QUESTIONS_PLAIN = (
    "Questions to ask your care team\n"
    "For a printed page with room for the answers: bonemets handout.\n"
    "\n"
    "1. How do you know this is the same cancer spreading, and not a new one?\n"
    "2. Which bones has it spread to?\n"
    "3. Which treatment do you suggest for me, and why?\n"
    "4. What is the aim of the treatment?\n"
    "5. How likely is it to work?\n"
    "6. How will I feel during treatment?\n"
    "7. Which side effects should I expect, and how can they be eased?\n"
    "8. Which problems should I tell you about straight away?\n"
    "9. How will treatment change my daily life?\n"
    "10. What can be done for bone pain and my other symptoms?\n"
    "11. What can I do to lower the chance of a broken bone, and what happens if one breaks?\n"
    "12. Is there a clinical trial that could suit me?\n"
    "13. Whom do I call at night or at the weekend?\n"
    "\n"
    "Our wording of the questions the American Cancer Society suggests. (source 1)\n"
    "\n"
    "Sources:\n"
    '1. American Cancer Society, "Talking to your doctor about bone metastases".\n'
    "\n"
    "Questions reviewed 2026-11-29; next review due 2027-11-29.\n"
    "This is general information, not medical advice. Talk to your care team about your own treatment.\n"
)


@needs_pack
@pytest.mark.parametrize("output_format", FORMATS)
def test_questions_in_every_format_with_their_source(run: Run, output_format: str) -> None:
    out = flat(wide(run, "questions", "-f", output_format))
    for question in re.findall(r"^\d+\. (.*)$", _part(5), flags=re.MULTILINE):
        assert flat(question) in out
    assert "Talking to your doctor about bone metastases" in out
    if output_format == "json":
        document = json.loads(wide(run, "questions", "-f", "json"))
        assert document["questions"]["sources"] == ["acs-talking-to-your-doctor"]
        assert document["questions"]["next_review"] == "2027-11-29"


# --- handout --------------------------------------------------------------------------------


def _sections(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.endswith(":") and line[0] != " "]


def test_handout_opens_with_the_disclaimer_and_the_warning_box(run: Run) -> None:
    out = ok(run("handout", "-c", "breast", "-f", "plain"))
    lines = out.splitlines()
    assert lines[3] == (
        "This is general information, not medical advice. "
        "Talk to your care team about your own treatment."
    )
    assert lines[5] == "When to get help now:"
    assert _sections(out) == [
        "When to get help now:",
        "Treatment options for Breast cancer:",
        "What has changed since 2010:",
        "Words on this page:",
        "Questions to ask your care team:",
        "Sources:",
    ]
    assert "newest source" not in out and "reviewed 2026-11-29" not in out


@needs_pack
def test_the_warning_box_keeps_the_packs_signs_and_words_to_act(run: Run) -> None:
    out = flat(wide(run, "handout", "-c", "myeloma", "-f", "html"))
    box = out.split('<section class="urgent">')[1].split("</section>")[0]
    for fields in _pack_warnings().values():
        assert flat(str(fields["act"])) in box
        for sign in _signs(fields):
            assert sign in box, sign


def test_words_on_this_page_are_those_it_uses_and_only_those(run: Run) -> None:
    out = ok(run("handout", "-c", "prostate", "-f", "plain"))
    body, rest = out.split("Words on this page:\n", 1)
    words, after = rest.split("\n\n", 1)
    defined = [line.split(":")[0] for line in words.splitlines()]
    assert defined == [
        "bisphosphonate",
        "bone-modifying agent",
        "hypercalcaemia",
        "metastasis",
        "osteonecrosis of the jaw (ONJ)",
        "pathological fracture",
        "radiopharmaceutical",
        "skeletal-related event (SRE)",
        "spinal cord compression (MSCC)",
    ]
    page = (body + after.split("Sources:")[0]).casefold()
    for name in ("bisphosphonate", "bone-modifying agent", "radiopharmaceutical", "metastases"):
        assert name in page
    for unused in ("palliative care", "stereotactic", "external beam"):
        assert unused not in page


def test_questions_have_room_for_notes(run: Run) -> None:
    out = ok(run("handout", "-c", "breast", "-f", "plain"))
    assert out.count("  Notes: ....") == 13
    page = ok(run("handout", "-c", "breast", "-f", "html"))
    assert '<ul class="notes">' in page and ".notes li" in page


def test_the_clinic_line_is_printed_in_the_box_and_escaped(run: Run) -> None:
    clinic = "<b>St Mary's</b> & Oncology, 020 7946 0000"
    page = ok(run("handout", "-c", "breast", "-f", "html", "--clinic", clinic))
    box = page.split('<section class="urgent">')[1].split("</section>")[0]
    assert (
        "<li><strong>Your care team:</strong> &lt;b&gt;St Mary&#x27;s&lt;/b&gt; &amp; Oncology, "
        "020 7946 0000</li>"
    ) in box
    assert "<b>St Mary" not in page
    plain = ok(run("handout", "-c", "breast", "-f", "plain", "--clinic", "Clinic\x1b[31m, 1"))
    assert "Your care team: Clinic\\x1b[31m, 1\n" in plain


def test_output_file_takes_its_format_from_the_suffix(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "handout.html"
    out = ok(run("handout", "-c", "breast", "-o", str(target), "--paper", "letter"))
    assert out == (
        f"Wrote the handout to {target}, for Letter paper: open it in a browser to print.\n"
    )
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "@page { size: letter;" in page
    markdown = tmp_path / "handout.md"
    assert ok(run("handout", "-c", "breast", "-o", str(markdown))) == (
        f"Wrote the handout to {markdown}.\n"
    )
    assert markdown.read_text(encoding="utf-8").startswith("# Bone metastases")


def test_an_unwritable_file_is_one_clear_error(run: Run, tmp_path: Path) -> None:
    result = run("handout", "-c", "breast", "-o", str(tmp_path / "no" / "h.html"))
    assert one_error_line(result, 2).startswith("Error: cannot write the handout to ")


@pytest.mark.parametrize(
    ("environ", "paper"),
    [
        ({}, Paper.a4),
        ({"LANG": "en_GB.UTF-8"}, Paper.a4),
        ({"LANG": "en_US.UTF-8"}, Paper.letter),
        ({"LANG": "de_DE.UTF-8", "LC_PAPER": "en_US.UTF-8"}, Paper.letter),
        ({"LC_ALL": "fr_FR.UTF-8", "LC_PAPER": "en_US.UTF-8"}, Paper.a4),
        ({"LANG": "fr_CA"}, Paper.letter),
        ({"LANG": "C.UTF-8"}, Paper.a4),
    ],
)
def test_paper_follows_the_locale(environ: dict[str, str], paper: Paper) -> None:
    assert paper_from_locale(environ) is paper


def test_paper_sets_the_page_size(run: Run) -> None:
    a4 = ok(run("handout", "-c", "breast", "-f", "html", "--paper", "a4"))
    assert "@page { size: A4;" in a4
    us = ok(run("handout", "-c", "breast", "-f", "html", env={"LC_ALL": "en_US.UTF-8"}))
    assert "@page { size: letter;" in us


def test_html_is_never_dumped_on_a_terminal() -> None:
    """On a real terminal, -f html without -o says how to save it instead."""
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "BONEMETS_DATA"}
    try:
        process = subprocess.run(
            [sys.executable, "-m", "bonemets_cli", "handout", "-c", "breast", "-f", "html"],
            stdout=follower,
            stderr=subprocess.PIPE,
            env=env,
            timeout=60,
            check=False,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert process.returncode == 2
    assert b"save it with -o handout.html" in process.stderr


def _browser() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("cancer", ["breast", "myeloma", "prostate", "solid-tumours"])
def test_handout_prints_on_two_pages_with_the_warning_box_on_page_one(
    run: Run, tmp_path: Path, cancer: str, paper: str
) -> None:
    browser = _browser()
    if browser is None or shutil.which("pdfinfo") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no chromium or pdfinfo: .ci/run installs them")
        pytest.skip("no chromium or poppler-utils on this machine")
    page = tmp_path / "handout.html"
    clinic = "St Mary's Oncology, 020 7946 0000"
    ok(run("handout", "-c", cancer, "--paper", paper, "--clinic", clinic, "-o", str(page)))
    pdf = tmp_path / "handout.pdf"
    printed = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert printed.returncode == 0, printed.stderr[-2000:]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = re.search(r"^Pages:\s+(\d+)$", info.stdout, re.MULTILINE)
    assert pages is not None and 1 <= int(pages.group(1)) <= 2, info.stdout
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info.stdout, re.MULTILINE)
    assert size is not None
    expected = (595, 842) if paper == "a4" else (612, 792)
    assert (round(float(size.group(1))), round(float(size.group(2)))) == expected
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    first = " ".join(first.split())
    assert "When to get help now" in first
    assert "Contact your hospital team straight away" in first
    assert "Contact your care team as soon as possible" in first
    # the box's last words are on page 1 too: the whole box is
    assert "They will check whether the bone has been weakened." in first
    assert first.index("When to get help now") < first.index("Treatment options for")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("bonemets urg", ["urgent"]),
        ("bonemets q", ["questions"]),
        ("bonemets glo", ["glossary"]),
        ("bonemets glossary hyper", ["hypercalcaemia"]),
        (
            "bonemets glossary s",
            ["stereotactic-radiation-therapy", "skeletal-related-event", "spinal-cord-compression"],
        ),
    ],
)
def test_completion_knows_the_new_commands_and_terms(
    complete: Complete, words: str, expected: list[str]
) -> None:
    assert complete(words) == expected
