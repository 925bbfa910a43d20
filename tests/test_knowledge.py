"""The knowledge file: the bundled one is valid, and a broken one says exactly what is wrong."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bonemets_cli import knowledge
from bonemets_cli.errors import DataError
from bonemets_cli.models import CITING, KnowledgeBase, walk

from conftest import DATA_FILE, line_of, load_script

WriteData = Callable[..., Path]


def problems_of(path: Path) -> list[str]:
    """What is wrong, without where: locations have tests of their own."""
    with pytest.raises(DataError) as caught:
        knowledge.load(path)
    return [f"{p.path}: {p.message}" if p.path else p.message for p in caught.value.problems]


def located(path: Path) -> list[tuple[int | None, int | None, str]]:
    return [(p.line, p.column, p.path) for p in knowledge.check(path).problems]


def test_bundled_file_is_the_repository_data() -> None:
    assert knowledge.bundled_path().read_bytes() == DATA_FILE.read_bytes()


def test_bundled_data_holds_the_whole_founding_text(kb: KnowledgeBase) -> None:
    seed = [t for t in kb.treatments if t.origin == "founding-text"]
    kinds = [t.kind for t in seed]
    assert kinds.count("main") + kinds.count("other") == 7
    assert kinds.count("complementary") == 8
    assert [t.id for t in seed if t.kind != "complementary"] == [
        "chemotherapy",
        "radiation-therapy",
        "radiopharmaceutical-therapy",
        "surgery",
        "bisphosphonates",
        "hormone-therapy",
        "immunotherapy",
    ]
    assert len(kb.factors) == 5
    assert len(kb.prognosis) == 2
    assert [
        (s.id, s.year, s.retrieved.isoformat() if s.retrieved else None) for s in kb.sources[:3]
    ] == [
        ("aaos-2007", 2007, "2010-10-07"),
        ("acs-2010", 2010, "2010-10-04"),
        ("umich-2010", 2010, "2010-10-07"),
    ]
    assert kb.source_years == (2007, 2010)
    assert kb.schema_version == 1
    assert kb.content.reviewed.isoformat() == "2026-11-28"


def test_every_statement_cites_a_known_source(kb: KnowledgeBase) -> None:
    cited = [node for _, node in walk(kb) if isinstance(node, CITING)]
    assert len(cited) > 60
    for node in cited:
        assert node.sources
        assert set(node.sources) <= set(kb.source_by_id)


def test_seed_restrictions_are_encoded(kb: KnowledgeBase) -> None:
    by_id = {t.id: t for t in kb.treatments}

    def by_seed(treatment_id: str) -> list[str]:
        listed = by_id[treatment_id].listed_for
        return [x.cancer for x in listed if x.basis == "founding-text"]

    assert by_seed("bisphosphonates") == ["breast", "myeloma"]
    assert by_seed("hormone-therapy") == ["breast", "prostate"]
    seed = [t for t in kb.treatments if t.origin == "founding-text"]
    limited = {"bisphosphonates", "hormone-therapy"}
    assert all(t.not_limited == (t.id not in limited) for t in seed)


def test_prostrate_typo_is_corrected_but_kept_as_alias(kb: KnowledgeBase) -> None:
    prostate = kb.cancer_by_id["prostate"]
    assert prostate.name == "Prostate cancer"
    assert "prostrate" in prostate.aliases
    text = DATA_FILE.read_text(encoding="utf-8")
    assert text.count("prostrate") == 2  # the two aliases, nowhere in running text


def test_unknown_field_is_named_by_path(write_data: WriteData, raw_data: dict[str, Any]) -> None:
    raw_data["treatments"][2]["colour"] = "red"
    assert problems_of(write_data(raw_data)) == [
        "treatments[2].colour: unknown field; check its spelling or remove it"
    ]


def test_every_problem_is_reported_at_once(write_data: WriteData, raw_data: dict[str, Any]) -> None:
    del raw_data["treatments"][0]["name"]
    raw_data["treatments"][1]["kind"] = "surgery"
    raw_data["sources"][0]["year"] = "last year"
    assert problems_of(write_data(raw_data)) == [
        "sources[0].year: Input should be a valid integer, unable to parse string as an integer "
        "(got 'last year')",
        "treatments[0].name: required field is missing",
        "treatments[1].kind: Input should be 'main', 'other' or 'complementary' (got 'surgery')",
    ]


def test_dangling_references_are_named_by_path(
    write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["treatments"][0]["side_effects"][1]["id"] = "headache"
    raw_data["treatments"][4]["listed_for"][1]["cancer"] = "lung"
    raw_data["prognosis"][0]["sources"] = ["acs-2011"]
    raw_data["treatments"][0]["given"]["routes"] = ["iv", "rectal"]
    assert problems_of(write_data(raw_data)) == [
        "treatments[0].given.routes[1]: unknown route 'rectal' "
        "(known: external, injection, iv, medicine, oral, surgery)",
        "treatments[0].side_effects[1].id: unknown side effect 'headache' (known: appetite-loss, "
        "hair-loss, hypocalcaemia, infection, low-blood-counts, low-platelets, low-white-cells, "
        "nausea, osteonecrosis-of-the-jaw, vomiting)",
        "treatments[4].listed_for[1].cancer: unknown cancer 'lung' (known: breast, myeloma, "
        "prostate, solid-tumours)",
        "prognosis[0].sources[0]: unknown source 'acs-2011' (known: aaos-2007, acs-2010, astro-2017, "
        "astro-2024, body-2015, cochrane-cd004721, curr-oncol-rep-2015, eanm-2018, ema-xofigo-2018, "
        "era-223, esmo-2020, fda-xgeva-2010, fizazi-2011, himelstein-2017, nci-radium-2013, "
        "nice-ta265, parker-2013, raje-2018, ryu-2023, saad-2012, sahgal-2021, umich-2010, "
        "van-poznak-2017, xgeva-label, xgeva-label-current, zoledronic-label-us, zoom-2013)",
    ]


def test_duplicate_ids_and_shared_aliases(write_data: WriteData, raw_data: dict[str, Any]) -> None:
    raw_data["side_effects"][1]["id"] = "hair-loss"
    raw_data["treatments"][3]["aliases"] = ["chemo"]
    found = problems_of(write_data(raw_data))
    assert "side_effects[1].id: duplicate id 'hair-loss', already used by side_effects[0]" in found
    assert (
        "treatments[3]: name or alias 'chemo' is also used by treatments[0]; "
        "each name must lead to one entry"
    ) in found


def test_statement_without_source_is_rejected(
    write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["overview"][0]["sources"] = []
    assert problems_of(write_data(raw_data)) == [
        "overview[0].sources: Tuple should have at least 1 item after validation, not 0"
    ]


@pytest.mark.parametrize(
    ("character", "code"),
    [("\x1b[31m", "001B"), ("\x00", "0000"), ("\x9b", "009B"), ("\u202e", "202E")],
)
def test_control_and_bidi_characters_are_rejected(
    write_data: WriteData, raw_data: dict[str, Any], character: str, code: str
) -> None:
    raw_data["treatments"][0]["summary"]["text"] = f"bad {character}text"
    (problem,) = problems_of(write_data(raw_data))
    assert problem.startswith(
        f"treatments[0].summary.text: contains the control or bidirectional character U+{code}"
    )


def test_review_date_before_reviewed_is_rejected(
    write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["content"]["next_review"] = "2020-01-01"
    assert problems_of(write_data(raw_data)) == [
        "content.next_review: 2020-01-01 is before content.reviewed (2026-11-28)"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "is empty; a knowledge file is a JSON object"),
        ("   \n", "is empty; a knowledge file is a JSON object"),
        ('{"a": 1,\n "b": }', "is not valid JSON: Expecting value"),
        ("[1, 2]", "top level is a JSON array; a knowledge file is an object"),
        ('"text"', "top level is a JSON string; a knowledge file is an object"),
        ("[" * 100_000, "is nested too deeply to be a knowledge file"),
    ],
)
def test_unparseable_files(write_data: WriteData, text: str, expected: str) -> None:
    assert problems_of(write_data(text)) == [expected]


def test_duplicate_keys_are_rejected_with_their_place(
    write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    text = json.dumps(raw_data, indent=2).replace(
        '"label": "ACS 2010",', '"label": "ACS 2010",\n      "label": "ACS",', 1
    )
    path = write_data(text)
    assert problems_of(path) == [
        "sources[1].label: duplicate key; json keeps only the last one, "
        "so each key may appear once in an object"
    ]
    second_label = line_of(path, '"label": "ACS",')
    assert located(path) == [(second_label, 7, "sources[1].label")]


def test_problems_are_located_by_line_and_column(
    write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["treatments"][2]["colour"] = "red"
    del raw_data["treatments"][3]["name"]
    raw_data["prognosis"][0]["sources"] = ["nobody"]
    path = write_data(raw_data)
    lines = path.read_text(encoding="utf-8").splitlines()
    found = located(path)
    assert [where for _, _, where in found] == [
        "treatments[2].colour",
        "treatments[3].name",
        "prognosis[0].sources[0]",
    ]
    colour, name, source = found
    assert lines[colour[0] - 1].strip() == '"colour": "red"'  # type: ignore[index]
    assert lines[name[0] - 1].strip() == "{"  # the entry missing the field  # type: ignore[index]
    assert lines[source[0] - 1].strip() == '"nobody"'  # type: ignore[index]
    assert lines[source[0] - 1][source[1] - 1] == '"'  # type: ignore[index]


def test_json_syntax_error_has_line_and_column(write_data: WriteData) -> None:
    assert located(write_data('{"a": 1,\n "b": }')) == [(2, 7, "")]


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + DATA_FILE.read_bytes())
    assert knowledge.load(path).treatments[0].id == "chemotherapy"


def test_invalid_utf8_and_latin1(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{\n"title": "caf\u00e9"}'.encode("latin-1"))
    assert problems_of(path) == ["is not valid UTF-8 (byte 0xE9 on line 2); save it as UTF-8"]


def test_unreadable_paths(tmp_path: Path) -> None:
    assert problems_of(tmp_path) == ["is a directory, not a knowledge file"]
    assert problems_of(tmp_path / "missing.json") == ["does not exist; check the path"]


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(knowledge.MAX_BYTES + 1)
    (problem,) = problems_of(path)
    assert problem.startswith("is 33,554,433 bytes, over the 33,554,432-byte limit")


def test_data_error_lines_name_the_file(write_data: WriteData, raw_data: dict[str, Any]) -> None:
    raw_data["treatments"][0]["kind"] = "x"
    path = write_data(raw_data)
    with pytest.raises(DataError) as caught:
        knowledge.load(path)
    line = line_of(path, '"kind": "x"')
    assert caught.value.lines() == [
        f"{path}: treatments[0].kind: Input should be 'main', 'other' or 'complementary' "
        f"(got 'x') (line {line}, column 7)"
    ]
    assert caught.value.exit_code == 3


def test_json_path() -> None:
    assert knowledge.json_path(("treatments", 0, "side_effects", 2, "id")) == (
        "treatments[0].side_effects[2].id"
    )
    assert knowledge.json_path(()) == "(top level)"


def test_data_file_is_in_canonical_layout() -> None:
    """Curators diff this file; scripts/format_data.py keeps its layout stable."""
    text = DATA_FILE.read_text(encoding="utf-8")
    assert load_script("format_data").canonical(text) == text, "run: python scripts/format_data.py"


def test_recorded_digest_is_of_the_validated_bytes() -> None:
    data = DATA_FILE.read_bytes()
    recorded = knowledge.recorded_digest_path(DATA_FILE).read_text(encoding="ascii")
    assert recorded == f"{knowledge.digest(data)}  knowledge.json\n", (
        "run: python scripts/format_data.py"
    )
    assert knowledge.check(DATA_FILE).problems == ()


def test_known_good_bundled_file_reads_as_if_validated(kb: KnowledgeBase) -> None:
    validated = knowledge.check(knowledge.bundled_path()).knowledge
    assert validated is not None
    assert knowledge.load() == validated
    assert [t.record() for t in kb.treatments] == [
        t.model_dump(mode="json") for t in validated.treatments
    ]


def test_edited_bundled_file_is_validated_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, raw_data: dict[str, Any]
) -> None:
    """Bytes that differ from the recorded digest never skip validation."""
    bundled = tmp_path / "knowledge.json"
    raw_data["treatments"][0]["kind"] = "surgery"
    bundled.write_text(json.dumps(raw_data), encoding="utf-8")
    stamp = knowledge.recorded_digest_path(DATA_FILE).read_text(encoding="ascii")
    (tmp_path / "knowledge.sha256").write_text(stamp, encoding="ascii")
    monkeypatch.setattr(knowledge, "bundled_path", lambda: bundled)
    with pytest.raises(DataError) as caught:
        knowledge.load()
    assert [p.path for p in caught.value.problems] == ["treatments[0].kind"]


def test_bundled_content_is_within_its_review_date(kb: KnowledgeBase) -> None:
    """Fails on purpose once the content is due for review, so CI cannot miss it."""
    today = dt.date.today()
    late = [u.id for u in kb.updates if u.next_review < today]
    assert kb.content.next_review >= today and not late, (
        f"due for review: content {kb.content.next_review}, updates {late}; review them "
        "against current guidance and move their dates on"
    )


def test_missing_top_level_field_points_at_the_object(
    write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    del raw_data["prognosis"]
    assert located(write_data(raw_data)) == [(1, 1, "prognosis")]


def test_safe_text_pattern_and_terminal_rule_agree() -> None:
    """Validation refuses exactly the characters the terminal would escape."""
    import re

    from bonemets_cli.models import SAFE_TEXT_PATTERN
    from bonemets_cli.terminal import UNSAFE

    for code in [*range(0x2100), 0x2066, 0x2067, 0x2068, 0x2069, 0x206A, 0xFEFF]:
        character = chr(code)
        refused = re.fullmatch(SAFE_TEXT_PATTERN, f"a{character}b") is None
        assert refused == bool(UNSAFE.search(character)), hex(code)
