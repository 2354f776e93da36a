"""Sampled recording of successful calls, the evidence for differential verification.

Owns a bounded buffer per function (distinct calls, bytes) and a process-wide byte
budget. Inputs are copied when the call starts (before the body can mutate them) and
the result when it returns; anything that cannot be copied is skipped, never shared.
The program's objects are only ever read through the copy protocol: everything else
(the `repr` that deduplicates calls) runs on the copies, and calls the copying itself
makes into instrumented code are not recorded.
It must not decide when recording is switched on (the decorator does) and must never
raise into the user's call.
"""

from __future__ import annotations

import contextlib
import copy
import os
import pickle
import reprlib
import threading
import time
from collections.abc import Mapping
from typing import Any

from selfheal.models import Call, RecordedCall
from selfheal.scrub import safe_repr

PROCESS_BYTES = 32 * 1024 * 1024  # all recorders together
_process_lock = threading.Lock()
_process_used = 0
# Set while this thread copies a call. Copying runs the program's own code (`__repr__`,
# `__deepcopy__`, `__reduce_ex__`, `__setstate__`), and when that code calls an
# instrumented function, recording that call would copy again, without end (a cache
# whose `__setstate__` calls its own `expire()` recursed until the stack ran out).
_copying = threading.local()


def _key_repr() -> reprlib.Repr:
    # The limits of the scrubber's repr (which decides what counts as the same call),
    # without its redaction: the key never leaves this process and is never shown, and
    # redacting every recorded call's inputs cost more than copying them.
    limits = reprlib.Repr()
    limits.maxstring = limits.maxother = 120
    limits.maxlist = limits.maxtuple = limits.maxset = limits.maxdict = 12
    limits.maxfrozenset = limits.maxdeque = limits.maxarray = 12
    limits.maxlevel = 3
    return limits


_KEY_REPR = _key_repr()
_KEY_LIMIT = 2000


# A copy that would hold more objects than this is abandoned half-way: inputs that large
# would not fit a function's byte budget anyway, and deep-copying a big object graph on
# every sampled call made a library's test suite several times slower.
COPY_OBJECTS = 1000
# After this many calls whose inputs could not be kept (too large, not copyable), a
# function's sampling stops paying for copies that keep failing.
REFUSALS = 8
_PLAIN_ATOMS = (type(None), bool, int, float, complex, str, bytes)
_PLAIN_ITEMS = 64


class _TooLarge(Exception):
    """Raised inside `copy.deepcopy` when the copy has grown past its limit."""


class _BoundedMemo(dict[int, Any]):
    """A deepcopy memo that stops the copy once it holds `limit` copied objects.

    `copy.deepcopy` stores every copied object (not the atoms it shares) in its memo, so
    counting the stores counts the copy's size while it is made.
    """

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.left = limit

    def __setitem__(self, key: int, value: Any) -> None:
        self.left -= 1
        if self.left < 0:
            raise _TooLarge
        super().__setitem__(key, value)


def bounded_copy(value: Any, limit: int = COPY_OBJECTS) -> Any:
    """A deep copy of `value`; raises `_TooLarge` past `limit` copied objects."""
    return copy.deepcopy(value, _BoundedMemo(limit))


def _plain(value: Any, budget: list[int]) -> bool:
    """Built-in values only (their `repr` runs none of the program's code), not too many."""
    budget[0] -= 1
    if budget[0] < 0:
        return False
    kind = type(value)
    if kind in _PLAIN_ATOMS:
        return True
    if kind is tuple or kind is list or kind is frozenset or kind is set:
        return all(_plain(v, budget) for v in value)
    if kind is dict:
        return all(_plain(k, budget) and _plain(v, budget) for k, v in value.items())
    return False


def plain_key(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> str | None:
    """The call's key from the inputs themselves when that is safe; None otherwise."""
    budget = [_PLAIN_ITEMS]
    if _plain(args, budget) and all(_plain(v, budget) for v in kwargs.values()):
        return call_key(args, kwargs)
    return None


def call_key(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> str | None:
    """What tells two recorded calls apart; None when the inputs cannot be shown."""
    try:
        return _KEY_REPR.repr((args, dict(kwargs)))[:_KEY_LIMIT]
    except Exception:
        return None


class _NotWhileCopying:
    """Marks this thread as copying; callers check `copying()` before entering."""

    def __enter__(self) -> None:
        _copying.active = True

    def __exit__(self, *exc_info: object) -> None:
        _copying.active = False


def copying() -> bool:
    """Is this thread copying a call for a recorder right now?"""
    return bool(getattr(_copying, "active", False))


def _size(value: Any) -> int:
    try:
        return len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:
        return len(safe_repr(value, 10_000)) * 2


def _reserve(nbytes: int) -> bool:
    global _process_used
    with _process_lock:
        if _process_used + nbytes > PROCESS_BYTES:
            return False
        _process_used += nbytes
        return True


def _release(nbytes: int) -> None:
    global _process_used
    with _process_lock:
        _process_used = max(0, _process_used - nbytes)


class Recorder:
    """Keeps up to `max_calls` distinct successful calls, within `max_bytes`."""

    def __init__(self, max_calls: int, max_bytes: int) -> None:
        self.max_calls = max_calls
        self.max_bytes = max_bytes
        self._calls: list[RecordedCall] = []
        self._keys: set[str] = set()
        self._bytes = 0
        self._seen = 0
        self._refused = 0  # calls whose inputs or result could not be kept
        self._slowest = 0.0  # the slowest recorded call, seconds (a live patch's budget)
        self._lock = threading.Lock()

    @property
    def full(self) -> bool:
        # Stop after enough distinct calls, or when calls keep repeating (a hot loop on
        # one input should not keep the slow, recording code in place for ever).
        # Also stop when calls keep being refused (too large to keep, not copyable).
        return (
            len(self._calls) >= self.max_calls
            or self._seen >= 20 * max(self.max_calls, 1)
            or self._refused >= REFUSALS
        )

    def calls(self) -> tuple[RecordedCall, ...]:
        with self._lock:
            return tuple(self._calls)

    def start(self, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> Any:
        """Copy the inputs before the body runs; None when they cannot be copied."""
        if self.full or copying():
            return None
        self._seen += 1
        # A call seen before costs no copy when its inputs are plain built-in values, whose
        # key can be read from the originals without running the program's code.
        early = plain_key(args, kwargs)
        if early is not None and early in self._keys:
            return None
        with _NotWhileCopying():
            try:
                args_copy, kwargs_copy = bounded_copy((args, dict(kwargs)))
                # The key is the copies' repr, never the originals': a `__repr__` may have
                # effects (a cache's reads its clock, and a ticking clock expires entries).
                key = early if early is not None else call_key(args_copy, kwargs_copy)
                if key is None or key in self._keys:
                    return None
                return (key, args_copy, kwargs_copy, time.perf_counter())
            except Exception:
                self._refused += 1
                return None

    def finish(self, token: Any, result: Any) -> None:
        if token is None:
            return
        if copying():
            return
        key, args, kwargs, started = token
        # Copying the inputs is not the function's time; the measure errs on the long side.
        elapsed = time.perf_counter() - started
        with _NotWhileCopying():
            try:
                result_copy = bounded_copy(result)
                nbytes = _size((args, kwargs, result_copy))
            except Exception:
                self._refused += 1
                return
        with self._lock:
            if key in self._keys or len(self._calls) >= self.max_calls:
                return
            if self._bytes + nbytes > self.max_bytes or not _reserve(nbytes):
                self._refused += 1
                return
            self._keys.add(key)
            self._bytes += nbytes
            self._slowest = max(self._slowest, elapsed)
            self._calls.append(RecordedCall(call=Call(args, kwargs), result=result_copy))

    @property
    def slowest_s(self) -> float:
        """The slowest of the recorded calls, in seconds (0.0: none recorded)."""
        return self._slowest

    def reset_lock(self) -> None:
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            _release(self._bytes)
            self._calls.clear()
            self._keys.clear()
            self._bytes = 0
            self._seen = 0
            self._refused = 0

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # interpreter shutdown
            _release(self._bytes)


def _reset_process_lock() -> None:
    # In a forked child: another thread may have held the process-wide lock at fork time.
    global _process_lock
    _process_lock = threading.Lock()


def process_bytes_used() -> int:
    return _process_used


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_process_lock)
