"""The knowledge base's shape: frozen pydantic models that reject unknown fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cache, cached_property
from types import UnionType
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints

if TYPE_CHECKING:
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


CITING = (Statement, SideEffectLink, Listing, Detail, FoundingText, Update)
"""The treatment records that carry a ``sources`` list of source ids (the pack's are in
``pack_models.PACK_CITING``)."""


PACK_FIELDS = frozenset({"warnings", "glossary", "questions", "medicines", "codes", "sins"})
"""The KnowledgeBase fields whose records live in ``pack_models``."""


class KnowledgeBase(Model):
    """The whole knowledge file. Cross-references are checked by the loader.

    The pack's fields (PACK_FIELDS) name classes of ``pack_models``, which is imported
    only by ``complete``. A trusted load keeps their JSON aside and builds each on first
    use, so a page about treatments builds neither the pack's classes nor its records.
    """

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

    _unbuilt: dict[str, Any] = PrivateAttr(default_factory=dict)
    """A trusted load's JSON of the pack fields not built yet, by field name."""

    def __getattr__(self, name: str) -> Any:
        # Called only when a field is not in the instance yet: a pack field of a
        # trusted load, built now from its JSON and kept.
        unbuilt = (self.__pydantic_private__ or {}).get("_unbuilt")
        if not unbuilt or name not in unbuilt:
            return super().__getattr__(name)  # type: ignore[misc]
        complete()
        value = _trusted_value(type(self).model_fields[name].annotation, unbuilt.pop(name))
        self.__dict__[name] = value
        return value

    def unbuilt(self) -> dict[str, Any]:
        """The pack fields of a trusted load not built yet, as JSON, by field name."""
        unbuilt: dict[str, Any] = (self.__pydantic_private__ or {}).get("_unbuilt") or {}
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


M = TypeVar("M", bound=Model)


def complete() -> None:
    """Import the pack's record classes and resolve the KnowledgeBase fields that name
    them: needed before validating or describing a whole knowledge file."""
    global _complete
    if _complete:
        return
    from bonemets_cli import pack_models

    KnowledgeBase.model_rebuild(_types_namespace=vars(pack_models))
    _complete = True


_complete = False


def trusted(cls: type[M], data: dict[str, Any]) -> M:
    """Build a record from data already known to be valid, skipping validation.

    Only for data whose exact bytes passed validation before; anything else goes
    through ``model_validate``. For a KnowledgeBase, the pack's fields are kept as
    JSON and built on first use.
    """
    lazy = cls is KnowledgeBase and not _complete
    values = {}
    unbuilt = {}
    for name, info in cls.model_fields.items():
        key = info.alias or name
        if key not in data:
            continue
        if lazy and name in PACK_FIELDS:
            unbuilt[name] = data[key]
        else:
            values[name] = _trusted_value(info.annotation, data[key])
    record = cls.model_construct(**values)
    if unbuilt:
        for name in unbuilt:
            del record.__dict__[name]  # so the first read builds it (__getattr__)
        record.__pydantic_private__["_unbuilt"] = unbuilt  # type: ignore[index]
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
