"""The command line as a user meets it: output, streams and exit codes, in every format."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bonemets_cli import __version__

from conftest import (
    FORMATS,
    PLAIN_FOOTER,
    PLAIN_SOURCES_1_3,
    Console,
    Run,
    bonemets_process,
    line_of,
)

WriteData = Callable[..., Path]

DATA_COMMANDS = [
    ["list"],
    ["show", "chemotherapy"],
    ["show", "hormone"],
    ["options", "--cancer", "breast"],
    ["options", "--cancer", "prostrate"],
    ["updates"],
    ["updates", "--cancer", "breast", "--audience", "clinician"],
    ["sources"],
    ["sources", "--for", "rp-radium-223"],
    ["side-effects"],
    ["side-effects", "chemotherapy", "radiation"],
    ["side-effects", "--has", "nausea"],
    ["compare", "chemo", "radiation"],
    ["compare", "bisphosphonates", "denosumab", "surgery"],
    ["options", "--cancer", "breast", "--goal", "pain"],
    ["options", "--given", "surgery", "--bones", "weak", "--avoid", "hair loss"],
    ["complementary"],
    ["factors"],
    ["prognosis"],
    ["search", "nausia"],
    ["search", "zoledronic", "acid"],
    ["handout", "--cancer", "prostate"],
    ["info"],
]

FOOTER_PLAIN = PLAIN_SOURCES_1_3 + PLAIN_FOOTER


def test_version(run: Run) -> None:
    result = run("--version")
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"bonemets {__version__}\n", "")


def test_bare_command_shows_help(run: Run) -> None:
    result = run()
    assert result.exit_code == 0
    assert "Usage: bonemets [OPTIONS] COMMAND [ARGS]..." in result.stdout
    for command in ("list", "show", "options"):
        assert f"│ {command} " in result.stdout


@pytest.mark.parametrize("command", DATA_COMMANDS, ids=" ".join)
@pytest.mark.parametrize("output_format", FORMATS)
def test_every_format_of_every_command(run: Run, command: list[str], output_format: str) -> None:
    result = run(*command, "--format", output_format)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert "\x1b" not in out
    if output_format == "json":
        document = json.loads(out)
        assert document["meta"]["disclaimer"].startswith("This is general information")
        assert document["meta"]["founding_sources_years"] == [2007, 2010]
    else:
        flat = " ".join(out.split())
        assert "This is general information, not medical advice." in flat
        assert "from sources dated 2007-2010" in flat
        assert "shown as written (not re-checked since)" in flat
        assert "Facts added since 2010 reviewed 2026-11-28 to 2026-11-29" in flat
    if output_format == "plain":
        assert not set(out) & set("│─┃━╭╮")


@pytest.mark.parametrize("output_format", FORMATS)
def test_validate_in_every_format(run: Run, output_format: str) -> None:
    result = run("validate", "--format", output_format)
    assert (result.exit_code, result.stderr) == (0, "")
    if output_format == "json":
        assert json.loads(result.stdout)["valid"] is True
    else:
        assert "valid: 0 errors, 0 warnings" in result.stdout
        assert (
            "No problems found: 16 treatments (8 main or other, 8 complementary), 15 updates, "
            "57 sources." in " ".join(result.stdout.split())
        )


def test_schema_prints_json(run: Run) -> None:
    result = run("schema")
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout)["title"] == "KnowledgeBase"


def test_show_plain_exact(run: Run) -> None:
    result = run("show", "immunotherapy", "--format", "plain")
    assert result.stdout == (
        "Immunotherapy\n"
        "other treatment; also called: immune therapy\n"
        "\n"
        "Signs that need help now (spinal cord, calcium, broken bone): bonemets urgent\n"
        "\n"
        "From the founding text (sources dated 2007-2010):\n"
        "Summary: This treatment helps the body's immune system to fight cancer. (sources 1-3)\n"
        "How it is given: The founding text does not say.\n"
        "Side effects: These sources do not name its side effects: ask your care team.\n"
        "Who it is for: The founding text does not limit it to particular cancers.\n"
        "Details: Immunotherapy used to treat patients with metastatic cancer includes "
        "(sources 1-3)\n"
        "  - Cytokines\n"
        "  - Monoclonal antibodies\n"
        "  - Tumor vaccines\n"
        "\n" + FOOTER_PLAIN
    )


def test_show_table_exact(run: Run) -> None:
    result = run("show", "IMMUNE THERAPY")
    rule = "─" * 96
    blank = " " * 96
    assert result.stdout == (
        "Immunotherapy\n"
        "other treatment; also called: immune therapy\n"
        "\n"
        "Signs that need help now (spinal cord, calcium, broken bone): bonemets urgent\n"
        "\n"
        "From the founding text (sources dated 2007-2010)\n"
        "Topic             Statement                                                              Sources\n"
        f"{rule}\n"
        "Summary           This treatment helps the body's immune system to fight cancer.         1-3    \n"
        f"{blank}\n"
        "How it is given   The founding text does not say.                                               \n"
        f"{blank}\n"
        "Side effects      These sources do not name its side effects: ask your care team.               \n"
        f"{blank}\n"
        "Who it is for     The founding text does not limit it to particular cancers.                    \n"
        f"{blank}\n"
        "Details           Immunotherapy used to treat patients with metastatic cancer includes   1-3    \n"
        "                   - Cytokines                                                                  \n"
        "                   - Monoclonal antibodies                                                      \n"
        "                   - Tumor vaccines                                                             \n"
        "\n"
        "Sources\n"
        "1. American Academy of Orthopaedic Surgeons. (2007). Metastatic bone disease. Retrieved October 7, \n"
        "2010.\n"
        "2. American Cancer Society. (2010). Bone metastasis. Retrieved October 4, 2010.\n"
        "3. University of Michigan Comprehensive Cancer Center. (2010). Bone metastasis: Treatment. Retrieved\n"
        "October 7, 2010.\n"
        "\n"
        "Founding text: 'Bone Cancer Secondary Treatment', from sources dated 2007-2010, shown as written \n"
        "(not re-checked since). Facts added since 2010 reviewed 2026-11-28 to 2026-11-29; next review due \n"
        "2027-11-28.\n"
        "This is general information, not medical advice. Talk to your care team about your own treatment.\n"
    )


def test_show_cites_the_american_cancer_society_where_the_seed_does(run: Run) -> None:
    out = run("show", "chemo", "--format", "plain").stdout
    assert out.startswith(
        "Chemotherapy\n"
        "main treatment; also called: chemo\n"
        "\n"
        "Signs that need help now (spinal cord, calcium, broken bone): bonemets urgent\n"
        "\n"
        "From the founding text (sources dated 2007-2010):\n"
        "Summary: Chemotherapy is the main treatment for many types of metastatic cancers. "
        "(source 1)\n"
    )
    assert (
        "1. American Cancer Society. (2010). Bone metastasis. Retrieved October 4, 2010.\n" in out
    )


def test_show_json_is_the_stored_record(run: Run, raw_data: dict[str, Any]) -> None:
    document = json.loads(run("show", "surgery", "--format", "json").stdout)
    assert list(document) == [
        "meta",
        "treatment",
        "updates",
        "sources",
        "medicines",
        "names",
        "citations",
    ]
    stored = next(t for t in raw_data["treatments"] if t["id"] == "surgery")
    shown = {k: v for k, v in document["treatment"].items() if k in stored}
    # Statements carry every key, a default (no later fact qualifies it) included.
    for statement in [
        shown["summary"],
        shown["given"],
        *shown["benefits"],
        *shown["bones"],
        *shown["notes"],
    ]:
        assert statement.pop("qualified_by") == []
    assert shown == stored
    assert [u["id"] for u in document["updates"]] == ["rt-astro-2024"]
    assert [s["id"] for s in document["sources"]] == [
        "aaos-2007",
        "acs-2010",
        "umich-2010",
        "astro-2024",
    ]


def test_list_json_shape(run: Run) -> None:
    document = json.loads(run("list", "--format", "json").stdout)
    assert list(document) == ["meta", "treatments", "names", "citations"]
    assert list(document["meta"]) == [
        "tool",
        "version",
        "json_format",
        "schema_version",
        "content",
        "founding_text",
        "founding_sources_years",
        "overdue",
        "disclaimer",
        "diagnosis_codes",
    ]
    assert document["meta"]["overdue"] == []
    assert len(document["treatments"]) == 16
    assert list(document["treatments"][0]) == [
        "id",
        "name",
        "aliases",
        "kind",
        "origin",
        "related",
        "summary",
        "given",
        "benefits",
        "side_effects",
        "bones",
        "side_effect_notes",
        "listed_for",
        "cancer_note",
        "details",
        "notes",
    ]


def test_options_json_says_why_each_is_listed(run: Run) -> None:
    document = json.loads(run("options", "--cancer", "myeloma", "-f", "json").stdout)
    assert document["cancer"]["id"] == "myeloma"
    matches = {o["treatment"]["id"]: o["match"] for o in document["options"]}
    assert matches["bisphosphonates"] == "listed"
    assert matches["chemotherapy"] == "not-limited"
    listed = next(o for o in document["options"] if o["treatment"]["id"] == "bone-modifying-agents")
    assert listed["listings"] == [
        {
            "cancer": "myeloma",
            "excludes": [],
            "basis": "label",
            "medicine": "denosumab",
            "text": "In the US, denosumab is now also approved to protect the bones of people "
            "with myeloma.",
            "update": "bma-denosumab-myeloma",
            "sources": ["xgeva-label-current", "raje-2018"],
        }
    ]
    assert listed["routes"] == ["injection", "iv"]
    assert matches["acupuncture"] == "complementary"
    assert "hormone-therapy" not in matches


def test_options_table_lists_the_cancer_specific_treatments(run: Run) -> None:
    out = run("options", "--cancer", "prostrate", "--full").stdout
    assert out.startswith("Treatment options: Prostate cancer\n")
    assert "Hormone therapy" in out
    assert "Bone-modifying" in out
    assert "Complementary care" in out
    assert "What to expect" in out


def test_unknown_treatment_exits_1_with_suggestions_on_stderr(run: Run) -> None:
    result = run("show", "chemoterapy")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: no treatment or medicine matches 'chemoterapy'. Did you mean: chemotherapy? "
        "Run 'bonemets list' to see every treatment; a treatment's page names its medicines.\n"
    )


def test_unknown_cancer_lists_known_ones(run: Run) -> None:
    result = run("options", "--cancer", "lung")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: no cancer matches 'lung'. Known cancers: breast, myeloma, prostate, solid-tumours. "
        "Facts for solid tumours may apply to a cancer not listed here: your care team can say "
        "whether they do (run 'bonemets options --cancer solid-tumours').\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show"], "Error: Missing argument 'NAME'. Try 'bonemets show --help'.\n"),
        (
            ["options"],
            "Error: say which cancer with --cancer, one of: breast, myeloma, prostate, "
            "solid-tumours; or filter with --goal, --given, --bones or --avoid. "
            "Try 'bonemets options --help'.\n",
        ),
        (["lsit"], "Error: No such command 'lsit'. Did you mean 'list'? Try 'bonemets --help'.\n"),
        (
            ["list", "--format", "xml"],
            "Error: Invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json', "
            "'markdown', 'plain', 'html'. Try 'bonemets list --help'.\n",
        ),
        (["list", "--bogus"], "Error: No such option: --bogus. Try 'bonemets list --help'.\n"),
    ],
)
def test_usage_errors_exit_2_with_one_line(run: Run, args: list[str], message: str) -> None:
    result = run(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


def test_invalid_data_exits_3_with_one_line_that_points_to_validate(
    run: Run, write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["treatments"][0]["kind"] = "x"
    raw_data["treatments"][1]["colour"] = "red"
    path = write_data(raw_data)
    for command in DATA_COMMANDS:
        result = run("--data", str(path), *command)
        assert (result.exit_code, result.stdout) == (3, ""), command
        assert result.stderr == (
            f"Error: {path} is not a valid knowledge file (2 problems); "
            f"run 'bonemets validate {path}' for the list.\n"
        )


def test_invalid_data_with_one_problem_names_it(
    run: Run, write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["treatments"][0]["kind"] = "x"
    path = write_data(raw_data)
    result = run("--data", str(path), "list")
    assert (result.exit_code, result.stdout) == (3, "")
    kind = line_of(path, '"kind": "x"')
    assert result.stderr == (
        f"Error: {path}: treatments[0].kind: should be 'main', 'other' or 'complementary', "
        f"not 'x' (line {kind}, column 7)\n"
    )


def test_invalid_data_counts_the_problems_not_listed(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "many.json"
    unknown = ", ".join(f'"x{n}": 1' for n in range(3999))
    path.write_text('{"schema_version": 1, ' + unknown + "}", encoding="utf-8")
    result = run("--data", str(path), "list")
    assert (result.exit_code, result.stdout) == (3, "")
    found = run("validate", str(path), "--format", "json").stdout
    total = json.loads(found)["errors"]
    assert total > 3999  # every unknown key, and the required keys missing
    assert result.stderr == (
        f"Error: {path} is not a valid knowledge file ({total:,} problems); "
        f"run 'bonemets validate {path}' for the list.\n"
    )


@pytest.mark.parametrize("command", DATA_COMMANDS, ids=" ".join)
def test_unreadable_data_exits_3_for_every_command(
    run: Run, tmp_path: Path, command: list[str]
) -> None:
    missing = tmp_path / "nope.json"
    result = run(*command, env={"BONEMETS_DATA": str(missing)})
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == f"Error: {missing}: does not exist; check the path\n"
    assert "Traceback" not in result.output


MARKUP = "[bold]x[/] [/] [link=http://example.com]y[/link] :pill:"


@pytest.mark.parametrize("output_format", FORMATS)
def test_markup_in_data_prints_literally(
    run: Run, write_data: WriteData, raw_data: dict[str, Any], output_format: str
) -> None:
    raw_data["treatments"][0]["name"] = MARKUP
    raw_data["treatments"][0]["summary"]["text"] = MARKUP + " summary"
    path = write_data(raw_data)
    for command in (["list"], ["show", "chemotherapy"], ["options", "-c", "breast"]):
        result = run(
            "--data", str(path), *command, "--format", output_format, env={"COLUMNS": "300"}
        )
        assert result.exit_code == 0, result.stderr
        out = result.stdout
        if output_format == "json":
            assert json.dumps(MARKUP + " summary") in out
        elif output_format == "markdown":
            assert r"\[bold\]x\[/\] \[/\] \[link=http://example.com\]y\[/link\] :pill:" in out
        else:
            assert MARKUP + " summary" in out
        assert "\x1b" not in out
    title = run("--data", str(path), "show", "chemotherapy", "--format", output_format).stdout
    if output_format in ("table", "plain"):
        assert title.startswith(MARKUP + "\n")


def test_forced_colour_still_keeps_data_literal(
    run: Run, write_data: WriteData, raw_data: dict[str, Any]
) -> None:
    raw_data["treatments"][0]["name"] = "[red]Chemo[/red]"
    path = write_data(raw_data)
    result = run(
        "--data",
        str(path),
        "show",
        "chemotherapy",
        env={"NO_COLOR": None, "FORCE_COLOR": "1", "TERM": "xterm-256color"},
    )
    assert result.exit_code == 0
    assert "[red]Chemo[/red]" in result.stdout
    assert "\x1b[1m" in result.stdout  # colour was really on: the title is bold


def test_unexpected_errors_become_one_line(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    from bonemets_cli.errors import ExitCode
    from bonemets_cli.views.treatments import ListView

    def explode(self: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(ListView, "document", explode)
    result = run("list")
    assert (result.exit_code, result.stdout) == (ExitCode.INTERNAL, "")
    assert result.stderr == (
        "Error: unexpected internal error (RuntimeError: boom). "
        "Please report it; set BONEMETS_DEBUG=1 to see the details.\n"
    )


def test_python_dash_m_behaves_like_the_command(run: Run) -> None:
    module = bonemets_process("show", "radiation", "--format", "plain")
    assert module.returncode == 0
    assert module.stdout == run("show", "radiation", "--format", "plain").stdout
    missing = bonemets_process("show", "nothing-like-it")
    assert (missing.returncode, missing.stdout) == (1, "")
    assert missing.stderr.startswith("Error: no treatment or medicine matches 'nothing-like-it'.")


def test_pipe_gets_no_colour_even_without_no_color() -> None:
    piped = bonemets_process("list", NO_COLOR="")
    assert piped.returncode == 0
    assert "\x1b" not in piped.stdout
    # Wrapped within its cell, never cut short: every word of the longest name is there.
    lines = [line[:20].strip() for line in piped.stdout.splitlines()]
    start = lines.index("Stress management")
    assert lines[start : start + 3] == ["Stress management", "and relaxation", "techniques"]
    assert "…" not in piped.stdout


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["list"], "list"),
        (["--data", "x.json", "show", "chemo"], "show"),
        (["--data=x.json", "--color", "never", "options", "-c", "breast"], "options"),
        (["--version"], None),
        (["--help"], None),
        (["--", "list"], None),
        ([], None),
        (["lsit"], "lsit"),
    ],
)
def test_the_invoked_command_is_found_past_root_options(
    words: list[str], expected: str | None
) -> None:
    from bonemets_cli.cli.startup import invoked_command

    assert invoked_command(words) == expected


def test_root_options_with_a_value_are_known() -> None:
    import typer

    from bonemets_cli.cli.root import ROOT_OPTIONS_WITH_VALUE, app

    root = typer.main.get_command(app)
    taking_values = {
        name
        for param in root.params
        if not getattr(param, "is_flag", False) and param.param_type_name == "option"
        for name in param.opts
        if name not in ("--install-completion", "--show-completion")
    }
    assert taking_values == ROOT_OPTIONS_WITH_VALUE


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--color", "never", "show", "chemo", "-f", "plain"], "Chemotherapy\n"),
        (["lsit"], ""),
        (["--help"], "Usage: bonemets [OPTIONS] COMMAND [ARGS]..."),
    ],
)
def test_the_console_script_builds_what_it_runs(
    console: Console, args: list[str], expected: str
) -> None:
    """main() builds only the invoked command; everything else still works.
    (test_python_dash_m_behaves_like_the_command runs it in a real process.)"""
    result = console(*args)
    if args == ["lsit"]:
        assert result.returncode == 2
        assert "Did you mean 'list'?" in result.stderr
    else:
        assert result.returncode == 0, result.stderr
        assert expected in result.stdout
        if args == ["--help"]:
            for command in ("list", "side-effects", "handout", "info"):
                assert f"│ {command} " in result.stdout
