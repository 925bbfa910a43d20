"""A format-neutral page: what a command shows, before it becomes a table or text."""

from bonemets_cli.frozen import Frozen
from bonemets_cli.terminal import UNSAFE


class Fact(Frozen):
    """A statement under a label, with the reference numbers that support it."""

    label: str
    text: str
    refs: tuple[int, ...] = ()
    items: tuple[str, ...] = ()
    note: str = ""
    """A line about the statement itself, such as its date or a review warning."""
    warn: bool = False
    """Show the note as a warning: the entry is overdue for review, or a caution."""
    whole: bool = False
    """The text is one unit, such as a file path: never broken inside; where a line
    cannot hold it, it runs past the width."""


class Facts(Frozen):
    """Labelled statements, such as every topic of one treatment."""

    title: str
    rows: tuple[Fact, ...]
    kind: str = ""
    """How a printed page sets the block apart: "urgent" draws a box around it, "notes"
    leaves room to write under each statement, "terms" sets short definitions in
    columns; "" is an ordinary block."""


class Grid(Frozen):
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


class Paragraph(Frozen):
    """Running text, such as the overview, with its references."""

    text: str
    refs: tuple[int, ...] = ()


class Lines(Frozen):
    """Lines that belong together and stand one under another, such as a problem list."""

    lines: tuple[str, ...]


Block = Facts | Grid | Paragraph | Lines


class Reference(Frozen):
    """A numbered entry in the page's list of sources."""

    number: int
    citation: str
    label: str = ""
    """The source's short name, such as "ESMO 2020": a short page on a terminal lists these."""


class Document(Frozen):
    """A whole page: title, blocks, the sources it cites, and the footer."""

    title: str
    subtitle: str = ""
    blocks: tuple[Block, ...] = ()
    references: tuple[Reference, ...] = ()
    footer: tuple[str, ...] = ()
    short: bool = False
    """A short page: on a terminal its sources are listed by label, which --full spells out."""


def format_refs(refs: tuple[int, ...]) -> str:
    """(1, 2, 3, 5) -> '1-3, 5': compact enough for a table column."""
    spans: list[list[int]] = []
    for number in sorted(set(refs)):
        if spans and number == spans[-1][-1] + 1:
            spans[-1].append(number)
        else:
            spans.append([number])
    return ", ".join(str(span[0]) if len(span) == 1 else f"{span[0]}-{span[-1]}" for span in spans)


def neutralised(doc: Document) -> Document:
    """The page with every control and bidirectional character in its text made visible
    (``\\x1b``, ``\\u202e``), so none reaches a reader raw; line breaks inside a table
    cell, a fact or a paragraph stay line breaks.

    Validated data holds none of these: what they guard against is text echoed from
    outside it, such as a search query or a file name. Every text renderer starts here.
    """
    return Document(
        title=_visible(doc.title, keep=""),
        subtitle=_visible(doc.subtitle, keep=""),
        blocks=tuple(_block(block) for block in doc.blocks),
        references=tuple(
            ref.replace(citation=_visible(ref.citation), label=_visible(ref.label))
            for ref in doc.references
        ),
        footer=tuple(_visible(line, keep="") for line in doc.footer),
        short=doc.short,
    )


def _visible(text: str, keep: str = "\n") -> str:
    if UNSAFE.search(text) is None:  # the usual case: nothing to do
        return text
    return UNSAFE.sub(
        lambda found: found.group() if found.group() in keep else ascii(found.group())[1:-1],
        text,
    )


def _block(block: Block) -> Block:
    if _safe(block):  # the usual case, checked in two searches: a table can be long
        return block
    if isinstance(block, Paragraph):
        return block.replace(text=_visible(block.text))
    if isinstance(block, Lines):
        return Lines(tuple(_visible(line, keep="") for line in block.lines))
    if isinstance(block, Facts):
        rows = tuple(
            fact.replace(
                label=_visible(fact.label, keep=""),
                text=_visible(fact.text),
                items=tuple(_visible(item) for item in fact.items),
                note=_visible(fact.note),
            )
            for fact in block.rows
        )
        return block.replace(title=_visible(block.title, keep=""), rows=rows)
    return block.replace(
        title=_visible(block.title, keep=""),
        columns=tuple(_visible(column, keep="") for column in block.columns),
        rows=tuple(tuple(_visible(cell) for cell in row) for row in block.rows),
    )


def _safe(block: Block) -> bool:
    """Whether a table has nothing for ``_visible`` to escape."""
    if isinstance(block, Facts):
        names = [block.title, *(fact.label for fact in block.rows)]
        texts = [text for fact in block.rows for text in (fact.text, fact.note, *fact.items)]
    elif isinstance(block, Grid):
        names = [block.title, *block.columns]
        texts = [cell for row in block.rows for cell in row]
    else:
        return False
    # Text keeps its line breaks: with them left out, one search finds anything else.
    # (One compiled pattern: compiling another like it costs ~5M instructions a run.)
    text = "".join(texts).replace("\n", "")
    return UNSAFE.search("".join(names)) is None and UNSAFE.search(text) is None
