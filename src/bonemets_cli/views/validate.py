"""The report on a knowledge file: every problem a line, in the shape editors link to."""

from typing import TYPE_CHECKING, Any

from bonemets_cli import __version__
from bonemets_cli.document import Block, Document, Lines, Paragraph
from bonemets_cli.frozen import Frozen
from bonemets_cli.terminal import escape_controls
from bonemets_cli.views.page import JSON_FORMAT_VERSION, count, treatments_counted

if TYPE_CHECKING:
    from bonemets_cli.errors import Problem
    from bonemets_cli.query_pages import Validation


class ValidateView(Frozen):
    """``bonemets validate``: every problem in a knowledge file, a line each."""

    result: "Validation"

    def verdict(self) -> str:
        errors, warnings = self.result.errors, self.result.warnings
        state = "invalid" if errors else "valid"
        return f"{state}: {count(errors, 'error')}, {count(warnings, 'warning')}"

    def document(self) -> Document:
        result = self.result
        blocks: list[Block] = []
        if result.problems:
            blocks.append(Lines(tuple(problem_line(result.file, p) for p in result.problems)))
        elif result.counts is not None:
            c = result.counts
            counted = (
                f"{treatments_counted(c)}, {count(c.updates, 'update')}, "
                f"{count(c.sources, 'source')}"
            )
            blocks.append(Paragraph(f"No problems found: {counted}."))
        else:
            blocks.append(Paragraph("No problems found."))
        return Document(
            title=f"Validation of {result.file}", subtitle=self.verdict(), blocks=tuple(blocks)
        )

    def data(self) -> dict[str, Any]:
        result = self.result
        return {
            "tool": "bonemets",
            "version": __version__,
            "json_format": JSON_FORMAT_VERSION,
            "file": result.file,
            "valid": not result.errors,
            "errors": result.errors,
            "warnings": result.warnings,
            "problems": [
                {
                    "severity": p.severity,
                    "path": p.path,
                    "message": p.message,
                    "line": p.line,
                    "column": p.column,
                }
                for p in result.problems
            ],
        }


def github_annotations(result: "Validation") -> str:
    """Every problem as a GitHub Actions workflow command, '::error file=F,line=L,col=C::
    path: message' (a warning as ::warning), then the verdict on its own line."""
    lines = []
    for problem in result.problems:
        where = [f"file={_github_property(result.file)}"]
        if problem.line is not None:
            where += [f"line={problem.line}", f"col={problem.column}"]
        said = f"{problem.path}: {problem.message}" if problem.path else problem.message
        lines.append(f"::{problem.severity} {','.join(where)}::{_github_message(said)}")
    lines.append(ValidateView(result).verdict())
    return "".join(f"{line}\n" for line in lines)


def _github_message(text: str) -> str:
    """A workflow command's message: %, CR and LF escaped as GitHub's runner unescapes
    them, and anything else that could drive a terminal made visible."""
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return escape_controls(escaped)


def _github_property(text: str) -> str:
    """A workflow command's property value: the message's escapes, and ':' and ','."""
    return _github_message(text).replace(":", "%3A").replace(",", "%2C")


def problem_line(file: str, problem: "Problem") -> str:
    """'file:line:column: error: path: message', the shape editors and CI logs link to."""
    at = f":{problem.line}:{problem.column}" if problem.line is not None else ""
    where = f"{problem.path}: " if problem.path else ""
    return f"{file}{at}: {problem.severity}: {where}{problem.message}"
