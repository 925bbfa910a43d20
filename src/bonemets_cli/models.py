"""The knowledge base's shape: frozen records (standard-library dataclasses) whose
constraints pydantic reads only when a file is validated or its schema written."""

import dataclasses
from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Literal

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

from bonemets_cli import records
from bonemets_cli.records import M, field_reader, forget
from bonemets_cli.records import Model as Model
from bonemets_cli.records import _jsonable as _jsonable
from bonemets_cli.records import field_keys as field_keys
from bonemets_cli.records import field_names as field_names
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
    qualified_by: Annotated[
        tuple[Qualification, ...],
        Rule(description="Later facts that qualify this statement, quoted."),
    ] = ()


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

    groups: Annotated[
        tuple[Identifier, ...],
        Rule(description="Wider cancers this one belongs to, e.g. solid-tumours."),
    ] = ()


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

    states: Annotated[tuple[Identifier, ...], Rule(min_length=1)]


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


class SideEffectLink(Model):
    """A treatment's link to a side effect, with the sources that name it."""

    id: Identifier
    sources: SourceIds


class Detail(Model):
    """A titled list the sources give, such as the hardware surgery may place."""

    title: SafeText
    items: Annotated[tuple[SafeText, ...], Rule(min_length=1)]
    sources: SourceIds


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


class _BuiltOnFirstRead:
    """A pack field on the KnowledgeBase class: the first read of the field on a
    trusted load builds it from the JSON kept aside, and keeps it in the instance,
    where later reads find it first (a non-data descriptor). Any other instance holds
    every field already. It stands on the class in place of the field's default (the
    default lives on in ``dataclasses.fields``): were the class attribute missing,
    pydantic would put the default back on the class when it builds a validator, and
    a trusted load's unbuilt field would then read as that default."""

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name

    def __get__(self, instance: "KnowledgeBase | None", owner: type[Any]) -> Any:
        if instance is None:
            return self
        unbuilt = instance.__dict__.get("_unbuilt") or {}
        if self.name not in unbuilt:
            raise AttributeError(f"'KnowledgeBase' object has no attribute {self.name!r}")
        complete()
        read = field_reader(KnowledgeBase, self.name)
        value = unbuilt.pop(self.name)
        instance.__dict__[self.name] = value if read is None else read(value)
        return instance.__dict__[self.name]


for _name in PACK_FIELDS:
    _field = _BuiltOnFirstRead()
    _field.__set_name__(KnowledgeBase, _name)
    setattr(KnowledgeBase, _name, _field)


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
    forget(KnowledgeBase)
    _complete = True


_complete = False


def trusted(cls: type[M], data: dict[str, Any]) -> M:
    """Build a record from data already known to be valid, skipping validation
    (``records.trusted``). For a KnowledgeBase, the pack's fields are kept as JSON
    and built on first use."""
    if cls is not KnowledgeBase or _complete:
        return records.trusted(cls, data)
    record = records.trusted(cls, data, unset=PACK_FIELDS)
    keys = field_keys(cls)
    unbuilt = {name: data[keys[name]] for name in PACK_FIELDS if keys[name] in data}
    if unbuilt:  # left unset: the first read builds each (__getattr__)
        record.__dict__["_unbuilt"] = unbuilt
    return record
