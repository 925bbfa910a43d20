"""The shapes of text in a knowledge file (safe text, dates, ids) and how names compare:
the rules the models and the validator share, with the terminal's rule for unsafe text."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema


class Rule:
    """What a field holds beyond its type, and how the schema describes it, kept with
    its type as ``Annotated`` metadata: pydantic reads it through its documented hooks
    (``__get_pydantic_core_schema__``, ``__get_pydantic_json_schema__``) when a file is
    validated or the schema is written. Pages never import pydantic, nor this rule's
    hooks: a trusted load reads only the types.

    The constraints are pydantic-core's own (``min_length``, ``pattern``, ``ge``,
    ``le``), so a file that breaks one gets pydantic's error for it; ``json_schema``
    replaces the type's schema, and ``description`` is added to it."""

    __slots__ = ("constraints", "description", "json_schema")

    def __init__(
        self,
        *,
        min_length: int | None = None,
        pattern: str | None = None,
        ge: int | None = None,
        le: int | None = None,
        description: str | None = None,
        json_schema: dict[str, Any] | None = None,
    ) -> None:
        given = {"min_length": min_length, "pattern": pattern, "ge": ge, "le": le}
        self.constraints = {key: value for key, value in given.items() if value is not None}
        self.description = description
        self.json_schema = json_schema

    @property
    def pattern(self) -> str | None:
        pattern = self.constraints.get("pattern")
        return pattern if isinstance(pattern, str) else None

    def __repr__(self) -> str:
        shown = {**self.constraints, "description": self.description}
        return "Rule(" + ", ".join(f"{k}={v!r}" for k, v in shown.items() if v is not None) + ")"

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        schema = handler(source)
        if not self.constraints:
            return schema
        return {**schema, **self.constraints}

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = dict(self.json_schema) if self.json_schema is not None else handler(core_schema)
        if self.description is not None:
            schema["description"] = self.description
        return schema


_UNSAFE = r"\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
"""C0 and C1 controls (tab and newline included), DEL, and every Unicode Bidi_Control
character (PropList.txt: U+061C, U+200E-200F, U+202A-202E, U+2066-2069)."""

_SPACE = r"\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
"""White_Space characters that are not controls (those are refused anywhere)."""

SAFE_TEXT_PATTERN = rf"^[^{_UNSAFE}{_SPACE}][^{_UNSAFE}]*$"
"""No control or Bidi_Control character anywhere: terminal.UNSAFE written as a pattern
(a test keeps the two alike); and no space first, which markdown would show as code
and which makes a name of spaces alone. Spelt out rather than ``\\s``, so pydantic's
regex engine and any JSON Schema checker agree on it. Checked by the validator's
own regex engine, so it costs nothing per string in Python."""


SafeText = Annotated[str, Rule(min_length=1, pattern=SAFE_TEXT_PATTERN)]
"""Any human-readable string in the data: non-empty, no control or bidi characters,
not starting with a space."""

_YEAR = "(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
_LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
DATE_PATTERN = (
    f"^(?:{_YEAR}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    f"|02-(?:0[1-9]|1[0-9]|2[0-8]))|{_LEAP_YEAR}-02-29)$"
)
"""A date that exists, written YYYY-MM-DD: the schema's form of what the validator
accepts as a date (JSON Schema checkers do not enforce ``format: date`` by default)."""

Date = Annotated[
    dt.date, Rule(json_schema={"type": "string", "format": "date", "pattern": DATE_PATTERN})
]
"""A calendar date, written YYYY-MM-DD; validated strictly, so never a number."""

Identifier = Annotated[str, Rule(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
"""A stable key: lower-case words joined by hyphens, such as ``radiation-therapy``."""

SourceIds = Annotated[tuple[Identifier, ...], Rule(min_length=1)]
"""Every statement names at least one source."""

_SEPARATORS = str.maketrans("-_", "  ")


def normalize(name: str) -> str:
    """How names compare: case, hyphens, underscores and spacing don't matter, nor do
    Unicode's compatibility forms (full-width letters, NFC or NFD) or characters
    that are never shown (zero-width spaces and joiners, bidi marks, soft hyphens)."""
    if not name.isascii():  # ASCII is already NFKC and has nothing invisible
        import unicodedata  # imported on first use: most names are ASCII

        name = unicodedata.normalize("NFKC", name)
        name = _invisible().sub("", unicodedata.normalize("NFKC", name.casefold()))
    # two replaces, not str.translate, which looks each character up in a dict: a
    # file's every name is normalised when it is checked
    return " ".join(name.replace("-", " ").replace("_", " ").casefold().split())


@cache
def _invisible() -> re.Pattern[str]:
    """Unicode's Default_Ignorable_Code_Point characters (DerivedCoreProperties.txt)."""
    return re.compile(
        "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
        "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
        "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
    )


_LOOK_ALIKE_SCRIPTS = frozenset({"LATIN", "GREEK", "CYRILLIC"})


def mixed_scripts(name: str) -> tuple[str, str] | None:
    """The first two of Latin, Greek and Cyrillic found within one word of ``name``,
    if any: their look-alike letters (Latin o, Cyrillic o) make names that read alike
    but differ. Normalisation does not fold them, so such a name is refused instead."""
    if name.isascii():
        return None

    for word in name.translate(_SEPARATORS).split():
        scripts = dict.fromkeys(
            script
            for letter in word
            if letter.isalpha()
            and (script := unicodedata.name(letter, "?").split()[0]) in _LOOK_ALIKE_SCRIPTS
        )
        if len(scripts) > 1:
            first, second = list(scripts)[:2]
            return first.title(), second.title()
    return None
