"""What counts as the same result, judged without trusting the result.

Owns `same_result` (the equality every layer of verification uses) and `is_plain` (is a
value built only of exact builtin types?). Both are pure functions; they must not know
about the sandbox. The worker decides where they run: a value that is not plain may
carry code of the candidate (an object whose `__eq__` the candidate wrote, a key whose
`__hash__` it wrote), so the worker compares and describes such values only with its
audit hook, tracer and timer on (`sandbox._Worker.judge`).

Why exact types: `==` between an `int` and an `int` subclass calls the subclass's
reflected `__eq__` first, so a subclass that says "equal" to everything passes every
example. Here a subclass is another type: `same_result(1, IntSubclass(1))` is False
without a single method of the subclass being called. Plain values (exact `int`, `str`,
`list`, `dict` ... all the way down) are compared and described by code that calls no
method of anyone's.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

from selfheal.scrub import safe_repr

__all__ = ["is_plain", "same_result"]

# Exact types whose comparison and repr run no user code (Fraction's are the stdlib's).
_SCALARS: frozenset[type] = frozenset(
    {int, float, complex, str, bytes, bool, type(None), Decimal, Fraction, range,
     type(Ellipsis), type(NotImplemented)}
)
_SEQUENCES: frozenset[type] = frozenset({list, tuple, set, frozenset})
# A user's example may say `3` where the function returns `3.0`: numbers of different
# exact types are compared by value in the examples layer (never bool: True is not 1).
_NUMBERS: frozenset[type] = frozenset({int, float, complex, Decimal, Fraction})
_PLAIN_BUDGET = 100_000  # nodes looked at before a value counts as not plain
_DEPTH = 50
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def is_plain(value: Any, budget: int = _PLAIN_BUDGET) -> bool:
    """Is `value` made only of exact builtin scalars, lists, tuples, sets and dicts?

    Then comparing, hashing and describing it runs no code anyone could have written.
    Cycles and values larger than `budget` nodes count as not plain."""
    if type(value) in _SCALARS:
        return True
    stack = [value]
    seen: set[int] = set()
    while stack:
        budget -= 1
        if budget < 0:
            return False
        item = stack.pop()
        kind = type(item)
        if kind in _SCALARS:
            continue
        if id(item) in seen:
            return False
        seen.add(id(item))
        if kind in _SEQUENCES:
            stack.extend(item)
        elif kind is dict:
            stack.extend(item.keys())
            stack.extend(item.values())
        else:
            return False
    return True


def _nan(value: Any) -> bool:
    return type(value) is float and math.isnan(value)


def same_result(expected: Any, actual: Any, strict_type: bool = True, _depth: int = 0) -> bool:
    """Is `actual` the same result as `expected`?

    The exact types must match (a subclass is another type), except that with
    `strict_type=False` numbers of two exact builtin types compare by value (`3.0` and
    `3` in a user's example). NaN equals NaN, also inside lists, tuples and dicts.
    Objects of a class without `__eq__` (identity equality, so a copy never equals) are
    compared by their attributes, or by repr with addresses removed. Anything not plain
    is compared with its own `==`: run this where that is safe (see the module doc).
    """
    if expected is actual:
        return True
    kind = type(expected)
    if kind is not type(actual):
        if strict_type or kind not in _NUMBERS or type(actual) not in _NUMBERS:
            return False
        return bool(expected == actual)
    if kind is float:
        return (math.isnan(expected) and math.isnan(actual)) or expected == actual
    if kind in _SCALARS:
        return bool(expected == actual)
    if _depth >= _DEPTH:
        return _equal(expected, actual)
    if kind is list or kind is tuple:
        return len(expected) == len(actual) and all(
            same_result(e, a, strict_type, _depth + 1)
            for e, a in zip(expected, actual, strict=True))
    if kind is dict:
        if len(expected) != len(actual):
            return False
        if not (all(type(k) in _SCALARS and not _nan(k) for k in expected)
                and all(type(k) in _SCALARS and not _nan(k) for k in actual)):
            return _equal(expected, actual)
        if expected.keys() != actual.keys():
            return False
        return all(same_result(expected[k], actual[k], strict_type, _depth + 1)
                   for k in expected)
    if kind in (set, frozenset) and not (is_plain(expected) and is_plain(actual)):
        return _equal(expected, actual)
    try:
        if _equal(expected, actual):
            return True
    except Exception:
        return False
    if getattr(kind, "__eq__", None) is object.__eq__:
        left, right = getattr(expected, "__dict__", None), getattr(actual, "__dict__", None)
        if type(left) is dict and type(right) is dict:
            return same_result(left, right, strict_type, _depth + 1)
        slots = [s for k in kind.__mro__ for s in getattr(k, "__slots__", ())]
        if slots:
            return all(same_result(getattr(expected, s, None), getattr(actual, s, None),
                                   strict_type, _depth + 1) for s in slots)
        return _ADDRESS.sub("", safe_repr(expected, 2000)) == _ADDRESS.sub(
            "", safe_repr(actual, 2000))
    return False


def _equal(expected: Any, actual: Any) -> bool:
    """`==`, also for array-like results whose `==` is element-wise (NumPy, pandas)."""
    try:
        equals = getattr(type(expected), "equals", None)
        if callable(equals) and type(expected).__module__.startswith("pandas"):
            return bool(equals(expected, actual))
        result = expected == actual
        if type(result) is bool:
            return result
        reduce_all = getattr(result, "all", None)
        if callable(reduce_all):
            shape = getattr(expected, "shape", None)
            if shape is not None and shape != getattr(actual, "shape", None):
                return False
            return bool(reduce_all())
        return bool(result)
    except Exception:
        return False
