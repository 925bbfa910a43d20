"""The JSON contract: the shape of each command's ``--format json`` output, as types.

``bonemets schema --for COMMAND`` prints the JSON Schema generated from these types;
docs/schemas/ holds the same schemas, and the tests check every command's real output
against them. Records are the models themselves (a record is the model as the file
spells it), so a new field in a model is a new key in the schema at once.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import ConfigDict
from typing_extensions import TypedDict  # pydantic needs it on Python < 3.12

from bonemets_cli.models import (
    Benefit,
    Cancer,
    Content,
    Factor,
    FoundingText,
    Listing,
    SideEffect,
    Source,
    Statement,
    Treatment,
    Update,
)
from bonemets_cli.pack_models import Medicine, Questions, ScoreBand, Signs, Term, UrgentWarning

_CLOSED = ConfigDict(extra="forbid")
"""A key the type does not name is a key the contract does not promise: the schemas
say so (additionalProperties: false), so the tests catch a view that adds one unnamed."""

# --- what every page shares ---------------------------------------------------------


class Overdue(TypedDict):
    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    entry: str
    next_review: str


class Meta(TypedDict):
    """The header of every page: versions, content dates and the disclaimer."""

    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    tool: Literal["bonemets"]
    version: str
    json_format: int
    schema_version: int
    content: Content
    founding_text: FoundingText
    founding_sources_years: list[int]
    overdue: list[Overdue]
    disclaimer: str
    diagnosis_codes: list[DiagnosisCode]


class DiagnosisCode(TypedDict):
    """A diagnosis code for bone metastases, with its classification and edition."""

    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    classification: str
    edition: str
    code: str
    title: str
    parent: str | None
    """The header code it splits in the same edition (C79.5 for C79.51), or null."""
    sources: list[str]


class Names(TypedDict):
    """Each vocabulary's display name for every id the page mentions: {id: name}."""

    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    cancers: dict[str, str]
    treatments: dict[str, str]
    medicines: dict[str, str]
    side_effects: dict[str, str]
    routes: dict[str, str]
    goals: dict[str, str]
    bone_states: dict[str, str]


class Page(TypedDict):
    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    meta: Meta
    names: Names
    citations: dict[str, Source]
    """Every source the page cites, by id: the full record."""


class UpdateRecord(Update):
    """An update as stored, and two derived keys."""

    year: int | None
    """Its newest source's year, if any source gives one."""
    overdue: bool
    """Whether its next review date has passed."""


# --- each command ---------------------------------------------------------------------


class ListPage(Page):
    treatments: list[Treatment]


class MedicineName(TypedDict):
    """A medicine as its class's page names it."""

    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    id: str
    name: str
    brands: list[str]
    sources: list[str]
    """The sources that place it in the class."""


class ShowPage(Page):
    treatment: Treatment
    updates: list[UpdateRecord]
    sources: list[Source]
    medicines: list[MedicineName]


class ClassName(TypedDict):
    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    id: str
    name: str


class MedicinePage(Page):
    """``show`` of a medicine."""

    medicine: Medicine
    classes: list[ClassName]
    """The treatments (classes) it belongs to, the narrowest first."""
    updates: list[UpdateRecord]
    sources: list[Source]


class Option(TypedDict):
    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    match: Literal["not-limited", "listed", "some-cancers", "complementary"]
    listings: list[Listing]
    routes: list[str]
    treatment: Treatment


class OptionFilters(TypedDict):
    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    goal: str | None
    given: str | None
    bones: str | None
    avoid: str | None


class OptionsPage(Page):
    cancer: Cancer | None
    filters: OptionFilters
    options: list[Option]
    updates: list[UpdateRecord]


class UpdateFilters(TypedDict):
    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    treatment: str | None
    cancer: str | None


class UpdatesPage(Page):
    filters: UpdateFilters
    updates: list[UpdateRecord]


class CitedSource(Source):
    cited_by: list[str]
    """The ids of the entries that cite it."""


class SourcesPage(Page):
    sources: list[CitedSource]


class EntryStatement(TypedDict):
    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    field: str
    text: str
    sources: list[str]


class ProvenancePage(Page):
    entry: str
    statements: list[EntryStatement]


class MatrixRow(TypedDict):
    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    side_effect: SideEffect
    treatments: dict[str, list[str]]
    """Treatment id -> the ids of the sources that say it can cause this side effect."""


class TreatmentNote(Statement):
    treatment: str


class SideEffectsPage(Page):
    treatments: list[str]
    side_effects: list[MatrixRow]
    notes: list[TreatmentNote]
    updates: list[UpdateRecord]


class Cause(TypedDict):
    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    treatment: Treatment
    sources: list[str]


class CausesPage(Page):
    side_effect: SideEffect
    treatments: list[Cause]
    updates: list[UpdateRecord]


class StoodFor(TypedDict):
    """A medicine named beside a treatment, and the class it was compared as."""

    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    medicine: str
    treatment: str


class ComparePage(Page):
    treatments: list[Treatment]
    updates: list[UpdateRecord]
    stood_for: list[StoodFor]
    """Each medicine named beside a treatment, compared as its class (often empty)."""


class MedicineComparePage(Page):
    """``compare`` of medicines."""

    medicines: list[Medicine]
    shared_updates: list[UpdateRecord]
    """The updates that concern every medicine compared, newest first."""


class ScoreAnswer(TypedDict):
    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    id: str
    name: str
    value: str
    label: str
    points: int


class SinsPage(Page):
    """``sins``: a decision aid for clinicians, never a treatment choice."""

    score: str
    title: str
    decision_aid: str
    total: int
    maximum: int
    band: Literal["stable", "potentially unstable", "unstable"]
    surgical_consultation: bool
    consultation_from: int
    components: list[ScoreAnswer]
    bands: list[ScoreBand]
    sources: list[Source]


class ComplementaryPage(Page):
    intro: Benefit
    treatments: list[Treatment]


class FactorsPage(Page):
    factors: list[Factor]


class PrognosisPage(Page):
    prognosis: list[Statement]


class Correction(TypedDict):
    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    term: str
    read_as: str


class Hit(TypedDict):
    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    field: str
    text: str
    words: list[str]


class MatchedAs(TypedDict):
    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    query: str
    found: str
    how: Literal["exact", "stem", "prefix", "synonym", "opposite", "typo"]


class SearchResult(TypedDict):
    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    kind: str
    id: str
    title: str
    score: float
    terms_matched: int
    """How many of the query's concepts it matched (an alias phrase is one)."""
    command: str
    """The command that opens the entry."""
    matched_as: list[MatchedAs]
    """Each query word it matched other than as written, and how."""
    urgent: bool
    """A warning whose signs the query names: ranked first."""
    hits: list[Hit]


class SearchPage(Page):
    query: str
    terms: list[str]
    corrections: list[Correction]
    total: int
    results: list[SearchResult]


class HandoutWarning(TypedDict):
    """A warning as the handout carries it: without ``applies_to``, which stays on
    ``urgent`` (a page for one cancer lists no fact "for any cancer")."""

    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    id: str
    title: str
    statement: str
    signs: list[Signs]
    act: str
    detail: list[str]
    grade: str | None
    sources: list[str]
    added: str
    reviewed: str
    next_review: str


class HandoutPage(Page):
    cancer: Cancer
    clinic: str | None
    warnings: list[HandoutWarning]
    options: list[Option]
    updates: list[UpdateRecord]
    complementary_intro: Benefit
    words: list[Term]
    questions: Questions | None
    sources: list[Source]


class UrgentPage(Page):
    warnings: list[UrgentWarning]


class GlossaryPage(Page):
    terms: list[Term]


class QuestionsPage(Page):
    questions: Questions


class DataFile(TypedDict):
    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    path: str
    bundled: bool


class InfoPage(Page):
    data: DataFile
    counts: dict[str, int]


class ValidateProblem(TypedDict):
    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    severity: Literal["error", "warning"]
    path: str
    message: str
    line: int | None
    column: int | None


class ValidateReport(TypedDict):
    """No meta: the file may be too broken to have one."""

    __pydantic_config__ = _CLOSED  # type: ignore[misc]

    tool: Literal["bonemets"]
    version: str
    json_format: int
    file: str
    valid: bool
    errors: int
    warnings: int
    problems: list[ValidateProblem]


OUTPUT_TYPES: dict[str, Any] = {
    "list": ListPage,
    "show": ShowPage | MedicinePage,
    "options": OptionsPage,
    "updates": UpdatesPage,
    "sources": SourcesPage | ProvenancePage,
    "validate": ValidateReport,
    "side-effects": SideEffectsPage | CausesPage,
    "compare": ComparePage | MedicineComparePage,
    "complementary": ComplementaryPage,
    "factors": FactorsPage,
    "prognosis": PrognosisPage,
    "search": SearchPage,
    "handout": HandoutPage,
    "info": InfoPage,
    "sins": SinsPage,
    "urgent": UrgentPage,
    "glossary": GlossaryPage,
    "questions": QuestionsPage,
}
"""Each command with JSON output, and the type of that output."""


def output_schema(command: str) -> str:
    """The JSON Schema of one command's --format json output, as text."""
    from pydantic import TypeAdapter

    schema = TypeAdapter(OUTPUT_TYPES[command]).json_schema(mode="serialization")
    schema = {"$schema": _DIALECT, **schema, "title": f"bonemets {command} --format json"}
    return json.dumps(schema, indent=2) + "\n"


_DIALECT = "https://json-schema.org/draft/2020-12/schema"
