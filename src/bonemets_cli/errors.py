"""The one exception family: what went wrong, and the exit code the CLI maps it to."""

from collections.abc import Sequence
from typing import Literal, NamedTuple


class BonemetsError(Exception):
    """Base of every error the CLI reports to a user in plain words."""

    exit_code = 1

    def lines(self) -> list[str]:
        """What to print on stderr, one complete message a line."""
        return [str(self)]


class NotFound(BonemetsError):
    """A name matched nothing; carries the closest names to suggest."""

    exit_code = 1

    def __init__(
        self,
        what: str,
        query: str,
        suggestions: Sequence[str],
        known: Sequence[str] = (),
        hint: str = "",
    ) -> None:
        self.what = what
        self.query = query
        self.suggestions = tuple(suggestions)
        self.known = tuple(known)
        self.hint = hint
        """What to do next, when the query layer knows better than a fixed hint."""
        super().__init__(self._message())

    def _message(self) -> str:
        shown = self.query if len(self.query) <= 60 else self.query[:57] + "..."
        message = f"no {self.what} matches {shown!r}."
        if self.suggestions:
            message += " Did you mean: " + ", ".join(self.suggestions) + "?"
        if self.known:
            message += f" Known {self.what}s: " + ", ".join(self.known) + "."
        if self.hint:
            message += " " + self.hint
        return message


class InvalidChoice(BonemetsError):
    """A value that must be one of a fixed set is missing or not among them: a usage error."""

    exit_code = 2


class NothingMatched(BonemetsError):
    """A search or filter was understood but found nothing."""

    exit_code = 1


class Problem(NamedTuple):
    """One thing wrong with a knowledge file, located by a JSON path and, where known,
    by line and column. Warnings (such as a passed review date) do not make it invalid."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        at = f" (line {self.line}, column {self.column})" if self.line is not None else ""
        return f"{where}{self.message}{at}"


class DataError(BonemetsError):
    """The knowledge file cannot be read or is invalid; lists every problem found."""

    exit_code = 3

    def __init__(self, file: str, problems: Sequence[Problem]) -> None:
        self.file = file
        self.problems = tuple(problems)
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [f"{self.file}: {problem}" for problem in self.problems]
