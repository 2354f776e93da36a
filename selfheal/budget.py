"""Budgets: what one heal may spend, and the limits that outlive one heal.

Owns `Budget` (seconds, candidates and tokens for one healing attempt) and process-wide
counters that decide whether a heal may start (attempts per failure
fingerprint per time window), whether an engine may be asked (a circuit breaker per
engine that keeps failing), and how many LLM tokens the process may still spend. Each
refusal comes with a reason that ends up in the record and the note. It must not run
stages; the pipeline consults it. All state is reset in a forked child.

Every table here is bounded: the attempt limiter keeps the most recently seen
`max_tracked_failures` fingerprints (a process that meets a hundred thousand distinct
failures must not keep a hundred thousand counters); circuits are per engine.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from selfheal.errors import ConfigurationError

DEFAULT_TRACKED = 4_096


@dataclass(frozen=True)
class Budget:
    """Limits for one healing attempt; None means no limit of that kind."""

    seconds: float | None = 10.0
    candidates: int | None = 500
    tokens: int | None = None

    @classmethod
    def coerce(cls, value: Budget | float | int | dict[str, Any] | None) -> Budget:
        if value is None:
            return cls()
        if isinstance(value, Budget):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return cls(seconds=float(value))
        if isinstance(value, dict):
            return cls(**value)
        raise ConfigurationError(
            f"budget: {value!r} is not a budget; pass seconds (10.0), "
            "a dict like {'seconds': 10, 'candidates': 200, 'tokens': 50000}, or Budget(...)"
        )


class AttemptLimiter:
    """At most `limit` heals per key within any `window_s` seconds.

    Keeps the `capacity` most recently seen keys; a key forgotten that way starts
    afresh if it fails again.
    """

    def __init__(self, capacity: int = DEFAULT_TRACKED) -> None:
        self._lock = threading.Lock()
        # A plain list per key: a handful of floats, where a deque costs 600 bytes.
        self._starts: OrderedDict[str, list[float]] = OrderedDict()
        self.capacity = capacity

    def __len__(self) -> int:
        with self._lock:
            return len(self._starts)

    def try_start(
        self, key: str, limit: int, window_s: float, capacity: int | None = None
    ) -> str | None:
        """Count an attempt; None if allowed, else why not."""
        now = time.monotonic()
        with self._lock:
            if capacity is not None:
                self.capacity = capacity
            starts = self._starts.get(key)
            if starts is None:
                starts = self._starts[key] = []
            else:
                self._starts.move_to_end(key)
            while len(self._starts) > self.capacity:
                self._starts.popitem(last=False)
            starts[:] = [t for t in starts if now - t <= window_s]
            if len(starts) >= limit:
                retry_in = window_s - (now - starts[0])
                return (
                    f"attempt budget spent: {limit} heals of this failure in {window_s:g}s; "
                    f"next attempt allowed in {retry_in:.0f}s"
                )
            starts.append(now)
            return None

    def reset(self) -> None:
        with self._lock:
            self._starts.clear()


@dataclass
class _Circuit:
    failures: int = 0
    opened_at: float | None = None
    probing: bool = False


class CircuitBreaker:
    """Stops asking an engine that keeps failing; lets one probe through after a cooldown.

    closed -> (failures >= threshold) -> open -> (cooldown passed) -> half-open: one
    request; success closes, failure opens again.
    """

    def __init__(self, threshold: int = 3, cooldown_s: float = 60.0) -> None:
        self.threshold = threshold
        self.cooldown_s = cooldown_s
        self._lock = threading.Lock()
        self._circuits: dict[str, _Circuit] = {}

    def allow(self, engine: str) -> str | None:
        """None if the engine may be asked now, else why not."""
        now = time.monotonic()
        with self._lock:
            circuit = self._circuits.setdefault(engine, _Circuit())
            if circuit.opened_at is None:
                return None
            if circuit.probing:
                return f"engine {engine}: circuit open (a probe request is in flight)"
            waited = now - circuit.opened_at
            if waited < self.cooldown_s:
                return (
                    f"engine {engine}: circuit open after {circuit.failures} failures; "
                    f"retrying in {self.cooldown_s - waited:.0f}s"
                )
            circuit.probing = True  # half-open: this caller is the probe
            return None

    def success(self, engine: str) -> None:
        with self._lock:
            self._circuits[engine] = _Circuit()

    def failure(self, engine: str) -> None:
        with self._lock:
            circuit = self._circuits.setdefault(engine, _Circuit())
            circuit.failures += 1
            if circuit.probing or circuit.failures >= self.threshold:
                circuit.opened_at = time.monotonic()
            circuit.probing = False

    def state(self, engine: str) -> str:
        with self._lock:
            circuit = self._circuits.get(engine)
            if circuit is None or circuit.opened_at is None:
                return "closed"
            return "half-open" if circuit.probing else "open"

    def reset(self) -> None:
        with self._lock:
            self._circuits.clear()


class TokenBudget:
    """LLM tokens the whole process may spend, across heals."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.spent = 0

    def remaining(self, total: int) -> int:
        with self._lock:
            return max(0, total - self.spent)

    def spend(self, tokens: int) -> None:
        with self._lock:
            self.spent += max(0, tokens)

    def reset(self) -> None:
        with self._lock:
            self.spent = 0


attempts = AttemptLimiter()
circuits = CircuitBreaker()
tokens = TokenBudget()


def reset_all() -> None:
    attempts.reset()
    circuits.reset()
    tokens.reset()

if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=reset_all)
