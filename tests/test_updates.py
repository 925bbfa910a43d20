"""What has changed since 2010: every vetted fact reaches users with its source and date."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bonemets_cli.models import KnowledgeBase

from conftest import REPO, Run

WriteData = Callable[..., Path]
SINCE_2010 = REPO.parent / "shared" / "content" / "since-2010.md"
SAFETY = REPO.parent / "shared" / "content" / "safety-and-reference.md"
PACKS = {"since-2010": SINCE_2010, "safety-and-reference": SAFETY}


def plain(run: Run, *args: str) -> str:
    result = run(*args, "--format", "plain")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_every_update_reaches_patients_and_clinicians_with_citations(
    run: Run, kb: KnowledgeBase
) -> None:
    patient = plain(run, "updates")
    clinician = plain(run, "updates", "--audience", "clinician")
    assert len(kb.updates) == 15
    for update in kb.updates:
        if update.caution:
            said = f"Caution: {update.title}: {update.statement} Why: {update.caution_reason}"
            assert said in patient
        else:
            assert f"{update.title}: {update.statement}" in patient
        assert all(line in clinician for line in update.detail)
        if update.grade:
            assert f"Grade: {update.grade}" in clinician
        for source_id in update.sources:
            citation = kb.source_by_id[source_id].citation
            assert citation in patient and citation in clinician


def test_patient_and_clinician_views_differ_as_described(run: Run) -> None:
    patient = plain(run, "show", "bone-modifying-agents", "--full")
    clinician = plain(run, "show", "bone-modifying-agents", "-a", "clinician", "--full")
    # plain words for patients ...
    assert "about 1 to 2 in 100 people" in patient
    assert "1.6% overall" not in patient
    assert "120 mg subcutaneously every 4 weeks" not in patient
    # ... doses, trial figures and grades for clinicians
    assert "about 1 to 2 in 100 people" not in clinician
    assert "ONJ occurred in 1.6% overall: 1.3% with zoledronic acid and 1.8% with denosumab" in (
        clinician
    )
    assert "Dose: 120 mg subcutaneously every 4 weeks." in clinician
    assert "Grade: ESMO levels of evidence and grades of recommendation (I–V, A–E)" in clinician
    # the founding text is the same for both
    founding = patient.split("Since 2010")[0]
    assert founding == clinician.split("Since 2010")[0]


@pytest.mark.parametrize(
    ("name", "entry", "update"),
    [
        ("denosumab", "Denosumab", "Denosumab approved for bone metastases"),
        ("zoledronic acid", "Zoledronic acid", "Zoledronic acid every 12 weeks"),
        ("Radium-223", "Radium-223", "Radium-223 for castration-resistant prostate cancer"),
        ("sbrt", "Radiation therapy", "Focused radiation (SBRT) for the spine: trials disagree"),
        ("bisphosphonates", "Bisphosphonates", "Osteonecrosis of the jaw"),
    ],
)
def test_new_names_reach_the_right_entry(run: Run, name: str, entry: str, update: str) -> None:
    out = plain(run, "show", name, "--full")
    assert out.startswith(entry + "\n")
    assert "\nSince 2010: what has changed (" in out
    assert f"\n{update}: " in out


def test_founding_text_stays_and_is_dated(run: Run) -> None:
    out = plain(run, "show", "bisphosphonates", "--full")
    founding, since = out.split("Since 2010: what has changed", 1)
    assert "From the founding text (sources dated 2007-2010):" in founding
    assert "Breast cancer and myeloma patients with bone metastases may receive" in founding
    assert "Denosumab is a newer bone-strengthening drug" in since
    assert "(newest source 2012; reviewed 2026-11-28)" in since


def test_options_for_prostate_lists_radium_and_bone_modifying_agents(run: Run) -> None:
    out = plain(run, "options", "--cancer", "prostate", "--full")
    assert (
        "Bone-modifying agents\n"
        "  Why listed: Prostate cancer. Recommended (guideline): zoledronate or denosumab "
        "for breast cancer and castration-resistant prostate cancer with bone metastases, whether "
        "symptomatic or not [I, A] [9]\n"
    ) in out
    radiopharm = out.split("Radiopharmaceutical therapy\n", 1)[1].split("\n\n", 1)[0]
    assert radiopharm.startswith(
        "  Why listed: The founding text does not limit it to particular cancers. [1-3]\n"
        "    Prostate cancer. Approved (drug label, radium-223): FDA approval 15 May 2013 for "
        "castration-resistant prostate cancer with symptomatic bone metastases and no known "
        "visceral metastatic disease. [6]\n"
        "  How it is given: Injection, Into a vein (IV)\n"
    )
    assert (
        "Since 2010: Strontium-89 and samarium-153; Radium-223 for castration-resistant prostate "
        "cancer; Caution: Radium-223: when not to use it\n"
    ) in radiopharm
    assert "Radium-223 for castration-resistant prostate cancer: Radium-223 is an injected" in out
    assert "Parker C et al. Alpha emitter radium-223" in out


def test_a_caution_is_marked_and_follows_the_fact_it_qualifies(run: Run) -> None:
    out = plain(run, "options", "--cancer", "prostate", "--full")
    fact = out.index("\nRadium-223 for castration-resistant prostate cancer: ")
    caution = out.index("\nCaution: Radium-223: when not to use it: ")
    assert fact < caution
    assert out[caution:].split("\n")[1] == (
        "Caution: Radium-223: when not to use it: Radium-223 should not be combined with "
        "abiraterone plus prednisone. In Europe it is used after two earlier treatments, or when "
        "no other treatment can be given. Why: In a trial, adding radium-223 to abiraterone plus "
        "prednisone led to more fractures and deaths, and the European Medicines Agency issued a "
        "warning. (sources 20-21)"
    )
    clinician = plain(run, "updates", "-t", "radium", "-a", "clinician")
    assert "\nCaution: Radium-223: when not to use it: In the ERA 223 trial" in clinician
    markdown = run("updates", "-t", "radium", "-f", "markdown").stdout
    assert "Caution: Radium-223: when not to use it" in markdown
    document = json.loads(run("updates", "-t", "radium", "-f", "json").stdout)
    caution_record = document["updates"][2]
    assert (caution_record["id"], caution_record["caution"]) == ("rp-radium-223-limits", True)
    assert caution_record["qualifies"] == "rp-radium-223"
    assert [u["id"] for u in document["updates"]] == [
        "rp-sr89-sm153",
        "rp-radium-223",
        "rp-radium-223-limits",
    ]


@pytest.mark.parametrize(
    ("cancer", "expected", "absent"),
    [
        ("breast", "Breast cancer: which bone-modifying agent (ASCO 2017)", "Radium-223"),
        ("myeloma", "Zoledronic acid every 12 weeks", "Denosumab approved"),
        ("solid tumours", "Denosumab approved for bone metastases", "Radium-223 for"),
    ],
)
def test_options_show_the_updates_for_each_cancer(
    run: Run, cancer: str, expected: str, absent: str
) -> None:
    out = plain(run, "options", "--cancer", cancer, "--full")
    assert f"\n{expected}: " in out
    assert f"\n{absent}" not in out


def test_breast_is_among_the_solid_tumours(run: Run) -> None:
    assert "\nDenosumab approved for bone metastases: " in plain(
        run, "options", "-c", "breast", "--full"
    )


def _titles(out: str) -> list[str]:
    return re.findall(r"^([A-Z][^:\n]*(?::[^:\n]*)?): ", out, re.MULTILINE)


def test_updates_are_newest_first(run: Run) -> None:
    document = json.loads(run("updates", "--format", "json").stdout)
    # a caution stands right after the fact it qualifies; the rest are newest first
    # (a fact citing only undated sources, such as a current label, comes last)
    dated = [u["year"] or 0 for u in document["updates"] if not u["caution"]]
    assert dated == sorted(dated, reverse=True)
    ids = [u["id"] for u in document["updates"]]
    assert ids.index("rp-radium-223-limits") == ids.index("rp-radium-223") + 1
    assert ids[0] == "rt-astro-2024"
    assert document["filters"] == {"treatment": None, "cancer": None}


def test_updates_filter_by_treatment_and_cancer(run: Run) -> None:
    document = json.loads(
        run(
            "updates", "--treatment", "radiopharmaceutical", "--cancer", "prostrate", "-f", "json"
        ).stdout
    )
    assert [u["id"] for u in document["updates"]] == ["rp-radium-223", "rp-radium-223-limits"]
    assert document["filters"] == {"treatment": "radiopharmaceutical-therapy", "cancer": "prostate"}


def test_updates_filter_that_matches_nothing_exits_1(run: Run) -> None:
    result = run("updates", "--treatment", "chemo")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: no update matches those filters; run 'bonemets updates' for all\n"
    )


def _make_late(raw: dict[str, Any]) -> None:
    onj = next(u for u in raw["updates"] if u["id"] == "bma-onj")
    onj.update(added="2020-01-01", reviewed="2020-01-01", next_review="2021-01-01")


def test_overdue_entries_are_flagged_wherever_shown(
    run: Run, write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    _make_late(raw_data)
    path = str(write_data(raw_data))
    warning = (
        "Warning: 1 past their review date: bma-onj (due 2021-01-01). "
        "Check them against current guidance.\n"
    )
    shown = run("--data", path, "show", "bisphosphonates", "-f", "plain")
    assert shown.exit_code == 0
    assert shown.stderr == warning
    assert (
        "  (WARNING: past its review date: next review was due 2021-01-01; "
        "check it against current guidance)"
    ) in shown.stdout
    table = run("--data", path, "updates", env={"COLUMNS": "200"})
    assert "WARNING: past its review date: next review was due 2021-01-01" in table.stdout
    document = json.loads(run("--data", path, "updates", "-f", "json").stdout)
    assert document["meta"]["overdue"] == [{"entry": "bma-onj", "next_review": "2021-01-01"}]
    assert [u["id"] for u in document["updates"] if u["overdue"]] == ["bma-onj"]
    # Entries not past their date carry no warning.
    assert "WARNING" not in run("--data", path, "show", "chemo", "-f", "plain").stdout


def test_overdue_knowledge_base_is_flagged_in_the_footer(
    run: Run, write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["content"].update(reviewed="2020-01-01", next_review="2021-01-01")
    path = str(write_data(raw_data))
    result = run("--data", path, "list", "-f", "plain")
    assert "WARNING: this knowledge base was due for review on 2021-01-01" in result.stdout
    assert result.stderr.startswith("Warning: 1 past their review date: content (due 2021-01-01).")


def test_sources_lists_what_cites_each_source(run: Run) -> None:
    document = json.loads(run("sources", "-f", "json").stdout)
    cited = {s["id"]: s["cited_by"] for s in document["sources"]}
    assert cited["saad-2012"] == [
        "bone-modifying-agents",
        "bma-onj",
        "osteonecrosis-of-the-jaw",
        "denosumab",
        "zoledronic-acid",
    ]
    assert "chemotherapy" in cited["acs-2010"] and "prognosis" in cited["acs-2010"]
    assert all(cited.values())


def test_sources_for_an_update_shows_each_statement_with_full_citation(run: Run) -> None:
    out = plain(run, "sources", "--for", "bma-onj")
    assert out.startswith("Since 2010: Osteonecrosis of the jaw\n")
    assert (
        "For patients: Rarely, these bone drugs cause osteonecrosis of the jaw: an area of jawbone "
        "that does not heal."
    ) in out
    assert "  - Saad 2012: Saad F et al. Ann Oncol 2012;23:1341–7. PMID 21986094.\n" in out


def test_sources_for_a_seed_statement(run: Run) -> None:
    out = plain(run, "sources", "--for", "chemo")
    assert (
        "Summary: Chemotherapy is the main treatment for many types of metastatic cancers.\n"
        "  - ACS 2010: American Cancer Society. (2010). Bone metastasis. Retrieved October 4, 2010.\n"
    ) in out


def test_every_entry_has_its_sources_on_request(run: Run, kb: KnowledgeBase) -> None:
    entries = [t.id for t in kb.treatments] + [u.id for u in kb.updates]
    entries += [f.id for f in kb.factors] + ["overview", "prognosis", "complementary"]
    for entry in entries:
        document = json.loads(run("sources", "--for", entry, "-f", "json").stdout)
        assert document["statements"], entry
        assert all(s["sources"] for s in document["statements"])


def test_sources_for_unknown_entry_suggests(run: Run) -> None:
    result = run("sources", "--for", "bma-onk")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no entry matches 'bma-onk'. Did you mean: bma-onj?")


# --- the vetted file itself, where the shared folder is beside the repository ---


def _blocks(text: str) -> dict[str, dict[str, str]]:
    """The facts of one pack: ### id, then '- field: value' lines (values may continue)."""
    facts = {}
    for block in re.split(r"^### ", text, flags=re.MULTILINE)[1:]:
        fact_id, body = block.split("\n", 1)
        fields: dict[str, str] = {}
        current = ""
        for line in body.split("\n---", 1)[0].split("\n## ", 1)[0].splitlines():
            match = re.match(r"^- (applies to|statement|detail|source|grade):\s*(.*)$", line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith("- "):
                current = ""  # a field this test does not compare ("note for encoding")
            elif current and line.strip():
                fields[current] += "\n" + line.strip()
        facts[fact_id.strip()] = fields
    return facts


def _facts() -> dict[str, dict[str, str]]:
    """Every fact encoded as an update: all of since-2010.md, and the label facts of
    safety-and-reference.md (Part 2's facts that have a statement)."""
    facts = _blocks(SINCE_2010.read_text(encoding="utf-8").split("## Not included", 1)[0])
    safety = SAFETY.read_text(encoding="utf-8")
    part2 = safety.split("## Part 2", 1)[1].split("## Part 3", 1)[0]
    facts.update({k: v for k, v in _blocks(part2).items() if "statement" in v})
    return facts


needs_file = pytest.mark.skipif(
    not (SINCE_2010.is_file() and SAFETY.is_file()), reason="shared/content is not beside"
)


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:[.,:]\d+)*", text))


@needs_file
def test_every_vetted_fact_is_encoded_as_written(kb: KnowledgeBase) -> None:
    facts = _facts()
    assert sorted(facts) == sorted(kb.update_by_id)
    for fact_id, fields in facts.items():
        update = kb.update_by_id[fact_id]
        assert update.statement == fields["statement"], fact_id
        assert update.applies_to == fields["applies to"], fact_id
        if "grade" in fields:
            assert update.grade == fields["grade"], fact_id
        written = [
            line.removeprefix("- ").strip()
            for line in fields["detail"].splitlines()
            if line.strip()
        ]
        stored = list(update.detail)
        assert " ".join(stored).split() == " ".join(written).split(), fact_id


@needs_file
def test_no_number_changed_and_every_identifier_is_cited(kb: KnowledgeBase) -> None:
    for fact_id, fields in _facts().items():
        update = kb.update_by_id[fact_id]
        citations = " ".join(kb.source_by_id[s].citation for s in update.sources)
        stored = " ".join([update.statement, *update.detail, update.grade or ""])
        written = " ".join(fields[k] for k in ("statement", "detail", "grade") if k in fields)
        assert _numbers(written) == _numbers(stored), fact_id
        assert _numbers(fields["source"]) <= _numbers(citations), fact_id
        for identifier in re.findall(r"(?:PMID \d+|doi:\S+|NCT\d{8})", fields["source"]):
            assert identifier.rstrip(".,") in citations, (fact_id, identifier)


@needs_file
def test_review_dates_match_the_file(kb: KnowledgeBase) -> None:
    for update in kb.updates:
        header = PACKS[update.pack].read_text(encoding="utf-8")
        found = re.search(r"Reviewed (\S+)\. Next review due (\S+)\.", header)
        assert found is not None
        assert (update.reviewed.isoformat(), update.next_review.isoformat()) == found.groups()
