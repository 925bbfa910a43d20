"""Turning a view into text: JSON, Markdown and plain. Renderers return, never print."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

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
from bonemets_cli.terminal import UNSAFE


def to_json(data: dict[str, Any], *, ascii_only: bool = False) -> str:
    """Stable JSON: keys in insertion order, two-space indent, UTF-8 kept readable
    unless the output can only take ASCII, when JSON's own escapes are used.

    Strings keep their values exactly (a query or file name as the user gave it);
    a control or bidirectional character in one is written as a JSON escape
    (``\\u202e``), so the text itself never carries one to a terminal."""
    if ascii_only:
        return json.dumps(data, indent=2, ensure_ascii=True) + "\n"
    # pydantic-core writes the same text as json.dumps(indent=2, ensure_ascii=False),
    # but in Rust: the standard library's indenting encoder is pure Python.
    import pydantic_core

    try:
        text = pydantic_core.to_json(data, indent=2).decode("utf-8") + "\n"
    except pydantic_core.PydanticSerializationError:
        # A lone surrogate (a byte of an argument or path that was not UTF-8) has no
        # UTF-8 form: the standard library writes it raw, and the escaping below turns
        # it into JSON's own escape, which json.loads and os.fsencode read back as the
        # user's byte.
        plain = pydantic_core.to_jsonable_python(data)
        text = json.dumps(plain, indent=2, ensure_ascii=False) + "\n"
    return _raw_in_json().sub(lambda found: f"\\u{ord(found.group()):04x}", text)


@functools.cache
def _raw_in_json() -> re.Pattern[str]:
    """What JSON text can carry raw that the terminal must not see: the unsafe characters
    but C0 controls, which JSON already escapes inside strings (and the line breaks
    between its lines are its own). Lone surrogates among them: outside strings JSON's
    syntax is ASCII, so escaping every one keeps the text valid JSON.

    Compiled on first use (about 5M instructions): only JSON output needs it."""
    return re.compile(UNSAFE.pattern.replace("\x00-\x1f", ""))


# CommonMark treats these as syntax anywhere in a line; a leading '#', '>', '+', '-'
# or 'N.' would start a block, so those are escaped at the start of a line only.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|~!&])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.MULTILINE)


def md_escape(text: str) -> str:
    """A data string as Markdown that displays exactly that string."""
    return _MARKDOWN_LINE_START.sub(r"\1\\\2", _MARKDOWN_INLINE.sub(r"\\\1", text))


def to_markdown(doc: Document) -> str:
    """A Markdown page, suitable for printing as a handout."""
    doc = neutralised(doc)
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
            out += [_md_fact(fact) + _md_notes(block) for fact in block.rows]
            out.append("")
        elif isinstance(block, Grid):
            if block.title:
                out += [f"## {md_escape(block.title)}", ""]
            out.append("| " + " | ".join(_md_cell(c) for c in block.columns) + " |")
            out.append("|" + "---|" * len(block.columns))
            out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
            out.append("")
    if doc.references:
        out += ["## Sources", ""]
        out += [f"{ref.number}. {md_escape(ref.citation)}" for ref in doc.references]
        out.append("")
    out += ["---", ""]
    out += [f"*{md_escape(line)}*\n" for line in doc.footer]
    return "\n".join(out).rstrip("\n") + "\n"


def _md_cell(text: str) -> str:
    """A table cell: a cell cannot hold a line break, so lines are joined with <br>."""
    return "<br>".join(md_escape(line) for line in text.split("\n"))


def _md_refs(refs: tuple[int, ...]) -> str:
    return f" \\[{format_refs(refs)}\\]" if refs else ""


NOTES_LINE = "Notes: " + "." * 60
"""Room to write under a statement of a "notes" block, on paper."""


def _md_notes(block: Facts) -> str:
    return f"\n\n    {NOTES_LINE}\n" if block.kind == "notes" else ""


def _md_fact(fact: Fact) -> str:
    label = f"**{md_escape(fact.label)}:** " if fact.label else ""
    line = f"- {label}{md_escape(fact.text)}{_md_refs(fact.refs)}".rstrip()
    lines = [line, *(f"    - {md_escape(item)}" for item in fact.items)]
    if fact.note:
        note = md_escape(fact.note)
        lines.append(f"    **{note}**" if fact.warn else f"    *{note}*")
    return "\n".join(lines)


def to_plain(doc: Document) -> str:
    """Plain text for screen readers and pipes: no tables, no symbols, a fact a line."""
    doc = neutralised(doc)
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
                out.append(f"{label}{fact.text}{_plain_refs(fact.refs)}".rstrip())
                out += [f"  - {item}" for item in fact.items]
                if fact.note:
                    out.append(f"  ({'WARNING: ' if fact.warn else ''}{fact.note})")
                if block.kind == "notes":
                    out.append(f"  {NOTES_LINE}")
            out.append("")
        elif isinstance(block, Grid):
            if block.title:
                out += [block.title + ":", ""]
            for row in block.rows:
                out.append(row[0])
                out += [
                    _plain_cell(column, cell)
                    for column, cell in zip(block.columns[1:], row[1:], strict=True)
                    if cell  # an empty cell (an unmarked pair of a matrix) says nothing
                ]
                out.append("")
    if doc.references:
        out.append("Sources:")
        out += [f"{ref.number}. {ref.citation}" for ref in doc.references]
        out.append("")
    out += list(doc.footer)
    return "\n".join(out) + "\n"


def _plain_cell(column: str, cell: str) -> str:
    """'  Column: text', a cell's further lines indented under its first."""
    label = f"{column}: " if column else ""
    return "  " + label + cell.replace("\n", "\n    ")


def _plain_refs(refs: tuple[int, ...]) -> str:
    if not refs:
        return ""
    return f" (source{'s' if len(refs) > 1 else ''} {format_refs(refs)})"


_STYLE = """
body { font: 11pt/1.45 Georgia, "Times New Roman", serif; color: #111; margin: 0; }
main { max-width: 48rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.15rem; margin: 1.4rem 0 0.4rem; border-bottom: 1px solid #999; }
.subtitle { color: #444; font-style: italic; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.4rem 0; }
th, td { border: 1px solid #999; padding: 0.3rem 0.45rem; text-align: left; vertical-align: top; }
th { background: #eee; }
.refs { color: #555; font-size: 0.85em; }
.note { color: #444; font-style: italic; }
.warn { color: #900; font-weight: bold; }
footer { margin-top: 1.5rem; border-top: 1px solid #999; font-size: 0.9em; color: #333; }
.urgent { border: 3px solid #900; padding: 0.2rem 0.8rem 0.5rem; margin: 0.8rem 0;
  break-inside: avoid; }
.urgent h2 { color: #900; border-bottom: none; margin-top: 0.4rem; }
.notes li { padding-bottom: 2.2em; border-bottom: 1px dotted #777; margin-bottom: 0.3em; }
@media print {
  main { margin: 0; max-width: none; }
  h2 { break-after: avoid; }
  tr, li { break-inside: avoid; }
}
""".strip()

_PAPER_STYLE = """
@page {{ size: {size}; margin: 9mm 11mm; }}
@media print {{
  body {{ font-size: 8.5pt; line-height: 1.22; }}
  h1 {{ font-size: 1.3rem; margin: 0 0 0.1rem; }}
  h2 {{ font-size: 1.02rem; margin: 0.45rem 0 0.15rem; }}
  p {{ margin: 0.3rem 0; }}
  ul, ol {{ margin: 0.15rem 0; padding-left: 1.2rem; }}
  th, td {{ padding: 0.1rem 0.25rem; font-size: 8pt; line-height: 1.18; }}
  th:nth-child(1) {{ width: 11%; }}
  th:nth-child(2) {{ width: 26%; }}
  th:nth-child(3) {{ width: 10%; }}
  th:nth-child(4) {{ width: 31%; }}
  tr {{ break-inside: auto; }}
  .urgent {{ margin: 0.35rem 0; padding: 0 0.6rem 0.25rem; }}
  .urgent li li {{ font-weight: bold; }}
  .notes, .terms {{ columns: 2; column-gap: 1.5rem; }}
  .notes li {{ padding-bottom: 1.3em; }}
  .sources {{ font-size: 6.5pt; line-height: 1.15; columns: 3; column-gap: 1rem; }}
  footer {{ margin-top: 0.4rem; font-size: 7.5pt; }}
  footer p {{ margin: 0.1rem 0; }}
}}
""".strip()
"""What a page meant for paper adds: its size, and type and spacing set for print."""

PAPER_SIZES = {"a4": "A4", "letter": "letter"}
"""The ``@page`` size of each paper a printable page can be set for."""

_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
"""No scripts, no fetching: the page shows only what is written in it."""


def to_html(doc: Document, paper: str | None = None) -> str:
    """One self-contained printable HTML page: inline style, no scripts, every string escaped.

    ``paper`` ("a4" or "letter") sets the printed page's size and print-sized type.
    """
    doc = neutralised(doc)
    style = _STYLE
    if paper is not None:
        style += "\n" + _PAPER_STYLE.format(size=PAPER_SIZES[paper])
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(doc.title)}</title>",
        f"<style>\n{style}\n</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{_h(doc.title)}</h1>",
    ]
    if doc.subtitle:
        out.append(f'<p class="subtitle">{_h(doc.subtitle)}</p>')
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            out.append(f"<p>{_h(block.text)}{_html_refs(block.refs)}</p>")
        elif isinstance(block, Lines):
            out += ["<ul>", *(f"<li>{_h(line)}</li>" for line in block.lines), "</ul>"]
        elif isinstance(block, Facts):
            out += _html_facts(block)
        elif isinstance(block, Grid):
            if block.title:
                out.append(f"<h2>{_h(block.title)}</h2>")
            out += ["<table>", "<thead><tr>"]
            out += [f"<th>{_h(column)}</th>" for column in block.columns]
            out += ["</tr></thead>", "<tbody>"]
            out += [
                "<tr>" + "".join(f"<td>{_html_lines(cell)}</td>" for cell in row) + "</tr>"
                for row in block.rows
            ]
            out += ["</tbody>", "</table>"]
    if doc.references:
        out += ["<h2>Sources</h2>", '<ol class="sources">']
        out += [f'<li value="{ref.number}">{_h(ref.citation)}</li>' for ref in doc.references]
        out.append("</ol>")
    if doc.footer:
        out += ["<footer>", *(f"<p>{_h(line)}</p>" for line in doc.footer), "</footer>"]
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


_HTML_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
)
"""What html.escape(quote=True) replaces, without importing html and its entity table
on every run that renders a page."""


def _h(text: str) -> str:
    return text.translate(_HTML_ESCAPES)


def _html_lines(text: str) -> str:
    return "<br>".join(_h(line) for line in text.split("\n"))


def _html_refs(refs: tuple[int, ...]) -> str:
    return f' <span class="refs">[{format_refs(refs)}]</span>' if refs else ""


def _html_facts(block: Facts) -> list[str]:
    heading = [f"<h2>{_h(block.title)}</h2>"] if block.title else []
    kind = f' class="{block.kind}"' if block.kind in ("notes", "terms") else ""
    items = [*heading, f"<ul{kind}>", *(_html_fact(fact) for fact in block.rows), "</ul>"]
    if block.kind == "urgent":
        return ['<section class="urgent">', *items, "</section>"]
    return items


def _html_fact(fact: Fact) -> str:
    label = f"<strong>{_h(fact.label)}:</strong> " if fact.label else ""
    parts = [f"<li>{label}{_h(fact.text)}{_html_refs(fact.refs)}"]
    if fact.items:
        parts.append("<ul>" + "".join(f"<li>{_h(item)}</li>" for item in fact.items) + "</ul>")
    if fact.note:
        kind = "warn" if fact.warn else "note"
        prefix = "WARNING: " if fact.warn else ""
        parts.append(f'<div class="{kind}">{prefix}{_h(fact.note)}</div>')
    parts.append("</li>")
    return "".join(parts)
