"""``bonemets sins``: every answer's points, the bands' edges, the extremes, the usage
errors, the questions asked on a terminal, and the wording of a decision aid."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from bonemets_cli.cli import sins as sins_cli

from conftest import PLAIN_FOOTER, TEXT_FORMATS, Complete, Run, ok, one_error_line

LOWEST = {
    "location": "rigid",
    "pain": "none",
    "lesion": "blastic",
    "alignment": "normal",
    "collapse": "none",
    "posterolateral": "none",
}
"""The answer worth 0 points in each component."""

POINTS = [
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
]
"""Each answer and its points, as the pack's Part 3 gives them (Fisher 2010)."""


def arguments(**answers: str) -> list[str]:
    chosen = {**LOWEST, **answers}
    return [word for key, value in chosen.items() for word in (f"--{key}", value)]


def score(run: Run, **answers: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(ok(run("sins", *arguments(**answers), "-f", "json")))
    return document


@pytest.mark.parametrize(("component", "value", "points"), POINTS)
def test_every_answer_scores_its_points(run: Run, component: str, value: str, points: int) -> None:
    document = score(run, **{component: value})
    assert document["total"] == points
    shown = next(c for c in document["components"] if c["id"] == component)
    assert (shown["value"], shown["points"]) == (value, points)


@pytest.mark.parametrize(
    ("answers", "total", "band", "consultation"),
    [
        ({}, 0, "stable", False),
        ({"location": "junctional", "pain": "mechanical"}, 6, "stable", False),
        ({"location": "junctional", "pain": "mechanical", "lesion": "mixed"}, 7,
         "potentially unstable", True),
        ({"location": "junctional", "pain": "mechanical", "lesion": "lytic",
          "alignment": "subluxation"}, 12, "potentially unstable", True),
        ({"location": "junctional", "pain": "mechanical", "lesion": "lytic",
          "alignment": "subluxation", "collapse": "involved"}, 13, "unstable", True),
        ({"location": "junctional", "pain": "mechanical", "lesion": "lytic",
          "alignment": "subluxation", "collapse": "over-50", "posterolateral": "bilateral"},
         18, "unstable", True),
    ],
    ids=["0", "6", "7", "12", "13", "18"],
)  # fmt: skip
def test_bands_at_their_edges_and_the_extremes(
    run: Run, answers: dict[str, str], total: int, band: str, consultation: bool
) -> None:
    document = score(run, **answers)
    assert (document["total"], document["band"], document["surgical_consultation"]) == (
        total,
        band,
        consultation,
    )
    assert (document["maximum"], document["consultation_from"]) == (18, 7)


def test_the_json_document(run: Run) -> None:
    document = score(run, pain="occasional")
    assert list(document) == [
        "meta",
        "score",
        "title",
        "decision_aid",
        "total",
        "maximum",
        "band",
        "surgical_consultation",
        "consultation_from",
        "components",
        "bands",
        "sources",
        "names",
        "citations",
    ]
    assert document["decision_aid"] == "A decision aid for clinicians, never a treatment choice."
    assert document["components"][1] == {
        "id": "pain",
        "name": "Pain",
        "value": "occasional",
        "label": "occasional pain that is not mechanical",
        "points": 1,
    }
    assert document["bands"] == [
        {"low": 0, "high": 6, "label": "stable"},
        {"low": 7, "high": 12, "label": "potentially unstable"},
        {"low": 13, "high": 18, "label": "unstable"},
    ]
    assert [s["id"] for s in document["sources"]] == ["fisher-2010", "fourney-2011"]
    assert document["sources"][0]["doi"] == "10.1097/BRS.0b013e3181e16ae2"
    assert document["sources"][0].get("pmid") is None


def test_the_page_exactly(run: Run) -> None:
    out = ok(
        run(
            "sins",
            *arguments(location="semi-rigid", pain="mechanical", lesion="lytic"),
            "-f",
            "plain",
        )
    )
    assert out == (
        "Spinal Instability Neoplastic Score (SINS)\n"
        "A decision aid for clinicians, never a treatment choice.\n"
        "\n"
        "Components:\n"
        "\n"
        "Location\n"
        "  Answer: semi-rigid (T3–T10)\n"
        "  Points: 1\n"
        "\n"
        "Pain\n"
        "  Answer: mechanical pain (relieved by lying down, or pain with movement or loading "
        "of the spine)\n"
        "  Points: 3\n"
        "\n"
        "Bone lesion\n"
        "  Answer: lytic\n"
        "  Points: 2\n"
        "\n"
        "Radiographic spinal alignment\n"
        "  Answer: normal alignment\n"
        "  Points: 0\n"
        "\n"
        "Vertebral body collapse\n"
        "  Answer: none of these\n"
        "  Points: 0\n"
        "\n"
        "Posterolateral involvement of spinal elements (facet, pedicle or costovertebral joint "
        "fracture, or replacement with tumour)\n"
        "  Answer: none\n"
        "  Points: 0\n"
        "\n"
        "Result:\n"
        "Total: 6 of 18 (sources 1-2)\n"
        "Band: stable (sources 1-2)\n"
        "  - Bands: 0-6 stable; 7-12 potentially unstable; 13-18 unstable\n"
        "Surgical consultation: Not recommended by the score (it is recommended from a total "
        "of 7). (sources 1-2)\n"
        "About the score: Spinal Instability Neoplastic Score (SINS), six components, total "
        "0–18. (sources 1-2)\n"
        "About the score: Reliability (Fourney 2011): intraclass correlation of the total "
        "score 0.846 between observers and 0.886 within an observer; the three categories "
        "showed near-perfect agreement. (sources 1-2)\n"
        "\n"
        "Sources:\n"
        "1. Fisher CG et al. A novel classification system for spinal instability in neoplastic "
        "disease: an evidence-based approach and expert consensus from the Spine Oncology Study "
        "Group. Spine 2010;35(22):E1221–E1229. doi:10.1097/BRS.0b013e3181e16ae2.\n"
        "2. Fourney DR et al. Spinal instability neoplastic score: an analysis of reliability "
        "and validity from the Spine Oncology Study Group. J Clin Oncol 2011;29(22):3072–3077. "
        "doi:10.1200/JCO.2010.34.3897. PMID 21709187.\n"
        "\n" + PLAIN_FOOTER
    )


@pytest.mark.parametrize("output_format", TEXT_FORMATS)
def test_every_format_says_decision_aid_band_threshold_and_citations(
    run: Run, output_format: str
) -> None:
    answers = arguments(location="junctional", pain="mechanical", lesion="mixed")
    out = ok(run("sins", *answers, "-f", output_format, env={"COLUMNS": "400"}))
    assert "A decision aid for clinicians, never a treatment choice." in out
    assert "potentially unstable" in out
    assert "Recommended (a total of 7 or more)." in out
    assert "doi:10.1097/BRS.0b013e3181e16ae2" in out
    fisher = next(line for line in out.splitlines() if "Fisher CG" in line)
    assert "PMID" not in fisher


def test_answers_forgive_case_and_spaces(run: Run) -> None:
    assert score(run, collapse="Over 50", location="SEMI-RIGID")["total"] == 4


def test_a_missing_component_off_a_terminal_is_a_usage_error_naming_it(run: Run) -> None:
    line = one_error_line(run("sins", "--location", "rigid", "--pain", "none"), 2)
    assert line == (
        "Error: missing --lesion (one of: lytic, mixed, blastic); --alignment (one of: "
        "subluxation, deformity, normal); --collapse (one of: over-50, under-50, involved, "
        "none); --posterolateral (one of: bilateral, unilateral, none). "
        "Try 'bonemets sins --help'."
    )


def test_one_missing_component_is_named_alone(run: Run) -> None:
    answers = arguments()[:-2]  # all but --posterolateral
    line = one_error_line(run("sins", *answers), 2)
    assert line.startswith("Error: missing --posterolateral (one of: bilateral, unilateral, none)")


@pytest.mark.parametrize(
    ("component", "value"),
    [("location", "cervical"), ("pain", "severe"), ("collapse", "50"), ("lesion", "")],
)
def test_a_value_outside_the_list_is_a_usage_error(run: Run, component: str, value: str) -> None:
    line = one_error_line(run("sins", *arguments(**{component: value})), 2)
    assert line.startswith(f"Error: {value!r} is not a value of SINS component {component!r}")


def test_a_wrong_value_fails_before_anything_is_asked(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sins_cli, "interactive", lambda: True)
    line = one_error_line(run("sins", "--pain", "severe"), 2)
    assert line.startswith("Error: 'severe' is not a value of SINS component 'pain'")


def test_on_a_terminal_each_missing_component_is_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.testing import CliRunner

    from bonemets_cli.cli import app, root

    from conftest import PINNED_ENV, TODAY

    monkeypatch.setattr(sins_cli, "interactive", lambda: True)
    monkeypatch.setattr(root, "today", lambda: TODAY)
    given = ["sins", "--location", "mobile", "--lesion", "lytic", "--collapse", "none"]
    typed = "mechanical\nsideways\ndeformity\nunilateral\n"  # one wrong answer, asked again
    result = CliRunner().invoke(app, [*given, "-f", "json"], input=typed, env=PINNED_ENV)
    assert result.exit_code == 0, result.output
    # the runner echoes what was typed to stdout, as a terminal would show it
    echoed, page = result.stdout.split("{", 1)
    assert echoed.split() == typed.split()
    document = json.loads("{" + page)
    assert document["total"] == 2 + 3 + 2 + 2 + 0 + 1
    asked = result.stderr
    assert "Pain (mechanical, occasional, none): " in asked
    assert "  mechanical: mechanical pain (relieved by lying down" in asked
    assert "Radiographic spinal alignment (subluxation, deformity, normal): " in asked
    assert asked.count("Radiographic spinal alignment (") == 2
    assert (
        "Error: 'sideways' is not a value of SINS component 'alignment'; choose one of: "
        "subluxation, deformity, normal\n"
    ) in asked
    assert "Location (" not in asked  # given, so not asked


def test_help_names_the_tables_answers(kb: Any) -> None:
    from conftest import load_script

    text = load_script("readme_usage").help_text("sins")
    flat = re.sub(r" \([^)]*\)", "", " ".join(text.replace("│", " ").split()))
    for component in kb.sins.components:
        keys = ", ".join(option.key for option in component.options)
        assert f"--{component.id}" in flat
        assert keys in flat, component.id


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("bonemets sins --collapse ", ["over-50", "under-50", "involved", "none"]),
        ("bonemets sins --pain m", ["mechanical"]),
        ("bonemets sins --location s", ["semi-rigid"]),
        ("bonemets sins --posterolateral ", ["bilateral", "unilateral", "none"]),
    ],
)
def test_answers_complete_from_the_table(
    complete: Complete, words: str, expected: list[str]
) -> None:
    assert complete(words) == expected
