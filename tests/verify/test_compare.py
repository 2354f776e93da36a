"""Results are compared with exact types, and plain values without calling any method."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from selfheal.verify.compare import is_plain, same_result


class Spy:
    """Counts calls of the methods a comparison or a description could reach."""

    calls: list[str] = []


def _spy(name: str, value: Any) -> Any:
    def method(self: Any, *args: Any) -> Any:
        Spy.calls.append(name)
        return value

    return method


class AlwaysEqualInt(int):
    __eq__ = _spy("__eq__", True)  # type: ignore[assignment]
    __ne__ = _spy("__ne__", False)  # type: ignore[assignment]
    __hash__ = int.__hash__


class AlwaysEqualFloat(float):
    __eq__ = _spy("__eq__", True)  # type: ignore[assignment]
    __hash__ = float.__hash__


def test_a_subclass_is_another_type_and_its_eq_never_runs() -> None:
    Spy.calls.clear()
    assert not same_result(1, AlwaysEqualInt(0))
    assert not same_result(1.0, AlwaysEqualFloat(0.0), strict_type=False)
    assert not same_result([1, 2], [1, AlwaysEqualInt(9)])
    assert not same_result({"a": 1}, {"a": AlwaysEqualInt(7)})
    assert not same_result((1,), (AlwaysEqualInt(3),), strict_type=False)
    assert Spy.calls == []


def test_bool_is_not_an_int_even_in_an_example() -> None:
    assert not same_result(1, True, strict_type=False)
    assert not same_result(0, False, strict_type=False)


def test_numbers_of_exact_builtin_types_compare_by_value_in_examples() -> None:
    assert same_result(3, 3.0, strict_type=False)
    assert same_result(Decimal("1.5"), 1.5, strict_type=False)
    assert same_result(Fraction(1, 2), 0.5, strict_type=False)
    assert not same_result(3, 3.0)  # recorded calls: the original's own type


def test_nan_equals_nan_inside_containers() -> None:
    nan = float("nan")
    assert same_result([nan, {"x": nan}], [float("nan"), {"x": float("nan")}])


def test_hostile_keys_leave_the_plain_path() -> None:
    class Key:
        def __hash__(self) -> int:
            Spy.calls.append("__hash__")
            return 1

        def __eq__(self, other: object) -> bool:
            Spy.calls.append("__eq__")
            return True

    hostile = {Key(): 1}
    Spy.calls.clear()
    # not plain: the worker compares it only with its audit hook on
    assert not is_plain(hostile)
    assert not is_plain([1, (2, hostile)])
    assert Spy.calls == []


def test_plain_values() -> None:
    assert is_plain([1, "a", (2.0, None), {"k": {b"x", frozenset({1})}}, Decimal(1), range(3)])
    assert not is_plain([1, AlwaysEqualInt(2)])
    assert not is_plain({"k": object()})
    loop: list[Any] = []
    loop.append(loop)
    assert not is_plain(loop)  # a cycle is never plain (and never walked for ever)
    assert not is_plain(list(range(200_000)))  # past the budget


def test_objects_without_eq_compare_by_their_attributes() -> None:
    class Point:
        def __init__(self, x: int) -> None:
            self.x = x

    assert same_result(Point(1), Point(1))
    assert not same_result(Point(1), Point(2))
