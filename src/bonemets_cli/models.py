"""The knowledge base's shape: frozen records (standard-library dataclasses) whose
constraints pydantic reads only when a file is validated or its schema written."""

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from types import UnionType
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    ClassVar,
    Literal,
    TypeVar,
    Union,
    get_args,
    get_origin,
)

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema

    from bonemets_cli.pack_models import (
        Code,
        InstabilityScore,
        Medicine,
        Questions,
        Term,
        UrgentWarning,
    )

from bonemets_cli.text_rules import DATE_PATTERN as DATE_PATTERN
from bonemets_cli.text_rules import SAFE_TEXT_PATTERN as SAFE_TEXT_PATTERN
from bonemets_cli.text_rules import Date as Date
from bonemets_cli.text_rules import Identifier as Identifier
from bonemets_cli.text_rules import Rule as Rule
from bonemets_cli.text_rules import SafeText as SafeText
from bonemets_cli.text_rules import SourceIds as SourceIds
from bonemets_cli.text_rules import mixed_scripts as mixed_scripts
from bonemets_cli.text_rules import normalize as normalize

TreatmentKind = Literal["main", "other", "complementary"]

ListingBasis = Literal["founding-text", "label", "guideline"]
"""What lists a treatment for a cancer: the founding text, a regulator's approval (a drug
label), or a guideline's recommendation. Nothing else does: a fact merely *about* a cancer
(a trial, a caution) is not a listing."""

Origin = Literal["founding-text", "since-2010"]
"""Where a treatment's own record comes from: the 2007-2010 page, or the later facts."""


KIND_LABELS: dict[str, str] = {
    "main": "main treatment",
    "other": "other treatment",
    "complementary": "complementary",
}


@dataclass(frozen=True, kw_only=True, slots=True)
class Model:
    """Base for every record: immutable, and strict about unknown fields.

    A plain dataclass: pages read records without importing pydantic. The validator
    (``knowledge.conform``) has pydantic check a file against these classes, reading
    ``__pydantic_config__`` and each field's ``Rule``; a file already known to be
    valid is read with ``trusted`` and never pays for it.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid", "frozen": True}

    def record(self) -> dict[str, Any]:
        """The record as JSON-ready data: every field, in order, as the file spells it."""
        return {name: _jsonable(getattr(self, name)) for name in field_names(type(self))}


@dataclass(frozen=True, kw_only=True, slots=True)
class Qualification(Model):
    """Words of a later fact that qualify a founding-text statement: shown beside it, so
    the 2007-2010 sentence is never read alone. The words are quoted from the fact's
    statement or detail (the loader checks), and cite the fact's sources."""

    update: Identifier
    text: SafeText


@dataclass(frozen=True, kw_only=True, slots=True)
class Statement(Model):
    """One sentence of medical content and the sources that support it."""

    text: SafeText
    sources: SourceIds
    qualified_by: Annotated[
        tuple[Qualification, ...],
        Rule(description="Later facts that qualify this statement, quoted."),
    ] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Source(Model):
    """A reference that statements cite, with its identifiers where they are known."""

    id: Identifier
    label: Annotated[
        SafeText, Rule(description="Short form shown beside statements, e.g. 'ACS 2010'.")
    ]
    citation: Annotated[SafeText, Rule(description="The reference in full, as it was given.")]
    year: Annotated[int, Rule(ge=1900, le=2100)] | None = None
    retrieved: Date | None = None
    pmid: Annotated[str, Rule(pattern=r"^[0-9]{1,9}$")] | None = None
    doi: Annotated[str, Rule(pattern=r"^10\.[0-9]{4,9}/\S+$")] | None = None
    trial: Annotated[str, Rule(pattern=r"^NCT[0-9]{8}$")] | None = None
    url: SafeText | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Named(Model):
    """A vocabulary entry that users can name by id, name or alias."""

    id: Identifier
    name: SafeText
    aliases: tuple[SafeText, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling that refers to this entry."""
        return (self.id, self.name, *self.aliases)


@dataclass(frozen=True, kw_only=True, slots=True)
class Cancer(Named):
    """A primary cancer the sources name."""

    groups: Annotated[
        tuple[Identifier, ...],
        Rule(description="Wider cancers this one belongs to, e.g. solid-tumours."),
    ] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Route(Named):
    """A way a treatment is given."""


@dataclass(frozen=True, kw_only=True, slots=True)
class SideEffect(Named):
    """A side effect, named once and linked from the treatments that cause it."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Goal(Named):
    """Something a treatment can help with."""


@dataclass(frozen=True, kw_only=True, slots=True)
class BoneState(Named):
    """A state of the bones that treatment depends on, such as weak or broken."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Factor(Statement):
    """One of the things treatment depends on."""

    id: Identifier


@dataclass(frozen=True, kw_only=True, slots=True)
class Given(Statement):
    """How a treatment is given."""

    routes: tuple[Identifier, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Benefit(Statement):
    """What a treatment helps with, tagged by goal."""

    goals: tuple[Identifier, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class BoneLink(Statement):
    """A statement of what a treatment does for bones in one or more states."""

    states: Annotated[tuple[Identifier, ...], Rule(min_length=1)]


@dataclass(frozen=True, kw_only=True, slots=True)
class Listing(Model):
    """A cancer that a source says the treatment is approved or recommended for, in the
    source's own words (which keep qualifiers such as "castration-resistant")."""

    cancer: Identifier
    excludes: Annotated[
        tuple[Identifier, ...],
        Rule(
            description="Members of the group (cancer) that this listing does not pass to, "
            "as when a guideline speaks of 'other solid tumours'."
        ),
    ] = ()
    basis: ListingBasis
    medicine: Annotated[
        SafeText | None,
        Rule(
            description="The one medicine of the class that the source approves or recommends, "
            "when it is not the whole class (radium-223, zoledronic acid)."
        ),
    ] = None
    text: Annotated[
        SafeText,
        Rule(
            description="The words that list it: quoted from the founding text, or from the "
            "statement or detail of the fact named in 'update'."
        ),
    ]
    update: Annotated[
        Identifier | None, Rule(description="The fact that lists it; none for the founding text.")
    ] = None
    sources: SourceIds


@dataclass(frozen=True, kw_only=True, slots=True)
class SideEffectLink(Model):
    """A treatment's link to a side effect, with the sources that name it."""

    id: Identifier
    sources: SourceIds


@dataclass(frozen=True, kw_only=True, slots=True)
class Detail(Model):
    """A titled list the sources give, such as the hardware surgery may place."""

    title: SafeText
    items: Annotated[tuple[SafeText, ...], Rule(min_length=1)]
    sources: SourceIds


@dataclass(frozen=True, kw_only=True, slots=True)
class Treatment(Named):
    """One treatment, in the founding text's own terms."""

    kind: TreatmentKind
    origin: Origin = "founding-text"
    related: Annotated[
        tuple[Identifier, ...], Rule(description="Treatments whose updates also concern this one.")
    ] = ()
    summary: Statement
    given: Given | None = None
    benefits: tuple[Benefit, ...] = ()
    side_effects: tuple[SideEffectLink, ...] = ()
    bones: Annotated[
        tuple[BoneLink, ...],
        Rule(description="What the sources say it does for weak or broken bones."),
    ] = ()
    side_effect_notes: tuple[Statement, ...] = ()
    listed_for: Annotated[
        tuple[Listing, ...],
        Rule(
            description="The cancers a source approves or recommends it for. A founding-text "
            "treatment with no founding-text listing is one the founding text does not limit."
        ),
    ] = ()
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


@dataclass(frozen=True, kw_only=True, slots=True)
class Update(Model):
    """A vetted fact from after 2010, for patients and for clinicians, with its dates."""

    id: Identifier
    title: SafeText
    applies_to: Annotated[
        SafeText, Rule(description="The 'applies to' line, as the fact gives it.")
    ]
    treatments: Annotated[tuple[Identifier, ...], Rule(min_length=1)]
    cancers: tuple[Identifier, ...] = ()
    side_effects: tuple[Identifier, ...] = ()
    routes: Annotated[
        tuple[Identifier, ...],
        Rule(description="Ways of giving its treatments that the fact names."),
    ] = ()
    caution: bool = False
    qualifies: Annotated[
        Identifier | None,
        Rule(description="For a caution: the fact it qualifies, shown just before it."),
    ] = None
    caution_reason: Annotated[
        SafeText | None,
        Rule(description="For a caution: why, in plain words, from the fact itself."),
    ] = None
    pack: Annotated[
        Literal["since-2010", "safety-and-reference"],
        Rule(description="The vetted file the fact comes from."),
    ] = "since-2010"
    statement: Annotated[SafeText, Rule(description="Plain language, for patients.")]
    detail: Annotated[
        tuple[SafeText, ...],
        Rule(min_length=1, description="Clinician-level specifics, a line each."),
    ]
    grade: Annotated[
        SafeText | None, Rule(description="Evidence or recommendation grade and its scale.")
    ] = None
    sources: SourceIds
    added: Date
    reviewed: Date
    next_review: Date


@dataclass(frozen=True, kw_only=True, slots=True)
class Content(Model):
    """What the knowledge base is and when it was last reviewed."""

    title: SafeText
    reviewed: Date
    next_review: Date


@dataclass(frozen=True, kw_only=True, slots=True)
class FoundingText(Model):
    """The patient-education page the knowledge base started from."""

    title: SafeText
    sources: SourceIds
    attribution: SafeText


CITING = (Statement, SideEffectLink, Listing, Detail, FoundingText, Update)
"""The treatment records that carry a ``sources`` list of source ids (the pack's are in
``pack_models.PACK_CITING``)."""


PACK_FIELDS = frozenset({"warnings", "glossary", "questions", "medicines", "codes", "sins"})
"""The KnowledgeBase fields whose records live in ``pack_models``."""


@dataclass(frozen=True, kw_only=True)  # not slots: its maps are cached in __dict__
class KnowledgeBase(Model):
    """The whole knowledge file. Cross-references are checked by the loader.

    The pack's fields (PACK_FIELDS) name classes of ``pack_models``, which is imported
    only by ``complete``. A trusted load keeps their JSON aside and builds each on first
    use, so a page about treatments builds neither the pack's classes nor its records.
    """

    json_schema: Annotated[
        str | None, Rule(description="Where editors find the schema: ./knowledge.schema.json.")
    ] = dataclasses.field(default=None, metadata={"key": "$schema"})
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
    treatments: Annotated[tuple[Treatment, ...], Rule(min_length=1)]
    complementary_intro: Benefit
    prognosis: tuple[Statement, ...]
    updates: tuple[Update, ...] = ()
    warnings: "tuple[UrgentWarning, ...]" = ()
    glossary: "tuple[Term, ...]" = ()
    questions: "Questions | None" = None
    medicines: "tuple[Medicine, ...]" = ()
    codes: "tuple[Code, ...]" = ()
    sins: "InstabilityScore | None" = None

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: "GetCoreSchemaHandler"
    ) -> "CoreSchema":
        # The file spells some keys differently from the field ("$schema"): pydantic
        # reads and describes the field by that key.
        schema = handler(source)
        for field in schema["schema"]["fields"]:
            key = field_keys(cls)[field["name"]]
            if key != field["name"]:
                field["validation_alias"] = field["serialization_alias"] = key
        return schema

    def __getattr__(self, name: str) -> Any:
        # Called only when a field is not in the instance yet: a pack field of a
        # trusted load, built now from its JSON and kept.
        unbuilt = self.__dict__.get("_unbuilt")
        if not unbuilt or name not in unbuilt:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        complete()
        kind = next(kind for field, _, kind in _plan(KnowledgeBase) if field == name)
        value = _trusted_value(kind, unbuilt.pop(name))
        self.__dict__[name] = value
        return value

    def unbuilt(self) -> dict[str, Any]:
        """The pack fields of a trusted load not built yet, as JSON, by field name."""
        unbuilt: dict[str, Any] = self.__dict__.get("_unbuilt") or {}
        return unbuilt

    def as_json(self, name: str) -> Any:
        """A pack field as JSON-ready data, read without building it when a trusted load
        has not: a page may name the codes without paying for the pack's classes."""
        unbuilt = self.unbuilt()
        return unbuilt[name] if name in unbuilt else _jsonable(getattr(self, name))

    def unbuilt_review_dates(self) -> Iterator[str]:
        """The ``next_review`` dates (ISO text) in the pack JSON not built yet: enough to
        know whether anything is overdue without building it."""
        for value in self.unbuilt().values():
            for entry in value if isinstance(value, list) else [value]:
                if isinstance(entry, dict) and isinstance(entry.get("next_review"), str):
                    yield entry["next_review"]

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
    def medicine_by_id(self) -> "dict[str, Medicine]":
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


for _name in PACK_FIELDS:
    # A trusted load leaves an unbuilt pack field out of the instance; with no default
    # on the class in the way, reading it reaches __getattr__, which builds it. (The
    # defaults live on in __init__ and dataclasses.fields; slots dataclasses drop
    # theirs from the class the same way.)
    delattr(KnowledgeBase, _name)


M = TypeVar("M", bound=Model)


def complete() -> None:
    """Import the pack's record classes and resolve the KnowledgeBase fields that name
    them: needed before validating or describing a whole knowledge file."""
    global _complete
    if _complete:
        return
    import typing

    from bonemets_cli import pack_models

    hints = typing.get_type_hints(KnowledgeBase, localns=vars(pack_models), include_extras=True)
    for field in dataclasses.fields(KnowledgeBase):
        if field.name in PACK_FIELDS:
            field.type = hints[field.name]
    _PLANS.pop(KnowledgeBase, None)
    _complete = True


_complete = False


def trusted(cls: type[M], data: dict[str, Any]) -> M:
    """Build a record from data already known to be valid, skipping validation.

    Only for data whose exact bytes passed validation before; anything else goes
    through ``knowledge.conform``. For a KnowledgeBase, the pack's fields are kept
    as JSON and built on first use.
    """
    lazy = cls is KnowledgeBase and not _complete
    values = {}
    unbuilt = {}
    for name, key, annotation in _plan(cls):
        if key not in data:
            continue
        if lazy and name in PACK_FIELDS:
            unbuilt[name] = data[key]
        else:
            values[name] = _trusted_value(annotation, data[key])
    record = cls(**values)
    if unbuilt:
        for name in unbuilt:
            del record.__dict__[name]  # so the first read builds it (__getattr__)
        record.__dict__["_unbuilt"] = unbuilt
    return record


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
        return tuple([_trusted_value(item, v) for v in value])
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return trusted(annotation, value)
    if annotation is dt.date:
        return dt.date.fromisoformat(value)
    return value


def _plan(cls: type[Model]) -> tuple[tuple[str, str, Any], ...]:
    """Each field of a record type: its name, its key in the file, and its type (the
    pack's fields of a KnowledgeBase are text until ``complete`` resolves them)."""
    plan = _PLANS.get(cls)
    if plan is None:
        keys = field_keys(cls)
        plan = _PLANS[cls] = tuple(
            (field.name, keys[field.name], field.type) for field in dataclasses.fields(cls)
        )
    return plan


def field_names(cls: type[Model]) -> tuple[str, ...]:
    """A record type's field names, in order."""
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(field.name for field in dataclasses.fields(cls))
    return names


def field_keys(cls: type[Model]) -> dict[str, str]:
    """A record type's key in the file for each field name: the name itself, but where
    the file spells it differently (``$schema``)."""
    keys = _KEYS.get(cls)
    if keys is None:
        keys = _KEYS[cls] = {
            field.name: field.metadata.get("key", field.name) for field in dataclasses.fields(cls)
        }
    return keys


# Per record type, built on first use. (functools.cache would do, but mypy cannot
# see a dataclass type as hashable.)
_PLANS: dict[type[Model], tuple[tuple[str, str, Any], ...]] = {}
_NAMES: dict[type[Model], tuple[str, ...]] = {}
_KEYS: dict[type[Model], dict[str, str]] = {}


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
