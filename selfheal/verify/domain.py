"""The input domain of generated inputs: what the hypothesis layer may draw.

Generated inputs are evidence about the original function only where the original is
trusted, and it is trusted only near the inputs someone actually used: a buggy loop
that "handles" n = 10**18 by returning after one step says nothing about what the
function should do there, and a right fix that takes a while on it is not wrong. So
the strategies drawn from the type hints are bounded by the inputs the plan shows
(recorded calls, examples, the failing call): integers and floats within a few times
the largest magnitude seen (and non-negative when every value seen was), strings,
bytes and collections a few times the longest seen, text from the characters people
type when every string seen was ASCII. Types the hints name but no rule here knows
fall back to Hypothesis's own `from_type`.

This module owns those strategies; it must not run the function under repair (it only
reads the plan's inputs, which are data).
"""

from __future__ import annotations

import collections.abc
import inspect
import math
import string
import types
import typing
from collections.abc import Iterable, Sequence
from typing import Any

from selfheal.models import Call
from selfheal.verify.describe import describe_exc

__all__ = ["observed_values", "strategy_for"]

# With nothing seen for a parameter, generated values stay this small: big enough to
# reach the interesting branches of ordinary code, small enough for any fix to finish.
_DEFAULT_MAGNITUDE = 100
_DEFAULT_LENGTH = 8
_MIN_MAGNITUDE = 20
_MIN_LENGTH = 5
_TYPED = string.ascii_letters + string.digits + string.punctuation + " "


def observed_values(function: types.FunctionType, calls: Iterable[Call]) -> dict[str, list[Any]]:
    """Parameter name -> the values the given calls pass for it (calls that do not bind
    to the signature are left out)."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return {}
    seen: dict[str, list[Any]] = {}
    for call in calls:
        try:
            bound = signature.bind(*call.args, **dict(call.kwargs))
        except TypeError:
            continue
        for name, value in bound.arguments.items():
            seen.setdefault(name, []).append(value)
    return seen


def strategy_for(function: types.FunctionType, seen: dict[str, list[Any]]) -> tuple[Any, str]:
    """A strategy drawing keyword arguments for `function`, or (None, why not)."""
    code = function.__code__
    if code.co_flags & 0x0C:
        return None, "no hypothesis inputs: the function takes *args or **kwargs"
    names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
    if not names:
        return None, "no hypothesis inputs: the function takes no parameters"
    if code.co_posonlyargcount:
        return None, "no hypothesis inputs: positional-only parameters"
    try:
        hints = typing.get_type_hints(function)
    except Exception as exc:
        return None, f"no hypothesis inputs: type hints do not resolve ({describe_exc(exc)})"
    missing = [n for n in names if n not in hints]
    if missing:
        return None, f"no hypothesis inputs: parameter {missing[0]!r} has no type hint"
    # start-up: Hypothesis costs ~60 ms to import; only generated inputs need it
    from hypothesis import strategies as st

    try:
        return st.fixed_dictionaries(
            {n: _bounded(hints[n], seen.get(n, []), 0) for n in names}
        ), ""
    except Exception as exc:
        return None, f"no hypothesis inputs: {describe_exc(exc)}"


def _magnitude(values: Sequence[Any]) -> tuple[int, bool]:
    """(bound on |x|, every value seen was >= 0) for the numbers among `values`."""
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    finite = [abs(v) for v in numbers if math.isfinite(v)]
    if not finite:
        return _DEFAULT_MAGNITUDE, False
    bound = max(_MIN_MAGNITUDE, 4 * int(min(max(finite), 10**9)) + 1)
    return bound, all(v >= 0 for v in numbers)


def _length(values: Sequence[Any]) -> int:
    sizes = [len(v) for v in values if isinstance(v, collections.abc.Sized)]
    if not sizes:
        return _DEFAULT_LENGTH
    return max(_MIN_LENGTH, 2 * min(max(sizes), 1000))


def _elements(values: Sequence[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if isinstance(value, (list, tuple, set, frozenset)):
            out.extend(value)
    return out


def _bounded(hint: Any, seen: Sequence[Any], depth: int) -> Any:
    # as above
    from hypothesis import strategies as st

    if depth > 4:
        return st.from_type(hint)
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is type(None) or hint is None:
        return st.none()
    if hint is bool:
        return st.booleans()
    if hint is int:
        bound, natural = _magnitude(seen)
        return st.integers(0 if natural else -bound, bound)
    if hint is float:
        bound, natural = _magnitude(seen)
        return st.floats(0.0 if natural else -float(bound), float(bound),
                         allow_nan=False, allow_infinity=False)
    if hint is str:
        strings = [v for v in seen if isinstance(v, str)]
        size = _length(strings)
        if all(s.isascii() for s in strings):
            return st.text(alphabet=_TYPED, max_size=size)
        return st.text(max_size=size)
    if hint is bytes:
        return st.binary(max_size=_length([v for v in seen if isinstance(v, bytes)]))
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(_bounded(a, seen, depth + 1) for a in args))
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin in (list, collections.abc.Sequence, collections.abc.Iterable,
                  collections.abc.MutableSequence) and len(args) == 1:
        return st.lists(_bounded(args[0], _elements(seen), depth + 1), max_size=_length(seen))
    if origin in (set, collections.abc.Set, collections.abc.MutableSet) and len(args) == 1:
        return st.sets(_bounded(args[0], _elements(seen), depth + 1), max_size=_length(seen))
    if origin is frozenset and len(args) == 1:
        return st.frozensets(_bounded(args[0], _elements(seen), depth + 1),
                             max_size=_length(seen))
    if origin is tuple and args:
        if len(args) == 2 and args[1] is Ellipsis:
            return st.lists(_bounded(args[0], _elements(seen), depth + 1),
                            max_size=_length(seen)).map(tuple)
        columns = [[v[i] for v in seen if isinstance(v, tuple) and len(v) == len(args)]
                   for i in range(len(args))]
        return st.tuples(*(_bounded(a, c, depth + 1) for a, c in zip(args, columns,
                                                                        strict=True)))
    if origin in (dict, collections.abc.Mapping, collections.abc.MutableMapping) and (
            len(args) == 2):
        mappings = [v for v in seen if isinstance(v, dict)]
        keys = [k for m in mappings for k in m]
        values = [x for m in mappings for x in m.values()]
        return st.dictionaries(_bounded(args[0], keys, depth + 1),
                               _bounded(args[1], values, depth + 1), max_size=_length(mappings))
    return st.from_type(hint)
