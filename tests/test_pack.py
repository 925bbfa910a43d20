"""The safety-and-reference pack: warnings, glossary, questions, medicines, codes and the
spinal instability score, as data, as queries, and as the vetted file writes them."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_updates import _facts, _numbers

from bonemets_cli import knowledge
from bonemets_cli.errors import DataError, InvalidChoice, NotFound
from bonemets_cli.models import KnowledgeBase, Treatment, normalize
from bonemets_cli.pack_models import Medicine
from bonemets_cli.query import find_treatment, overdue, review_warnings
from bonemets_cli.query_pack import (
    class_of,
    find_entry,
    find_medicine,
    find_term,
    glossary,
    medicines_of,
    questions,
    sins_score,
    updates_for_medicine,
    warnings,
)

from conftest import REPO

WriteData = Callable[..., Path]
PACK = REPO.parent / "shared" / "content" / "safety-and-reference.md"

# --- warnings -------------------------------------------------------------------------


def test_three_warnings_in_the_pack_order(kb: KnowledgeBase) -> None:
    assert [w.id for w in warnings(kb)] == [
        "urgent-spinal-cord-compression",
        "urgent-high-calcium",
        "urgent-fracture",
    ]


def test_urgency_words_are_kept(kb: KnowledgeBase) -> None:
    by_id = {w.id: w for w in kb.warnings}
    assert "straight away" in by_id["urgent-spinal-cord-compression"].act
    assert "within 24 hours" in by_id["urgent-spinal-cord-compression"].detail[1]
    assert "as soon as possible" in by_id["urgent-high-calcium"].act


def test_high_calcium_signs_keep_their_stages(kb: KnowledgeBase) -> None:
    signs = {w.id: w.signs for w in kb.warnings}["urgent-high-calcium"]
    assert [group.when for group in signs] == ["early", "later, if untreated"]
    assert signs[1].items[-1] == "an irregular heartbeat"


def test_nothing_from_the_not_included_list(kb: KnowledgeBase) -> None:
    texts = " ".join(
        " ".join([w.statement, w.act, *w.detail, *(s for g in w.signs for s in g.items)])
        for w in kb.warnings
    )
    assert "dexamethasone" not in texts.casefold()
    assert "MRI" not in texts
    assert "5–10%" not in texts and "WHO" not in texts


def test_ng234_is_cited_only_as_the_replacement_of_cg75(kb: KnowledgeBase) -> None:
    for warning in kb.warnings:
        texts = [warning.statement, warning.act, *warning.detail]
        texts += [kb.source_by_id[s].citation for s in warning.sources]
        for text in texts:
            if "NG234" in text:
                assert "replaced" in text, text


# --- glossary -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("metastasis", "metastasis"),
        ("Metastases", "metastasis"),
        ("secondary bone cancer", "metastasis"),
        ("bisphosphonates", "bisphosphonate"),
        ("Bone modifying agents", "bone-modifying-agent"),
        ("radiopharmaceuticals", "radiopharmaceutical"),
        ("external beam radiotherapy", "external-beam-radiation-therapy"),
        ("stereotactic radiotherapy", "stereotactic-radiation-therapy"),
        ("SRE", "skeletal-related-event"),
        ("SREs", "skeletal-related-event"),
        ("skeletal related events", "skeletal-related-event"),
        ("pathologic fracture", "pathological-fracture"),
        ("pathological fractures", "pathological-fracture"),
        ("MSCC", "spinal-cord-compression"),
        ("hypercalcemia", "hypercalcaemia"),
        ("HYPERCALCAEMIA", "hypercalcaemia"),
        ("high calcium", "hypercalcaemia"),
        ("ONJ", "osteonecrosis-of-the-jaw"),
        ("palliative", "palliative-care"),
    ],
)
def test_find_term_forgives_spelling_plurals_and_abbreviations(
    kb: KnowledgeBase, text: str, expected: str
) -> None:
    assert find_term(kb, text).id == expected


def test_unknown_term_suggests_the_closest(kb: KnowledgeBase) -> None:
    with pytest.raises(NotFound) as caught:
        find_term(kb, "hypercalcaimia")
    assert caught.value.suggestions == ("hypercalcaemia",)
    assert caught.value.exit_code == 1


def test_term_with_nothing_close_lists_the_terms(kb: KnowledgeBase) -> None:
    with pytest.raises(NotFound) as caught:
        find_term(kb, "zzzz")
    assert caught.value.suggestions == ()
    assert len(caught.value.known) == 12


def test_glossary_is_alphabetical(kb: KnowledgeBase) -> None:
    names = [term.name for term in glossary(kb)]
    assert names[:3] == [
        "bisphosphonate",
        "bone-modifying agent",
        "external beam radiation therapy",
    ]
    assert names == sorted(names, key=normalize)


def test_sbrt_is_not_made_an_alias(kb: KnowledgeBase) -> None:
    """The pack never spells SBRT out as stereotactic radiation therapy."""
    with pytest.raises(NotFound):
        find_term(kb, "SBRT")


# --- questions ------------------------------------------------------------------------


def test_questions_in_order_with_their_source(kb: KnowledgeBase) -> None:
    found = questions(kb)
    assert len(found.items) == 13
    assert found.items[7] == "Which problems should I tell you about straight away?"
    assert [kb.source_by_id[s].label for s in found.sources] == ["ACS: talking to your doctor"]


# --- medicines ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("denosumab", "denosumab"),
        ("XGEVA", "denosumab"),
        ("zoledronic acid", "zoledronic-acid"),
        ("Zoledronic_Acid", "zoledronic-acid"),
        ("zoledronate", "zoledronic-acid"),
        ("Zometa", "zoledronic-acid"),
        ("pamidronic acid", "pamidronate"),
        ("ibandronic acid", "ibandronic-acid"),
        ("radium-223 dichloride", "radium-223"),
        ("radium 223", "radium-223"),
        ("xofigo", "radium-223"),
        ("Metastron", "strontium-89"),
        ("strontium-89 chloride", "strontium-89"),
        ("quadramet", "samarium-153"),
        ("samarium-153 lexidronam", "samarium-153"),
    ],
)
def test_find_medicine_by_generic_brand_or_multi_word_name(
    kb: KnowledgeBase, name: str, expected: str
) -> None:
    assert find_medicine(kb, name).id == expected
    entry = find_entry(kb, name)
    assert isinstance(entry, Medicine) and entry.id == expected


def test_prolia_is_no_name_of_anything(kb: KnowledgeBase) -> None:
    with pytest.raises(NotFound):
        find_entry(kb, "prolia")


def test_clodronic_acid_is_only_in_the_code_table(kb: KnowledgeBase) -> None:
    with pytest.raises(NotFound):
        find_medicine(kb, "clodronic acid")


@pytest.mark.parametrize(
    ("treatment", "expected"),
    [
        ("bone-modifying-agents", ["denosumab", "zoledronic-acid", "pamidronate"]),
        ("bisphosphonates", ["zoledronic-acid", "pamidronate", "ibandronic-acid"]),
        ("radiopharmaceutical-therapy", ["radium-223", "strontium-89", "samarium-153"]),
        ("chemotherapy", []),
    ],
)
def test_medicines_of_a_class(kb: KnowledgeBase, treatment: str, expected: list[str]) -> None:
    assert [m.id for m in medicines_of(kb, kb.treatment_by_id[treatment])] == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("denosumab", "bone-modifying-agents"),
        ("zometa", "bisphosphonates"),
        ("pamidronate", "bisphosphonates"),
        ("radium-223", "radiopharmaceutical-therapy"),
        ("bisphos", "bisphosphonates"),
        ("radiotherapy", "radiation-therapy"),
    ],
)
def test_a_medicine_name_finds_its_class_where_a_treatment_is_asked_for(
    kb: KnowledgeBase, name: str, expected: str
) -> None:
    assert find_treatment(kb, name).id == expected


def test_medicine_names_left_the_treatment_classes(kb: KnowledgeBase) -> None:
    treatment_names = {normalize(n) for t in kb.treatments for n in t.names}
    medicine_names = {normalize(n) for m in kb.medicines for n in m.names}
    assert not treatment_names & medicine_names
    assert {"denosumab", "xgeva", "zoledronic acid", "xofigo"} <= medicine_names


def test_class_and_facts_of_a_medicine(kb: KnowledgeBase) -> None:
    radium = find_medicine(kb, "radium-223")
    assert isinstance(class_of(kb, radium), Treatment)
    assert class_of(kb, radium).id == "radiopharmaceutical-therapy"
    # the caution comes after the fact it qualifies
    assert [u.id for u in updates_for_medicine(kb, radium)] == [
        "rp-radium-223",
        "rp-radium-223-limits",
    ]
    zoledronic = find_medicine(kb, "zoledronic acid")
    assert [u.id for u in updates_for_medicine(kb, zoledronic)] == [
        "bma-esmo-2020",
        "bma-denosumab-myeloma",
        "bma-asco-2017-breast",
        "bma-zoledronic-12-weekly",
        "bma-hypocalcaemia",
        "bma-onj",
        "bma-denosumab-vs-zoledronic",
        "bp-zoledronic-label",
    ]
    assert radium.given.routes == ("iv", "injection")


def test_side_effects_only_where_a_fact_names_them(kb: KnowledgeBase) -> None:
    effects = {m.id: [link.id for link in m.side_effects] for m in kb.medicines}
    assert effects == {
        "denosumab": ["osteonecrosis-of-the-jaw", "hypocalcaemia"],
        "zoledronic-acid": ["osteonecrosis-of-the-jaw", "hypocalcaemia"],
        "pamidronate": [],
        "ibandronic-acid": [],
        "radium-223": [],
        "strontium-89": ["low-blood-counts"],
        "samarium-153": ["low-blood-counts"],
    }


def test_label_cancers_are_named_in_the_label_text(kb: KnowledgeBase) -> None:
    """The 'listed for' relation claims no cancer its label does not name."""
    for medicine in kb.medicines:
        for label in medicine.labels:
            text = normalize(f"{label.text} {label.condition or ''}")
            for cancer_id in label.cancers:
                cancer = kb.cancer_by_id[cancer_id]
                names = {normalize(n) for n in (cancer.name, *cancer.aliases)}
                assert any(name in text for name in names), (medicine.id, cancer_id)


# --- the spinal instability score ----------------------------------------------------

LOWEST = {
    "location": "rigid",
    "pain": "none",
    "lesion": "blastic",
    "alignment": "normal",
    "collapse": "none",
    "posterolateral": "none",
}
HIGHEST = {
    "location": "junctional",
    "pain": "mechanical",
    "lesion": "lytic",
    "alignment": "subluxation",
    "collapse": "over-50",
    "posterolateral": "bilateral",
}


@pytest.mark.parametrize(
    ("changes", "total", "band", "consult"),
    [
        ({}, 0, "stable", False),
        ({"location": "junctional", "posterolateral": "bilateral"}, 6, "stable", False),
        (
            {"location": "junctional", "posterolateral": "bilateral", "collapse": "involved"},
            7,
            "potentially unstable",
            True,
        ),
        (
            {
                "location": "junctional",
                "pain": "mechanical",
                "lesion": "lytic",
                "alignment": "subluxation",
            },
            12,
            "potentially unstable",
            True,
        ),
        (
            {
                "location": "junctional",
                "pain": "mechanical",
                "lesion": "lytic",
                "alignment": "subluxation",
                "collapse": "involved",
            },
            13,
            "unstable",
            True,
        ),
        (HIGHEST, 18, "unstable", True),
    ],
)
def test_sins_bands_boundaries_and_extremes(
    kb: KnowledgeBase, changes: dict[str, str], total: int, band: str, consult: bool
) -> None:
    result = sins_score(kb, {**LOWEST, **changes})
    assert (result.total, result.band, result.surgical_consultation) == (total, band, consult)
    assert [c.component.id for c in result.components] == list(LOWEST)


@pytest.mark.parametrize(
    ("component", "value", "points"),
    [
        ("location", "junctional", 3),
        ("location", "mobile", 2),
        ("location", "semi-rigid", 1),
        ("location", "rigid", 0),
        ("pain", "mechanical", 3),
        ("pain", "occasional", 1),
        ("pain", "none", 0),
        ("lesion", "lytic", 2),
        ("lesion", "mixed", 1),
        ("lesion", "blastic", 0),
        ("alignment", "subluxation", 4),
        ("alignment", "deformity", 2),
        ("alignment", "normal", 0),
        ("collapse", "over-50", 3),
        ("collapse", "under-50", 2),
        ("collapse", "involved", 1),
        ("collapse", "none", 0),
        ("posterolateral", "bilateral", 3),
        ("posterolateral", "unilateral", 1),
        ("posterolateral", "none", 0),
    ],
)
def test_every_sins_value(kb: KnowledgeBase, component: str, value: str, points: int) -> None:
    result = sins_score(kb, {**LOWEST, component: value})
    assert result.total == points
    chosen = {c.component.id: c.option.points for c in result.components}
    assert chosen[component] == points


def test_sins_answers_forgive_case_and_spacing(kb: KnowledgeBase) -> None:
    assert sins_score(kb, {**LOWEST, "location": "Semi Rigid"}).total == 1


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        (
            {k: v for k, v in LOWEST.items() if k != "pain"},
            "missing SINS component 'pain'; choose one of: mechanical, occasional, none",
        ),
        (
            {**LOWEST, "lesion": "sclerotic"},
            "'sclerotic' is not a value of SINS component 'lesion'; "
            "choose one of: lytic, mixed, blastic",
        ),
        (
            {**LOWEST, "size": "big"},
            "unknown SINS component 'size'; the components are: location, pain, lesion, "
            "alignment, collapse, posterolateral",
        ),
    ],
)
def test_sins_usage_errors(kb: KnowledgeBase, choices: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidChoice) as caught:
        sins_score(kb, choices)
    assert (str(caught.value), caught.value.exit_code) == (message, 2)


def test_sins_sources_fisher_without_pmid(kb: KnowledgeBase) -> None:
    assert kb.sins is not None
    fisher, fourney = (kb.source_by_id[s] for s in kb.sins.sources)
    assert (fisher.doi, fisher.pmid) == ("10.1097/BRS.0b013e3181e16ae2", None)
    assert "PMID" not in fisher.citation
    assert (fourney.doi, fourney.pmid) == ("10.1200/JCO.2010.34.3897", "21709187")


# --- review dates ---------------------------------------------------------------------


def test_every_pack_entry_is_watched_for_review(
    write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    late = {"added": "2020-01-01", "reviewed": "2020-01-01", "next_review": "2021-01-01"}
    raw_data["warnings"][1].update(late)
    raw_data["glossary"][0].update(late)
    raw_data["questions"].update(late)
    raw_data["medicines"][2].update(late)
    raw_data["codes"][0].update(late)
    raw_data["sins"].update(late)
    kb = knowledge.load(write_data(raw_data))
    today = dt.date(2026, 11, 29)
    assert [item.entry for item in overdue(kb, today)] == [
        "urgent-high-calcium",
        "metastasis",
        "pamidronate",
        "icd-10-c79-5",
        "questions",
        "sins-score",
    ]
    assert [p.path for p in review_warnings(kb, today)] == [
        "warnings[1].next_review",
        "glossary[0].next_review",
        "medicines[2].next_review",
        "codes[0].next_review",
        "questions.next_review",
        "sins.next_review",
    ]


def test_nothing_in_the_pack_is_overdue_on_the_pinned_day(kb: KnowledgeBase) -> None:
    assert overdue(kb, dt.date(2026, 11, 29)) == []


# --- the loader's checks --------------------------------------------------------------


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        knowledge.load(path)
    return [f"{p.path}: {p.message}" for p in caught.value.problems]


def test_medicine_references_must_resolve(write_data: WriteData, raw_data: dict[str, Any]) -> None:
    denosumab = raw_data["medicines"][0]
    denosumab["classes"][0]["id"] = "bone-drugs"
    denosumab["updates"][0] = "bma-nothing"
    denosumab["given"]["routes"] = ["skin"]
    denosumab["doses"][0]["updates"] = ["bma-dose"]
    denosumab["labels"][0]["cancers"] = ["lung"]
    denosumab["side_effects"][0]["id"] = "headache"
    denosumab["brands"][0]["sources"] = ["amgen"]
    found = problems_of(write_data(raw_data))
    assert [re.split(r" \(|; ", line)[0] for line in found] == [  # in the file's order
        "medicines[0].classes[0].id: unknown treatment 'bone-drugs'",
        "medicines[0].brands[0].sources[0]: unknown source 'amgen'",
        "medicines[0].given.routes[0]: unknown route 'skin'",
        "medicines[0].doses[0].updates[0]: unknown update 'bma-dose'",
        "medicines[0].labels[0].cancers[0]: unknown cancer 'lung'",
        "medicines[0].side_effects[0].id: unknown side effect 'headache'",
        "medicines[0].updates[0]: unknown update 'bma-nothing'",
    ]


def test_a_name_leads_to_one_treatment_or_medicine(
    write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["treatments"][5]["aliases"].append("Xgeva")
    raw_data["medicines"][1]["aliases"].append("denosumab")
    raw_data["medicines"][2]["brands"] = [{"name": "Zoledronate", "sources": ["macmillan"]}]
    assert problems_of(write_data(raw_data)) == [  # in the file's order
        "medicines[0]: name, alias or brand 'xgeva' is also used by treatments[5]; "
        "each name must lead to one entry",
        "medicines[1]: name or alias 'denosumab' is also used by medicines[0]; "
        "each name must lead to one entry",
        "medicines[2]: name, alias or brand 'zoledronate' is also used by medicines[1]; "
        "each name must lead to one entry",
    ]


def test_fact_ids_are_unique_across_updates_and_warnings(
    write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["warnings"][0]["id"] = "bma-onj"
    assert problems_of(write_data(raw_data)) == [
        "warnings[0].id: duplicate id 'bma-onj', already used by updates[5]"
    ]


def test_score_table_must_add_up(write_data: WriteData, raw_data: dict[str, Any]) -> None:
    sins = raw_data["sins"]
    sins["components"][2]["options"][1]["key"] = "lytic"
    sins["bands"][1]["low"] = 8
    sins["consultation_from"] = 19
    assert problems_of(write_data(raw_data)) == [
        "sins.components[2].options[1].key: duplicate answer 'lytic'",
        "sins.bands[1]: covers 8-12; the bands must run on from 7 without gap or overlap",
        "sins.consultation_from: 19 is outside the totals 0-18",
    ]


def test_doses_and_labels_quote_the_facts_they_name(
    write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["medicines"][0]["doses"][0]["text"] = "120 mg subcutaneously every 2 weeks"
    raw_data["medicines"][4]["labels"][0]["text"] = "any prostate cancer"
    assert problems_of(write_data(raw_data)) == [
        "medicines[0].doses[0].text: is not in the words of the facts it names; quote one of them",
        "medicines[4].labels[0].text: is not in the words of the facts it names; quote one of them",
    ]


def test_pack_dates_must_be_in_order(write_data: WriteData, raw_data: dict[str, Any]) -> None:
    raw_data["glossary"][3]["next_review"] = "2020-01-01"
    assert problems_of(write_data(raw_data)) == [
        "glossary[3].next_review: 2020-01-01 is before glossary[3].reviewed (2026-11-29)"
    ]


# --- the vetted file itself, where the shared folder is beside the repository --------

needs_pack = pytest.mark.skipif(not PACK.is_file(), reason="shared/content is not beside")


def _part(number: int) -> str:
    text = PACK.read_text(encoding="utf-8").split("## Not included", 1)[0]
    return text.split(f"## Part {number}:", 1)[1].split("\n## ", 1)[0]


def _blocks(part: str) -> dict[str, dict[str, Any]]:
    """Each '### id' block: its fields, a field's list items (indented bullets) under it."""
    blocks: dict[str, dict[str, Any]] = {}
    for block in re.split(r"^### ", part, flags=re.MULTILINE)[1:]:
        block_id, body = block.split("\n", 1)
        fields: dict[str, Any] = {}
        current = ""
        for line in body.splitlines():
            field = re.match(r"^- ([a-z ]+):\s*(.*)$", line)
            item = re.match(r"^  - (.*)$", line)
            if field:
                current = field.group(1)
                fields[current] = field.group(2)
                fields[current + " items"] = []
            elif item and current:
                fields[current + " items"].append(item.group(1))
        blocks[block_id.strip()] = fields
    return blocks


def _words(text: str) -> list[str]:
    return text.split()


@needs_pack
def test_every_warning_is_encoded_as_written(kb: KnowledgeBase) -> None:
    blocks = _blocks(_part(1))
    assert list(blocks) == [w.id for w in kb.warnings]
    for warning in kb.warnings:
        fields = blocks[warning.id]
        assert warning.applies_to == fields["applies to"], warning.id
        assert warning.statement == fields["statement"], warning.id
        assert warning.act == fields["act"], warning.id
        assert warning.grade == fields.get("grade"), warning.id
        assert _words(" ".join(warning.detail)) == _words(fields["detail"]), warning.id
        signs = [
            f"{group.when}: {', '.join(group.items)}" if group.when else item
            for group in warning.signs
            for item in (group.items if group.when is None else group.items[:1])
        ]
        assert signs == fields["signs items"], warning.id
        written = " ".join([fields["statement"], fields["act"], fields["detail"], *signs])
        stored = " ".join([warning.statement, warning.act, *warning.detail, *signs])
        assert _numbers(written) == _numbers(stored), warning.id
        citations = [kb.source_by_id[s].citation for s in warning.sources]
        assert citations == fields["source items"], warning.id
        _identifiers_are_recorded(kb, warning.sources)


def _identifiers_are_recorded(kb: KnowledgeBase, source_ids: tuple[str, ...]) -> None:
    for source in (kb.source_by_id[s] for s in source_ids):
        pmid = re.search(r"PMID (\d+)", source.citation)
        doi = re.search(r"doi:(\S+?)\.?(?:\s|$)", source.citation)
        assert source.pmid == (pmid.group(1) if pmid else None), source.id
        assert source.doi == (doi.group(1) if doi else None), source.id


_SINCE_2010_REFERENCES = {
    "ASCO–CCO 2017, in `since-2010.md`": ("van-poznak-2017",),
    "as `bma-onj` in `since-2010.md`": ("saad-2012",),
}
"""Glossary sources that point into the first pack, by the sources of what they name."""


@needs_pack
def test_every_glossary_term_is_encoded_as_written(kb: KnowledgeBase) -> None:
    lines = re.findall(r"^- \*\*(.+?)\*\*: (.*)$", _part(4), flags=re.MULTILINE)
    assert [name.split(" (")[0] for name, _ in lines] == [t.name for t in kb.glossary]
    for (name, text), term in zip(lines, kb.glossary, strict=True):
        abbreviation = re.search(r"\((\w+)\)$", name)
        if abbreviation:
            assert abbreviation.group(1) in term.aliases
        parts = re.findall(r"(.+?)\s\(([^()]+)\)(?=\s+[A-Z]|$)", text)
        assert [p.strip() for p, _ in parts] == [s.text for s in term.definition], term.id
        for (_, cited), statement in zip(parts, term.definition, strict=True):
            if cited in _SINCE_2010_REFERENCES:
                assert statement.sources == _SINCE_2010_REFERENCES[cited], term.id
                continue
            citations = [kb.source_by_id[s].citation for s in statement.sources]
            for reference in cited.split("; "):
                author = reference.split()[0]
                assert any(
                    c == reference + "." or (c.startswith(author) and reference[-8:] in c)
                    for c in citations
                ), (term.id, reference)


@needs_pack
def test_abbreviations_are_only_those_the_packs_use(kb: KnowledgeBase) -> None:
    text = PACK.read_text(encoding="utf-8") + (PACK.parent / "since-2010.md").read_text(
        encoding="utf-8"
    )
    for term in kb.glossary:
        for alias in term.aliases:
            assert alias in text or alias.casefold() in text.casefold(), (term.id, alias)
    upper = [a for t in kb.glossary for a in t.aliases if a.isupper()]
    assert sorted(upper) == ["MSCC", "ONJ", "SRE"]


@needs_pack
def test_questions_are_encoded_as_written(kb: KnowledgeBase) -> None:
    part = _part(5)
    written = re.findall(r"^\d+\. (.*)$", part, flags=re.MULTILINE)
    found = questions(kb)
    assert list(found.items) == written
    (source,) = (kb.source_by_id[s] for s in found.sources)
    assert '"Talking to your doctor about bone metastases"' in part
    assert source.citation == (
        'American Cancer Society, "Talking to your doctor about bone metastases".'
    )


@needs_pack
def test_medicines_brands_and_atc_codes_match_the_pack(kb: KnowledgeBase) -> None:
    names = _part(2).split("### bma-denosumab-myeloma", 1)[0]
    assert sorted(re.findall(r"\*\*(\w+)\*\*", names)) == sorted(
        brand.name for m in kb.medicines for brand in m.brands
    )
    everything = [normalize(n) for m in kb.medicines for n in m.names]
    everything += [normalize(n) for t in kb.treatments for n in t.names]
    assert "prolia" not in everything
    atc = _part(6).split("- ATC", 1)[1].split("\n- source:", 1)[0]
    codes = dict(
        re.findall(
            r"([A-Z]\d\d[A-Z]{2}\d\d) (.+?)(?: \(bisphosphonates, M05BA\))?(?:;|$)", atc, re.M
        )
    )
    assert codes.pop("M05BA02") == "clodronic acid"
    assert {m.atc.code: m.atc.name for m in kb.medicines} == codes
    for medicine in kb.medicines:
        for brand in medicine.brands:
            citations = " ".join(kb.source_by_id[s].citation for s in brand.sources)
            assert brand.name in citations, (medicine.id, brand.name)


def _pack_texts() -> str:
    since = (PACK.parent / "since-2010.md").read_text(encoding="utf-8")
    return " ".join((PACK.read_text(encoding="utf-8") + since).split())


@needs_pack
def test_doses_and_labels_are_the_packs_own_words(kb: KnowledgeBase) -> None:
    texts = _pack_texts()
    facts = {**_facts(), **_blocks(_part(2))}
    for medicine in kb.medicines:
        for dose in medicine.doses:
            assert dose.text in texts, (medicine.id, dose.text)
            for update_id in dose.updates:
                fact = facts.get(update_id) or {}
                stated = " ".join(fact.get(k, "") for k in ("statement", "detail"))
                if fact:
                    assert _numbers(dose.text) <= _numbers(stated), (medicine.id, update_id)
        for label in medicine.labels:
            assert label.text in texts, (medicine.id, label.text)
            for update_id in label.updates:
                stated = " ".join(facts[update_id].get(k, "") for k in ("statement", "detail"))
                assert label.text in " ".join(stated.split()), (medicine.id, update_id)
            if label.condition:
                assert label.condition in texts, (medicine.id, label.condition)
            if label.product:
                assert label.product.split(",")[0] in texts, (medicine.id, label.product)


@needs_pack
def test_diagnosis_codes_match_the_pack(kb: KnowledgeBase) -> None:
    part = " ".join(_part(6).split())
    assert "ICD-10 (WHO edition): C79.5, secondary malignant neoplasm of bone and bone marrow." in (
        part
    )
    assert "C79.5 is a header split into C79.51 (bone) and C79.52 (bone marrow)" in part
    assert [(c.classification, c.edition, c.code, c.title, c.parent) for c in kb.codes] == [
        ("ICD-10", "WHO", "C79.5", "secondary malignant neoplasm of bone and bone marrow", None),
        ("ICD-10-CM", "US", "C79.51", "bone", "C79.5"),
        ("ICD-10-CM", "US", "C79.52", "bone marrow", "C79.5"),
    ]


@needs_pack
def test_sins_table_is_encoded_as_written(kb: KnowledgeBase) -> None:
    fields = _blocks(_part(3))["sins-score"]
    score = kb.sins
    assert score is not None
    assert (score.applies_to, score.statement) == (fields["applies to"], fields["statement"])
    first, *lines = [fields["detail"], *fields["detail items"]]
    table = [
        f"{c.name}: " + "; ".join(f"{o.label} {o.points}" for o in c.options) + "."
        for c in score.components
    ]
    bands = "; ".join(f"{b.low}–{b.high} {b.label}" for b in score.bands)
    top = score.bands[-1].high
    table.append(
        f"Bands: {bands}. A total of {score.consultation_from}–{top} means surgical "
        "consultation is recommended."
    )
    assert [first, *lines] == [score.detail[0], *table, score.detail[1]]
    citations = [kb.source_by_id[s].citation for s in score.sources]
    assert " ".join(citations) == fields["source"]
    _identifiers_are_recorded(kb, score.sources)


@needs_pack
def test_review_dates_match_the_pack(kb: KnowledgeBase) -> None:
    header = PACK.read_text(encoding="utf-8")
    reviewed, due = re.search(r"Reviewed (\S+)\. Next review due (\S+)\.", header).groups()  # type: ignore[union-attr]
    entries: list[Any] = [*kb.warnings, *kb.glossary, *kb.medicines, *kb.codes]
    entries += [kb.questions, kb.sins]
    for entry in entries:
        assert (entry.reviewed.isoformat(), entry.next_review.isoformat()) == (reviewed, due)


def test_a_trusted_load_reads_its_pack_after_a_validation_in_the_same_process() -> None:
    """Building the validator once put the fields' defaults on the KnowledgeBase class,
    so a trusted load made before it read its unbuilt pack fields as empty (kb.codes
    was ()) depending on test order. Each field builds from its own JSON whatever ran
    in between. A fresh interpreter, since the first validation completes the models
    for the whole process."""
    script = (
        "from bonemets_cli import knowledge\n"
        "trusted = knowledge.load()\n"
        "assert sorted(trusted.unbuilt()) == "
        "['codes', 'glossary', 'medicines', 'questions', 'sins', 'warnings']\n"
        "checked = knowledge.check(knowledge.bundled_path()).knowledge\n"
        "print([c.code for c in trusted.codes])\n"
        "for name in ('medicines', 'warnings', 'glossary', 'questions', 'sins', 'codes'):\n"
        "    assert getattr(trusted, name) == getattr(checked, name), name\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        "['C79.5', 'C79.51', 'C79.52']\n",
        "",
    )
