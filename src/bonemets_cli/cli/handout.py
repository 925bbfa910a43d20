"""How the handout leaves the program: to a file with -o, or to stdout, on A4 or Letter."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bonemets_cli.choices import OutputFormat, Paper
from bonemets_cli.cli.root import emit, fail, json_data, write
from bonemets_cli.errors import ExitCode
from bonemets_cli.terminal import escape_controls

if TYPE_CHECKING:
    from bonemets_cli.views.handout import HandoutView

LETTER_TERRITORIES = frozenset({"US", "CA", "MX", "PH", "PR"})
"""Where Letter paper is the usual size (the locale's territory, as in en_US.UTF-8);
everywhere else, A4."""

SUFFIX_FORMATS = {
    ".html": (OutputFormat.html,),
    ".htm": (OutputFormat.html,),
    ".md": (OutputFormat.markdown,),
    ".txt": (OutputFormat.plain, OutputFormat.table),
    ".json": (OutputFormat.json,),
}
"""The formats a file of each suffix may hold; the first is the one -o FILE implies
when --format is not given."""


def paper_from_locale(environ: Mapping[str, str]) -> Paper:
    """Letter where the paper locale (LC_ALL, then LC_PAPER, then LANG) is of a Letter
    territory; A4 otherwise, and when no locale is set."""
    locale = next((environ[k] for k in ("LC_ALL", "LC_PAPER", "LANG") if environ.get(k)), "")
    territory = locale.split(".")[0].split("@")[0].partition("_")[2].upper()
    return Paper.letter if territory in LETTER_TERRITORIES else Paper.a4


def chosen_format(
    ctx: typer.Context, given: OutputFormat | None, output: Path | None
) -> OutputFormat:
    """--format when given; else the one the file's suffix names; else markdown. A suffix
    that names no format, or one that --format contradicts, is a usage error: a handout
    in Markdown saved as h.pdf opens as neither."""
    if output is None or not output.suffix:
        return given or OutputFormat.markdown
    name = output.name  # shown with repr, and fail() makes control characters visible
    held = SUFFIX_FORMATS.get(output.suffix.lower())
    if held is None:
        ctx.fail(
            f"cannot write a handout as {name!r}: end the file name with .html, .md, .txt "
            "or .json (for a PDF, write .html and print it to PDF from a browser)"
        )
    if given is None:
        return held[0]
    if given not in held:
        suffix = next(s for s, formats in SUFFIX_FORMATS.items() if given in formats)
        ctx.fail(
            f"--format {given.value} does not match {name!r}: end the file name with "
            f"{suffix}, or leave --format out"
        )
    return given


def deliver(
    ctx: typer.Context,
    view: HandoutView,
    output_format: OutputFormat,
    paper: Paper | None,
    output: Path | None,
) -> None:
    """Write the handout to ``output``, or to stdout; never raw HTML onto a terminal."""
    from bonemets_cli import render

    size = (paper or paper_from_locale(os.environ)).value
    if output_format is OutputFormat.html:
        view = view.replace(for_paper=True)
    if output is None:
        if output_format is OutputFormat.html:
            if sys.stdout.isatty():
                ctx.fail(
                    "the HTML handout is for a browser, not a terminal: save it with "
                    "-o handout.html, then open that file and print it"
                )
            write(render.to_html(view.document(), size))
        else:
            emit(ctx, view, output_format)
        return
    match output_format:
        case OutputFormat.html:
            text = render.to_html(view.document(), size)
        case OutputFormat.json:
            text = render.to_json(json_data(view))
        case OutputFormat.markdown:
            text = render.to_markdown(view.document())
        case OutputFormat.plain:
            text = render.to_plain(view.document())
        case OutputFormat.table:
            text = _table_text(view)
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        reason = error.strerror or type(error).__name__
        fail([f"cannot write the handout to {str(output)!r}: {reason}."], ExitCode.USAGE)
    where = escape_controls(str(output))
    if output_format is OutputFormat.html:
        name = "A4" if size == Paper.a4 else "Letter"
        write(f"Wrote the handout to {where}, for {name} paper: open it in a browser to print.\n")
    else:
        write(f"Wrote the handout to {where}.\n")


def _table_text(view: HandoutView) -> str:
    """The table format as it would print at 100 columns, without colour."""
    from rich.console import Console

    from bonemets_cli.render_rich import to_rich

    buffer = io.StringIO()
    Console(file=buffer, width=100, color_system=None, highlight=False).print(
        to_rich(view.document()), crop=False
    )
    return buffer.getvalue()
