"""Plain text wrapped as rich wraps it, a line at a time: table cells and indented lines."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import DEFAULT_JUSTIFY, DEFAULT_OVERFLOW, Text


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
        if self.plain and folds(text, options):
            pieces = plain_lines(text.plain, width, pad=justify == "left")
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


def folds(text: Text, options: ConsoleOptions) -> bool:
    """Whether a cell's text is laid out as ``plain_lines`` does: folded, not
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


ONE_CELL_EACH = re.compile(r"[ -~\n]*")
"""Printable ASCII and line breaks: each character one cell wide, and the space the
only whitespace within a line."""


def plain_lines(text: str, width: int, pad: bool) -> Iterator[str]:
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
        plain = _is_plain(self.text) if styled else is_one_cell_each(self.text)
        if not (plain and fits and justify in ("default", "left")):
            return None
        # What rich makes of the Text lines below (each fits, so none wraps again),
        # without measuring and wrapping each of them once more, a word at a time.
        lines = []
        for number, piece in enumerate(plain_lines(self.text.plain, room, pad=False)):
            lead = self.bullet if number == 0 and self.bullet else " " * self.indent
            shown = lead + piece.rstrip(" ")
            lines.append(shown.ljust(options.max_width) if justify == "left" else shown)
        return lines


def is_one_cell_each(text: Text) -> bool:
    """Whether every character of a Text is one cell wide (its styles aside)."""
    return bool(ONE_CELL_EACH.fullmatch(text.plain))


def _is_plain(text: Text) -> bool:
    """Whether a Text is unstyled and of one-cell characters (see ``Cell``)."""
    return not text.spans and not text.style and bool(ONE_CELL_EACH.fullmatch(text.plain))


def _measure(text: Text, console: Console, options: ConsoleOptions) -> Measurement:
    """``Text.__rich_measure__``, for plain text at C speed."""
    if not _is_plain(text):
        return text.__rich_measure__(console, options)
    plain = text.plain
    widest = max(map(len, plain.split("\n")))
    return Measurement(max(map(len, plain.split()), default=widest), widest)
