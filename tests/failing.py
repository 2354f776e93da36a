"""Calling a function the way a program that does not expect its exception does.

`pytest.raises` is an expectation: selfheal leaves an exception raised under it alone
(the program has a path for it). Tests that want selfheal to treat an exception as a
failure call through a catch-all instead, as a web framework's error boundary or a job
runner does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

E = TypeVar("E", bound=BaseException)


def _checked(expected: type[E], exc: BaseException) -> E:
    assert isinstance(exc, expected), f"expected {expected.__name__}, got {exc!r}"
    return exc


def raised(expected: type[E], func: Callable[..., Any], *args: Any, **kwargs: Any) -> E:
    """The exception `func(*args, **kwargs)` raised, caught by a catch-all; it must be
    an `expected`. Called directly (no lambda), so the traceback has no extra frame."""
    try:
        result = func(*args, **kwargs)
    except Exception as exc:  # the catch-all under which a failure is healed
        return _checked(expected, exc)
    raise AssertionError(f"returned {result!r} instead of raising {expected.__name__}")


async def araised(
    expected: type[E], func: Callable[..., Awaitable[Any]], *args: Any, **kwargs: Any
) -> E:
    """The exception awaiting `func(*args, **kwargs)` raised, caught by a catch-all."""
    try:
        result = await func(*args, **kwargs)
    except Exception as exc:
        return _checked(expected, exc)
    raise AssertionError(f"returned {result!r} instead of raising {expected.__name__}")
