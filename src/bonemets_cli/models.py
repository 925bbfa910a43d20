"""The knowledge base's shape: frozen pydantic models that reject unknown fields."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import cache, cached_property
from types import UnionType
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema

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


SafeText = Annotated[str, StringConstraints(min_length=1, pattern=SAFE_TEXT_PATTERN)]
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
    dt.date, WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN})
]
"""A calendar date, written YYYY-MM-DD; validated strictly, so never a number."""

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
"""A stable key: lower-case words joined by hyphens, such as ``radiation-therapy``."""

SourceIds = Annotated[tuple[Identifier, ...], Field(min_length=1)]
"""Every statement names at least one source."""

TreatmentKind = Literal["main", "other", "complementary"]

ListingBasis = Literal["founding-text", "label", "guideline"]
"""What lists a treatment for a cancer: the founding text, a regulator's approval (a drug
label), or a guideline's recommendation. Nothing else does: a fact merely *about* a cancer
(a trial, a caution) is not a listing."""

Origin = Literal["founding-text", "since-2010"]
"""Where a treatment's own record comes from: the 2007-2010 page, or the later facts."""


_SEPARATORS = str.maketrans("-_", "  ")


def normalize(name: str) -> str:
    """How names compare: case, hyphens, underscores and spacing don't matter, nor do
    Unicode's compatibility forms (full-width letters, NFC or NFD) or characters
    that are never shown (zero-width spaces and joiners, bidi marks, soft hyphens)."""
    if not name.isascii():  # ASCII is already NFKC and has nothing invisible
        import unicodedata  # imported on first use: most names are ASCII

        name = unicodedata.normalize("NFKC", name)
        name = _invisible().sub("", unicodedata.normalize("NFKC", name.casefold()))
    return " ".join(name.translate(_SEPARATORS).casefold().split())


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
    import unicodedata

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


KIND_LABELS: dict[str, str] = {
    "main": "main treatment",
    "other": "other treatment",
    "complementary": "complementary",
}


class Model(BaseModel):
    """Base for every record: immutable, and strict about unknown fields.

    Validators are built on first use (defer_build): a knowledge file already known
    to be valid is read with ``trusted`` and never pays for them.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    def record(self) -> dict[str, Any]:
        """The record as JSON-ready data: every field, in order, as the file spells it.

        The same as ``model_dump(mode="json")``, without building a serializer.
        """
        return {name: _jsonable(getattr(self, name)) for name in field_names(type(self))}


class Qualification(Model):
    """Words of a later fact that qualify a founding-text statement: shown beside it, so
    the 2007-2010 sentence is never read alone. The words are quoted from the fact's
    statement or detail (the loader checks), and cite the fact's sources."""

    update: Identifier
    text: SafeText


class Statement(Model):
    """One sentence of medical content and the sources that support it."""

    text: SafeText
    sources: SourceIds
    qualified_by: tuple[Qualification, ...] = Field(
        default=(), description="Later facts that qualify this statement, quoted."
    )


class Source(Model):
    """A reference that statements cite, with its identifiers where they are known."""

    id: Identifier
    label: SafeText = Field(description="Short form shown beside statements, e.g. 'ACS 2010'.")
    citation: SafeText = Field(description="The reference in full, as it was given.")
    year: int | None = Field(default=None, ge=1900, le=2100)
    retrieved: Date | None = None
    pmid: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,9}$")] | None = None
    doi: Annotated[str, StringConstraints(pattern=r"^10\.[0-9]{4,9}/\S+$")] | None = None
    trial: Annotated[str, StringConstraints(pattern=r"^NCT[0-9]{8}$")] | None = None
    url: SafeText | None = None


class Named(Model):
    """A vocabulary entry that users can name by id, name or alias."""

    id: Identifier
    name: SafeText
    aliases: tuple[SafeText, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling that refers to this entry."""
        return (self.id, self.name, *self.aliases)


class Cancer(Named):
    """A primary cancer the sources name."""

    groups: tuple[Identifier, ...] = Field(
        default=(), description="Wider cancers this one belongs to, e.g. solid-tumours."
    )


class Route(Named):
    """A way a treatment is given."""


class SideEffect(Named):
    """A side effect, named once and linked from the treatments that cause it."""


class Goal(Named):
    """Something a treatment can help with."""


class BoneState(Named):
    """A state of the bones that treatment depends on, such as weak or broken."""


class Factor(Statement):
    """One of the things treatment depends on."""

    id: Identifier


class Given(Statement):
    """How a treatment is given."""

    routes: tuple[Identifier, ...] = ()


class Benefit(Statement):
    """What a treatment helps with, tagged by goal."""

    goals: tuple[Identifier, ...] = ()


class BoneLink(Statement):
    """A statement of what a treatment does for bones in one or more states."""

    states: Annotated[tuple[Identifier, ...], Field(min_length=1)]


class Listing(Model):
    """A cancer that a source says the treatment is approved or recommended for, in the
    source's own words (which keep qualifiers such as "castration-resistant")."""

    cancer: Identifier
    excludes: tuple[Identifier, ...] = Field(
        default=(),
        description="Members of the group (cancer) that this listing does not pass to, "
        "as when a guideline speaks of 'other solid tumours'.",
    )
    basis: ListingBasis
    medicine: SafeText | None = Field(
        default=None,
        description="The one medicine of the class that the source approves or recommends, "
        "when it is not the whole class (radium-223, zoledronic acid).",
    )
    text: SafeText = Field(
        description="The words that list it: quoted from the founding text, or from the "
        "statement or detail of the fact named in 'update'."
    )
    update: Identifier | None = Field(
        default=None, description="The fact that lists it; none for the founding text."
    )
    sources: SourceIds


class SideEffectLink(Model):
    """A treatment's link to a side effect, with the sources that name it."""

    id: Identifier
    sources: SourceIds


class Detail(Model):
    """A titled list the sources give, such as the hardware surgery may place."""

    title: SafeText
    items: Annotated[tuple[SafeText, ...], Field(min_length=1)]
    sources: SourceIds


class Treatment(Named):
    """One treatment, in the founding text's own terms."""

    kind: TreatmentKind
    origin: Origin = "founding-text"
    related: tuple[Identifier, ...] = Field(
        default=(), description="Treatments whose updates also concern this one."
    )
    summary: Statement
    given: Given | None = None
    benefits: tuple[Benefit, ...] = ()
    side_effects: tuple[SideEffectLink, ...] = ()
    bones: tuple[BoneLink, ...] = Field(
        default=(), description="What the sources say it does for weak or broken bones."
    )
    side_effect_notes: tuple[Statement, ...] = ()
    listed_for: tuple[Listing, ...] = Field(
        default=(),
        description="The cancers a source approves or recommends it for. A founding-text "
        "treatment with no founding-text listing is one the founding text does not limit.",
    )
    cancer_note: Statement | None = None
    details: tuple[Detail, ...] = ()
    notes: tuple[Statement, ...] = ()

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def not_limited(self) -> bool:
        """Whether the founding text gives it without limiting it to particular cancers."""
        return self.origin == "founding-text" and not any(
            listing.basis == "founding-text" for listing in self.listed_for
        )


class Update(Model):
    """A vetted fact from after 2010, for patients and for clinicians, with its dates."""

    id: Identifier
    title: SafeText
    applies_to: SafeText = Field(description="The 'applies to' line, as the fact gives it.")
    treatments: Annotated[tuple[Identifier, ...], Field(min_length=1)]
    cancers: tuple[Identifier, ...] = ()
    side_effects: tuple[Identifier, ...] = ()
    routes: tuple[Identifier, ...] = Field(
        default=(), description="Ways of giving its treatments that the fact names."
    )
    caution: bool = False
    qualifies: Identifier | None = Field(
        default=None, description="For a caution: the fact it qualifies, shown just before it."
    )
    caution_reason: SafeText | None = Field(
        default=None, description="For a caution: why, in plain words, from the fact itself."
    )
    pack: Literal["since-2010", "safety-and-reference"] = Field(
        default="since-2010", description="The vetted file the fact comes from."
    )
    statement: SafeText = Field(description="Plain language, for patients.")
    detail: Annotated[tuple[SafeText, ...], Field(min_length=1)] = Field(
        description="Clinician-level specifics, a line each."
    )
    grade: SafeText | None = Field(
        default=None, description="Evidence or recommendation grade and its scale."
    )
    sources: SourceIds
    added: Date
    reviewed: Date
    next_review: Date


class Signs(Model):
    """Signs to watch for, in plain words, one sign an item; ``when`` is the stage at
    which they come, where the source gives one ("early", "later, if untreated")."""

    when: SafeText | None = None
    items: Annotated[tuple[SafeText, ...], Field(min_length=1)]


class UrgentWarning(Model):
    """A danger that needs help now: what it is, its signs, what to do and how soon.

    ``act`` keeps the source's urgency words exactly ("straight away").
    """

    id: Identifier
    title: SafeText
    applies_to: SafeText = Field(description="The 'applies to' line, as the fact gives it.")
    statement: SafeText = Field(description="Plain language, for patients.")
    signs: Annotated[tuple[Signs, ...], Field(min_length=1)]
    act: SafeText = Field(description="What to do and how soon, in the source's words.")
    detail: Annotated[tuple[SafeText, ...], Field(min_length=1)] = Field(
        description="Referral criteria and guideline detail for clinicians, a line each."
    )
    grade: SafeText | None = Field(
        default=None, description="Evidence or recommendation grade and its scale."
    )
    sources: SourceIds
    added: dt.date
    reviewed: dt.date
    next_review: dt.date


class Term(Named):
    """A word patients meet, defined in plain words; ``aliases`` holds only the
    abbreviations and other names the sources use for it."""

    definition: Annotated[tuple[Statement, ...], Field(min_length=1)]
    added: dt.date
    reviewed: dt.date
    next_review: dt.date


class Questions(Model):
    """Questions a patient may ask the care team, in the source's order."""

    items: Annotated[tuple[SafeText, ...], Field(min_length=1)]
    sources: SourceIds
    added: dt.date
    reviewed: dt.date
    next_review: dt.date


class Brand(Model):
    """A brand name of a medicine, with the label or licence that names it."""

    name: SafeText
    sources: SourceIds


class ClassLink(Model):
    """A treatment class a medicine belongs to, with the sources that place it there."""

    id: Identifier
    sources: SourceIds


class Dose(Model):
    """A dose as the vetted facts state it, in their words."""

    text: SafeText
    updates: tuple[Identifier, ...] = Field(
        default=(), description="The facts from after 2010 that state this dose."
    )
    sources: SourceIds


class LabelIndication(Model):
    """What a regulator's label or licence says a medicine is for.

    ``cancers`` is the "listed for" relation: only the cancers the label names.
    ``condition`` is a limit the label sets, shown with the indication.
    """

    region: Literal["US", "EU"]
    product: SafeText | None = Field(
        default=None, description="The labelled product, where it is not the brand itself."
    )
    text: SafeText
    condition: SafeText | None = None
    cancers: tuple[Identifier, ...] = ()
    updates: tuple[Identifier, ...] = Field(
        default=(), description="The facts from after 2010 that state this indication."
    )
    sources: SourceIds


class AtcCode(Model):
    """A code of the WHO Anatomical Therapeutic Chemical classification."""

    code: Annotated[str, StringConstraints(pattern=r"^[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}$")]
    name: SafeText = Field(description="The substance as the classification names it.")
    sources: SourceIds


class Medicine(Named):
    """One medicine: ``name`` is its generic name; brands are names too."""

    classes: Annotated[tuple[ClassLink, ...], Field(min_length=1)] = Field(
        description="The treatments (classes) it belongs to, the narrowest first."
    )
    brands: tuple[Brand, ...] = ()
    given: Given
    doses: tuple[Dose, ...] = ()
    labels: tuple[LabelIndication, ...] = ()
    atc: AtcCode
    side_effects: tuple[SideEffectLink, ...] = Field(
        default=(), description="Only the side effects a fact names for this medicine."
    )
    updates: tuple[Identifier, ...] = Field(
        default=(), description="The facts from after 2010 that concern it."
    )
    added: dt.date
    reviewed: dt.date
    next_review: dt.date

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling that refers to this medicine, its brand names included."""
        return (self.id, self.name, *self.aliases, *(brand.name for brand in self.brands))


class Code(Model):
    """A diagnosis code for bone metastases, always with its classification's edition."""

    id: Identifier
    classification: SafeText = Field(description="e.g. 'ICD-10', 'ICD-10-CM'.")
    edition: SafeText = Field(description="Whose edition: 'WHO', 'US'.")
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z][0-9]{2}(?:\.[0-9A-Z]{1,4})?$")]
    title: SafeText
    parent: SafeText | None = Field(
        default=None, description="The header code this one splits, in the same edition."
    )
    sources: SourceIds
    added: dt.date
    reviewed: dt.date
    next_review: dt.date


class ScoreOption(Model):
    """One answer to a component of a score, with its points."""

    key: Identifier = Field(description="The value a user types, e.g. 'semi-rigid'.")
    label: SafeText = Field(description="The source's words for it.")
    points: int = Field(ge=0)


class ScoreComponent(Model):
    """One component of a score: the answers it offers."""

    id: Identifier
    name: SafeText
    options: Annotated[tuple[ScoreOption, ...], Field(min_length=2)]


class ScoreBand(Model):
    """A range of totals (inclusive) and what the source calls it."""

    low: int = Field(ge=0)
    high: int = Field(ge=0)
    label: SafeText


class InstabilityScore(Model):
    """The Spinal Instability Neoplastic Score (SINS) as its sources give it: the
    point values are data, so no number of the score lives in code."""

    id: Identifier
    title: SafeText
    applies_to: SafeText
    statement: SafeText = Field(description="Plain language, for patients.")
    detail: Annotated[tuple[SafeText, ...], Field(min_length=1)]
    components: Annotated[tuple[ScoreComponent, ...], Field(min_length=1)]
    bands: Annotated[tuple[ScoreBand, ...], Field(min_length=1)]
    consultation_from: int = Field(
        ge=0, description="The lowest total at which surgical consultation is recommended."
    )
    sources: SourceIds
    added: dt.date
    reviewed: dt.date
    next_review: dt.date


class Content(Model):
    """What the knowledge base is and when it was last reviewed."""

    title: SafeText
    reviewed: Date
    next_review: Date


class FoundingText(Model):
    """The patient-education page the knowledge base started from."""

    title: SafeText
    sources: SourceIds
    attribution: SafeText


CITING = (
    Statement,
    SideEffectLink,
    Listing,
    Detail,
    FoundingText,
    Update,
    UrgentWarning,
    Questions,
    Brand,
    ClassLink,
    Dose,
    LabelIndication,
    AtcCode,
    Code,
    InstabilityScore,
)
"""The records that carry a ``sources`` list of source ids."""


class KnowledgeBase(Model):
    """The whole knowledge file. Cross-references are checked by the loader."""

    json_schema: str | None = Field(
        default=None,
        alias="$schema",
        description="Where editors find the schema: ./knowledge.schema.json.",
    )
    schema_version: Literal[1]
    content: Content
    founding_text: FoundingText
    sources: tuple[Source, ...]
    overview: tuple[Statement, ...]
    factors: tuple[Factor, ...]
    cancers: tuple[Cancer, ...]
    routes: tuple[Route, ...]
    goals: tuple[Goal, ...]
    bone_states: tuple[BoneState, ...] = ()
    side_effects: tuple[SideEffect, ...]
    treatments: Annotated[tuple[Treatment, ...], Field(min_length=1)]
    complementary_intro: Benefit
    prognosis: tuple[Statement, ...]
    updates: tuple[Update, ...] = ()
    warnings: tuple[UrgentWarning, ...] = ()
    glossary: tuple[Term, ...] = ()
    questions: Questions | None = None
    medicines: tuple[Medicine, ...] = ()
    codes: tuple[Code, ...] = ()
    sins: InstabilityScore | None = None

    @cached_property
    def source_by_id(self) -> dict[str, Source]:
        return {source.id: source for source in self.sources}

    @cached_property
    def side_effect_by_id(self) -> dict[str, SideEffect]:
        return {effect.id: effect for effect in self.side_effects}

    @cached_property
    def cancer_by_id(self) -> dict[str, Cancer]:
        return {cancer.id: cancer for cancer in self.cancers}

    @cached_property
    def route_by_id(self) -> dict[str, Route]:
        return {route.id: route for route in self.routes}

    @cached_property
    def goal_by_id(self) -> dict[str, Goal]:
        return {goal.id: goal for goal in self.goals}

    @cached_property
    def bone_state_by_id(self) -> dict[str, BoneState]:
        return {state.id: state for state in self.bone_states}

    @cached_property
    def update_by_id(self) -> dict[str, Update]:
        return {update.id: update for update in self.updates}

    @cached_property
    def treatment_by_id(self) -> dict[str, Treatment]:
        return {treatment.id: treatment for treatment in self.treatments}

    @cached_property
    def medicine_by_id(self) -> dict[str, Medicine]:
        return {medicine.id: medicine for medicine in self.medicines}

    def year_of(self, update: Update) -> int | None:
        """The year of the newest source an update cites: how recent the fact is."""
        years = [self.source_by_id[sid].year for sid in update.sources]
        return max((year for year in years if year is not None), default=None)

    @property
    def source_years(self) -> tuple[int, int]:
        """The span of the founding text's sources, e.g. (2007, 2010)."""
        years = [self.source_by_id[sid].year or 0 for sid in self.founding_text.sources]
        return min(years), max(years)


def walk(node: Model, path: str = "") -> Iterator[tuple[str, Model]]:
    """Every record in the tree under ``node``, with its JSON path."""
    yield path, node
    for field in field_names(type(node)):
        value = getattr(node, field)
        child = f"{path}.{field}" if path else field
        if isinstance(value, Model):
            yield from walk(value, child)
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                if isinstance(item, Model):
                    yield from walk(item, f"{child}[{index}]")


M = TypeVar("M", bound=Model)


def trusted(cls: type[M], data: dict[str, Any]) -> M:
    """Build a record from data already known to be valid, skipping validation.

    Only for data whose exact bytes passed validation before; anything else goes
    through ``model_validate``.
    """
    values = {}
    for name, info in cls.model_fields.items():
        key = info.alias or name
        if key in data:
            values[name] = _trusted_value(info.annotation, data[key])
    return cls.model_construct(**values)


def _trusted_value(annotation: Any, value: Any) -> Any:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _trusted_value(get_args(annotation)[0], value)
    if origin is Union or origin is UnionType:
        if value is None:
            return None
        (kind,) = [arg for arg in get_args(annotation) if arg is not type(None)]
        return _trusted_value(kind, value)
    if origin is tuple:
        item = get_args(annotation)[0]
        return tuple(_trusted_value(item, v) for v in value)
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return trusted(annotation, value)
    if annotation is dt.date:
        return dt.date.fromisoformat(value)
    return value


@cache
def field_names(cls: type[Model]) -> tuple[str, ...]:
    """A record type's field names, in order; pydantic's own ``model_fields`` is a
    descriptor that costs a call each time."""
    return tuple(cls.model_fields)


def _jsonable(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is tuple:
        return [_jsonable(item) for item in value]
    if kind is dt.date:
        return value.isoformat()
    if isinstance(value, Model):
        return value.record()
    return value
