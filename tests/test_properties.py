"""Property-based: any data string, any argument, any command, any format: no crash, no garble."""

from __future__ import annotations

import copy
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bonemets_cli import knowledge
from bonemets_cli.cli import app
from bonemets_cli.views.page import JSON_FORMAT_VERSION
from bonemets_cli.views.reference import holds_word

from conftest import FORMATS, PINNED_ENV, TODAY, examples

BASE: dict[str, Any] = json.loads(knowledge.bundled_path().read_text(encoding="utf-8"))
RUNNER = CliRunner()

# Anything at all, with the troublemakers made likely: markup, emoji codes, escapes,
# control and bidirectional characters, and very long text.
troublemakers = st.sampled_from(
    [
        "[bold]",
        "[/]",
        "[link=http://x]",
        ":pill:",
        "\x1b[31m",
        "\x1b]8;;x\x07",
        "\x00",
        "\x85",
        "\u202e",
        "\u2066",
        "\r\n",
        "\t",
        "\\",
        "|",
        "*",
        "#",
        "<script>",
        "é",
        "\u2013",
        "\U0001f48a",
    ]
)
data_text = st.lists(st.one_of(st.text(max_size=30), troublemakers), max_size=8).map("".join)
argument = st.one_of(data_text, st.text(max_size=5), st.just("x" * 10_000))

# Where a curator's string may land: names, statements, list items, citations.
FIELDS = [
    ("treatments", 0, "name"),
    ("treatments", 1, "summary", "text"),
    ("treatments", 3, "details", 0, "items", 2),
    ("treatments", 5, "aliases", 0),
    ("sources", 1, "citation"),
    ("updates", 0, "statement"),
    ("updates", 4, "detail", 1),
    ("cancers", 0, "name"),
    ("side_effects", 3, "name"),
]


def _commands(arg: str) -> list[list[str]]:
    return [
        ["list"],
        ["show", "chemotherapy"],
        ["show", arg],
        ["options", "--cancer", "breast"],
        ["options", "--cancer", arg],
        ["updates", "--audience", "clinician"],
        ["updates", "--treatment", arg],
        ["sources"],
        ["sources", "--for", arg],
        ["validate"],
        ["search", arg],
        ["compare", "chemo", arg],
        ["side-effects", arg],
        ["side-effects", "--has", arg],
        ["options", "--goal", arg, "--avoid", "nausea"],
        ["options", "--avoid", arg],
        ["handout", "--cancer", "breast"],
        ["info"],
    ]


COMMAND = st.integers(min_value=0, max_value=len(_commands("x")) - 1)
VALIDATE = 9


def _set(data: dict[str, Any], where: tuple[Any, ...], value: str) -> None:
    target: Any = data
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value


def _check(result: Any, output_format: str) -> None:
    assert result.exit_code in (0, 1, 2, 3), result.exception
    assert "Traceback" not in result.stdout + result.stderr
    assert "\x1b" not in result.stdout + result.stderr  # nothing here goes to a TTY
    if output_format == "html":  # every data string is escaped: no markup but ours
        assert "<script" not in result.stdout.casefold()
    if result.exit_code == 0 and output_format == "json":
        document = json.loads(result.stdout)
        header = document.get("meta", document)  # validate's report is its own header
        assert (header["tool"], header["json_format"]) == ("bonemets", JSON_FORMAT_VERSION)


@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    value=data_text,
    where=st.sampled_from(FIELDS),
    arg=argument,
    command=COMMAND,
    output_format=st.sampled_from(FORMATS),
)
def test_any_data_string_any_command_any_format(
    value: str, where: tuple[Any, ...], arg: str, command: int, output_format: str
) -> None:
    data = copy.deepcopy(BASE)
    _set(data, where, value)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "k.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        args = ["--data", str(path), *_commands(arg)[command], "--format", output_format]
        result = RUNNER.invoke(app, args, env=PINNED_ENV)
    _check(result, output_format)
    if result.exit_code == 0 and output_format == "json" and command == 0:
        stored: Any = json.loads(result.stdout)
        if where[0] == "treatments":  # list prints treatments: the string comes back exactly
            for key in where:
                stored = stored[key]
            assert stored == value


@settings(max_examples=examples(80), deadline=None)
@given(
    arg=argument,
    command=COMMAND,
    output_format=st.sampled_from(FORMATS),
)
def test_any_argument_on_the_bundled_data(arg: str, command: int, output_format: str) -> None:
    args = [*_commands(arg)[command], "--format", output_format]
    result = RUNNER.invoke(app, args, env=PINNED_ENV)
    _check(result, output_format)
    if result.exit_code != 0:
        assert result.stdout == "" or command == VALIDATE
        assert len(result.stderr.splitlines()) == 1


@settings(max_examples=examples(60), deadline=None)
@given(value=data_text.filter(lambda s: s.strip() and s.isprintable()))
@example(value="\u3164")  # HANGUL FILLER: printable, yet it shows nothing
def test_json_round_trips_any_printable_name(value: str) -> None:
    data = copy.deepcopy(BASE)
    data["treatments"][0]["name"] = value
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "k.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        result = RUNNER.invoke(app, ["--data", str(path), "list", "-f", "json"], env=PINNED_ENV)
    if result.exit_code == 0:
        assert json.loads(result.stdout)["treatments"][0]["name"] == value
    else:  # a name that collides with another entry's, or could pass for one, is refused
        assert result.exit_code == 3
        reasons = ("is also used by", "bidirectional", "starts with a space", "mixes")
        reasons += ("shows nothing",)  # printable, yet only invisible characters (U+3164)
        assert any(reason in result.stderr for reason in reasons), result.stderr


# --- validate and the published schema agree (issue 15) -------------------------------

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "knowledge.schema.json").read_text(
        encoding="utf-8"
    )
)


def _get(node: Any, where: tuple[Any, ...]) -> Any:
    for key in where:
        node = node[key]
    return node


def _places(node: Any, where: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the JSON tree below the top, as a path of keys and indices."""
    found = [where] if where else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _places(value, (*where, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _places(value, (*where, index))
    return found


PLACES = _places(BASE)
OBJECTS = [(), *(where for where in PLACES if isinstance(_get(BASE, where), dict))]

# Values that are wrong somewhere and right elsewhere. Not included: a whole number
# written with a decimal point (2012.0), which JSON Schema counts as an integer and
# validate does not (docs/data-format.md says so).
REPLACEMENTS = [
    None,
    0,
    1,
    2012,
    -1,
    1.5,
    True,
    "",
    "1",
    "2012",
    "true",
    "text",
    " leading space",
    "mark\u200e",
    "Chemo",
    "2026-13-01",
    "2026-02-29",
    "2024-02-29",
    "2026-01-01T00:00:00",
    "20260101",
    "NCT01234567",
    [],
    ["a"],
    [1],
    ["acs-2010"],
    {},
    {"text": "x", "sources": ["acs-2010"]},
]

Change = tuple[str, tuple[Any, ...], Any]

mutation = st.one_of(
    st.tuples(st.just("replace"), st.sampled_from(PLACES), st.sampled_from(REPLACEMENTS)),
    st.tuples(st.just("stringify"), st.sampled_from(PLACES), st.none()),
    st.tuples(st.just("add key"), st.sampled_from(OBJECTS), st.sampled_from(["colour", "sumary"])),
    st.tuples(st.just("remove key"), st.sampled_from(PLACES), st.none()),
)


def _apply(data: Any, change: Change) -> None:
    """One hand-editing slip: a wrong value, a number or list written as a string, an
    extra key, a missing key. A place an earlier change removed is left alone."""
    kind, where, value = change
    try:
        if kind == "add key":
            target = _get(data, where)
            if isinstance(target, dict):
                target[value] = "red"
            return
        parent, key = _get(data, where[:-1]), where[-1]
        if kind == "replace":
            parent[key] = value
        elif kind == "stringify":
            old = parent[key]
            if isinstance(old, list):
                parent[key] = ", ".join(str(item) for item in old)
            elif isinstance(old, (int, float)) and not isinstance(old, bool):
                parent[key] = str(old)
        elif isinstance(parent, dict):
            del parent[key]
    except (KeyError, IndexError, TypeError):
        pass


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(mutation, min_size=1, max_size=3))
def test_validate_and_the_published_schema_agree(changes: list[Change]) -> None:
    """Whatever the schema rejects, validate rejects, and what validate's models reject
    the schema rejects too: the rules the schema cannot state (references, unique
    ids and names, date order) are apart, in knowledge.reference_problems."""
    import jsonschema

    data = copy.deepcopy(BASE)
    for change in changes:
        _apply(data, change)
    text = json.dumps(data, ensure_ascii=False)
    checker = jsonschema.Draft202012Validator(SCHEMA)
    schema_errors = [(list(e.absolute_path), e.message[:80]) for e in checker.iter_errors(data)]
    _, model_errors = knowledge.conform(text)
    assert bool(model_errors) == bool(schema_errors), (
        [e["loc"] for e in model_errors],
        schema_errors,
    )
    if schema_errors:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "k.json"
            path.write_text(text, encoding="utf-8")
            assert knowledge.check(path, today=TODAY).knowledge is None


# Text made of words, their plurals and what sits beside them: letters of other
# scripts, digits, the underscore (a word character to \b), spaces and punctuation.
_WORDISH = st.text(alphabet=st.sampled_from(list("ses is_aé1 -.,(ΩSRE")), max_size=24)


@settings(max_examples=examples(400))
@given(
    text=_WORDISH,
    word=_WORDISH.filter(bool),
    endings=st.sampled_from([("s", ""), ("is", "es"), ("s", "es", "")]),
)
@example(text="bone metastases", word="metastas", endings=("is", "es"))
@example(text="SREs and ONJ_x", word="ONJ", endings=("s", ""))
def test_holds_word_finds_what_the_pattern_finds(
    text: str, word: str, endings: tuple[str, ...]
) -> None:
    pattern = rf"\b{re.escape(word)}(?:{'|'.join(endings)})\b"
    assert holds_word(text, word, endings) == bool(re.search(pattern, text))


# The reference checks skip, at C speed, what an object-by-object look would find
# nothing in (a long list of links, 100,000 side effects' names): the two must agree.
_SPELLING = st.one_of(
    st.text(alphabet=st.sampled_from(list("ab -_\t\x00")), max_size=4),
    st.sampled_from(["a", "A-b", "é", "\u200b", "Ａ", "а", "", "  "]),
    st.integers(0, 2),
    st.none(),
)


@settings(max_examples=examples(400))
@given(st.lists(st.one_of(_SPELLING.filter(lambda s: isinstance(s, str)), st.text()), max_size=8))
def test_names_normalised_together_are_each_normalised(spellings: list[str]) -> None:
    from bonemets_cli.knowledge_names import _keys
    from bonemets_cli.models import normalize

    assert _keys(spellings) == [normalize(spelling) for spelling in spellings]


_NAMED_ENTRY = st.fixed_dictionaries(
    {"id": _SPELLING, "name": _SPELLING},
    optional={"aliases": st.one_of(st.lists(_SPELLING, max_size=3), st.just("a"))},
)


@settings(max_examples=examples(400))
@given(st.lists(st.one_of(_NAMED_ENTRY, st.just("not an object")), max_size=6))
def test_names_found_plain_at_once_are_plain_one_at_a_time(entries: list[Any]) -> None:
    from bonemets_cli.knowledge_claims import entries_of
    from bonemets_cli.knowledge_names import names_problems, plain_names
    from bonemets_cli.models import normalize

    problems = list(
        names_problems("side_effects", entries_of({"side_effects": entries}, "side_effects"), set())
    )
    spellings = [
        spelling
        for entry in entries
        if isinstance(entry, dict)
        for spelling in (
            entry["id"],
            entry["name"],
            *(entry.get("aliases") if isinstance(entry.get("aliases"), list) else []),
        )
    ]
    plain = (
        all(isinstance(entry, dict) for entry in entries)
        and all(isinstance(spelling, str) and spelling.isascii() for spelling in spellings)
        and all(normalize(spelling) for spelling in spellings)
        and not problems
    )
    assert plain_names(entries) == plain


_GOOD_LINK = st.fixed_dictionaries(
    {"id": st.sampled_from(["nausea", "vomiting", "hair-loss"])},
    optional={"sources": st.lists(st.sampled_from(["acs-2010", "aaos-2007"]), max_size=2)},
)
_BAD_LINK = st.one_of(
    st.just("not an object"),
    st.fixed_dictionaries(
        {"id": st.sampled_from(["nausea", "no-such-effect", 7])},
        optional={
            "sources": st.one_of(
                st.lists(st.sampled_from(["acs-2010", "no-such-source", 3]), max_size=2),
                st.sampled_from(["acs-2010", "no-such-source", None]),
            ),
            "note": st.sampled_from(
                [{"sources": ["no-such-source"]}, [["x"]], [{}], [{"sources": ["nope"]}]]
            ),
        },
    ),
)


@settings(max_examples=examples(200), deadline=None)
@example(
    [{"id": "nausea", "sources": ["acs-2010"]}] * 60,
    [(5, {"id": "vomiting", "sources": "acs-2010"})],
    "treatments",
)
@example(
    [{"id": "nausea", "sources": ["acs-2010"]}] * 60, [(5, {"id": "no-such-effect"})], "treatments"
)
@given(
    st.lists(_GOOD_LINK, min_size=60, max_size=70),
    st.lists(st.tuples(st.integers(0, 69), _BAD_LINK), max_size=2),
    st.sampled_from(["treatments", "side_effects"]),
)
def test_a_long_list_checked_at_once_reports_what_a_look_at_each_reports(
    links: list[Any], bad: list[tuple[int, Any]], where: str
) -> None:
    """Past knowledge_rules._LONG objects, a list that holds nothing to report is
    skipped whole; what the walk reports must not change, whether the list holds
    something to report (``bad``) or not."""
    from unittest.mock import patch

    from bonemets_cli import knowledge_rules

    for place, link in bad:
        links.insert(place, link)
    data = copy.deepcopy(BASE)
    if where == "treatments":
        data["treatments"][0]["side_effects"] = links
    else:
        data["side_effects"] += [
            {**link, "id": f"effect-{number}", "name": f"Effect {number}", "aliases": []}
            if isinstance(link, dict)
            else link
            for number, link in enumerate(links)
        ]
    skipped: list[bool] = []
    clean = knowledge_rules._clean

    def seen(nodes: list[Any], plan: Any) -> bool:
        skipped.append(clean(nodes, plan))
        return skipped[-1]

    with patch.object(knowledge_rules, "_LONG", 60), patch.object(knowledge_rules, "_clean", seen):
        at_once = list(knowledge_rules.reference_problems(data, today=TODAY))
    with patch.object(knowledge_rules, "_LONG", 10**9):
        each = list(knowledge_rules.reference_problems(data, today=TODAY))
    assert at_once == each
    if not bad:  # nothing to report: the list was skipped whole
        assert True in skipped


def test_a_long_list_whose_objects_have_fields_of_their_own_is_walked_object_by_object() -> None:
    """Read a field at a time, a list costs a pass for every key that any of its
    objects has: where each object has a key of its own (a misnamed field in each,
    issue 17), that is work of the square of the list's length, so such a list is
    walked object by object (the walk then reports each field)."""
    from bonemets_cli import knowledge_rules

    plan = knowledge_rules._Plan(("side_effects",), {"sources": {"acs-2010"}}, quotes=True)
    alike = [{"id": f"effect-{n}", "sources": ["acs-2010"]} for n in range(200)]
    own = [{"id": f"effect-{n}", f"field-{n}": n} for n in range(200)]
    assert knowledge_rules._clean(alike, plan) is True
    assert knowledge_rules._clean(own, plan) is False
