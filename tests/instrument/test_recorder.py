"""The recorder's costs stay bounded: big inputs are not copied whole, repeats of plain
calls are not copied at all, and a function whose calls keep being refused stops
sampling."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from selfheal.function import recorder as recorder_module
from selfheal.function.recorder import COPY_OBJECTS, REFUSALS, Recorder


class Node:
    """A user-defined object: its copies are counted."""

    copies = 0

    def __init__(self, children: list[Any]) -> None:
        self.children = children

    def __repr__(self) -> str:
        return f"Node({self.children!r})"

    def __deepcopy__(self, memo: dict[int, Any]) -> Node:
        Node.copies += 1
        clone = Node([])
        memo[id(self)] = clone
        clone.children = copy.deepcopy(self.children, memo)
        return clone


@pytest.fixture(autouse=True)
def _count() -> None:
    Node.copies = 0


def _record(rec: Recorder, *args: Any, result: Any = None) -> None:
    rec.finish(rec.start(args, {}), result)


def test_small_distinct_calls_are_recorded_with_their_results() -> None:
    rec = Recorder(max_calls=4, max_bytes=100_000)
    for i in range(3):
        _record(rec, i, [i, i + 1], result=i * 2)
    assert [c.result for c in rec.calls()] == [0, 2, 4]
    assert [c.call.args for c in rec.calls()] == [(0, [0, 1]), (1, [1, 2]), (2, [2, 3])]


def test_inputs_are_copied_before_the_body_can_change_them() -> None:
    rec = Recorder(max_calls=4, max_bytes=100_000)
    items = [1, 2]
    token = rec.start((items,), {})
    items.append(3)  # the body mutates its argument
    rec.finish(token, None)
    assert rec.calls()[0].call.args == ([1, 2],)


def test_a_repeated_plain_call_is_not_copied_again(monkeypatch: pytest.MonkeyPatch) -> None:
    copies: list[object] = []
    real = recorder_module.bounded_copy

    def counting(value: Any, limit: int = COPY_OBJECTS) -> Any:
        copies.append(value)
        return real(value, limit)

    monkeypatch.setattr(recorder_module, "bounded_copy", counting)
    rec = Recorder(max_calls=4, max_bytes=100_000)
    _record(rec, "a", {"k": (1, 2.5, None)}, result=1)
    first = len(copies)
    for _ in range(5):
        assert rec.start(("a", {"k": (1, 2.5, None)}), {}) is None
    assert len(copies) == first  # the key came from the plain originals
    assert len(rec.calls()) == 1


def test_a_repeated_call_with_objects_is_keyed_on_the_copies() -> None:
    # Objects may have a __repr__ with effects: their key is read from the copies, so
    # each start copies (and the duplicate is dropped afterwards).
    rec = Recorder(max_calls=4, max_bytes=100_000)
    _record(rec, Node([]))
    assert rec.start((Node([]),), {}) is None
    assert Node.copies == 2
    assert len(rec.calls()) == 1


def test_a_copy_past_the_object_limit_is_abandoned_part_way() -> None:
    rec = Recorder(max_calls=4, max_bytes=10_000_000)
    big = Node([Node([]) for _ in range(COPY_OBJECTS * 5)])
    assert rec.start((big,), {}) is None
    # It stopped at the limit (a node costs a few memo entries) instead of copying all.
    assert 0 < Node.copies <= COPY_OBJECTS < COPY_OBJECTS * 5
    assert rec.calls() == ()


def test_a_big_result_is_not_recorded() -> None:
    rec = Recorder(max_calls=4, max_bytes=10_000_000)
    token = rec.start((1,), {})
    rec.finish(token, [[i] for i in range(COPY_OBJECTS * 2)])
    assert rec.calls() == ()


def test_sampling_ends_after_repeated_refusals() -> None:
    rec = Recorder(max_calls=16, max_bytes=10_000_000)
    big = Node([Node([]) for _ in range(COPY_OBJECTS * 2)])
    for _ in range(REFUSALS - 1):
        rec.start((big,), {})
    assert not rec.full
    rec.start((big,), {})
    assert rec.full  # the function goes lean: its calls cost no more copies
    before = Node.copies
    assert rec.start((big,), {}) is None
    assert Node.copies == before


def test_calls_over_the_byte_budget_count_as_refused() -> None:
    rec = Recorder(max_calls=16, max_bytes=50)
    for i in range(REFUSALS):
        _record(rec, "x" * 200 + str(i))
    assert rec.calls() == ()
    assert rec.full


def test_clear_forgets_refusals() -> None:
    rec = Recorder(max_calls=16, max_bytes=50)
    for i in range(REFUSALS):
        _record(rec, "x" * 200 + str(i))
    rec.clear()
    assert not rec.full
