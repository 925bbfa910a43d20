"""The knowledge file: the bundled one is valid, and a broken one says exactly what is wrong."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bonemets_cli import json_text, knowledge, knowledge_messages
from bonemets_cli.errors import DataError, Problem
from bonemets_cli.models import CITING, KnowledgeBase
from bonemets_cli.pack_models import PACK_CITING
from bonemets_cli.query_sources import walk

from conftest import DATA_FILE, TODAY, line_of, load_script

WriteData = Callable[..., Path]


def problems_of(path: Path) -> list[str]:
    """What is wrong, without where: locations have tests of their own."""
    with pytest.raises(DataError) as caught:
        knowledge.load(path, today=TODAY)
    return [f"{p.path}: {p.message}" if p.path else p.message for p in caught.value.problems]


def located(path: Path) -> list[tuple[int | None, int | None, str]]:
    return [(p.line, p.column, p.path) for p in knowledge.check(path, today=TODAY).problems]


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
    cited = [node for _, node in walk(kb) if isinstance(node, (*CITING, *PACK_CITING))]
    assert len(cited) > 60
    assert any(isinstance(node, PACK_CITING) for node in cited)
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
        "treatments[2].colour: unknown key 'colour'; check its spelling or remove it"
    ]


def test_every_problem_is_reported_at_once(write_data: WriteData, raw_data: dict[str, Any]) -> None:
    del raw_data["treatments"][0]["name"]
    raw_data["treatments"][1]["kind"] = "surgery"
    raw_data["sources"][0]["year"] = "last year"
    assert problems_of(write_data(raw_data)) == [
        "sources[0].year: should be a whole number, not a string ('last year')",
        "treatments[0].name: required key 'name' is missing",
        "treatments[1].kind: should be 'main', 'other' or 'complementary', not 'surgery'",
    ]


def test_dangling_references_are_named_by_path(
    write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["treatments"][0]["side_effects"][1]["id"] = "headache"
    raw_data["treatments"][4]["listed_for"][1]["cancer"] = "lung"
    raw_data["prognosis"][0]["sources"] = ["acs-2011"]
    raw_data["treatments"][0]["given"]["routes"] = ["iv", "rectal"]
    assert problems_of(write_data(raw_data)) == [
        "treatments[0].given.routes[1]: unknown route 'rectal' (did you mean 'oral'?)",
        "treatments[0].side_effects[1].id: unknown side effect 'headache'; "
        "no side effect has an id like it",
        "treatments[4].listed_for[1].cancer: unknown cancer 'lung'; no cancer has an id like it",
        "prognosis[0].sources[0]: unknown source 'acs-2011' "
        "(did you mean 'acs-2010', 'astro-2017' or 'fizazi-2011'?)",
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
        "overview[0].sources: should list at least one source, not be empty"
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
        (
            '{"a": 1,\n "b": }',
            "is not valid JSON: expected a value: a string in double quotes, "
            "number, object, array or null",
        ),
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


@pytest.mark.parametrize(
    ("text", "repeated"),
    [
        ('{"a" : 1, "b"\t:2, "c"\n:\n3}', []),
        ('{"a" : 1, "a"\t:2}', ["a"]),
        ('{"x": [{"k" :1, "k": 2}], "k": 3}', ["x[0].k"]),
        # an escaped quote before a colon, in a string, looks like the end of a key
        ('{"a": "say \\"x\\": y", "b": "\\" :"}', []),
        ('{"a": "say \\"x\\": y", "b": {"a": 1, "a": 2}}', ["b.a"]),
    ],
)
def test_duplicate_keys_are_found_however_keys_are_spaced(text: str, repeated: list[str]) -> None:
    """parse counts the places where a key could end ('"', white space, ':') against
    the keys json kept: white space hides no repeated key, and an escaped quote in a
    string makes none up."""
    assert [p.path for p in knowledge.parse(text)[1]] == repeated


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
    assert problem == (
        "is 67,108,865 bytes, over the 67,108,864-byte (64 MiB) limit for a knowledge file"
    )


def test_data_error_lines_name_the_file(write_data: WriteData, raw_data: dict[str, Any]) -> None:
    raw_data["treatments"][0]["kind"] = "x"
    path = write_data(raw_data)
    with pytest.raises(DataError) as caught:
        knowledge.load(path, today=TODAY)
    line = line_of(path, '"kind": "x"')
    assert caught.value.lines() == [
        f"{path}: treatments[0].kind: should be 'main', 'other' or 'complementary', not 'x' "
        f"(line {line}, column 7)"
    ]
    assert caught.value.exit_code == 3


def test_json_path() -> None:
    assert json_text.json_path(("treatments", 0, "side_effects", 2, "id")) == (
        "treatments[0].side_effects[2].id"
    )
    assert json_text.json_path(()) == "(top level)"


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
    assert knowledge.check(DATA_FILE, today=TODAY).problems == ()


def test_known_good_bundled_file_reads_as_if_validated(kb: KnowledgeBase) -> None:
    validated = knowledge.check(knowledge.bundled_path(), today=TODAY).knowledge
    assert validated is not None
    assert knowledge.load() == validated
    from pydantic import TypeAdapter

    from bonemets_cli.models import Treatment

    dump = TypeAdapter(Treatment).dump_python
    assert [t.record() for t in kb.treatments] == [
        dump(t, mode="json") for t in validated.treatments
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


# --- round 2 of hostile input (issue 17) and linter-grade messages (issue 15) ------------


def _not_a_file(path: Path) -> str:
    (problem,) = problems_of(path)
    return problem


def test_devices_fifos_sockets_and_directories_are_refused_at_once(tmp_path: Path) -> None:
    import os
    import socket

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # no writer: opening it for reading would block without O_NONBLOCK
    sock = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock))
    try:
        assert _not_a_file(Path("/dev/zero")) == (
            "is a device, not a file; give the path of a knowledge file"
        )
        assert _not_a_file(Path("/dev/urandom")) == _not_a_file(Path("/dev/zero"))
        assert _not_a_file(Path("/dev/null")) == _not_a_file(Path("/dev/zero"))
        assert _not_a_file(fifo) == (
            "is a FIFO (named pipe), not a file; give the path of a knowledge file"
        )
        assert _not_a_file(sock) == "is a socket, not a file; give the path of a knowledge file"
        assert _not_a_file(tmp_path) == "is a directory, not a knowledge file"
    finally:
        server.close()


def test_a_file_swapped_for_a_device_after_the_check_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What was opened is checked again, not only what the path named before."""
    import os

    path = tmp_path / "k.json"
    path.write_text("{}", encoding="utf-8")
    real_open = os.open
    monkeypatch.setattr(knowledge.os, "open", lambda _path, flags: real_open("/dev/zero", flags))
    assert _not_a_file(path) == "is a device, not a file; give the path of a knowledge file"


def test_a_file_that_grows_past_the_cap_while_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    path = tmp_path / "k.json"
    path.write_text("{}", encoding="utf-8")
    monkeypatch.setattr(knowledge, "MAX_BYTES", 1)
    assert _not_a_file(path) == "is 2 bytes, over the 1-byte (0 MiB) limit for a knowledge file"

    def said_empty(info: os.stat_result) -> os.stat_result:
        fields = list(info)
        fields[6] = 0  # st_size: the size when it was checked, before it grew
        return os.stat_result(fields)

    real_stat, real_fstat = os.stat, os.fstat
    monkeypatch.setattr(knowledge.os, "stat", lambda name: said_empty(real_stat(name)))
    monkeypatch.setattr(knowledge.os, "fstat", lambda fd: said_empty(real_fstat(fd)))
    assert _not_a_file(path) == "is over the 1-byte (0 MiB) limit for a knowledge file"


def test_nesting_too_deep_for_the_models_parser_is_invalid_data(write_data: WriteData) -> None:
    text = '{"schema_version": 1, "x": ' + "[" * 300 + "]" * 300 + "}"
    assert problems_of(write_data(text)) == ["is nested too deeply to be a knowledge file"]


def test_an_integer_of_thousands_of_digits_is_invalid_data(write_data: WriteData) -> None:
    assert problems_of(write_data('{"schema_version": 1' + "0" * 5000 + "}")) == [
        "holds a number of more than 4,300 digits; no knowledge file needs one"
    ]


# PropList.txt (Unicode 15.1), the Bidi_Control property, all 12 code points:
#   061C          ; Bidi_Control # Cf       ARABIC LETTER MARK
#   200E..200F    ; Bidi_Control # Cf   [2] LEFT-TO-RIGHT MARK..RIGHT-TO-LEFT MARK
#   202A..202E    ; Bidi_Control # Cf   [5] LEFT-TO-RIGHT EMBEDDING..RIGHT-TO-LEFT OVERRIDE
#   2066..2069    ; Bidi_Control # Cf   [4] LEFT-TO-RIGHT ISOLATE..POP DIRECTIONAL ISOLATE
BIDI_CONTROL = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def test_bidi_controls_are_exactly_unicodes_list() -> None:
    import unicodedata

    from bonemets_cli.terminal import UNSAFE

    formatting = {"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"}
    derived = {
        code for code in range(0x110000) if unicodedata.bidirectional(chr(code)) in formatting
    }
    # the three marks have ordinary classes (L, R, AL), so are named by code point
    assert derived | {0x061C, 0x200E, 0x200F} == BIDI_CONTROL
    escaped = {
        code
        for code in range(0x110000)
        if UNSAFE.match(chr(code)) and unicodedata.category(chr(code)) not in ("Cc", "Cs")
    }
    assert escaped == BIDI_CONTROL
    # and every lone surrogate: how Python holds a byte of argv or a path that is not UTF-8
    assert {code for code in range(0x110000) if unicodedata.category(chr(code)) == "Cs"} == {
        code for code in range(0xD800, 0xE000) if UNSAFE.match(chr(code))
    }


@pytest.mark.parametrize("code", sorted(BIDI_CONTROL))
def test_every_bidi_control_is_refused_in_data_and_escaped_in_names(
    write_data: WriteData, raw_data: dict[str, Any], code: int
) -> None:
    from bonemets_cli.terminal import escape_controls

    raw_data["overview"][0]["text"] = f"left {chr(code)}right"
    assert problems_of(write_data(raw_data)) == [
        f"overview[0].text: contains the control or bidirectional character U+{code:04X}; "
        f"remove it (got 'left \\u{code:04x}right')"
    ]
    assert escape_controls(f"file{chr(code)}.json") == f"file\\u{code:04x}.json"


@pytest.mark.parametrize(
    ("alias", "clashes_with"),
    [
        ("Che\u0301mo", "Ch\u00e9mo"),  # NFD and NFC
        ("\uff23\uff28\uff25\uff2d\uff2f", "chemo"),  # full-width
        ("che\u200bmo", "chemo"),  # a zero-width space
        ("chemo\u00ad", "chemo"),  # a soft hyphen
    ],
    ids=["nfd-nfc", "full-width", "zero-width", "soft-hyphen"],
)
def test_look_alike_names_clash(
    write_data: WriteData, raw_data: dict[str, Any], alias: str, clashes_with: str
) -> None:
    from bonemets_cli.models import normalize

    raw_data["treatments"][0]["aliases"].append(clashes_with)
    raw_data["treatments"][1]["aliases"].append(alias)
    assert normalize(alias) == normalize(clashes_with)
    assert problems_of(write_data(raw_data)) == [
        f"treatments[1]: name or alias {normalize(alias)!r} is also used by treatments[0]; "
        "each name must lead to one entry"
    ]


def test_names_of_nothing_and_of_mixed_scripts_are_refused(
    write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["treatments"][1]["aliases"] = ["   ", "\u200b\u200d", "chem\u043e"]  # Cyrillic o
    assert problems_of(write_data(raw_data)) == [
        "treatments[1].aliases[0]: starts with a space; remove it "
        "(markdown would show the text as code)",
        "treatments[1].aliases[1]: shows nothing: it is made only of invisible characters",
        "treatments[1].aliases[2]: mixes Latin and Cyrillic letters in one word; write it in "
        "one script (look-alike letters hide a different name)",
    ]


def test_lookups_compare_names_as_validation_does() -> None:
    from bonemets_cli.models import normalize

    assert normalize("\uff23\uff28\uff25\uff2d\uff2f") == normalize("chemo") == "chemo"
    assert normalize("Radiation\u200b-Therapy") == "radiation therapy"
    assert normalize("ST\u0130") == normalize("st\u0069\u0307")


def test_text_starting_with_a_space_is_refused(
    write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["prognosis"][0]["text"] = "    indented, markdown would make it code"
    raw_data["treatments"][0]["name"] = "\u3000Chemo"  # an ideographic space
    assert problems_of(write_data(raw_data)) == [
        "treatments[0].name: starts with a space; remove it (markdown would show the text as code)",
        "prognosis[0].text: starts with a space; remove it (markdown would show the text as code)",
    ]


def test_dates_are_dates_and_in_order(write_data: WriteData, raw_data: dict[str, Any]) -> None:
    raw_data["content"]["next_review"] = 0
    raw_data["updates"][0]["reviewed"] = "2026-01-01T00:00:00"
    raw_data["updates"][1]["added"] = "2026-13-01"
    raw_data["updates"][2]["added"] = "2026-02-29"
    assert problems_of(write_data(raw_data)) == [
        "content.next_review: should be a date (YYYY-MM-DD), not a number (0)",
        "updates[0].reviewed: should be a real date written YYYY-MM-DD, not '2026-01-01T00:00:00'",
        "updates[1].added: should be a real date written YYYY-MM-DD, not '2026-13-01'",
        "updates[2].added: should be a real date written YYYY-MM-DD, not '2026-02-29'",
    ]


def test_dates_in_the_future_or_out_of_order(
    write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["content"]["reviewed"] = "2026-11-30"  # the day after TODAY
    raw_data["updates"][0].update(added="2027-01-01", reviewed="2027-01-01")
    raw_data["updates"][1].update(
        added="2025-01-01", reviewed="2026-01-01", next_review="2025-12-31"
    )
    raw_data["sources"][0]["retrieved"] = "2006-12-31"  # published 2007
    assert problems_of(write_data(raw_data)) == [
        "content.reviewed: 2026-11-30 is in the future (today is 2026-11-29); "
        "give the date the entry was reviewed",
        "sources[0].retrieved: 2006-12-31 is before the source was published (2007)",
        "updates[0].added: 2027-01-01 is in the future (today is 2026-11-29); "
        "give the date the entry was added",
        "updates[0].reviewed: 2027-01-01 is in the future (today is 2026-11-29); "
        "give the date the entry was reviewed",
        "updates[1].next_review: 2025-12-31 is before updates[1].reviewed (2026-01-01)",
    ]


def test_numbers_are_never_read_from_strings(
    write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["sources"][1]["year"] = "2012"
    raw_data["schema_version"] = "1"
    raw_data["updates"][0]["caution"] = "true"
    assert problems_of(write_data(raw_data)) == [
        "schema_version: should be 1, not '1'",
        "sources[1].year: should be a whole number, not a string ('2012')",
        "updates[0].caution: should be true or false, not a string ('true')",
    ]


def test_type_errors_speak_of_the_data(write_data: WriteData, raw_data: dict[str, Any]) -> None:
    raw_data["treatments"][0]["aliases"] = "chemo"
    raw_data["treatments"][1]["summary"] = "Radiation therapy uses high-energy rays."
    raw_data["treatments"][2]["related"] = [1]
    raw_data["treatments"][3]["side_effects"] = {"id": "nausea"}
    raw_data["overview"][0]["sources"] = "acs-2010"
    assert problems_of(write_data(raw_data)) == [
        "overview[0].sources: should be a list of source ids, not a string ('acs-2010')",
        "treatments[0].aliases: should be a list of names, not a string ('chemo')",
        "treatments[1].summary: should be an object, not a string "
        "('Radiation therapy uses high-energy rays.')",
        "treatments[2].related[0]: should be an id, not a number (1)",
        "treatments[3].side_effects: should be a list of objects, not an object",
    ]


def test_a_misspelt_key_is_one_problem(write_data: WriteData, raw_data: dict[str, Any]) -> None:
    raw_data["treatments"][0]["sumary"] = raw_data["treatments"][0].pop("summary")
    raw_data["treatments"][1]["aliasses"] = raw_data["treatments"][1].pop("aliases")
    assert problems_of(write_data(raw_data)) == [
        "treatments[0].sumary: unknown key 'sumary' (did you mean 'summary'?)",
        "treatments[1].aliasses: unknown key 'aliasses' (did you mean 'aliases'?)",
    ]


def test_a_side_effect_linked_twice_from_one_entry_is_refused(
    write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    chemotherapy = raw_data["treatments"][0]
    first = chemotherapy["side_effects"][0]
    chemotherapy["side_effects"].append({"id": first["id"], "sources": first["sources"][:1]})
    denosumab = next(m for m in raw_data["medicines"] if m["id"] == "denosumab")
    denosumab["side_effects"].insert(1, dict(denosumab["side_effects"][0]))
    index = raw_data["medicines"].index(denosumab)
    found = problems_of(write_data(raw_data))
    last = len(chemotherapy["side_effects"]) - 1
    assert found == [
        f"treatments[0].side_effects[{last}].id: side effect {first['id']!r} is linked twice, "
        "already by treatments[0].side_effects[0]; give it one link that cites every source",
        f"medicines[{index}].side_effects[1].id: side effect 'osteonecrosis-of-the-jaw' is "
        f"linked twice, already by medicines[{index}].side_effects[0]; give it one link that "
        "cites every source",
    ]


def test_a_duplicate_id_is_one_problem_naming_both_places(
    write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["goals"][1]["id"] = raw_data["goals"][0]["id"]
    raw_data["goals"][1]["name"] = "Something else"
    raw_data["goals"][1]["aliases"] = []
    old = [g["id"] for g in json.loads(DATA_FILE.read_text(encoding="utf-8"))["goals"]][1]
    found = problems_of(write_data(raw_data))
    assert found[0] == (
        f"goals[1].id: duplicate id {raw_data['goals'][0]['id']!r}, already used by goals[0]"
    )
    # the rest are the references to the id goals[1] had, one a place
    assert all(f"unknown goal {old!r}" in problem for problem in found[1:])


def test_an_unknown_reference_suggests_at_most_three_ids(
    write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["prognosis"][0]["sources"] = ["acs-2011", "nice-ta256", "zzz"]
    assert problems_of(write_data(raw_data)) == [
        "prognosis[0].sources[0]: unknown source 'acs-2011' "
        "(did you mean 'acs-2010', 'astro-2017' or 'fizazi-2011'?)",
        "prognosis[0].sources[1]: unknown source 'nice-ta256' "
        "(did you mean 'nice-ta265' or 'nice-cg75'?)",
        "prognosis[0].sources[2]: unknown source 'zzz'; no source has an id like it",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": [1, 2,]}', "trailing comma: remove the comma before the closing bracket"),
        ('{"a": 1,\n}', "trailing comma: remove the comma before the closing brace"),
        ('{"a": 1 "b": 2}', "missing comma between two items"),
        ('{"a" 1}', "missing colon after a key"),
        ('{"a": "open}', 'unclosed string: a closing " is missing'),
        ('{"a": "tab\there"}', "a line break or tab inside a string; write it as \\n or \\t"),
        ('{"a": [1, 2', "the file ends too soon: a bracket or brace is not closed"),
        ('{"a": 1}}', "more text after the end of the JSON object"),
        ("{'a': 1}", "a key must be a string in double quotes"),
        ('{"a": [,1]}', "a comma with nothing before it: remove it"),
        (
            '{"a": nope}',
            "expected a value: a string in double quotes, number, object, array or null",
        ),
    ],
)
def test_json_syntax_errors_in_words(write_data: WriteData, text: str, message: str) -> None:
    assert problems_of(write_data(text)) == [f"is not valid JSON: {message}"]


def test_reports_list_fifty_problems_and_count_the_rest(
    write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["treatments"][0]["related"] = [f"nothing-{n}" for n in range(4_000)]
    path = write_data(raw_data)
    report = knowledge.check(path, today=TODAY)
    assert report.omitted == 3_950
    assert len(report.problems) == knowledge.MAX_PROBLEMS + 1
    assert [p.path for p in report.problems[:2]] == [
        "treatments[0].related[0]",
        "treatments[0].related[1]",
    ]
    assert report.problems[-1] == Problem(
        "",
        "and 3,950 more errors not listed; fix these and validate again",
        None,
        None,
        "error",
    )
    assert report.problems[49].line == line_of(path, '"nothing-49"')


def test_a_capped_report_lists_the_first_problems_in_the_file(
    write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    """A schema error late in the file is found first, yet the first 50 by line are listed."""
    raw_data["updates"][-1]["colour"] = "red"
    raw_data["treatments"][0]["related"] = [f"nothing-{n}" for n in range(60)]
    path = write_data(raw_data)
    report = knowledge.check(path, today=TODAY)
    listed = report.problems[:-1]
    assert [p.path for p in listed] == [f"treatments[0].related[{n}]" for n in range(50)]
    assert [p.line for p in listed] == [line_of(path, f'"nothing-{n}"') for n in range(50)]
    assert report.omitted == 11
    assert report.problems[-1].message == (
        "and 11 more errors not listed; fix these and validate again"
    )


def test_suggestions_in_a_big_file_compare_a_bounded_number_of_ids() -> None:
    ids = sorted(f"treatment-{n:05d}" for n in range(20_000))
    assert knowledge_messages._closest_id("treatment-01234x", ids)[0] == "treatment-01234"
    assert knowledge_messages._closest_id("zzz", ids) == []


def test_problems_are_located_without_walking_what_holds_none(
    write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    """Only the objects on the way to a problem are walked in Python."""
    raw_data["treatments"] = raw_data["treatments"] * 50
    text = json.dumps(raw_data, indent=2)
    scan = json_text._scan(text, {"treatments[700].kind"})
    assert sorted(scan.starts) == ["", "treatments", "treatments[700]", "treatments[700].kind"]
