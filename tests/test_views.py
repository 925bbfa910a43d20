"""Views on their own: a query's result in, a Document and JSON data out, no terminal, no process.

Each test builds a page the way the CLI does (query, then view) and reads the Document
itself, so what a page says is checked without rendering or running the CLI.
"""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Any

import pytest

from bonemets_cli import query, query_handout, query_pages, search
from bonemets_cli.choices import Audience
from bonemets_cli.document import Document, Fact, Facts, Grid, Lines, Paragraph, neutralised
from bonemets_cli.errors import Problem
from bonemets_cli.models import KnowledgeBase
from bonemets_cli.views import View
from bonemets_cli.views.handout import HandoutView
from bonemets_cli.views.info import InfoView
from bonemets_cli.views.options import OptionsView
from bonemets_cli.views.page import Reading
from bonemets_cli.views.search import SearchView
from bonemets_cli.views.side_effects import CausesView, SideEffectsView
from bonemets_cli.views.sources import ProvenanceView, SourcesView
from bonemets_cli.views.treatments import (
    CompareView,
    ComplementaryView,
    ListView,
    SectionView,
    ShowView,
)
from bonemets_cli.views.updates import UpdatesView
from bonemets_cli.views.validate import ValidateView

from conftest import TODAY

PATIENT = Reading(Audience.patient, TODAY)


def every_view(kb: KnowledgeBase) -> list[View]:
    """One page of every kind, built as the CLI builds it."""
    filters = query_pages.find_filters(kb, goal="pain")
    return [
        ListView(kb, query_pages.treatment_list(kb), PATIENT),
        ShowView(kb, query_pages.treatment_page(kb, "chemo"), PATIENT),
        OptionsView(kb, query_pages.options_page(kb, "breast", query.NO_FILTERS), PATIENT),
        OptionsView(kb, query_pages.options_page(kb, None, filters), PATIENT),
        UpdatesView(kb, query_pages.updates_page(kb, "radiation"), PATIENT),
        SourcesView(kb, query_pages.sources_page(kb), PATIENT),
        ProvenanceView(kb, query_pages.provenance_page(kb, "chemotherapy"), PATIENT),
        SideEffectsView(kb, query_pages.side_effect_matrix(kb), "x", PATIENT),
        CausesView(kb, query_pages.causes_page(kb, "nausea"), PATIENT),
        CompareView(kb, query_pages.comparison(kb, ["chemo", "radiation"]), PATIENT),
        ComplementaryView(kb, query_pages.complementary(kb), PATIENT),
        SectionView(kb, query_pages.section(kb, "factors"), "Factors", "", PATIENT),
        SearchView(kb, search.search_page(kb, "nausea"), PATIENT),
        HandoutView(kb, query_handout.handout(kb, "breast"), PATIENT),
        InfoView(kb, query_pages.knowledge_info(kb, None), PATIENT),
        ValidateView(query_pages.validation(None, TODAY)),
    ]


def test_views_run_no_queries(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    """With every query function made to fail, every view still renders: it was given
    all it needs."""
    views = every_view(kb)
    expected = [(view.document(), view.data()) for view in views]

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a view ran a query")

    for module in (query, query_pages):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__:
                monkeypatch.setattr(module, name, refuse)
    assert [(view.document(), view.data()) for view in views] == expected


def test_show_lists_each_statement_with_its_references(kb: KnowledgeBase) -> None:
    doc = ShowView(kb, query_pages.treatment_page(kb, "chemo"), PATIENT).document()
    assert (doc.title, doc.subtitle) == ("Chemotherapy", "main treatment; also called: chemo")
    facts = doc.blocks[0]
    assert isinstance(facts, Facts)
    assert facts.title == "From the founding text (sources dated 2007-2010)"
    assert facts.rows[0] == Fact(
        "Summary", "Chemotherapy is the main treatment for many types of metastatic cancers.", (1,)
    )
    assert facts.rows[3] == Fact("Side effects", "Hair loss", (2, 1, 3))
    # every number cited has its reference, numbered in the order first cited
    assert [ref.number for ref in doc.references] == [1, 2, 3]


def test_compare_lists_facts_newest_first_in_json_as_in_its_table(kb: KnowledgeBase) -> None:
    view = CompareView(
        kb, query_pages.comparison(kb, ["bisphosphonates", "bone-modifying agents"]), PATIENT
    )
    years = [update["year"] or 0 for update in view.data()["updates"]]
    assert years == sorted(years, reverse=True) and len(years) > 1
    grid = view.document().blocks[0]
    assert isinstance(grid, Grid)
    table = next(row for row in grid.rows if row[0] == "Since 2010")
    titles = [kb.update_by_id[update["id"]].title for update in view.data()["updates"]]
    assert table[1].split("\n") == titles


def test_options_say_which_facts_concern_each_treatment(kb: KnowledgeBase) -> None:
    result = query_pages.options_page(kb, "breast", query.NO_FILTERS)
    grid = next(
        b
        for b in OptionsView(kb, result, PATIENT, full=True).document().blocks
        if isinstance(b, Grid)
    )
    by_name = {row[0]: row for row in grid.rows}
    assert by_name["Chemotherapy"][4] == "-"
    bisphosphonates = [u.title for u in result.changes["bisphosphonates"]]
    assert bisphosphonates and by_name["Bisphosphonates"][4] == "; ".join(bisphosphonates)


def test_info_counts_each_kind(kb: KnowledgeBase) -> None:
    data = InfoView(kb, query_pages.knowledge_info(kb, None), PATIENT).data()
    counts = data["counts"]
    assert list(counts) == [
        "treatments",
        "complementary",
        "cancers",
        "side_effects",
        "factors",
        "updates",
        "warnings",
        "glossary_terms",
        "questions",
        "sources",
    ]
    assert counts["treatments"] + counts["complementary"] == len(kb.treatments)
    assert (counts["updates"], counts["sources"]) == (len(kb.updates), len(kb.sources))
    assert data["data"]["bundled"] is True


def test_validate_keeps_the_file_name_and_the_renderer_escapes_it() -> None:
    name = "evil\x1b[31m\u202e.json"
    view = ValidateView(
        query_pages.Validation(name, (Problem("treatments[0].name", "required", 3, 5),))
    )
    assert view.data()["file"] == name  # JSON keeps what was given
    doc = view.document()
    assert doc.title == f"Validation of {name}"
    shown = neutralised(doc)
    assert shown.title == "Validation of evil\\x1b[31m\\u202e.json"
    assert shown.blocks == (
        Lines(("evil\\x1b[31m\\u202e.json:3:5: error: treatments[0].name: required",)),
    )
    assert shown.subtitle == "invalid: 1 error, 0 warnings"


def test_neutralised_keeps_line_breaks_inside_cells_and_text() -> None:
    doc = Document(
        "t\n\x07",
        blocks=(
            Paragraph("a\nb\x1b"),
            Grid("g", ("c",), (("one\ntwo\u2066",),)),
            Facts("f", (Fact("l\n", "x\ny", items=("i\x85",)),)),
        ),
    )
    assert neutralised(doc) == Document(
        "t\\n\\x07",
        blocks=(
            Paragraph("a\nb\\x1b"),
            Grid("g", ("c",), (("one\ntwo\\u2066",),)),
            Facts("f", (Fact("l\\n", "x\ny", items=("i\\x85",)),)),
        ),
    )
    plain = Document("title", blocks=(Paragraph("text"),))
    assert neutralised(plain) == plain


def test_the_footer_warns_when_the_content_is_past_its_review(kb: KnowledgeBase) -> None:
    late = Reading(Audience.patient, kb.content.next_review + dt.timedelta(days=1))
    listed = query_pages.treatment_list(kb)
    on_time = ListView(kb, listed, PATIENT).document().footer
    overdue = ListView(kb, listed, late).document().footer
    assert overdue[1:] == on_time
    assert overdue[0].startswith("WARNING: this knowledge base was due for review on ")


def test_every_page_has_a_footer_and_json_header(kb: KnowledgeBase) -> None:
    for view in every_view(kb):
        doc, data = view.document(), view.data()
        if isinstance(view, ValidateView):
            assert data["tool"] == "bonemets"
            continue
        # the handout opens with the disclaimer, in readable type, instead
        said = doc.blocks[0].text if isinstance(view, HandoutView) else doc.footer[-1]  # type: ignore[union-attr]
        assert said.startswith("This is general information, not medical advice.")
        assert data["meta"]["disclaimer"] == said
