"""The one exception family and the exit codes: what went wrong, and how the process ends."""

import enum
from collections.abc import Sequence
from typing import ClassVar, Literal

from bonemets_cli.frozen import Frozen


class ExitCode(enum.IntEnum):
    """Every way a run of bonemets can end; the README's exit-code table lists them."""

    OK = 0
    NOT_FOUND = 1
    """A name matched nothing, or a search or filter found nothing."""
    USAGE = 2
    """An unknown command or option, a missing argument, a bad value."""
    DATA = 3
    """The knowledge file is invalid or cannot be read."""
    INTERNAL = 70
    """A bug in bonemets itself (EX_SOFTWARE in sysexits.h), never a user's mistake."""
    ENVIRONMENT = 74
    """The system refused: the output or a file could not be written (a full disk,
    permission denied). EX_IOERR in sysexits.h; nothing wrong with bonemets or its data."""
    INTERRUPTED = 130
    """Ctrl-C: 128 + SIGINT, as shells report it."""


class BonemetsError(Exception):
    """Base of every error the CLI reports to a user in plain words."""

    exit_code: ClassVar[ExitCode] = ExitCode.NOT_FOUND

    def lines(self) -> list[str]:
        """What to print on stderr, one complete message a line."""
        return [str(self)]


class NotFound(BonemetsError):
    """A name matched nothing; carries the closest names to suggest, and where to look."""

    exit_code = ExitCode.NOT_FOUND

    HINTS: ClassVar[dict[str, str]] = {
        "treatment": "Run 'bonemets list' to see every treatment.",
        "treatment or medicine": "Run 'bonemets list' to see every treatment; a "
        "treatment's page names its medicines.",
        "entry": "Run 'bonemets sources' to see which entries cite each source.",
        "side effect": "Run 'bonemets side-effects' to see every side effect.",
    }
    """What to run next, by the kind of name that missed."""

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

    def lines(self) -> list[str]:
        hint = self.HINTS.get(self.what)
        return [f"{self} {hint}" if hint else str(self)]


class AmbiguousNames(BonemetsError):
    """Words of several names that read as two different lists of names: which one was
    meant, quotes say."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(self, words: str, readings: Sequence[Sequence[str]]) -> None:
        ways = " or as ".join(", ".join(repr(name) for name in names) for names in readings)
        several = [name for names in readings for name in names if " " in name]
        super().__init__(
            f"the words {words!r} read as two lists of names: as {ways}. "
            "Put quotes around each name of several words, e.g. "
            f'"{(several or readings[0])[0]}".'
        )


class InvalidChoice(BonemetsError):
    """A value that must be one of a fixed set is missing or not among them: a usage error."""

    exit_code = ExitCode.USAGE


class NothingMatched(BonemetsError):
    """A search or filter was understood but found nothing."""

    exit_code = ExitCode.NOT_FOUND


class Problem(Frozen):
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

    exit_code = ExitCode.DATA

    def __init__(self, file: str, problems: Sequence[Problem], omitted: int = 0) -> None:
        self.file = file
        self.problems = tuple(problems)
        self.omitted = omitted
        """Errors found beyond those listed (the last listed problem says how many)."""
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """One line: the problem itself when there is one, else how many and where to
        see them all; a page command is no place for a list of hundreds."""
        if len(self.problems) == 1:
            return [f"{self.file}: {self.problems[0]}"]
        import shlex

        found = len(self.problems) - (1 if self.omitted else 0) + self.omitted
        return [
            f"{self.file} is not a valid knowledge file ({found:,} problems); "
            f"run 'bonemets validate {shlex.quote(self.file)}' for the list."
        ]
