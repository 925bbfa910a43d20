"""Turning a view into text: JSON, Markdown and plain. Renderers return, never print."""

from __future__ import annotations

import json
import re
from typing import Any

from bonemets_cli.document import Document, Fact, Facts, Grid, Lines, Paragraph, format_refs


def to_json(data: dict[str, Any], *, ascii_only: bool = False) -> str:
    """Stable JSON: keys in model order, two-space indent, UTF-8 kept readable
    unless the output can only take ASCII, when JSON's own escapes are used."""
    if ascii_only:
        return json.dumps(data, indent=2, ensure_ascii=True) + "\n"
    # pydantic-core writes the same text as json.dumps(indent=2, ensure_ascii=False),
    # but in Rust: the standard library's indenting encoder is pure Python.
    from pydantic_core import to_json as encode

    return encode(data, indent=2).decode("utf-8") + "\n"


# CommonMark treats these as syntax anywhere in a line; a leading '#', '>', '+', '-'
# or 'N.' would start a block, so those are escaped at the start of a line only.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|~!&])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.MULTILINE)


def md_escape(text: str) -> str:
    """A data string as Markdown that displays exactly that string."""
    return _MARKDOWN_LINE_START.sub(r"\1\\\2", _MARKDOWN_INLINE.sub(r"\\\1", text))


def to_markdown(doc: Document) -> str:
    """A Markdown page, suitable for printing as a handout."""
    out = [f"# {md_escape(doc.title)}", ""]
    if doc.subtitle:
        out += [f"*{md_escape(doc.subtitle)}*", ""]
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            out += [md_escape(block.text) + _md_refs(block.refs), ""]
        elif isinstance(block, Lines):
            out += [f"- {md_escape(line)}" for line in block.lines]
            out.append("")
        elif isinstance(block, Facts):
            if block.title:
                out += [f"## {md_escape(block.title)}", ""]
            out += [_md_fact(fact) for fact in block.rows]
            out.append("")
        elif isinstance(block, Grid):
            out += [f"## {md_escape(block.title)}", ""]
            out.append("| " + " | ".join(md_escape(c) for c in block.columns) + " |")
            out.append("|" + "---|" * len(block.columns))
            out += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in block.rows]
            out.append("")
    if doc.references:
        out += ["## Sources", ""]
        out += [f"{ref.number}. {md_escape(ref.citation)}" for ref in doc.references]
        out.append("")
    out += ["---", ""]
    out += [f"*{md_escape(line)}*\n" for line in doc.footer]
    return "\n".join(out).rstrip("\n") + "\n"


def _md_refs(refs: tuple[int, ...]) -> str:
    return f" \\[{format_refs(refs)}\\]" if refs else ""


def _md_fact(fact: Fact) -> str:
    label = f"**{md_escape(fact.label)}:** " if fact.label else ""
    line = f"- {label}{md_escape(fact.text)}{_md_refs(fact.refs)}"
    lines = [line, *(f"    - {md_escape(item)}" for item in fact.items)]
    if fact.note:
        note = md_escape(fact.note)
        lines.append(f"    **{note}**" if fact.warn else f"    *{note}*")
    return "\n".join(lines)


def to_plain(doc: Document) -> str:
    """Plain text for screen readers and pipes: no tables, no symbols, a fact a line."""
    out = [doc.title]
    if doc.subtitle:
        out.append(doc.subtitle)
    out.append("")
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            out += [block.text + _plain_refs(block.refs), ""]
        elif isinstance(block, Lines):
            out += [*block.lines, ""]
        elif isinstance(block, Facts):
            if block.title:
                out.append(block.title + ":")
            for fact in block.rows:
                label = f"{fact.label}: " if fact.label else ("- " if block.title else "")
                out.append(f"{label}{fact.text}{_plain_refs(fact.refs)}")
                out += [f"  - {item}" for item in fact.items]
                if fact.note:
                    out.append(f"  ({'WARNING: ' if fact.warn else ''}{fact.note})")
            out.append("")
        elif isinstance(block, Grid):
            out += [block.title + ":", ""]
            for row in block.rows:
                out.append(row[0])
                out += [
                    f"  {column}: {cell}"
                    for column, cell in zip(block.columns[1:], row[1:], strict=True)
                ]
                out.append("")
    if doc.references:
        out.append("Sources:")
        out += [f"{ref.number}. {ref.citation}" for ref in doc.references]
        out.append("")
    out += list(doc.footer)
    return "\n".join(out) + "\n"


def _plain_refs(refs: tuple[int, ...]) -> str:
    if not refs:
        return ""
    return f" (source{'s' if len(refs) > 1 else ''} {format_refs(refs)})"
