"""What a new user meets in the first hour: short pages, the pager, help that teaches,
options after the command, names without quotes, and sentences in plain words."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bonemets_cli import knowledge
from bonemets_cli.cli import pager

from conftest import DATA_FILE, PINNED_ENV, Run, bonemets_process, load_script, ok

readme_usage = load_script("readme_usage")

CANCERS = ["breast", "prostate", "myeloma", "solid-tumours"]
TREATMENTS = [t.id for t in knowledge.load().treatments]


def at_80(run: Run, *args: str) -> list[str]:
    """The lines of a table page at 80 columns."""
    return ok(run(*args, env={"COLUMNS": "80"})).splitlines()


def flat(text: str) -> str:
    return " ".join(text.split())


# Short pages ---------------------------------------------------------------------------


def test_options_for_breast_cancer_fits_in_100_lines_at_80_columns(run: Run) -> None:
    short = at_80(run, "options", "--cancer", "breast")
    full = at_80(run, "options", "--cancer", "breast", "--full")
    assert len(short) <= 100
    assert len(full) > 2 * len(short)
    assert short[1] == "A short page: add --full for every statement, or run 'bonemets updates'."


@pytest.mark.parametrize("cancer", CANCERS)
def test_every_options_page_is_short_and_keeps_the_footer(run: Run, cancer: str) -> None:
    short = at_80(run, "options", cancer)
    assert len(short) <= 120
    text = flat("\n".join(short))
    assert text.endswith(
        "This is general information, not medical advice. Talk to your care team about "
        "your own treatment."
    )
    assert "from sources dated 2007-2010, shown as written" in text


@pytest.mark.parametrize("treatment", TREATMENTS)
def test_every_show_page_is_at_most_as_long_as_the_full_one(run: Run, treatment: str) -> None:
    short = at_80(run, "show", treatment)
    full = at_80(run, "show", treatment, "--full")
    assert len(short) <= min(len(full), 90)
    assert "This is general information, not medical advice." in flat("\n".join(short))


@pytest.mark.parametrize("cancer", CANCERS)
def test_a_fact_shared_by_several_treatments_is_named_once(run: Run, cancer: str) -> None:
    out = ok(run("options", cancer, "-f", "plain"))
    document = json.loads(ok(run("options", cancer, "-f", "json")))
    for update in document["updates"]:
        title = ("Caution: " if update["caution"] else "") + update["title"]
        assert flat(out).count(title + ";") + flat(out).count(title + "\n") <= 1
        assert title in out, title


def test_a_treatment_sharing_every_fact_points_to_where_they_are_named(run: Run) -> None:
    out = ok(run("options", "breast", "-f", "plain"))
    bma = out.split("\nBone-modifying agents\n", 1)[1].split("\nHormone therapy\n", 1)[0]
    assert "  Since 2010: 8 facts, named under Bisphosphonates\n" in bma
    surgery = out.split("\nSurgery\n", 1)[1].split("\nImmunotherapy\n", 1)[0]
    assert surgery.endswith("  Since 2010: 1 fact, named under Radiation therapy\n")


def _why_and_qualified(page: str) -> list[str]:
    """Every reason a treatment is listed and every qualification, as plain lines."""
    return [
        line.strip()
        for line in page.splitlines()
        if line.startswith(("  Why listed: ", "    ")) or "Qualified since" in line
    ]


@pytest.mark.parametrize("cancer", CANCERS)
def test_the_short_page_keeps_every_reason_and_qualification(run: Run, cancer: str) -> None:
    short = ok(run("options", cancer, "-f", "plain"))
    full = ok(run("options", cancer, "--full", "-f", "plain"))
    kept = _why_and_qualified(short)
    wanted = _why_and_qualified(full)
    # the same reasons and qualifications, each with its sources (numbered per page)
    strip = re.compile(r" \[[0-9, -]+\]$")
    assert [strip.sub("", line) for line in kept] == [strip.sub("", line) for line in wanted]
    assert all(strip.search(line) for line in kept if not line.startswith("Since 2010"))


def test_a_short_page_shows_a_caution_in_full_after_the_fact_it_qualifies(run: Run) -> None:
    out = ok(run("options", "prostate", "-f", "plain"))
    fact = out.index("\nRadium-223 for castration-resistant prostate cancer: Radium-223 is")
    caution = out.index("\nCaution: Radium-223: when not to use it: Radium-223 should not")
    assert fact < caution
    assert "Why: In a trial, adding radium-223 to abiraterone plus prednisone" in out
    show = ok(run("show", "radiopharm", "-f", "plain"))
    assert "\nCaution: Radium-223: when not to use it: Radium-223 should not" in show
    assert "- Strontium-89 and samarium-153\n" in show  # the rest by title


def test_the_short_show_page_lists_later_facts_by_title(run: Run) -> None:
    out = ok(run("show", "bisphosphonates", "-f", "plain"))
    since = out.split("Since 2010: what has changed (9 vetted facts, newest first):\n", 1)[1]
    assert since.startswith(
        "- European guidelines on bone-modifying agents (ESMO 2020)\n"
        "- Denosumab for myeloma (US label)\n"
    )
    assert "Titles only: add --full to read each with its sources." in since
    assert "Denosumab is a newer bone-strengthening drug" not in out
    assert "Denosumab is a newer bone-strengthening drug" in ok(
        run("show", "bisphosphonates", "--full", "-f", "plain")
    )


def test_a_split_short_page_says_how_its_later_facts_are_shown(run: Run) -> None:
    out = ok(run("show", "radiopharm", "-f", "plain"))
    since = out[out.index("Since 2010: what has changed") :]
    assert since.startswith(
        "Since 2010: what has changed (3 vetted facts: 1 by title, 2 in full below):\n"
        "- Strontium-89 and samarium-153\n"
        "\n"
        "Titles only: add --full to read each with its sources.\n"
        "\n"
        "In full: cautions and warnings (2 vetted facts):\n"
        "Radium-223 for castration-resistant prostate cancer: "
    )
    # all in full: one heading counts them all
    full = ok(run("show", "radiopharm", "--full", "-f", "plain"))
    assert "\nSince 2010: what has changed (3 vetted facts, newest first):\n" in full
    assert "In full: cautions" not in full


def test_a_file_path_is_never_broken_inside(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "a-rather-long-folder-name" / "site-packages" / "bonemets_cli" / "data"
    folder.mkdir(parents=True)
    path = folder / "knowledge.json"
    path.write_bytes(DATA_FILE.read_bytes())
    assert len(str(path)) > 80
    # the title wraps at its spaces, and keeps the path whole on a line, past the width
    assert at_80(run, "validate", str(path))[:3] == [
        "Validation of",
        str(path),
        "valid: 0 errors, 0 warnings",
    ]
    # a table that cannot hold it on a line gives way to lines; the path runs past the width
    info = at_80(run, "info", "--data", str(path))
    assert info[2:5] == ["Data file:", str(path), "  chosen with --data or BONEMETS_DATA"]
    # where it fits, it stays in the table
    wide = ok(run("info", "--data", str(path), env={"COLUMNS": str(len(str(path)) + 30)}))
    assert f"Data file         {path}" in wide


def test_a_short_page_lists_its_sources_by_label_on_a_terminal(run: Run) -> None:
    table = at_80(run, "options", "breast")
    sources = next(line for line in table if line.startswith("Sources: "))
    assert sources.startswith("Sources: 1. ACS 2010; 2. AAOS 2007; 3. UMich 2010; ")
    # a document for printing or pasting keeps the full citations
    plain = ok(run("options", "breast", "-f", "plain"))
    assert "\n2. American Academy of Orthopaedic Surgeons. (2007)." in plain


def test_json_is_the_whole_page_either_way(run: Run) -> None:
    short = json.loads(ok(run("options", "breast", "-f", "json")))
    full = json.loads(ok(run("options", "breast", "--full", "-f", "json")))
    assert short == full


def test_wrapped_sub_bullets_keep_their_indent(run: Run) -> None:
    lines = ok(
        run("show", "radiopharm", "-a", "clinician", "--full", env={"COLUMNS": "30"})
    ).splitlines()
    start = lines.index("  - Qualified since 2010")
    assert lines[start + 1 : start + 3] == ["    (Radium-223 for", "    castration-resistant"]


# The pager -------------------------------------------------------------------------------

STUB = "import sys; open(sys.argv[1], 'w', encoding='utf-8').write(sys.stdin.read())"


def on_a_terminal(*args: str, **env: str) -> tuple[int, str]:
    """Run bonemets with stdout on a pseudo-terminal: its exit status and what it showed."""
    clean = {k: v for k, v in os.environ.items() if k not in PINNED_ENV}
    clean.update({k: v for k, v in PINNED_ENV.items() if v is not None})
    clean.update({"COLUMNS": "80", "LINES": "24", **env})
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bonemets_cli", *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
        env=clean,
    )
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: every writer has gone
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert process.wait(timeout=60) == 0
    assert process.stderr is not None and process.stderr.read() == b""
    return 0, shown.decode("utf-8").replace("\r\n", "\n")


def stub_pager(tmp_path: Path) -> tuple[str, Path]:
    caught = tmp_path / "paged.txt"
    command = f"{shlex.quote(sys.executable)} -c {shlex.quote(STUB)} {shlex.quote(str(caught))}"
    return command, caught


def test_a_long_page_on_a_terminal_opens_in_the_pager(tmp_path: Path) -> None:
    command, caught = stub_pager(tmp_path)
    _, shown = on_a_terminal("options", "breast", PAGER=command)
    assert shown == ""  # the page went to the pager, not past it
    paged = caught.read_text(encoding="utf-8")
    assert paged.startswith("Treatment options: Breast cancer\n")
    assert paged.count("\n") > 24
    assert "This is general information, not medical advice." in paged


def test_a_page_that_fits_the_terminal_is_not_paged(tmp_path: Path) -> None:
    command, caught = stub_pager(tmp_path)
    _, shown = on_a_terminal("factors", PAGER=command, LINES="200")
    assert shown.startswith("Treatment depends on\n")
    assert not caught.exists()


@pytest.mark.parametrize("where", ["before", "after"])
def test_no_pager_writes_the_page_to_the_terminal(tmp_path: Path, where: str) -> None:
    command, caught = stub_pager(tmp_path)
    args = ["--no-pager", "options", "breast"] if where == "before" else ["options", "breast"]
    if where == "after":
        args.append("--no-pager")
    _, shown = on_a_terminal(*args, PAGER=command)
    assert shown.startswith("Treatment options: Breast cancer\n")
    assert not caught.exists()


def test_no_pager_opens_in_a_pipe(tmp_path: Path) -> None:
    command, caught = stub_pager(tmp_path)
    result = bonemets_process("options", "breast", PAGER=command, LINES="24")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("Treatment options: Breast cancer\n")
    assert not caught.exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("less -R", ["less", "-R"]),
        ("most", ["most"]),
        ("", None),
        ("cat", None),
        ("'unbalanced", None),
    ],
)
def test_pager_comes_from_the_environment(value: str, expected: list[str] | None) -> None:
    assert pager.pager_command({"PAGER": value}) == expected


def test_a_pager_that_cannot_start_leaves_the_page_on_stdout(tmp_path: Path) -> None:
    assert pager.page("text\n", [str(tmp_path / "no-such-pager")], sys.stdout) is False


# Help that teaches -----------------------------------------------------------------------

PANELS = {
    "For patients and carers": [
        "list",
        "show",
        "options",
        "side-effects",
        "compare",
        "complementary",
        "factors",
        "prognosis",
        "search",
    ],
    "For clinicians": ["updates", "sources", "handout"],
    "For curators and programs": ["validate", "schema", "info"],
}


def test_commands_are_grouped_by_who_uses_them() -> None:
    text = readme_usage.help_text()
    for panel, commands in PANELS.items():
        box = text.split(f"─ {panel} ", 1)[1].split("╰", 1)[0]
        listed = re.findall(r"^│ ([a-z-]+) ", box, re.MULTILINE)
        assert [c for c in listed if c in commands] == commands, panel


def test_no_flag_shows_a_bool_placeholder() -> None:
    assert "<bool>" not in readme_usage.help_text()
    for command in readme_usage.commands():
        assert "<bool>" not in readme_usage.help_text(command), command


def _examples(command: str) -> list[str]:
    text = readme_usage.help_text(command)
    block = text.split("\n Examples:\n", 1)[1]
    return [line.strip().removeprefix("$ bonemets ") for line in block.splitlines() if "$" in line]


@pytest.mark.parametrize("command", readme_usage.commands())
def test_every_command_has_examples_that_work(run: Run, command: str) -> None:
    examples = _examples(command)
    assert examples, command
    for example in examples:
        words = shlex.split(example.split(" > ", 1)[0])
        assert words[0] == command
        result = run(*words)
        assert (result.exit_code, result.stderr) == (0, ""), example
        assert result.stdout


# Root options after the command, names without quotes -----------------------------------


def test_root_options_may_follow_the_command(run: Run, tmp_path: Path) -> None:
    after = run("list", "--color", "never", "-f", "plain")
    before = run("--color", "never", "list", "-f", "plain")
    assert ok(after) == ok(before)
    copy = tmp_path / "k.json"
    copy.write_text(knowledge.bundled_path().read_text(encoding="utf-8"), encoding="utf-8")
    document = json.loads(ok(run("info", "--data", str(copy), "-f", "json")))
    assert document["data"]["path"] == str(copy) and document["data"]["bundled"] is False
    assert ok(run("info", f"--data={copy}", "-f", "json")) == ok(
        run("--data", str(copy), "info", "-f", "json")
    )


def test_words_after_a_double_dash_stay_where_they_are() -> None:
    from bonemets_cli.cli.words import root_options_first

    assert root_options_first(["search", "--", "--color"]) == ["search", "--", "--color"]
    assert root_options_first(["show", "chemo", "--no-pager", "--color", "never"]) == [
        "--no-pager",
        "--color",
        "never",
        "show",
        "chemo",
    ]


@pytest.mark.parametrize(
    ("words", "quoted"),
    [
        (["show", "zoledronic", "acid"], ["show", "zoledronic acid"]),
        (["show", "immune", "therapy"], ["show", "immune therapy"]),
        (["options", "solid", "tumours"], ["options", "--cancer", "solid tumours"]),
        (["options", "--cancer", "solid", "tumours"], ["options", "--cancer", "solid tumours"]),
        (
            ["options", "--avoid", "being", "sick", "--cancer", "breast"],
            ["options", "--avoid", "being sick", "--cancer", "breast"],
        ),
        (["options", "--goal", "pain", "relief"], ["options", "--goal", "pain relief"]),
        (["updates", "--treatment", "zoledronic", "acid"], ["updates", "-t", "zoledronic acid"]),
        (["updates", "--treatment=zoledronic", "acid"], ["updates", "-t", "zoledronic acid"]),
        (
            ["updates", "-t", "zoledronic", "acid", "--cancer", "solid", "tumours"],
            ["updates", "-t", "zoledronic acid", "--cancer", "solid tumours"],
        ),
        (
            ["compare", "zoledronic", "acid", "denosumab"],
            ["compare", "zoledronic acid", "denosumab"],
        ),
        (["compare", "chemo", "radiation", "therapy"], ["compare", "chemo", "radiation therapy"]),
        (
            ["compare", "hormone", "therapy", "immune", "therapy", "surgery"],
            ["compare", "hormone therapy", "immune therapy", "surgery"],
        ),
        (
            ["side-effects", "radiation", "therapy", "chemo"],
            ["side-effects", "radiation therapy", "chemo"],
        ),
        (["side-effects", "--has", "being", "sick"], ["side-effects", "--has", "being sick"]),
        (["handout", "--cancer", "solid", "tumours"], ["handout", "--cancer", "solid tumours"]),
        (["glossary", "spinal", "cord", "compression"], ["glossary", "spinal cord compression"]),
    ],
)
def test_names_of_several_words_need_no_quotes(
    run: Run, words: list[str], quoted: list[str]
) -> None:
    assert ok(run(*words, "-f", "plain")) == ok(run(*quoted, "-f", "plain"))


@pytest.mark.parametrize(
    ("words", "first_line"),
    [
        (
            ["updates", "--treatment", "zoledronic", "acid"],
            "Since 2010: 9 vetted facts, newest first",
        ),
        (["compare", "zoledronic", "acid", "denosumab"], "Compared: Zoledronic acid, Denosumab"),
        (["compare", "chemo", "radiation", "therapy"], "Compared: Chemotherapy, Radiation therapy"),
        (["side-effects", "--has", "being", "sick"], "Treatments that can cause: Vomiting"),
    ],
)
def test_a_name_of_several_words_finds_its_entry(
    run: Run, words: list[str], first_line: str
) -> None:
    assert ok(run(*words, "-f", "plain")).splitlines()[0] == first_line


@pytest.mark.parametrize(
    ("words", "line"),
    [
        (
            ["compare", "chemo", "radiaton", "therapy"],
            "Error: no treatment or medicine matches 'radiaton therapy'. Did you mean: "
            "radiation-therapy? Run 'bonemets list' to see every treatment; a treatment's "
            "page names its medicines.",
        ),
        (
            ["compare", "zoledronik", "acid", "denosumab"],
            "Error: no treatment or medicine matches 'zoledronik acid'. Did you mean: "
            "zoledronic-acid? Run 'bonemets list' to see every treatment; a treatment's "
            "page names its medicines.",
        ),
        (
            ["side-effects", "chemo", "surgry", "radiation", "therapy"],
            "Error: no treatment matches 'surgry'. Did you mean: surgery? Run 'bonemets "
            "list' to see every treatment.",
        ),
    ],
)
def test_a_word_that_starts_no_name_is_named_with_the_closest_names(
    run: Run, words: list[str], line: str
) -> None:
    result = run(*words)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", line + "\n")


def test_words_that_read_as_two_lists_of_names_say_so(
    run: Run, raw_data: dict[str, Any], write_data: Callable[..., Path]
) -> None:
    # "therapy" names counseling here: "physical therapy" is one treatment, or two
    counseling = next(t for t in raw_data["treatments"] if t["id"] == "counseling")
    counseling["aliases"] = [*counseling.get("aliases", []), "therapy"]
    data = str(write_data(raw_data))
    result = run("--data", data, "compare", "physical", "therapy", "chemo")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: the words 'physical therapy chemo' read as two lists of names: as "
        "'physical therapy', 'chemo' or as 'physical', 'therapy', 'chemo'. Put quotes "
        'around each name of several words, e.g. "physical therapy".\n'
    )
    quoted = ok(run("--data", data, "compare", "physical therapy", "chemo", "-f", "plain"))
    assert quoted.splitlines()[0] == "Compared: Physical therapy and exercise, Chemotherapy"
    alone = ok(run("--data", data, "compare", "chemo", "therapy", "-f", "plain"))
    assert alone.splitlines()[0] == "Compared: Chemotherapy, Counseling"


def test_the_cancer_is_given_once(run: Run) -> None:
    result = run("options", "breast", "--cancer", "prostate")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: give the cancer once: with --cancer or without it. Try 'bonemets options --help'.\n"
    )


def test_an_options_name_runs_to_the_next_option() -> None:
    from bonemets_cli.cli.words import names_joined

    options = frozenset({"--cancer", "-c", "--goal"})
    assert names_joined(["--cancer", "solid", "tumours", "-f", "json"], options) == [
        "--cancer",
        "solid tumours",
        "-f",
        "json",
    ]
    assert names_joined(["--cancer=solid", "tumours", "--goal", "pain", "relief"], options) == [
        "--cancer=solid tumours",
        "--goal",
        "pain relief",
    ]
    # other options keep their words; words after -- stay as they are
    assert names_joined(["-f", "plain", "x", "-c", "a", "--", "b"], options) == [
        "-f",
        "plain",
        "x",
        "-c",
        "a",
        "--",
        "b",
    ]


def test_words_split_into_names_the_longest_first() -> None:
    from bonemets_cli import names
    from bonemets_cli.query_pack import treatments_and_medicines

    kb = knowledge.load()
    entries = treatments_and_medicines(kb)

    def split(text: str) -> names.Split:
        return names.split_names(entries, text.split())

    assert split("zoledronic acid denosumab") == names.Split(
        (("zoledronic acid", "denosumab"),), ""
    )
    assert split("stress management and relaxation techniques chemo").readings == (
        ("stress management and relaxation techniques", "chemo"),
    )
    assert split("chemo zoledronik acid radiation") == names.Split((), "zoledronik acid")
    assert split("radiation therapy xyz") == names.Split((), "xyz")
    # a quoted name stays one name
    assert names.split_names(entries, ["radium-223", "bone modifying agents"]).readings == (
        ("radium-223", "bone modifying agents"),
    )
    # linear in the number of words
    assert len(split("chemo " * 20_000).readings[0]) == 20_000


# Sentences a patient reads -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "sentence"),
    [
        (
            ["--goal", "pain"],
            "Only treatments whose sources say they help towards this goal are listed: less pain.",
        ),
        (
            ["--goal", "fractures"],
            "Only treatments whose sources say they help towards this goal are listed: "
            "lower risk of fractures.",
        ),
        (
            ["--goal", "shrink"],
            "Only treatments whose sources say they help towards this goal are listed: "
            "shrinking tumors.",
        ),
        (
            ["--goal", "function"],
            "Only treatments whose sources say they help towards this goal are listed: "
            "restoring bone function.",
        ),
        (
            ["--goal", "feel-better"],
            "Only treatments whose sources say they help towards this goal are listed: "
            "feeling better.",
        ),
        (
            ["--goal", "nausea"],
            "Only treatments whose sources say they help towards this goal are listed: "
            "relieving nausea.",
        ),
        (
            ["--given", "oral"],
            "Only treatments whose sources say they are given this way are listed: by mouth.",
        ),
        (
            ["--given", "iv"],
            "Only treatments whose sources say they are given this way are listed: "
            "into a vein (IV).",
        ),
        (
            ["--bones", "weak"],
            "Only treatments whose sources say what they do for this state of the bone are "
            "listed: weak bone, about to break. For treatments that lower the risk of "
            "fractures, use --goal fractures.",
        ),
        (
            ["--avoid", "nausea"],
            "Treatments whose sources name nausea as a side effect are left out. Treatments "
            "whose sources name no side effects stay listed: ask your care team about their "
            "side effects.",
        ),
    ],
)
def test_filters_are_explained_in_plain_sentences(
    run: Run, filters: list[str], sentence: str
) -> None:
    out = ok(run("options", *filters, "-f", "plain"))
    paragraphs = out.split("\n\n")
    # the sentence is the first paragraph after the pointer to `bonemets urgent`
    pointer = next(i for i, p in enumerate(paragraphs) if p.endswith(": bonemets urgent"))
    assert paragraphs[pointer + 1] == sentence


@pytest.mark.parametrize("entry", ["bisphosphonates", "bma-onj", "prognosis", "rp-radium-223"])
def test_sources_for_labels_each_statement_in_words(run: Run, entry: str) -> None:
    out = ok(run("sources", "--for", entry, "-f", "plain"))
    labels = re.findall(r"^([^ \n-][^:\n]*): ", out, re.MULTILINE)
    body = [label for label in labels if not label.startswith(("Since 2010", "Founding text"))]
    assert body
    assert not [label for label in body if re.search(r"[\[\]_]|^[a-z]", label)], body


def test_sources_for_an_update_says_which_words_are_for_whom(run: Run) -> None:
    out = ok(run("sources", "--for", "rp-radium-223", "-f", "plain"))
    assert "\nFor patients: Radium-223 is an injected radioactive medicine" in out
    assert "\nFor clinicians: Dose: 50 kBq/kg IV every 4 weeks for 6 injections.\n" in out
