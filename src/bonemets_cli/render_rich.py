"""Turning a Document into rich renderables, every data string wrapped in Text."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from itertools import islice

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from bonemets_cli.document import (
    Document,
    Fact,
    Facts,
    Grid,
    Lines,
    Paragraph,
    format_refs,
    neutralised,
)
from bonemets_cli.render_cells import Cell, Indented
from bonemets_cli.render_long import (
    Cellular,
    filled,
    lined,
)

_READABLE = 28
"""The narrowest the running-text column may get before the table gives way to lines."""

_NARROW = 18
"""The widest any other column grows (unless one word is longer), leaving the running
text the spare width."""


def to_rich(doc: Document) -> RenderableType:
    """The table format: headed tables, references and footer, ready for Console.print."""
    doc = neutralised(doc)
    parts: list[RenderableType] = [Unbroken(Text(doc.title, style="bold"))]
    if doc.subtitle:
        parts.append(Text(doc.subtitle, style="dim"))
    parts.append(Text())
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            parts += [_with_refs(block.text, block.refs), Text()]
        elif isinstance(block, Lines):
            # one line each at any width (problem lines: grep and editors read them whole)
            parts += [*(Text(line, no_wrap=True, overflow="ignore") for line in block.lines)]
            parts.append(Text())
        elif isinstance(block, Facts):
            parts += [_fit_facts(block), Text()]
        elif isinstance(block, Grid):
            parts += [_fit_grid(block), Text()]
    if doc.short and doc.references and all(ref.label for ref in doc.references):
        # a short page names its sources by label, on a few lines: --full spells them out
        labels = Text("; ").join(Text(f"{r.number}. {r.label}") for r in doc.references)
        parts += [Text("Sources: ", style="bold") + labels, Text()]
    elif doc.references:
        parts.append(Text("Sources", style="bold"))
        parts += [Text(f"{ref.number}. ") + Text(ref.citation) for ref in doc.references]
        parts.append(Text())
    parts += [Text(line, style="dim italic") for line in doc.footer]
    return lined(tuple(parts), _page_part)


def _page_part(part: RenderableType, styled: bool) -> list[RenderableType | str]:
    """A part of the page as it is printed: where styles print nothing, a Text that
    wraps as a plain string wraps is that string (written by ``LongLines``)."""
    if styled or not isinstance(part, Text) or not _wraps_as_string(part):
        return [part]
    return [part.plain]


def _wraps_as_string(text: Text) -> bool:
    """Whether rich lays a Text out as it lays out its plain string: no justify,
    overflow or wrapping of its own, and a line break at its end."""
    return (
        text.end == "\n" and text.justify is None and text.overflow is None and text.no_wrap is None
    )


class Unbroken:
    """Text wrapped at its spaces only, never inside a word: a title or a fact may
    name a file, whose path runs past the width rather than break where it could not
    be copied. Styles are kept."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width, plain = options.max_width, self.text.plain
        breaks, start, words = [], 0, 0
        for word in _WORD.finditer(plain):
            if words and word.end() - start > width:
                breaks.append(start := word.start())
            words += 1
        for line in self.text.divide(breaks):
            line.rstrip()
            line.no_wrap, line.overflow = True, "ignore"
            yield line


_WORD = re.compile(r"\S+")


class Fit:
    """A table where it fits; otherwise the same content as lines, so nothing is cut off.

    Only the one that is printed is built."""

    def __init__(
        self,
        title: str,
        table: Callable[[int], RenderableType],
        lines: Callable[[], RenderableType],
        needed: int,
    ) -> None:
        self.title = title
        self.table = table
        self.lines = lines
        self.needed = needed

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.title:
            yield Text(self.title, style="bold")
        if self.needed <= options.max_width:
            yield self.table(options.max_width)
        else:
            yield self.lines()


def _widths(
    columns: list[list[str]], flexible: int, readable: int = _READABLE
) -> tuple[list[int], int]:
    """Each column's widest allowed width, and the narrowest the table can be.

    ``columns`` holds each column's header and cells. Other columns keep their
    natural width up to _NARROW (never breaking a word); a column of marks (no cell
    longer than one character) is as narrow as its header's longest word; the
    running text at ``flexible`` takes the rest and needs at least ``readable``.
    """
    widths = []
    for index, cells in enumerate(columns):
        if index == flexible:
            widths.append(readable)
            continue
        # the cells as one text (a table can be long): a line break ends every cell's
        # words and lines, and adds lines of none, which change a maximum only where
        # no cell has a line at all
        text = "\n".join(cells)
        longest_line = max(map(len, text.splitlines()), default=0)
        if not longest_line and not any(cell.splitlines() for cell in cells):
            longest_line = 1
        marks = max(map(len, islice(cells, 1, None)), default=0) <= 1
        # A word is never longer than its line: the longest counts only in a column of
        # marks, or where a line is longer than _NARROW (no word at all counts as 1).
        longest_word = 1
        if marks or longest_line > _NARROW:
            longest_word = max(map(len, text.split()), default=1)
        if marks:
            longest_line = longest_word
        widths.append(max(longest_word, min(longest_line, _NARROW)))
    return widths, _needed(widths)


def _room(width: int, widths: list[int], running: int) -> int:
    """How wide the running-text column can be when the others keep their widths."""
    return width - (_needed(widths) - widths[running])


def _needed(widths: list[int]) -> int:
    """The width of a table with these columns: rich pads each side of a column (not
    at the edges) and draws a rule between columns."""
    return sum(widths) + 2 * (len(widths) - 1) + len(widths)


def _with_refs(text: str, refs: tuple[int, ...]) -> Text:
    result = Text(text)
    if refs:
        result.append(f" [{format_refs(refs)}]", style="dim")
    return result


def _new_table() -> Table:
    return Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
    )


def _facts_table(facts: Facts, widths: list[int], room: int, sources: list[str]) -> RenderableType:
    """The statements as a table; ``sources`` holds each one's references, written
    out (none if no statement has any)."""
    table = _new_table()
    labelled = any(fact.label for fact in facts.rows)
    # a lone "Statement" column heads nothing: a list of questions needs no header
    table.show_header = labelled or bool(sources)
    if labelled:
        table.add_column(Text("Topic"), style="bold", overflow="fold", max_width=widths[0])
    table.add_column(Text("Statement"), overflow="fold", min_width=_READABLE, max_width=room)
    if sources:
        table.add_column(Text("Sources"), style="dim", overflow="fold", max_width=widths[-1])
    # The table a column at a time, each a comprehension: a treatment can have
    # 100,000 statements (side effects), and a loop that builds a row at a time took
    # half of the page's printing.
    facts_rows = facts.rows
    columns: list[Sequence[Cellular]] = []
    ends: list[int] = []
    if labelled:
        # a topic is named on its first row, and a rule follows its last
        labels = [fact.label for fact in facts_rows]
        starts = [
            number for number in range(1, len(labels)) if labels[number] != labels[number - 1]
        ]
        topics: list[Cellular] = [""] * len(labels)
        for start in (0, *starts):
            topics[start] = labels[start]
        columns.append(topics)
        ends = [start - 1 for start in starts]
    columns.append(
        [fact.text if not fact.items and not fact.note else _fact_text(fact) for fact in facts_rows]
    )
    if sources:
        columns.append(sources)
    return filled(table, list(zip(*columns, strict=True)), ends)


_refs = functools.lru_cache(maxsize=1024)(format_refs)
"""format_refs, once for each set of references: a long table repeats a few sets."""


def _cited(facts: Facts) -> bool:
    """Whether any statement has sources: if none has, the Sources column is left out."""
    return any(fact.refs for fact in facts.rows)


def _fact_text(fact: Fact) -> Cellular:
    """A statement, its items (each wrapped beside its bullet) and its note."""
    if not fact.items and not fact.note:
        return fact.text
    parts: list[RenderableType] = [Cell(Text(fact.text))] if fact.text else []
    parts += [_hanging(Text(item), " - ") for item in fact.items]
    if fact.note:
        parts.append(_note(fact))
    return Group(*parts)


def _note(fact: Fact) -> Text:
    if fact.warn:
        return Text("WARNING: ", style="bold red") + Text(fact.note, style="bold")
    return Text(fact.note, style="dim italic")


def _grid_table(grid: Grid, widths: list[int], flexible: int, room: int) -> RenderableType:
    table = _new_table()
    for index, column in enumerate(grid.columns):
        shared = grid.shared and index > 0
        running = index == flexible and not grid.shared
        # Only the running text gives way: the other columns keep their width.
        fixed = None if running or shared else widths[index]
        table.add_column(
            Text(column),
            overflow="fold",
            style="bold" if index == 0 else None,
            min_width=grid.readable if running else _NARROW if shared else fixed,
            max_width=room if running else fixed,
            ratio=1 if shared else None,
        )
    return filled(table, list(grid.rows))


def _fit_facts(facts: Facts) -> Fit:
    rows = facts.rows
    labelled = any(fact.label for fact in rows)
    sources = [_refs(fact.refs) for fact in rows] if _cited(facts) else []
    columns = [
        *([["Topic", *[fact.label for fact in rows]]] if labelled else []),
        ["Statement", *[fact.text for fact in rows], *_items(facts)],
        *([["Sources", *sources]] if sources else []),
    ]
    widths, needed = _widths(columns, 1 if labelled else 0)
    # A text that is never broken (a file path) fits on a line of the table, or the
    # block gives way to lines, where it runs past the width.
    running = 1 if labelled else 0
    whole = max((len(fact.text) for fact in facts.rows if fact.whole), default=0)
    if whole > widths[running]:
        needed += whole - widths[running]
        widths[running] = whole
    return Fit(
        facts.title,
        lambda width: _facts_table(facts, widths, _room(width, widths, running), sources),
        lambda: _facts_lines(facts),
        needed,
    )


def _items(facts: Facts) -> list[str]:
    """Every line a statement cell holds besides the statement itself (in no order:
    only their widths count)."""
    return [item for fact in facts.rows for item in fact.items] + [fact.note for fact in facts.rows]


def _fit_grid(grid: Grid) -> Fit:
    columns = [[name, *(row[i] for row in grid.rows)] for i, name in enumerate(grid.columns)]
    flexible = grid.flexible % len(grid.columns)
    widths, needed = _widths(columns, flexible, grid.readable)
    if grid.shared:
        # side by side, each column needs room for a few words a line, no more
        widths = [widths[0], *[_NARROW] * (len(widths) - 1)]
        needed = _needed(widths)
    return Fit(
        grid.title,
        lambda width: _grid_table(grid, widths, flexible, _room(width, widths, flexible)),
        lambda: _grid_lines(grid),
        needed,
    )


def _facts_lines(facts: Facts) -> RenderableType:
    return lined(facts.rows, _fact_lines)


def _fact_lines(fact: Fact, styled: bool) -> list[RenderableType | str]:
    """A statement as lines: its label, text and sources, then its items and note."""
    line: Text | str
    if styled:
        line = styled_line = Text(f"{fact.label}:", style="bold") if fact.label else Text("-")
        if fact.text:
            styled_line.append(" ")
            styled_line.append_text(_with_refs(fact.text, fact.refs))
    else:  # the same text, without the Text objects that would carry no style here
        line = f"{fact.label}:" if fact.label else "-"
        if fact.text:
            line += f" {fact.text}" + (f" [{_refs(fact.refs)}]" if fact.refs else "")
    parts: list[RenderableType | str] = [line]
    if fact.whole:  # a file path is never broken inside
        parts = [Unbroken(Text(line) if isinstance(line, str) else line)]
    parts += [_hanging(Text(item), "  - ") for item in fact.items]
    if fact.note:
        parts.append(Indented(_note(fact), 2))
    return parts


def _hanging(text: Text, bullet: str) -> RenderableType:
    """A bullet, and its text wrapped beside it, so a long item keeps its indent."""
    return Indented(text, len(bullet), bullet)


def _grid_lines(grid: Grid) -> RenderableType:
    columns = grid.columns[1:]

    def row_lines(row: tuple[str, ...], styled: bool) -> list[RenderableType | str]:
        parts: list[RenderableType | str] = [Text(row[0], style="bold") if styled else row[0]]
        for column, cell in zip(columns, row[1:], strict=True):
            if cell:  # an empty cell (an unmarked pair of a matrix) says nothing
                # Wrapped lines keep their indent: a cell's first line under the row's
                # name, its further lines (a qualification, another reason) further in.
                first, *more = cell.split("\n")
                label = f"{column}: " if column else ""
                parts.append(Indented(Text(label) + Text(first), 2))
                parts += [Indented(Text(line), 4) for line in more]
        return parts

    return lined(grid.rows, row_lines)
