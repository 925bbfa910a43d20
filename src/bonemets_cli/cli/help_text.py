"""How help reads: paragraphs that wrap to the terminal, arguments shown by their names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from typer.core import TyperArgument

if TYPE_CHECKING:
    from typer._click.core import Context, Parameter


class ShownByMetavar(TyperArgument):
    """An argument shown by its metavar alone, as click shows one: `NAME...` for several
    words, `[PATH]` in the usage line when optional. Typer would add the Python type
    (`NAME <list[str]>`) and braces (`{NAME}...`)."""

    @property
    def display_name_raw(self) -> str:  # the name in the Arguments panel
        return f"{self.metavar}{self.dots}"

    def display_type_rich(self, ctx: Context) -> str | None:
        return None

    def get_usage_pieces(self, ctx: Context) -> list[str]:
        return [self.display_name_raw if self.required else f"[{self.metavar}]{self.dots}"]

    def get_error_hint(self) -> str:
        return f"'{self.metavar}'"

    @property
    def dots(self) -> str:
        return "..." if self.nargs != 1 else ""


def shown_by_metavar(params: list[Parameter]) -> None:
    """Each argument that names its metavar is shown by it (ShownByMetavar)."""
    for param in params:
        if isinstance(param, TyperArgument) and param.metavar:
            param.__class__ = ShownByMetavar


def one_line_paragraphs(help: str | None) -> str | None:
    """A docstring's help with each paragraph on one line. Typer's rich help keeps every
    newline inside a paragraph as a line break (its "rich" markup mode), so a paragraph
    wrapped in the source would break early on the screen; on one line, rich wraps it
    to the terminal's width. A paragraph marked with \\b (click's "keep as written")
    keeps its lines."""
    if help is None:
        return None
    paragraphs = help.split("\n\n")
    return "\n\n".join(
        p if p.startswith("\b") else " ".join(line.strip() for line in p.splitlines())
        for p in paragraphs
    )
