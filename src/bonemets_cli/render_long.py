"""Tables and blocks of lines, written a row at a time in rich's layout."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from heapq import merge
from itertools import chain, compress, groupby, pairwise, repeat
from operator import itemgetter, ne, not_, or_
from typing import Any, Generic, TypeVar, cast

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import DEFAULT_JUSTIFY, Text

from bonemets_cli.render_cells import (
    ONE_CELL_EACH,
    Cell,
    Indented,
    folds,
    plain_lines,
)

RowT = TypeVar("RowT")
"""A row of a block: a statement, or a grid's row of cells."""


class LongLines(Generic[RowT]):
    """The lines of a block that has given way to lines (``Fit``). Where styles
    print nothing, its text is wrapped here a line at a time, and the lines written
    as one string, as rich would write them (rich takes about a tenth of a
    millisecond a line: 100,000 side effects took 10 s); with colour, rich writes
    them. ``lines`` makes a row's lines, as Text (``styled``) or as strings."""

    def __init__(
        self, rows: tuple[RowT, ...], lines: Callable[[RowT, bool], list[RenderableType | str]]
    ) -> None:
        self.rows = rows
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if console.color_system is not None:
            for row in self.rows:
                yield from map(renderable_line, self.lines(row, True))
            return
        written: list[str] = []
        folding = folds(Text(), options)
        for row in self.rows:
            for part in self.lines(row, False):
                lines = _unstyled_lines(part, options, folding)
                if lines is None:  # rich renders it, after the lines before it
                    if written:
                        yield Segment("".join(written))
                        written = []
                    yield renderable_line(part)
                else:
                    written += [line + "\n" for line in lines]
        if written:
            yield Segment("".join(written))


def renderable_line(part: RenderableType | str) -> RenderableType:
    return Text(part) if isinstance(part, str) else part


def _unstyled_lines(
    part: RenderableType | str, options: ConsoleOptions, folding: bool
) -> list[str] | None:
    """What rich makes of a line of text (where ``folding``: see ``folds``) or an
    Indented, as strings without their styles; None for anything else, or text that
    rich must wrap itself."""
    if isinstance(part, Indented):
        return part.plain_lines(options, styled=False)
    if not folding or not isinstance(part, str) or not ONE_CELL_EACH.fullmatch(part):
        return None
    pad = (options.justify or DEFAULT_JUSTIFY) == "left"
    if len(part) <= options.max_width and "\n" not in part:  # one line: most of them
        return [part.ljust(options.max_width) if pad else part]
    return list(plain_lines(part, options.max_width, pad=pad))


Cellular = str | RenderableType
"""A table cell: a data string (plain text, the usual case) or a renderable."""


Cells = tuple[Cellular, ...]
"""One row of a table: its cells, in the order of the columns. A plain tuple, not a
record: a table can have 100,000 rows, and a tuple of strings is one object, which
the garbage collector soon stops walking."""


BY_RICH = False
"""Whether rich's own Table and Group print every table and every block given way to
lines. Only the tests set it: rich's output is the reference that ``LongTable`` and
``LongLines`` are checked against, byte for byte, colour on and off, at every width.

Otherwise bonemets writes them, whatever their size: at first only over 1,000 rows or
100,000 characters, where rich's Table takes half a millisecond a row; measured under
valgrind (COLUMNS=100, NO_COLOR), every page costs fewer instructions this way too:
`list` 39M fewer, `side-effects` 31M, `handout` 28M, `updates` 20M, `show` 15M,
`options` 7M (with colour, `list` 34M and `handout` 23M). A table whose columns must
be narrowed to fit is still laid out by rich (``LongTable``)."""


def filled(table: Table, rows: list[Cells], ends: Sequence[int] = ()) -> RenderableType:
    """The table with its rows, to be written by ``LongTable``; a rule follows each
    row whose index is in ``ends`` (in order), but the last (rich's ``end_section``)."""
    if BY_RICH:
        return _with_rows(table, rows, ends)
    return LongTable(table, rows, ends)


def lined(
    rows: tuple[RowT, ...], lines: Callable[[RowT, bool], list[RenderableType | str]]
) -> RenderableType:
    """A block given way to lines, to be written by ``LongLines``."""
    if BY_RICH:
        return Group(*(renderable_line(part) for row in rows for part in lines(row, True)))
    return LongLines(rows, lines)


def _with_rows(table: Table, rows: list[Cells], ends: Collection[int]) -> Table:
    ends = set(ends)
    for number, cells in enumerate(rows):
        table.add_row(*map(_renderable, cells), end_section=number in ends)
    return table


def _renderable(cell: Cellular) -> RenderableType:
    if isinstance(cell, str):
        return Cell(Text(cell))
    return Cell(cell) if isinstance(cell, Text) else cell


class LongTable:
    """A table written a row at a time, laid out as rich's Table lays out the
    same columns and rows (the same widths, padding, rules and styles).

    rich renders every cell through its generic machinery (padding, lines cut and
    shaped, a fresh measurement of each renderable), at about half a millisecond a
    row: 100,000 side effects took a minute. Here a cell of plain text is a few string
    operations; any other cell is rendered by rich as its Table would render it.

    ``table`` holds the columns (as ``_new_table`` sets the box and padding) and no
    rows; ``ends`` the indices of the rows that a rule follows, in order. A table
    whose columns must be narrowed below their natural width to fit is left to rich:
    its layout shares the width out in ways not repeated here, and no long table of
    ours needs it (``Fit`` sets each column's widest).
    """

    def __init__(self, table: Table, rows: list[Cells], ends: Sequence[int] = ()) -> None:
        self.table = table
        self.rows = rows
        self.ends = ends
        self.section_ends = frozenset(ends)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = self.table
        widths = _column_widths(table, self.rows, console, options)
        if widths is None or table.box is None:
            yield _with_rows(table, self.rows, self.ends)
            return
        render_options = options.update(
            width=sum(widths) + len(widths) - 1, highlight=table.highlight, height=None
        )
        writer = _RowWriter(table, widths, console, render_options)
        frame = table.box.substitute(render_options, safe=_safe_box(table, console))
        if not table.show_header:
            frame = frame.get_plain_headed_box()
        border = console.get_style(table.style or "") + console.get_style(table.border_style or "")
        rule = Segment(frame.get_row(widths, "head", edge=False), border)
        section = Segment(frame.get_row(widths, "row", edge=False), border)
        dividers = [
            Segment(vertical, Style.null().background_style + border)
            for vertical in (frame.head_vertical, frame.mid_vertical, frame.foot_vertical)
        ]
        header = tuple(column.header for column in table.columns)
        if console.color_system is None:
            # Styles print nothing: every line is a string, and the table one text.
            text: list[str] = []
            if table.show_header:
                text += [line + "\n" for line in writer.strings(header, dividers[0].text, True)]
                text.append(rule.text + "\n")
            for divider, run in self._runs(dividers):
                text.append(writer.lines(self.rows[run.start : run.stop], divider.text))
                if self._section_after(run.stop - 1):
                    text.append(section.text + "\n")
            yield Segment("".join(text), None)
            return
        if table.show_header:
            for line in writer.segments(header, dividers[0], header=True):
                yield from line
                yield Segment.line()
            yield rule
            yield Segment.line()
        for divider, run in self._runs(dividers):
            for number in run:
                for line in writer.segments(self.rows[number], divider, header=False):
                    yield from line
                    yield Segment.line()
            if self._section_after(run.stop - 1):
                yield section
                yield Segment.line()

    def _runs(self, dividers: list[Segment]) -> Iterator[tuple[Segment, range]]:
        """The body's rows in runs that share a divider (rich draws the first line's
        and the last's with their own), each run ending at a section's end or before."""
        count = len(self.rows)
        first = 0 if self.table.show_header else 1  # the header, if shown, is the first
        edges = sorted({0, first, count - 1, count} - {-1})
        # the edges and the sections' ends, both in order, merged in order (no sort)
        cuts = (cut for cut, _ in groupby(merge(edges, (end + 1 for end in self.ends))))
        for start, stop in pairwise(cut for cut in cuts if cut <= count):
            number = start + self.table.show_header
            divider = dividers[0 if number == 0 else 2 if start == count - 1 else 1]
            yield divider, range(start, stop)

    def _section_after(self, number: int) -> bool:
        return number in self.section_ends and number != len(self.rows) - 1


def _safe_box(table: Table, console: Console) -> bool:
    return console.safe_box if table.safe_box is None else table.safe_box


def _paddings(count: int) -> list[tuple[int, int]]:
    """Each column's (left, right) padding: one space each side, none at the edges."""
    return [(int(index > 0), int(index < count - 1)) for index in range(count)]


def _column_widths(
    table: Table, rows: list[Cells], console: Console, options: ConsoleOptions
) -> list[int] | None:
    """Each column's width with its padding, as rich's Table would set it; None where
    rich would have to narrow the columns to fit."""
    room = options.max_width - (len(table.columns) - 1)
    if room < 1:
        return None
    measuring = options.update_width(room)
    widths = []
    for index, (column, (left, right)) in enumerate(
        zip(table.columns, _paddings(len(table.columns)), strict=True)
    ):
        padding = left + right
        if room - padding < 1:
            return None
        widest = _widest(list(map(itemgetter(index), rows)), console, measuring)
        if table.show_header:  # a Text: measured apart, so the cells can be all strings
            widest = max(widest, _widest([column.header], console, measuring))
        width = min(widest + padding, room)
        if column.min_width is not None:
            width = max(width, column.min_width + padding)
        if column.max_width is not None:
            width = min(width, column.max_width + padding)
        widths.append(width or 1)
    return widths if sum(widths) <= room else None


def _widest(cells: Sequence[Cellular], console: Console, options: ConsoleOptions) -> int:
    """The widest of the cells as rich measures them, plain text at C speed."""
    if _all_text(cells):
        strings, others = cast("Sequence[str]", cells), []
    else:
        strings = [cell for cell in cells if isinstance(cell, str)]
        others = [cell for cell in cells if not isinstance(cell, str)]
    texts = "\n".join(strings)
    if ONE_CELL_EACH.fullmatch(texts):
        widest = min(max(map(len, texts.split("\n"))), options.max_width)
        cells = others
    else:
        widest = 0
    measured = (Measurement.get(console, options, _renderable(cell)).maximum for cell in cells)
    return max(widest, max(measured, default=0))


def _all_text(cells: Iterable[Cellular]) -> bool:
    """Whether every cell is a string (checked at C speed, not a cell at a time)."""
    return set(map(type, cells)) <= {str}


_ONE_LINE = re.compile(r"[ -~]*\n")
"""A line of printable ASCII (each character one cell wide) and its line break."""


class _RowWriter:
    """A row's lines, as rich's Table would render them: plain text by string
    operations, any other cell by rich itself."""

    def __init__(
        self, table: Table, widths: list[int], console: Console, options: ConsoleOptions
    ) -> None:
        self.console = console
        self.widths = widths
        self.width = sum(widths) + len(widths) - 1
        self.paddings = _paddings(len(widths))
        self.options = [
            options.update(
                width=width,
                justify=column.justify,
                no_wrap=column.no_wrap,
                overflow=column.overflow,
                height=None,
                highlight=column.highlight,
            )
            for width, column in zip(widths, table.columns, strict=True)
        ]
        get_style = console.get_style
        self.styles = [get_style(column.style or "") for column in table.columns]
        self.header_styles = [
            get_style(table.header_style or "") + get_style(column.header_style)
            for column in table.columns
        ]
        self.rooms = [
            width - left - right for width, (left, right) in zip(widths, self.paddings, strict=True)
        ]
        # where a cell of plain text is laid out as plain_lines lays it out, padded
        self.plain = [
            column.justify == "left" and folds(Text(), cell_options) and room > 0
            for column, cell_options, room in zip(
                table.columns, self.options, self.rooms, strict=True
            )
        ]
        self.all_plain = all(self.plain)
        self.templates: dict[str, str] = {}

    def lines(self, rows: Sequence[Cells], divider: str) -> str:
        """Rows' lines, each with its line break, where styles print nothing.

        A row of one line of plain text in each cell is one formatting of its cells;
        any other is laid out as rich lays it out (``strings``). Every row is
        formatted, and the formatted lines are checked together, at C speed: a long
        table is a few string operations, not a few for each row."""
        template = self._template(divider)
        if not self.all_plain:
            formatted = [""] * len(rows)
        elif _all_text(chain.from_iterable(rows)):
            formatted = [template % cells for cells in rows]
        else:  # a cell that is not a string is never formatted (it would show its repr)
            formatted = [template % cells if _all_text(cells) else "" for cells in rows]
        # A formatted row is a line of the table where no field ran past its room (the
        # line is as long as the table is wide) and no cell held a line break or a
        # wide character; the rows that are not, found at C speed, are laid out again.
        misfits = list(
            compress(
                range(len(rows)),
                map(
                    or_,
                    map(ne, map(len, formatted), repeat(self.width + 1)),
                    map(not_, map(_ONE_LINE.fullmatch, formatted)),
                ),
            )
        )
        for number in misfits:
            formatted[number] = "\n".join(self.strings(rows[number], divider, False)) + "\n"
        return "".join(formatted)

    def _template(self, divider: str) -> str:
        """A row's line as a format of its cells, each padded to its column's room."""
        template = self.templates.get(divider)
        if template is None:
            fields = [
                " " * left + f"%-{room}s" + " " * right
                for room, (left, right) in zip(self.rooms, self.paddings, strict=True)
            ]
            template = self.templates[divider] = divider.replace("%", "%%").join(fields) + "\n"
        return template

    def strings(self, cells: Cells, divider: str, header: bool) -> list[str]:
        """A row's lines as strings (where styles print nothing)."""
        shaped = self._shaped(cells, header, merged=True)
        return [divider.join(line) for line in zip(*shaped, strict=True)]

    def segments(self, cells: Cells, divider: Segment, header: bool) -> list[list[Segment]]:
        """A row's lines as segments, styled as rich's Table styles them."""
        lines = []
        for parts in zip(*self._shaped(cells, header, merged=False), strict=True):
            line = [*parts[0]]
            for part in parts[1:]:
                line += [divider, *part]
            lines.append(line)
        return lines

    def _shaped(self, cells: Cells, header: bool, merged: bool) -> list[list[Any]]:
        """Each cell's lines, padded, as many for each (a header at the foot of its
        row, a cell at the head): strings if merged, else lists of segments."""
        styles = self.header_styles if header else self.styles
        shaped: list[list[Any]] = []
        for index, (cell, style) in enumerate(zip(cells, styles, strict=True)):
            left, right = self.paddings[index]
            pieces = None if header else self._plain(cell, index)
            if pieces is None:  # rich's own rendering of the cell, as its Table does it
                rendered = self.console.render_lines(
                    Padding(_renderable(cell), (0, right, 0, left)),
                    self.options[index],
                    style=style,
                )
                lines: list[Any] = (
                    ["".join(segment.text for segment in line) for line in rendered]
                    if merged
                    else rendered
                )
            elif merged:
                lines = [" " * left + piece + " " * right for piece in pieces]
            else:  # the segments of a Cell in a Padding, the column's style added
                lead = [Segment(" " * left, style)] if left else []
                trail = [Segment(" " * right, style)] if right else []
                lines = [[*lead, Segment(piece, style), *trail] for piece in pieces]
            shaped.append(lines)
        height = max(map(len, shaped))
        for index, lines in enumerate(shaped):
            if len(lines) < height:
                blank = " " * self.widths[index]
                fill = [blank if merged else [Segment(blank, styles[index])]]
                fill *= height - len(lines)
                shaped[index] = fill + lines if header else lines + fill
        return shaped

    def _plain(self, cell: Cellular, index: int) -> list[str] | None:
        """A cell of plain text, laid out as rich lays it out, without its padding."""
        if self.plain[index] and isinstance(cell, str) and ONE_CELL_EACH.fullmatch(cell):
            return list(plain_lines(cell, self.rooms[index], pad=True))
        return None
