"""Frozen records without pydantic: the base class of every record of the knowledge
base, its field tables, and reading data already known to be valid into records."""

import dataclasses
import datetime as dt
from collections.abc import Callable
from functools import partial
from types import UnionType
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    ClassVar,
    TypeVar,
    Union,
    get_args,
    get_origin,
)

from typing_extensions import dataclass_transform  # in typing from Python 3.11


@dataclass_transform(kw_only_default=True, frozen_default=True)
class Model:
    """Base for every record: immutable, and strict about unknown fields.

    Records are standard-library dataclasses, so pages read them without importing
    pydantic. The validator (``knowledge.conform``) has pydantic check a file against
    these classes, reading ``__pydantic_config__`` and each field's ``Rule``; a file
    already known to be valid is read with ``trusted`` and never pays for it.

    What dataclasses would generate for each class (``__init__``, equality, hashing,
    ``repr``, refusing assignment) is written once, here: generating it compiles six
    functions per class at every start, which cost more than the pydantic models did
    (measured: ``bonemets list`` 1,017 million instructions against 978). So each
    subclass is made a dataclass that generates none of them, as it is defined.
    """

    __slots__ = ()
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid", "frozen": True}
    if TYPE_CHECKING:  # each record class is a dataclass, which sets it
        __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    def __init_subclass__(cls, **options: Any) -> None:
        super().__init_subclass__(**options)
        dataclasses.dataclass(init=False, repr=False, eq=False, match_args=False, kw_only=True)(cls)

    def __init__(self, **values: Any) -> None:
        for name, _, _, default in _plan(type(self)):
            if name in values:
                value = values.pop(name)
            elif default is dataclasses.MISSING:
                raise TypeError(f"{type(self).__name__}: missing field {name!r}")
            else:
                value = default
            object.__setattr__(self, name, value)
        if values:
            raise TypeError(f"{type(self).__name__}: unknown fields {', '.join(values)}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in field_names(type(self)))

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, name) for name in field_names(type(self))))

    def __repr__(self) -> str:
        shown = (f"{name}={getattr(self, name)!r}" for name in field_names(type(self)))
        return f"{type(self).__qualname__}({', '.join(shown)})"

    def record(self) -> dict[str, Any]:
        """The record as JSON-ready data: every field, in order, as the file spells it."""
        return {name: _jsonable(getattr(self, name)) for name in field_names(type(self))}


M = TypeVar("M", bound=Model)


def trusted(cls: type[M], data: dict[str, Any], *, unset: frozenset[str] = frozenset()) -> M:
    """Build a record from data already known to be valid, skipping validation; the
    fields named in ``unset`` are left out of it.

    Only for data whose exact bytes passed validation before; anything else goes
    through ``knowledge.conform``.
    """
    record = cls.__new__(cls)
    for name, key, read, default in _plan(cls):
        if key not in data:
            value = default
        elif name in unset:
            continue
        elif read is None:
            value = data[key]
        else:
            value = read(data[key])
        _set(record, name, value)
    return record


def field_reader(cls: type[Model], name: str) -> "Read | None":
    """How ``trusted`` reads one field of a record type (None: as it is)."""
    return next(read for field, _, read, _ in _plan(cls) if field == name)


def forget(cls: type[Model]) -> None:
    """Forget what was worked out about a record type's fields, once their types
    change (``models.complete`` resolves the KnowledgeBase's pack fields)."""
    _PLANS.pop(cls, None)


_set = object.__setattr__


Read = Callable[[Any], Any]


def _reader(annotation: Any) -> Read | None:
    """How a trusted load turns a field's JSON into its value: None where the JSON
    value is the value (text, numbers, choices), else a function, worked out once per
    field rather than once per value."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _reader(get_args(annotation)[0])
    if origin is Union or origin is UnionType:
        (kind,) = [arg for arg in get_args(annotation) if arg is not type(None)]
        inner = _reader(kind)
        return None if inner is None else partial(_unless_none, inner)
    if origin is tuple:
        item = _reader(get_args(annotation)[0])
        return tuple if item is None else partial(_tuple_of, item)
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return partial(trusted, annotation)
    if annotation is dt.date:
        return dt.date.fromisoformat
    return None


def _unless_none(read: Read, value: Any) -> Any:
    return None if value is None else read(value)


def _tuple_of(read: Read, values: list[Any]) -> tuple[Any, ...]:
    return tuple([read(value) for value in values])


def _plan(cls: type[Model]) -> tuple[tuple[str, str, Read | None, Any], ...]:
    """Each field of a record type: its name, its key in the file, how a trusted load
    reads it (``_reader``; the pack's fields of a KnowledgeBase are read only once
    ``complete`` has resolved their types) and its default (``dataclasses.MISSING``
    if it has none)."""
    plan = _PLANS.get(cls)
    if plan is None:
        keys = field_keys(cls)
        plan = _PLANS[cls] = tuple(
            (field.name, keys[field.name], _reader(field.type), field.default)
            for field in dataclasses.fields(cls)
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
_PLANS: dict[type[Model], tuple[tuple[str, str, Read | None, Any], ...]] = {}
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
