"""Every readable string of a KnowledgeBase, and whose it is: what search reads."""

import dataclasses
from functools import cache
from typing import Annotated, Any, Literal, get_args, get_origin

from bonemets_cli.models import (
    Identifier,
    KnowledgeBase,
    Model,
    Named,
    Source,
    Treatment,
    Update,
    field_names,
)

_SECTIONS = {
    "overview": ("section", "Overview"),
    "complementary_intro": ("section", "Complementary treatments"),
    "prognosis": ("section", "Prognosis"),
    "content": ("section", "About this knowledge base"),
    "founding_text": ("section", "Founding text"),
    "questions": ("questions", "Questions to ask your care team"),
}
"""The parts without an id of their own, by field, with their kind and title: each is
one entry, its id the field."""

_COLLECTIONS = {
    "treatments": "treatment",
    "updates": "update",
    "factors": "factor",
    "cancers": "cancer",
    "side_effects": "side effect",
    "goals": "goal",
    "bone_states": "bone state",
    "routes": "route",
    "sources": "source",
}
"""The collections of entries and their kinds. Any other collection of records with
ids (warnings, say) is searched too, its kind named after its field; so is a single
record with an id (the SINS score), one entry of its own."""

_KIND_OF = {"sins": "score"}
"""Kinds that are not their field's name in the singular."""


Owner = tuple[str, str, str]
"""(kind, entry id, entry title): whose a text is."""


def build_index(
    knowledge: KnowledgeBase,
) -> tuple[list[str], list[tuple[int, str]], list[Owner]]:
    """Every readable string in the knowledge base, and for each, where it is: the
    index of its owner and its path in that entry. Parallel lists, not a record per
    text: with 10,000 treatments there are some 60,000 texts."""
    texts: list[str] = []
    places: list[tuple[int, str]] = []
    owners: list[Owner] = []
    # Linked vocabulary is named by id: its names belong to the linking entry too.
    linked = {
        "side_effects": knowledge.side_effect_by_id,
        "goals": knowledge.goal_by_id,
        "states": knowledge.bone_state_by_id,
        "routes": knowledge.route_by_id,
    }
    for field, kind in _collections(knowledge):
        value = getattr(knowledge, field)
        for record in value if isinstance(value, tuple) else (value,):
            owners.append((kind, str(getattr(record, "id", "")), _title(record)))
            owner = len(owners) - 1
            _collect(record, "", owner, texts, places)
            if isinstance(record, Treatment):
                _link(record, linked, owner, texts, places)
    for section, (kind, title) in _SECTIONS.items():
        value = getattr(knowledge, section)
        if value is None:
            continue  # an optional section this file leaves out
        owners.append((kind, section, title))
        # A section's title is its name: 'Prognosis', 'Questions to ask your care team'.
        texts.append(title)
        places.append((len(owners) - 1, "title"))
        if isinstance(value, tuple):
            for index, record in enumerate(value):
                _collect(record, f"[{index}]", len(owners) - 1, texts, places)
        else:
            _collect(value, "", len(owners) - 1, texts, places)
    return texts, places, owners


def _collections(knowledge: KnowledgeBase) -> list[tuple[str, str]]:
    """(field, kind) of each collection of entries: the known ones, and then any other."""
    found = list(_COLLECTIONS.items())
    for field in field_names(type(knowledge)):
        value = getattr(knowledge, field)
        if field in _COLLECTIONS or field in _SECTIONS:
            continue
        records = value if isinstance(value, tuple) else (value,)
        if records and all(isinstance(item, Model) and hasattr(item, "id") for item in records):
            kind = _KIND_OF.get(field, field.removesuffix("s").replace("_", " "))
            found.insert(3, (field, kind))
    return found


def _link(
    treatment: Treatment,
    linked: dict[str, Any],
    owner: int,
    texts: list[str],
    places: list[tuple[int, str]],
) -> None:
    """Add the names of the side effects, goals, bone states and routes a treatment
    links to, at the path of the link."""
    for index, link in enumerate(treatment.side_effects):
        effect = linked["side_effects"].get(link.id)
        texts.append(effect.name if effect is not None else link.id)
        places.append((owner, f"side_effects[{index}]"))
    for index, benefit in enumerate(treatment.benefits):
        for goal in benefit.goals:
            if goal in linked["goals"]:
                texts.append(linked["goals"][goal].name)
                places.append((owner, f"benefits[{index}].goals"))
    for index, bone in enumerate(treatment.bones):
        for state in bone.states:
            if state in linked["states"]:
                texts.append(linked["states"][state].name)
                places.append((owner, f"bones[{index}].states"))
    if treatment.given is not None:
        for route in treatment.given.routes:
            if route in linked["routes"]:
                texts.append(linked["routes"][route].name)
                places.append((owner, "given.routes"))


def _collect(
    node: Model, path: str, owner: int, texts: list[str], places: list[tuple[int, str]]
) -> None:
    """Add the readable strings of one record, and of the records inside it."""
    readable, nested = _layout(type(node))
    for name in readable:
        value = getattr(node, name)
        where = f"{path}.{name}" if path else name
        if type(value) is str:
            texts.append(value)
            places.append((owner, where))
        elif type(value) is tuple:
            for index, item in enumerate(value):
                if type(item) is str:
                    texts.append(item)
                    places.append((owner, f"{where}[{index}]"))
    for name in nested:
        value = getattr(node, name)
        where = f"{path}.{name}" if path else name
        if type(value) is tuple:
            for index, item in enumerate(value):
                _collect(item, f"{where}[{index}]", owner, texts, places)
        elif value is not None:
            _collect(value, where, owner, texts, places)


def _title(record: Model) -> str:
    if isinstance(record, Named):
        return record.name
    if isinstance(record, Update):
        return record.title
    if isinstance(record, Source):
        return record.label
    for field in ("title", "name", "term", "text"):
        if isinstance(value := getattr(record, field, None), str):
            return value
    return str(getattr(record, "id", ""))


@cache  # fields share their types (SafeText, SourceIds): each is worked out once
def _holds_records(annotation: Any) -> bool:
    if isinstance(annotation, type):
        return issubclass(annotation, Model)
    return any(_holds_records(arg) for arg in get_args(annotation))


_ID_CONSTRAINTS = get_args(Identifier)[1:]


@cache
def _refers(annotation: Any) -> bool:
    """Whether a field holds ids or fixed choices (references, kinds), not prose."""
    if annotation == Identifier or get_origin(annotation) is Literal:
        return True
    if get_origin(annotation) is Annotated:
        if any(rule in _ID_CONSTRAINTS for rule in get_args(annotation)[1:]):
            return True
        return _refers(get_args(annotation)[0])
    return any(_refers(arg) for arg in get_args(annotation))


def _layout(cls: type[Model]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A record type's text fields, and its fields that hold records."""
    layout = _LAYOUTS.get(cls)
    if layout is None:
        types: dict[str, Any] = {field.name: field.type for field in dataclasses.fields(cls)}
        nested = tuple(name for name, kind in types.items() if _holds_records(kind))
        readable = tuple(
            name for name, kind in types.items() if name not in nested and not _refers(kind)
        )
        layout = _LAYOUTS[cls] = readable, nested
    return layout


_LAYOUTS: dict[type[Model], tuple[tuple[str, ...], tuple[str, ...]]] = {}
"""Per record type, built on first use (mypy cannot see a dataclass type as hashable,
which functools.cache asks for)."""
