"""Renderers: exact strings for a small page in every format, and literal data."""

from __future__ import annotations

import io
import json
from typing import Any
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st
from rich._wrap import divide_line
from rich.console import Console
from rich.text import Text

from bonemets_cli import render_long, render_rich
from bonemets_cli.document import Document, Fact, Facts, Grid, Paragraph, Reference, format_refs
from bonemets_cli.render import md_escape, to_json, to_markdown, to_plain
from bonemets_cli.render_cells import Cell, Indented, breaks
from bonemets_cli.render_long import LongTable
from bonemets_cli.render_rich import to_rich

from conftest import examples

PAGE = Document(
    title="Surgery",
    subtitle="main treatment",
    blocks=(
        Paragraph("Intro text.", (1,)),
        Facts(
            "",
            (
                Fact("Summary", "Restores function.", (1, 2)),
                Fact("Details", "Hardware:", (2,), ("Rods", "Pins")),
            ),
        ),
        Grid(
            "Options", ("Treatment", "What it does", "Sources"), (("Surgery", "Fixes bone.", "1"),)
        ),
    ),
    references=(Reference(1, "Author A. (2007). Title."), Reference(2, "Author B. (2010). T.")),
    footer=("Dated 2007-2010.", "Not advice."),
)


def rich_text(renderable: object, width: int) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, highlight=False).print(renderable)
    return buffer.getvalue()


def test_format_refs() -> None:
    assert format_refs(()) == ""
    assert format_refs((2,)) == "2"
    assert format_refs((3, 1, 2, 5)) == "1-3, 5"
    assert format_refs((1, 1, 2)) == "1-2"


def test_plain() -> None:
    assert to_plain(PAGE) == (
        "Surgery\n"
        "main treatment\n"
        "\n"
        "Intro text. (source 1)\n"
        "\n"
        "Summary: Restores function. (sources 1-2)\n"
        "Details: Hardware: (source 2)\n"
        "  - Rods\n"
        "  - Pins\n"
        "\n"
        "Options:\n"
        "\n"
        "Surgery\n"
        "  What it does: Fixes bone.\n"
        "  Sources: 1\n"
        "\n"
        "Sources:\n"
        "1. Author A. (2007). Title.\n"
        "2. Author B. (2010). T.\n"
        "\n"
        "Dated 2007-2010.\n"
        "Not advice.\n"
    )


def test_markdown() -> None:
    assert to_markdown(PAGE) == (
        "# Surgery\n"
        "\n"
        "*main treatment*\n"
        "\n"
        "Intro text. \\[1\\]\n"
        "\n"
        "- **Summary:** Restores function. \\[1-2\\]\n"
        "- **Details:** Hardware: \\[2\\]\n"
        "    - Rods\n"
        "    - Pins\n"
        "\n"
        "## Options\n"
        "\n"
        "| Treatment | What it does | Sources |\n"
        "|---|---|---|\n"
        "| Surgery | Fixes bone. | 1 |\n"
        "\n"
        "## Sources\n"
        "\n"
        "1. Author A. (2007). Title.\n"
        "2. Author B. (2010). T.\n"
        "\n"
        "---\n"
        "\n"
        "*Dated 2007-2010.*\n"
        "\n"
        "*Not advice.*\n"
    )


def test_markdown_escapes_data() -> None:
    assert md_escape("a *b* [c](d) | e_f <g> `h`") == (
        "a \\*b\\* \\[c\\](d) \\| e\\_f \\<g\\> \\`h\\`"
    )
    assert md_escape("# heading\n- item\n1. one") == "\\# heading\n\\- item\n\\1. one"


def test_rich_table_wide() -> None:
    assert rich_text(to_rich(PAGE), 60) == (
        "Surgery\n"
        "main treatment\n"
        "\n"
        "Intro text. [1]\n"
        "\n"
        "Topic     Statement                      Sources\n"
        "────────────────────────────────────────────────\n"
        "Summary   Restores function.             1-2    \n"
        "                                                \n"
        "Details   Hardware:                      2      \n"
        "           - Rods                               \n"
        "           - Pins                               \n"
        "\n"
        "Options\n"
        "Treatment   What it does                   Sources\n"
        "──────────────────────────────────────────────────\n"
        "Surgery     Fixes bone.                    1      \n"
        "\n"
        "Sources\n"
        "1. Author A. (2007). Title.\n"
        "2. Author B. (2010). T.\n"
        "\n"
        "Dated 2007-2010.\n"
        "Not advice.\n"
    )


def test_rich_narrow_terminal_falls_back_to_lines_without_losing_text() -> None:
    out = rich_text(to_rich(PAGE), 20)
    assert out == (
        "Surgery\nmain treatment\n\nIntro text. [1]\n\n"
        "Summary: Restores \nfunction. [1-2]\nDetails: Hardware: \n[2]\n  - Rods\n  - Pins\n\n"
        # a wrapped line keeps the indent of the line it continues
        "Options\nSurgery\n  What it does:\n  Fixes bone.\n  Sources: 1\n\n"
        "Sources\n1. Author A. (2007).\nTitle.\n2. Author B. (2010).\nT.\n\n"
        "Dated 2007-2010.\nNot advice.\n"
    )


def test_markup_in_data_stays_literal() -> None:
    page = Document(
        title="[bold]x[/]",
        blocks=(
            Paragraph("[/] :pill: [link=http://e.x]y[/link]"),
            Grid("[red]", ("[b]",), (("[/]",),)),
        ),
    )
    out = rich_text(to_rich(page), 80)
    assert out.startswith("[bold]x[/]\n")
    assert "[/] :pill: [link=http://e.x]y[/link]" in out
    assert "[red]" in out and "[b]" in out and out.count("[/]") == 3
    assert "\x1b" not in out


def test_json_is_indented_and_keeps_unicode() -> None:
    assert to_json({"a": ["é", 1]}) == '{\n  "a": [\n    "é",\n    1\n  ]\n}\n'


def test_html_exact() -> None:
    from bonemets_cli.render import to_html

    body = to_html(PAGE).split("<main>\n", 1)[1]
    assert body == (
        "<h1>Surgery</h1>\n"
        '<p class="subtitle">main treatment</p>\n'
        '<p>Intro text. <span class="refs">[1]</span></p>\n'
        "<ul>\n"
        '<li><strong>Summary:</strong> Restores function. <span class="refs">[1-2]</span></li>\n'
        '<li><strong>Details:</strong> Hardware: <span class="refs">[2]</span>'
        "<ul><li>Rods</li><li>Pins</li></ul></li>\n"
        "</ul>\n"
        "<h2>Options</h2>\n"
        "<table>\n"
        "<thead><tr>\n"
        "<th>Treatment</th>\n"
        "<th>What it does</th>\n"
        "<th>Sources</th>\n"
        "</tr></thead>\n"
        "<tbody>\n"
        "<tr><td>Surgery</td><td>Fixes bone.</td><td>1</td></tr>\n"
        "</tbody>\n"
        "</table>\n"
        "<h2>Sources</h2>\n"
        '<ol class="sources">\n'
        '<li value="1">Author A. (2007). Title.</li>\n'
        '<li value="2">Author B. (2010). T.</li>\n'
        "</ol>\n"
        "<footer>\n"
        "<p>Dated 2007-2010.</p>\n"
        "<p>Not advice.</p>\n"
        "</footer>\n"
        "</main>\n"
        "</body>\n"
        "</html>\n"
    )


def test_html_escapes_every_data_string() -> None:
    from bonemets_cli.render import to_html

    evil = "<b onclick=\"x()\">'&'</b>"
    page = Document(
        title=evil,
        subtitle=evil,
        blocks=(
            Paragraph(evil),
            Facts(evil, (Fact(evil, evil, (), (evil,), note=evil, warn=True),)),
            Grid(evil, (evil,), ((evil + "\n" + evil,),)),
        ),
        references=(Reference(1, evil),),
        footer=(evil,),
    )
    out = to_html(page)
    assert "<b onclick" not in out and 'onclick="' not in out
    assert (
        out.count("&lt;b onclick=&quot;x()&quot;&gt;&#x27;&amp;&#x27;&lt;/b&gt;") == 15
    )  # every place a string goes


def test_multi_line_cells_in_every_text_format() -> None:
    page = Document(title="T", blocks=(Grid("", ("", "A", "B"), (("Row", "one\ntwo", "x|y"),)),))
    assert "| Row | one<br>two | x\\|y |" in to_markdown(page)
    assert to_plain(page) == "T\n\nRow\n  A: one\n    two\n  B: x|y\n\n"
    shared = Document(
        title="T", blocks=(Grid("", ("", "A", "B"), (("Row", "one\ntwo", "x"),), shared=True),)
    )
    table = rich_text(to_rich(shared), 60)
    assert "Row   one" in table and "      two" in table


def test_json_keeps_strings_as_given_and_escapes_what_a_terminal_must_not_see() -> None:
    """A query or file name echoed in JSON keeps its value; a control or bidirectional
    character in it travels as a JSON escape, never raw."""
    given = "a\x1b[31m\u202e\x85\x7f\tb"
    for ascii_only in (False, True):
        text = to_json({"query": given}, ascii_only=ascii_only)
        assert not any(c in text for c in "\x1b\u202e\x85\x7f\t"), text
        assert json.loads(text) == {"query": given}
    assert to_json({"query": "caf\u00e9"}) == '{\n  "query": "caf\u00e9"\n}\n'


# Plain text is wrapped by bonemets, a line at a time, where rich would go a word at a
# time (a 5 MB statement): the lines must be rich's own, to the character.
_PLAIN_TEXT = st.lists(st.sampled_from(["a", "bb", " ", "  ", "\n", "ccccccc"]), max_size=16).map(
    "".join
)
"""Words short and longer than a line, single and double spaces, and line breaks."""


def _lines(renderable: Any, width: int, justify: Any) -> list[str]:
    console = Console(width=80, color_system=None, file=io.StringIO())
    options = console.options.update(width=width, justify=justify, overflow="fold")
    return ["".join(s.text for s in line) for line in console.render_lines(renderable, options)]


@given(_PLAIN_TEXT.map(lambda text: text.replace("\n", " ")), st.integers(1, 12))
def test_plain_text_breaks_where_rich_breaks_it(text: str, width: int) -> None:
    assert breaks(text, width) == divide_line(text, width)


@given(_PLAIN_TEXT, st.integers(1, 12), st.sampled_from([None, "default", "left"]))
def test_plain_text_in_a_cell_wraps_as_rich_wraps_it(text: str, width: int, justify: Any) -> None:
    # a style, even "none", sends the Text the way rich renders it
    assert _lines(Cell(Text(text)), width, justify) == _lines(
        Cell(Text(text, style="none")), width, justify
    )
    assert Cell(Text(text)).__rich_measure__(Console(), Console().options) == Text(
        text
    ).__rich_measure__(Console(), Console().options)


@given(_PLAIN_TEXT, st.integers(1, 12), st.sampled_from([None, "default", "left"]))
def test_plain_text_indented_wraps_as_rich_wraps_it(text: str, width: int, justify: Any) -> None:
    for indent, bullet in ((2, ""), (3, " - ")):
        assert _lines(Indented(Text(text), indent, bullet), width, justify) == _lines(
            Indented(Text(text, style="none"), indent, bullet), width, justify
        )


# Every table, and every block given way to lines, is written a row at a time by
# bonemets (LongTable, LongLines), where rich's Table takes half a millisecond a row:
# its output must be rich's own (render_long.BY_RICH), to the byte, styles included.
_CELL_TEXT = st.one_of(
    _PLAIN_TEXT,
    st.sampled_from(["Café", "naïve résumé", "日本語 テキスト", "[bold]not markup[/]", "x\ty", ""]),
)
_FACT = st.builds(
    Fact,
    label=st.sampled_from(["", "Summary", "Side effects", "A label long enough to wrap"]),
    text=_CELL_TEXT,
    refs=st.lists(st.integers(1, 9), max_size=4).map(tuple),
    items=st.lists(_CELL_TEXT, max_size=2).map(tuple),
    note=st.sampled_from(["", "Reviewed 2026-11-28.", "Check this again"]),
    warn=st.booleans(),
)
_GRID = st.integers(2, 4).flatmap(
    lambda width: st.builds(
        Grid,
        title=st.just("Grid"),
        columns=st.lists(
            st.sampled_from(["Name", "What it does", "", "Sources"]), min_size=width, max_size=width
        ).map(tuple),
        rows=st.lists(
            st.lists(_CELL_TEXT, min_size=width, max_size=width).map(tuple), min_size=1, max_size=5
        ).map(tuple),
        flexible=st.sampled_from([-2, -1, 1]),
        shared=st.booleans(),
        readable=st.sampled_from([12, 28]),
    )
)


def _printed(doc: Document, width: int, colour: bool, by_rich: bool = False) -> str:
    console = Console(
        file=io.StringIO(),
        width=width,
        color_system="truecolor" if colour else None,
        force_terminal=colour,
        highlight=False,
    )
    with patch.object(render_long, "BY_RICH", by_rich), console.capture() as captured:
        console.print(to_rich(doc), crop=False)
    return captured.get()


@settings(max_examples=examples(200), deadline=None)
@given(
    st.lists(_FACT, min_size=1, max_size=6).map(tuple),
    _GRID,
    st.integers(20, 130),
    st.booleans(),
)
def test_a_table_is_printed_as_rich_prints_it(
    facts: tuple[Fact, ...], grid: Grid, width: int, colour: bool
) -> None:
    doc = Document("Title", blocks=(Facts("Facts", facts), grid))
    assert _printed(doc, width, colour) == _printed(doc, width, colour, by_rich=True)


def _effects(count: int) -> Document:
    rows = (Fact("Summary", "Chemotherapy is the main treatment.", (1,)),) + tuple(
        Fact("Side effects", f"Effect {number}", (1, 2, 3) if number % 2 else (2,))
        for number in range(count - 1)
    )
    return Document("Chemotherapy", blocks=(Facts("", rows),))


def test_a_long_table_is_printed_as_rich_prints_it() -> None:
    """Over the 1,000 rows where rich's Table takes half a second, as a table and as lines."""
    doc = _effects(1_001)
    assert isinstance(render_rich._fit_facts(doc.blocks[0]).table(80), LongTable)
    last = "Effect 999"
    wide = (
        "Chemotherapy\n"
        "\n"
        "Topic          Statement                             Sources\n"
        "────────────────────────────────────────────────────────────\n"
        "Summary        Chemotherapy is the main treatment.   1      \n"
        "                                                            \n"
        "Side effects   Effect 0                              2      \n"
        "               Effect 1                              1-3    \n"
    )
    printed = _printed(doc, 80, colour=False)
    assert printed.startswith(wide)
    assert printed.endswith(f"{'':15}{last:<38}1-3    \n\n")
    assert printed == _printed(doc, 80, colour=False, by_rich=True)
    narrow = "Chemotherapy\n\nSummary: Chemotherapy is the \nmain treatment. [1]\nSide effects: Effect 0 [2]\n"
    printed = _printed(doc, 30, colour=False)
    assert printed.startswith(narrow)
    assert printed.endswith(f"Side effects: {last} [1-3]\n\n")
    assert printed == _printed(doc, 30, colour=False, by_rich=True)
