"""Turning a Document into rich renderables, every data string wrapped in Text."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, NamedTuple, TypeVar

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import DEFAULT_JUSTIFY, DEFAULT_OVERFLOW, Text

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

RowT = TypeVar("RowT")
"""A row of a block: a statement, or a grid's row of cells."""

_READABLE = 28
"""The narrowest the running-text column may get before the table gives way to lines."""

_NARROW = 18
"""The widest any other column grows (unless one word is longer), leaving the running
text the spare width."""


def to_rich(doc: Document) -> RenderableType:
    """The table format: headed tables, references and footer, ready for Console.print."""
    doc = neutralised(doc)
    parts: list[RenderableType] = [Text(doc.title, style="bold")]
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
    return Group(*parts)


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


class Cell:
    """A table cell's Text, handed to rich one wrapped line at a time.

    rich renders a Text by joining its wrapped lines into one string, and a table
    cuts that string back into lines one ``partition`` at a time, copying the rest
    of the text for every line: time grows with the square of a statement's length
    (a 5 MB statement took 20 s). Yielded line by line, each line is copied once.

    Plain text of one-cell characters (printable ASCII: every statement the sources
    give) is measured and wrapped here, a line at a time at C speed, exactly as
    rich would do it a word at a time (tests/test_render.py compares the two)."""

    def __init__(self, text: Text) -> None:
        self.text = text
        self.plain = _is_plain(text)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return _measure(self.text, console, options)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text = self.text
        justify = text.justify or options.justify or DEFAULT_JUSTIFY
        overflow = text.overflow or options.overflow or DEFAULT_OVERFLOW
        no_wrap = bool(text.no_wrap if text.no_wrap is not None else options.no_wrap)
        width = options.max_width
        if self.plain and _folds(text, options):
            pieces = _plain_lines(text.plain, width, pad=justify == "left")
            for number, piece in enumerate(pieces):
                if number:
                    yield Segment.line()
                yield Segment(piece)
        else:
            wrapped = text.wrap(
                console,
                width,
                justify=justify,
                overflow=overflow,
                tab_size=text.tab_size or console.tab_size or 8,
                no_wrap=no_wrap,
            )
            for number, line in enumerate(wrapped):
                if number:
                    yield Segment.line()
                yield from line.render(console)
        if text.end:
            yield Segment(text.end)


def _folds(text: Text, options: ConsoleOptions) -> bool:
    """Whether a cell's text is laid out as ``_plain_lines`` does: folded, not
    justified to the right or centre, wrapped, at a usable width."""
    justify = text.justify or options.justify or DEFAULT_JUSTIFY
    overflow = text.overflow or options.overflow or DEFAULT_OVERFLOW
    no_wrap = text.no_wrap if text.no_wrap is not None else options.no_wrap
    return (
        overflow == "fold"
        and justify in ("default", "left")
        and not no_wrap
        and (options.max_width > 0)
    )


_ONE_CELL_EACH = re.compile(r"[ -~\n]*")
"""Printable ASCII and line breaks: each character one cell wide, and the space the
only whitespace within a line."""


def _plain_lines(text: str, width: int, pad: bool) -> Iterator[str]:
    """What ``Text.wrap`` makes of plain one-cell text with overflow "fold": each line
    of it divided where ``breaks`` says and cut to the width (spaces are all that can
    run past it), and, justified left, padded to it."""
    for line in text.split("\n"):
        starts = [0, *breaks(line, width)]
        for start, end in zip(starts, [*starts[1:], len(line)], strict=True):
            piece = line[start:end][:width]
            yield piece.ljust(width) if pad else piece


def breaks(line: str, width: int) -> list[int]:
    """Where rich's ``divide_line`` breaks a line of one-cell characters whose only
    whitespace is the space: the same offsets, found a line at a time (a search for
    a space) rather than a word at a time, so a statement of megabytes wraps in a blink.

    A word is a run of letters (non-spaces) and the spaces after it; the first word
    also holds the spaces before it. A line takes every word whose last letter fits
    within the width. The first that does not starts the next line or, longer than a
    line itself, is cut into lines of ``width`` characters, the last of which the next
    line continues.
    """
    found: list[int] = []
    first_letters = _letter_from(line, 0)
    start = 0  # where the line being filled starts
    while start + width < len(line):
        limit = start + width
        if line[limit] == " ":  # the first word that does not fit starts after the spaces
            letters = _letter_from(line, limit)
            if letters == len(line):
                break  # only spaces are left: they end the last word, which fits
        else:  # the word that crosses the limit
            space = _LAST_SPACE.search(line, start, limit)
            letters = start if space is None else space.start() + 1
        space = _SPACE.search(line, letters)
        letters_end = len(line) if space is None else space.start()
        word = 0 if letters == first_letters else letters
        if letters_end - word > width:  # longer than a line: cut into lines
            cuts = range(word, _letter_from(line, letters_end), width)
            found += [cut for cut in cuts if cut]
            start = cuts[-1]
        else:
            found.append(word)
            start = word
    return found


# Searched from a position (and to one), never as methods of the line or slices of
# it: a line can be megabytes long, and each search reads a few words of it.
_LETTER = re.compile("[^ ]")
_SPACE = re.compile(" ")
_LAST_SPACE = re.compile(" [^ ]*$")


def _letter_from(line: str, position: int) -> int:
    """The index of the first character that is not a space, at ``position`` or after;
    the line's length if there is none."""
    found = _LETTER.search(line, position)
    return len(line) if found is None else found.start()


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
    for cells in columns:
        # the cells as one text (a table can be long): a line break ends every cell's
        # words and lines, and adds lines of none, which change a maximum only where
        # no cell has a line at all
        text = "\n".join(cells)
        longest_word = max(map(len, text.split()), default=1)
        longest_line = max(map(len, text.splitlines()), default=0)
        if not longest_line and not any(cell.splitlines() for cell in cells):
            longest_line = 1
        if max(map(len, cells[1:]), default=0) <= 1:
            longest_line = longest_word
        widths.append(max(longest_word, min(longest_line, _NARROW)))
    widths[flexible] = readable
    return widths, _needed(widths)


def _room(width: int, widths: list[int], running: int) -> int:
    """How wide the running-text column can be when the others keep their widths."""
    return width - (_needed(widths) - widths[running])


def _needed(widths: list[int]) -> int:
    """The width of a table with these columns: rich pads each side of a column (not
    at the edges) and draws a rule between columns."""
    return sum(widths) + 2 * (len(widths) - 1) + len(widths)


class Indented:
    """Text wrapped within an indent, every line of it: a wrapped line keeps its place
    under the line it continues."""

    def __init__(self, text: Text, indent: int, bullet: str = "") -> None:
        self.text = text
        self.indent = indent
        self.bullet = bullet
        """Stands in the indent of the first line, such as ' - '."""

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        found = Measurement.get(console, options, Cell(self.text))
        return Measurement(found.minimum + self.indent, found.maximum + self.indent)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        plain = self.plain_lines(options, styled=True)
        if plain is not None:
            for shown in plain:
                yield Segment(shown)
                yield Segment.line()
            return
        room = max(options.max_width - self.indent, 1)
        for number, line in enumerate(self.text.wrap(console, room)):
            line.rstrip()
            lead = self.bullet if number == 0 and self.bullet else " " * self.indent
            yield Text(lead) + line

    def plain_lines(self, options: ConsoleOptions, styled: bool) -> list[str] | None:
        """The lines rich makes of plain text (or, ``styled`` false, of any text, its
        styles left out), each as a string; None for text rich must wrap itself."""
        room = max(options.max_width - self.indent, 1)
        justify = options.justify or DEFAULT_JUSTIFY
        fits = len(self.bullet) <= self.indent < options.max_width  # no line wraps again
        plain = _is_plain(self.text) if styled else _is_one_cell_each(self.text)
        if not (plain and fits and justify in ("default", "left")):
            return None
        # What rich makes of the Text lines below (each fits, so none wraps again),
        # without measuring and wrapping each of them once more, a word at a time.
        lines = []
        for number, piece in enumerate(_plain_lines(self.text.plain, room, pad=False)):
            lead = self.bullet if number == 0 and self.bullet else " " * self.indent
            shown = lead + piece.rstrip(" ")
            lines.append(shown.ljust(options.max_width) if justify == "left" else shown)
        return lines


class LongLines(Generic[RowT]):
    """The lines of a long block that has given way to lines (``Fit``). Where styles
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
                yield from map(_renderable_line, self.lines(row, True))
            return
        written: list[str] = []
        folds = _folds(Text(), options)
        for row in self.rows:
            for part in self.lines(row, False):
                lines = _unstyled_lines(part, options, folds)
                if lines is None:  # rich renders it, after the lines before it
                    if written:
                        yield Segment("".join(written))
                        written = []
                    yield _renderable_line(part)
                else:
                    written += [line + "\n" for line in lines]
        if written:
            yield Segment("".join(written))


def _unstyled_lines(
    part: RenderableType | str, options: ConsoleOptions, folds: bool
) -> list[str] | None:
    """What rich makes of a line of text (where ``folds``: see ``_folds``) or an
    Indented, as strings without their styles; None for anything else, or text that
    rich must wrap itself."""
    if isinstance(part, Indented):
        return part.plain_lines(options, styled=False)
    if not folds or not isinstance(part, str) or not _ONE_CELL_EACH.fullmatch(part):
        return None
    pad = (options.justify or DEFAULT_JUSTIFY) == "left"
    if len(part) <= options.max_width and "\n" not in part:  # one line: most of them
        return [part.ljust(options.max_width) if pad else part]
    return list(_plain_lines(part, options.max_width, pad=pad))


def _is_one_cell_each(text: Text) -> bool:
    """Whether every character of a Text is one cell wide (its styles aside)."""
    return bool(_ONE_CELL_EACH.fullmatch(text.plain))


def _is_plain(text: Text) -> bool:
    """Whether a Text is unstyled and of one-cell characters (see ``Cell``)."""
    return not text.spans and not text.style and bool(_ONE_CELL_EACH.fullmatch(text.plain))


def _measure(text: Text, console: Console, options: ConsoleOptions) -> Measurement:
    """``Text.__rich_measure__``, for plain text at C speed."""
    if not _is_plain(text):
        return text.__rich_measure__(console, options)
    plain = text.plain
    widest = max(map(len, plain.split("\n")))
    return Measurement(max(map(len, plain.split()), default=widest), widest)


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


Cellular = str | RenderableType
"""A table cell: a data string (plain text, the usual case) or a renderable."""


class Row(NamedTuple):
    """One row of a table to be: its cells, and whether a rule follows it."""

    cells: tuple[Cellular, ...]
    ends_section: bool = False


_LONG_ROWS = 1_000
"""More rows than this, and a table is written by ``LongTable``: rich's Table spends
about half a millisecond on a row (a second for 2,000)."""

_LONG_TEXT = 100_000
"""More characters of text than this in its cells, and a table is written by
``LongTable`` too (or its lines by ``LongLines``): rich spends as long on each wrapped
line of a cell as on a row."""


def _filled(table: Table, rows: list[Row]) -> RenderableType:
    """The table with its rows: rich's Table, or for a long one a ``LongTable``."""
    if _long(len(rows), (cell for row in rows for cell in row.cells if isinstance(cell, str))):
        return LongTable(table, rows)
    return _with_rows(table, rows)


def _long(rows: int, texts: Iterable[str]) -> bool:
    """Whether a block has rows or text enough that rich would take long over it."""
    return rows > _LONG_ROWS or sum(map(len, texts)) > _LONG_TEXT


def _with_rows(table: Table, rows: list[Row]) -> Table:
    for row in rows:
        table.add_row(*map(_renderable, row.cells), end_section=row.ends_section)
    return table


def _renderable(cell: Cellular) -> RenderableType:
    if isinstance(cell, str):
        return Cell(Text(cell))
    return Cell(cell) if isinstance(cell, Text) else cell


class LongTable:
    """A long table written a row at a time, laid out as rich's Table lays out the
    same columns and rows (the same widths, padding, rules and styles).

    rich renders every cell through its generic machinery (padding, lines cut and
    shaped, a fresh measurement of each renderable), at about half a millisecond a
    row: 100,000 side effects took a minute. Here a cell of plain text is a few string
    operations; any other cell is rendered by rich as its Table would render it.

    ``table`` holds the columns (as ``_new_table`` sets the box and padding) and no
    rows. A table whose columns must be narrowed below their natural width to fit is
    left to rich: its layout shares the width out in ways not repeated here, and no
    long table of ours needs it (``Fit`` sets each column's widest).
    """

    def __init__(self, table: Table, rows: list[Row]) -> None:
        self.table = table
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = self.table
        widths = _column_widths(table, self.rows, console, options)
        if widths is None or table.box is None:
            yield _with_rows(table, self.rows)
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
        rows: list[tuple[tuple[Cellular, ...], bool]] = [(row.cells, False) for row in self.rows]
        if table.show_header:
            rows.insert(0, (tuple(column.header for column in table.columns), True))
        if console.color_system is None:
            # Styles print nothing: every line is a string, and the table one text.
            yield Segment(
                "".join(self._text(writer, rows, dividers, rule.text, section.text)), None
            )
            return
        for number, (cells, header) in enumerate(rows):
            last = number == len(rows) - 1
            divider = dividers[0 if number == 0 else 2 if last else 1]
            for line in writer.segments(cells, divider, header):
                yield from line
                yield Segment.line()
            if header:
                yield rule
                yield Segment.line()
            elif self.rows[number - table.show_header].ends_section and not last:
                yield section
                yield Segment.line()

    def _text(
        self,
        writer: _RowWriter,
        rows: list[tuple[tuple[Cellular, ...], bool]],
        dividers: list[Segment],
        rule: str,
        section: str,
    ) -> Iterator[str]:
        """The table's lines, each ending in a line break."""
        show_header = self.table.show_header
        for number, (cells, header) in enumerate(rows):
            last = number == len(rows) - 1
            divider = dividers[0 if number == 0 else 2 if last else 1].text
            line = None if header else writer.line(cells, divider)
            if line is not None:
                yield line
            else:
                yield "\n".join(writer.strings(cells, divider, header)) + "\n"
            if header:
                yield rule + "\n"
            elif self.rows[number - show_header].ends_section and not last:
                yield section + "\n"


def _safe_box(table: Table, console: Console) -> bool:
    return console.safe_box if table.safe_box is None else table.safe_box


def _paddings(count: int) -> list[tuple[int, int]]:
    """Each column's (left, right) padding: one space each side, none at the edges."""
    return [(int(index > 0), int(index < count - 1)) for index in range(count)]


def _column_widths(
    table: Table, rows: list[Row], console: Console, options: ConsoleOptions
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
        cells = [row.cells[index] for row in rows]
        if table.show_header:
            cells.append(column.header)
        width = min(_widest(cells, console, measuring) + padding, room)
        if column.min_width is not None:
            width = max(width, column.min_width + padding)
        if column.max_width is not None:
            width = min(width, column.max_width + padding)
        widths.append(width or 1)
    return widths if sum(widths) <= room else None


def _widest(cells: list[Cellular], console: Console, options: ConsoleOptions) -> int:
    """The widest of the cells as rich measures them, plain text at C speed."""
    texts = "\n".join(cell for cell in cells if isinstance(cell, str))
    if _ONE_CELL_EACH.fullmatch(texts):
        widest = min(max(map(len, texts.split("\n"))), options.max_width)
        cells = [cell for cell in cells if not isinstance(cell, str)]
    else:
        widest = 0
    measured = (Measurement.get(console, options, _renderable(cell)).maximum for cell in cells)
    return max(widest, max(measured, default=0))


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
        # where a cell of plain text is laid out as _plain_lines lays it out, padded
        self.plain = [
            column.justify == "left" and _folds(Text(), cell_options) and room > 0
            for column, cell_options, room in zip(
                table.columns, self.options, self.rooms, strict=True
            )
        ]
        self.all_plain = all(self.plain)
        self.templates: dict[str, str] = {}

    def line(self, cells: tuple[Cellular, ...], divider: str) -> str | None:
        """A row of one line of plain text in each cell, with its line break, by one
        formatting; None for any other row."""
        if not self.all_plain or not all(isinstance(cell, str) for cell in cells):
            return None
        template = self.templates.get(divider)
        if template is None:
            fields = [
                " " * left + f"%-{room}s" + " " * right
                for room, (left, right) in zip(self.rooms, self.paddings, strict=True)
            ]
            template = self.templates[divider] = divider.replace("%", "%%").join(fields) + "\n"
        line = template % cells
        # no field ran past its room, and no cell held a line break or a wide character
        fits = len(line) == self.width + 1 and _ONE_LINE.fullmatch(line)
        return line if fits else None

    def strings(self, cells: tuple[Cellular, ...], divider: str, header: bool) -> list[str]:
        """A row's lines as strings (where styles print nothing)."""
        shaped = self._shaped(cells, header, merged=True)
        return [divider.join(line) for line in zip(*shaped, strict=True)]

    def segments(
        self, cells: tuple[Cellular, ...], divider: Segment, header: bool
    ) -> list[list[Segment]]:
        """A row's lines as segments, styled as rich's Table styles them."""
        lines = []
        for parts in zip(*self._shaped(cells, header, merged=False), strict=True):
            line = [*parts[0]]
            for part in parts[1:]:
                line += [divider, *part]
            lines.append(line)
        return lines

    def _shaped(self, cells: tuple[Cellular, ...], header: bool, merged: bool) -> list[list[Any]]:
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
        if self.plain[index] and isinstance(cell, str) and _ONE_CELL_EACH.fullmatch(cell):
            return list(_plain_lines(cell, self.rooms[index], pad=True))
        return None


def _facts_table(facts: Facts, widths: list[int], room: int) -> RenderableType:
    table = _new_table()
    labelled = any(fact.label for fact in facts.rows)
    # a lone "Statement" column heads nothing: a list of questions needs no header
    table.show_header = labelled or _cited(facts)
    if labelled:
        table.add_column(Text("Topic"), style="bold", overflow="fold", max_width=widths[0])
    table.add_column(Text("Statement"), overflow="fold", min_width=_READABLE, max_width=room)
    cited = _cited(facts)
    if cited:
        table.add_column(Text("Sources"), style="dim", overflow="fold", max_width=widths[-1])
    rows = []
    for number, fact in enumerate(facts.rows):
        first_of_topic = number == 0 or fact.label != facts.rows[number - 1].label
        last_of_topic = number + 1 < len(facts.rows) and facts.rows[number + 1].label != fact.label
        cells: list[Cellular] = [fact.label if first_of_topic else ""] if labelled else []
        cells.append(_fact_text(fact))
        if cited:
            cells.append(_refs(fact.refs))
        rows.append(Row(tuple(cells), labelled and last_of_topic))
    return _filled(table, rows)


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
    return _filled(table, [Row(row) for row in grid.rows])


def _fit_facts(facts: Facts) -> Fit:
    labelled = any(fact.label for fact in facts.rows)
    columns = [
        *([["Topic", *(fact.label for fact in facts.rows)]] if labelled else []),
        ["Statement", *(fact.text for fact in facts.rows), *_items(facts)],
        *([["Sources", *(_refs(fact.refs) for fact in facts.rows)]] if _cited(facts) else []),
    ]
    widths, needed = _widths(columns, 1 if labelled else 0)
    return Fit(
        facts.title,
        lambda width: _facts_table(facts, widths, _room(width, widths, 1 if labelled else 0)),
        lambda: _facts_lines(facts),
        needed,
    )


def _items(facts: Facts) -> list[str]:
    """Every line a statement cell holds besides the statement itself."""
    return [line for fact in facts.rows for line in (*fact.items, fact.note)]


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
    return _lines(facts.rows, _fact_lines, (fact.text for fact in facts.rows))


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
    parts += [_hanging(Text(item), "  - ") for item in fact.items]
    if fact.note:
        parts.append(Indented(_note(fact), 2))
    return parts


def _lines(
    rows: tuple[RowT, ...],
    lines: Callable[[RowT, bool], list[RenderableType | str]],
    texts: Iterable[str],
) -> RenderableType:
    """A block given way to lines: rich's Group, or for a long one ``LongLines``."""
    if _long(len(rows), texts):
        return LongLines(rows, lines)
    return Group(*(_renderable_line(part) for row in rows for part in lines(row, True)))


def _renderable_line(part: RenderableType | str) -> RenderableType:
    return Text(part) if isinstance(part, str) else part


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

    return _lines(grid.rows, row_lines, (cell for row in grid.rows for cell in row))
