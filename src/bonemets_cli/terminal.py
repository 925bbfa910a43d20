"""How text reaches the terminal safely: control characters escaped, narrow encodings served."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any, TextIO

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""C0 and C1 controls, DEL, and every Unicode Bidi_Control character (the marks, the
embeddings and overrides, the isolates: PropList.txt lists U+061C, U+200E-200F,
U+202A-202E, U+2066-2069): characters that could rewrite, hide or reorder what a
terminal shows. Validation refuses them in data too (models.SAFE_TEXT_PATTERN).

Also the lone surrogates U+D800-DFFF, which are not characters at all: Python turns
the bytes of an argument or a path that are not UTF-8 into them (byte 0xFF becomes
U+DCFF), and no UTF-8 stream or JSON encoder can write one. Written raw through a
lenient stream they become the original byte again, which a terminal may read as a
C1 control (0x9b is CSI). Data never holds one: the JSON parser refuses them."""

# Typographic marks an ASCII-only terminal cannot show, and their usual stand-ins.
# Anything else it cannot show is written as a backslash escape, so nothing is lost.
_TYPOGRAPHY = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "--",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00d7": "x",
        "\u2265": ">=",
        "\u2264": "<=",
        "\u2026": "...",
        "\u2022": "*",
        "\u2713": "v",
        "\u00b7": "-",
        "\u00a0": " ",
    }
)

_PROBE = "\u2013\u2502\u2713"
"""A dash, a box-drawing line and a tick: a stream that can encode these needs no help."""


def escape_controls(text: str) -> str:
    """Control, escape and bidirectional characters as visible escapes (\\x1b, \\u202e),
    newlines too, so a message stays on its one line.

    For text that did not come through validation, such as a file name or an
    argument echoed in an error message.
    """
    return UNSAFE.sub(lambda found: ascii(found.group())[1:-1], text)


NARROWEST = 20
WIDEST = 500
DEFAULT_WIDTH = 80
"""Tables are laid out between 20 and 500 columns: narrower leaves no room for a word,
wider only costs time (rich lays a table out cell by cell). A width that cannot be
used (COLUMNS=0, COLUMNS=abc, no terminal) means 80."""

_COLUMNS = re.compile("[0-9]{1,9}")


def layout_size(environ: Mapping[str, str] = os.environ) -> tuple[int, int]:
    """The width to lay tables out to, and the height: COLUMNS (LINES) if it is a
    usable number, else the terminal's own, else 80 (25). The width is always within
    NARROWEST..WIDEST. Given to rich, which would otherwise read COLUMNS itself."""
    width, height = (_number(environ.get(name, "")) for name in ("COLUMNS", "LINES"))
    for descriptor in (0, 1, 2):  # as rich looks for a terminal: stdin, stdout, stderr
        if width and height:
            break
        try:
            size = os.get_terminal_size(descriptor)
        except (OSError, ValueError):
            continue
        width, height = width or size.columns, height or size.lines
    return min(max(width or DEFAULT_WIDTH, NARROWEST), WIDEST), height or 25


def _number(text: str) -> int:
    """A plain decimal number, or 0 ("²" is a digit to str.isdigit, not to us)."""
    return int(text) if _COLUMNS.fullmatch(text) else 0


def can_encode(stream: TextIO) -> bool:
    """Whether the stream's encoding covers the characters bonemets prints."""
    try:
        _PROBE.encode(getattr(stream, "encoding", None) or "ascii")
    except (LookupError, UnicodeEncodeError):
        return False
    return True


class Transliterating:
    """A text stream for narrow encodings: typography becomes ASCII, the rest is escaped."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")

    def write(self, text: str) -> int:
        return self._stream.write(text.translate(_TYPOGRAPHY))

    def __getattr__(self, name: str) -> Any:
        # encoding, isatty, flush, fileno... are the wrapped stream's own
        return getattr(self._stream, name)


class QuietWhenGone:
    """A stream that stops writing quietly once its reader has gone (`bonemets --help |
    head -1`): the rest is dropped, as a shell expects of a pipe, and the exit code still
    tells the outcome. Without it, rich ends a run whose reader has gone with exit 1
    (``Console.on_broken_pipe``), where a page ends with 0."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            silence(self._stream)
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            silence(self._stream)

    def __getattr__(self, name: str) -> Any:
        # encoding, isatty, fileno... are the wrapped stream's own
        return getattr(self._stream, name)


def silence(stream: Any) -> None:
    """Point a stream whose reader has gone, or that is full or closed, at /dev/null, so
    what is still buffered, and any later write, goes nowhere without failing."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError):  # no descriptor of its own (a test's stream)
        pass
    finally:
        os.close(devnull)


def protect(stream: TextIO) -> TextIO:
    """The stream, made to stop quietly when its reader has gone, and, if it cannot show
    everything bonemets prints, to transliterate."""
    shown = stream if can_encode(stream) else Transliterating(stream)
    return QuietWhenGone(shown)  # type: ignore[arg-type, return-value]
