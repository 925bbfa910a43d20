"""The frozen record: the base of every typed result, view and part of a page."""

from dataclasses import FrozenInstanceError
from typing import Any, ClassVar

from typing_extensions import Self, dataclass_transform  # in typing from Python 3.11


@dataclass_transform(frozen_default=True)
class Frozen:
    """A frozen dataclass, as a type checker reads it: fields declared by annotation,
    built by position or keyword, with defaults, inherited by a subclass; compared
    field by field, hashable, and refusing assignment.

    Query results, views and the parts of a Document are these rather than
    ``typing.NamedTuple`` (0.73 M instructions to define a class: it compiles its
    ``__new__``) or ``@dataclass(frozen=True)`` (about 1 M: it compiles six
    functions): the package defines some 70 of them, a page's modules 40-odd at every
    start. Defining one costs about 0.09 M here: a subclass only lists its fields. Its
    ``__init__`` is compiled the first time one is built (0.37 M), so only the classes
    a page uses pay for one, and an instance costs about what a NamedTuple's did (a
    generic ``__init__`` looping over the fields takes two to three times as long).

    A field's name may not start with an underscore (as in a NamedTuple); a record
    class defines no ``__init__`` of its own.
    """

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    """Every field's name, in order: the parent's fields first."""
    _defaults: ClassVar[dict[str, Any]] = {}
    __match_args__: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **options: Any) -> None:
        super().__init_subclass__(**options)
        own = cls.__dict__.get("__annotations__", {})
        added = [name for name, kind in own.items() if not _is_class_var(kind)]
        if "__init__" in cls.__dict__:
            raise TypeError(f"{cls.__qualname__}: a frozen record defines no __init__")
        if any(name.startswith("_") for name in added):
            raise TypeError(f"{cls.__qualname__}: a field's name may not start with '_'")
        defaults = {**cls._defaults, **{n: cls.__dict__[n] for n in added if n in cls.__dict__}}
        fields = (*cls._fields, *(name for name in added if name not in cls._fields))
        required = [name for name in fields if name not in defaults]
        if required and fields.index(required[-1]) >= len(required):
            raise TypeError(f"{cls.__qualname__}: field {required[-1]!r} follows a default")
        cls._fields = cls.__match_args__ = fields  # type: ignore[misc]  # as a dataclass's
        cls._defaults = defaults
        cls.__init__ = Frozen.__init__  # type: ignore[method-assign]  # not a parent's

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The first one built: compile this class's own __init__, then use it.
        init = _compiled_init(type(self))
        type(self).__init__ = init  # type: ignore[method-assign]
        init(self, *args, **kwargs)

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash(tuple(self.__dict__.values()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.__dict__.items())
        return f"{type(self).__qualname__}({shown})"

    def replace(self, **changes: Any) -> Self:
        """A copy with the fields named changed, as ``dataclasses.replace`` makes."""
        return type(self)(**{**self.__dict__, **changes})

    def as_dict(self) -> dict[str, Any]:
        """Every field by name, in order (not converting the values)."""
        return dict(self.__dict__)


def _is_class_var(annotation: Any) -> bool:
    if isinstance(annotation, str):
        return annotation.startswith(("ClassVar", "typing.ClassVar"))
    return annotation is ClassVar or getattr(annotation, "__origin__", None) is ClassVar


def _compiled_init(cls: type[Frozen]) -> Any:
    """An __init__ that stores each field in the instance's dict, as a hand-written one
    would: a third of the instructions of one that loops over the fields."""
    fields = cls._fields
    stores = "".join(f"    _values[{name!r}] = {name}\n" for name in fields)
    source = f"def __init__(_self, {', '.join(fields)}):\n    _values = _self.__dict__\n{stores}"
    namespace: dict[str, Any] = {}
    exec(source, namespace)  # the field names are identifiers of our own code
    init = namespace["__init__"]
    init.__defaults__ = tuple(cls._defaults[name] for name in fields if name in cls._defaults)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init
