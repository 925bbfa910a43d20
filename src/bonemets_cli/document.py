"""A format-neutral page: what a command shows, before it becomes a table or text."""

from typing import NamedTuple


class Fact(NamedTuple):
    """A statement under a label, with the reference numbers that support it."""

    label: str
    text: str
    refs: tuple[int, ...] = ()
    items: tuple[str, ...] = ()
    note: str = ""
    """A line about the statement itself, such as its date or a review warning."""
    warn: bool = False
    """Show the note as a warning: the entry is overdue for review, or a caution."""


class Facts(NamedTuple):
    """Labelled statements, such as every topic of one treatment."""

    title: str
    rows: tuple[Fact, ...]


class Grid(NamedTuple):
    """A table of plain cells, one row per entry."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    flexible: int = -2
    """The index of the running-text column that takes the spare width."""
    shared: bool = False
    """Every column but the first is running text and they share the width evenly, as
    when treatments stand side by side."""
    readable: int = 28
    """The narrowest the running-text column may get before the table gives way to
    lines: less for short names, such as the side effects of a matrix."""


class Paragraph(NamedTuple):
    """Running text, such as the overview, with its references."""

    text: str
    refs: tuple[int, ...] = ()


class Lines(NamedTuple):
    """Lines that belong together and stand one under another, such as a problem list."""

    lines: tuple[str, ...]


Block = Facts | Grid | Paragraph | Lines


class Reference(NamedTuple):
    """A numbered entry in the page's list of sources."""

    number: int
    citation: str


class Document(NamedTuple):
    """A whole page: title, blocks, the sources it cites, and the footer."""

    title: str
    subtitle: str = ""
    blocks: tuple[Block, ...] = ()
    references: tuple[Reference, ...] = ()
    footer: tuple[str, ...] = ()


def format_refs(refs: tuple[int, ...]) -> str:
    """(1, 2, 3, 5) -> '1-3, 5': compact enough for a table column."""
    spans: list[list[int]] = []
    for number in sorted(set(refs)):
        if spans and number == spans[-1][-1] + 1:
            spans[-1].append(number)
        else:
            spans.append([number])
    return ", ".join(str(span[0]) if len(span) == 1 else f"{span[0]}-{span[-1]}" for span in spans)
