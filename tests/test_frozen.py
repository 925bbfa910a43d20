"""The frozen-record base of results, views and Document parts: what a dataclass
would give, written once."""

import dataclasses
from typing import ClassVar

import pytest

from bonemets_cli.frozen import Frozen


class Point(Frozen):
    name: str
    refs: tuple[int, ...] = ()
    shown: bool = False
    limit: ClassVar[int] = 3


class Labelled(Point):
    label: str = ""


def test_positional_keyword_and_default_construction() -> None:
    assert repr(Point("a")) == "Point(name='a', refs=(), shown=False)"
    assert Point("a", (1,), True) == Point(name="a", shown=True, refs=(1,))
    assert Point("a").as_dict() == {"name": "a", "refs": (), "shown": False}
    assert Point.limit == 3 and "limit" not in Point("a").as_dict()


def test_a_subclass_inherits_the_fields_first() -> None:
    labelled = Labelled("a", label="x")
    assert repr(labelled) == "Labelled(name='a', refs=(), shown=False, label='x')"
    assert Labelled.__match_args__ == ("name", "refs", "shown", "label")
    assert labelled != Point("a")  # another type is never equal


def test_equal_records_hash_alike_and_replace_makes_a_copy() -> None:
    one = Point("a", (1, 2))
    assert hash(one) == hash(Point(name="a", refs=(1, 2)))
    assert {one: 1}[Point("a", (1, 2))] == 1
    assert one.replace(shown=True) == Point("a", (1, 2), True)
    assert one == Point("a", (1, 2))  # unchanged


def test_assignment_and_deletion_are_refused() -> None:
    one = Point("a")
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'name'"):
        one.name = "b"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'name'"):
        del one.name  # type: ignore[misc]
    assert one.name == "a"


def test_a_wrong_call_says_what_is_wrong() -> None:
    for call, message in [
        (lambda: Point(), "Point.__init__() missing 1 required positional argument: 'name'"),
        (
            lambda: Point("a", other=1),
            "Point.__init__() got an unexpected keyword argument 'other'",
        ),
        (lambda: Point("a", name="b"), "Point.__init__() got multiple values for argument 'name'"),
    ]:
        with pytest.raises(TypeError) as raised:
            call()
        assert str(raised.value) == message


def test_a_class_that_cannot_be_a_record_fails_as_it_is_defined() -> None:
    with pytest.raises(TypeError, match="Late: field 'name' follows a default"):

        class Late(Frozen):
            first: int = 0
            name: str

    with pytest.raises(TypeError, match="Hidden: a field's name may not start with '_'"):

        class Hidden(Frozen):
            _name: str
