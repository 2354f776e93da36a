"""The crashes production has, healed offline through the decorator.

Each function in tests/scenarios/production/buggy.py handles some traffic (recorded),
then gets the input that breaks it. The heal must go live and behave like the fixed
twin on inputs it never saw. No examples: only the recorded traffic and, for the two
wrong-result bugs, the property the user declared.
"""

from __future__ import annotations

import importlib
import types
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from selfheal import self_healing
from selfheal.models import PatchStatus
from selfheal.store import open_store
from tests.scenarios.production import buggy, fixed


@pytest.fixture
def mod() -> types.ModuleType:
    return importlib.reload(buggy)


def heal(func: Callable[..., Any], recorded: Sequence[tuple[Any, ...]], failing: tuple[Any, ...],
         properties: Sequence[Callable[..., Any]] = ()) -> Any:
    self_healing(engine="offline", properties=properties)(func)
    for args in recorded:
        func(*args)
    return func(*failing)


def agrees(func: Callable[..., Any], reference: Callable[..., Any],
           inputs: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The inputs where the live patch and the reference differ (value or type)."""
    def outcome(f: Callable[..., Any], args: tuple[Any, ...]) -> tuple[str, Any]:
        try:
            value = f(*args)
        except Exception as exc:
            return "raised", type(exc).__name__
        return type(value).__name__, value

    return [args for args in inputs if outcome(func, args) != outcome(reference, args)]


def live(store_dir: Path) -> str:
    records = open_store(store_dir).list()
    assert [r.status for r in records] == [PatchStatus.LIVE], [r.note for r in records]
    return records[0].note


def test_len_of_a_missing_list(mod: types.ModuleType, store_dir: Path) -> None:
    assert heal(mod.tag_count, [({"tags": ["a", "b"]},), ({"tags": ["x"]},)],
                ({"title": "no tags"},)) == 0
    live(store_dir)
    assert not agrees(mod.tag_count, fixed.tag_count, [
        ({},), ({"tags": None},), ({"tags": []},), ({"tags": ["p", "q", "r"]},)])


def test_a_method_on_a_none_field(mod: types.ModuleType, store_dir: Path) -> None:
    assert heal(mod.display_name, [({"nickname": " Ann ", "name": "Ann Lee"},),
                                   ({"nickname": "", "name": "Bo"},)],
                ({"nickname": None, "name": "Cy"},)) == "Cy"
    live(store_dir)
    assert not agrees(mod.display_name, fixed.display_name, [
        ({"nickname": None, "name": "Q"},), ({"nickname": "  z ", "name": "Z"},),
        ({"nickname": "   ", "name": "W"},)])


def test_str_where_bytes_were_expected(mod: types.ModuleType, store_dir: Path) -> None:
    assert heal(mod.clean, [(b"  hello \n",), (b"x",)], (" text ",)) == "text"
    live(store_dir)
    assert not agrees(mod.clean, fixed.clean, [(b" a ",), ("b  ",), ("",), (b"",)])


def test_max_of_an_empty_sequence(mod: types.ModuleType, store_dir: Path) -> None:
    assert heal(mod.depth, [([1, [2, 3]],), ([[[4]]],)], ([],)) == 1
    live(store_dir)
    assert not agrees(mod.depth, fixed.depth, [
        ([1, []],), ([[], [[]]],), (5,), ([1, [2, [3, []]]],)])


def test_a_broken_property_is_fixed_on_the_return_path_it_took(
        mod: types.ModuleType, store_dir: Path) -> None:
    def within(result: int, x: int, lo: int, hi: int) -> bool:
        return lo <= result <= hi

    assert heal(mod.clamp, [(5, 0, 10), (-3, 0, 10)], (12, 0, 10), [within]) == 10
    live(store_dir)
    assert not agrees(mod.clamp, fixed.clamp, [
        (15, 0, 10), (-1, 0, 5), (3, 1, 4), (9, 2, 7), (7, 7, 7)])


def test_a_property_that_states_the_result(mod: types.ModuleType, store_dir: Path) -> None:
    def whole_cents(result: int, amount: str) -> bool:
        return result == round(float(amount) * 100)

    assert heal(mod.cents, [("2",), ("10",)], ("3.5",), [whole_cents]) == 350
    live(store_dir)
    assert not agrees(mod.cents, fixed.cents, [("0.29",), ("19.99",), ("7",), ("1.005",)])


def test_money_in_decimal_meets_a_float(mod: types.ModuleType, store_dir: Path) -> None:
    from decimal import Decimal

    assert heal(mod.with_fee, [], ("20",), [lambda result, amount: isinstance(result, Decimal)]
                ) == Decimal("21.00")
    live(store_dir)
    assert not agrees(mod.with_fee, fixed.with_fee, [("0.10",), ("3",), ("19.99",)])


def test_a_blank_number_field(mod: types.ModuleType, store_dir: Path) -> None:
    assert heal(mod.quantity, [({"qty": "3"},), ({"qty": 5},)], ({"qty": ""},)) == 0
    live(store_dir)
    assert not agrees(mod.quantity, fixed.quantity, [({"qty": ""},), ({"qty": "7"},)])


def test_a_missing_json_body(mod: types.ModuleType, store_dir: Path) -> None:
    assert heal(mod.record_id, [('{"id": 7}',), ('{"id": 8, "x": 1}',)], (None,)) is None
    live(store_dir)
    assert not agrees(mod.record_id, fixed.record_id, [(None,), ('{"id": 3}',), ("{}",)])
