"""Single-flight heals: one heal per failure at a time, however many callers hit it.

Owns the table of heals in flight (keyed by a failure key), the heal threads, the
process-wide limit on concurrent heals, and resetting all of that in a forked child.
The first caller of a key leads: its heal runs in a daemon thread (so a heal that
hangs never keeps the process from exiting, and an async caller's event loop keeps
running); the leader waits for it up to the heal budget. Later callers of the same key
wait for the same result up to `wait_s`, or fall back at once, as configured.

It must not know the stages: it runs a `work` callable and hands its Decision around.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from selfheal import budget
from selfheal.config import get_settings

log = logging.getLogger("selfheal")

CAPTURE_WAIT_S = 2.0  # how long a caller that does not wait still waits for the capture



Work = Callable[[Callable[[], None]], Any]  # work(captured) -> Decision


def _me() -> tuple[threading.Thread, asyncio.Task[Any] | None]:
    """Who is calling: the thread, and the asyncio task when one is running in it.

    Many tasks share one thread, so the thread alone cannot tell a task that re-enters
    its own heal (it must not wait on itself) from another task (it should wait). The
    objects, not their ids: a flight outlives its leader when the leader stops waiting,
    and a new task (or thread) is often put at the address of the one that ended; the
    flight's reference keeps that from happening to its leader.
    """
    try:
        task = asyncio.current_task()
    except RuntimeError:
        task = None
    return threading.current_thread(), task


def _is_me(owner: tuple[threading.Thread, asyncio.Task[Any] | None]) -> bool:
    thread, task = _me()
    return owner[0] is thread and owner[1] is task


@dataclass
class Flight:
    key: str
    owner: tuple[threading.Thread, asyncio.Task[Any] | None]  # the caller that leads it
    future: concurrent.futures.Future[Any] = field(default_factory=concurrent.futures.Future)
    captured: threading.Event = field(default_factory=threading.Event)


class _Table:
    def __init__(self, limit: int = 4) -> None:
        self.lock = threading.Lock()
        self.flights: dict[str, Flight] = {}
        self.limit = limit
        self.running = 0

    def join(self, key: str) -> tuple[Flight, bool]:
        with self.lock:
            flight = self.flights.get(key)
            if flight is not None:
                return flight, False
            flight = Flight(key=key, owner=_me())
            self.flights[key] = flight
            return flight, True

    def take_slot(self, limit: int) -> bool:
        with self.lock:
            if self.running >= limit:
                return False
            self.running += 1
            return True

    def done(self, flight: Flight, slot: bool) -> None:
        with self.lock:
            if self.flights.get(flight.key) is flight:
                del self.flights[flight.key]
            if slot:
                self.running -= 1


_table = _Table()


@dataclass(frozen=True)
class Policy:
    """How callers behave while a heal runs (from the effective settings)."""

    while_healing: str = "wait"  # "wait" | "fallback"
    wait_s: float = 10.0
    background: bool = False
    budget_s: float = 10.0
    max_concurrent: int = 4
    attempts: int = 3
    window_s: float = 300.0
    max_tracked: int | None = None  # failures the attempt limiter keeps; None: the setting


def _tracked(policy: Policy) -> int:
    if policy.max_tracked is not None:
        return policy.max_tracked
    try:
        return get_settings().max_tracked_failures
    except Exception:  # bad settings are reported where they are loaded, not here
        return budget.DEFAULT_TRACKED


def _finish(flight: Flight, result: Any, slot: bool) -> None:
    flight.captured.set()
    _table.done(flight, slot)
    if not flight.future.done():
        flight.future.set_result(result)


def _thread_main(flight: Flight, work: Work, fallback: Callable[[str], Any]) -> None:
    try:
        result = work(flight.captured.set)
    except BaseException as exc:  # a heal thread must always settle its flight
        log.exception("selfheal: a heal failed inside selfheal")
        result = fallback(f"selfheal failed internally ({type(exc).__name__}); see the log")
    _finish(flight, result, slot=True)


def _start(
    key: str, work: Work, policy: Policy, fallback: Callable[[str], Any]
) -> tuple[Flight | None, Any]:
    """Join or lead the flight for `key`: (flight to wait for, or None and a decision now)."""
    flight, leader = _table.join(key)
    if not leader:
        if _is_me(flight.owner):
            return None, fallback("the function re-entered its own heal; not waiting on itself")
        if policy.while_healing == "fallback":
            return None, fallback("a heal of this failure is in progress; fell back at once")
        return flight, None
    refused = budget.attempts.try_start(key, policy.attempts, policy.window_s,
                                        _tracked(policy))
    if refused is None and not _table.take_slot(policy.max_concurrent):
        refused = f"{policy.max_concurrent} heals already running; fell back at once"
    if refused is not None:
        result = fallback(refused)
        _finish(flight, result, slot=False)
        return None, result
    flight.future.set_running_or_notify_cancel()
    thread = threading.Thread(
        target=_thread_main,
        args=(flight, work, fallback),
        name=f"selfheal-heal-{key[:12]}",
        daemon=True,
    )
    thread.start()
    if policy.background:
        flight.captured.wait(CAPTURE_WAIT_S)
        return None, fallback(
            "healing in the background; later calls use the patch if one verifies"
        )
    return flight, None


def _leader_timeout(policy: Policy) -> float:
    # The search itself stops at the budget; the grace covers the batch in verification
    # and the store at that moment.
    return policy.budget_s + min(5.0, max(1.0, policy.budget_s / 2))


# `run` and `arun` are the two thin shells of one decision (`_start`, `_timeout`,
# `_gave_up`): they differ only in how they wait for the heal's future.


def _timeout(flight: Flight, policy: Policy) -> float:
    """How long this caller waits: the leader the heal's budget, the others `wait_s`."""
    return _leader_timeout(policy) if _is_me(flight.owner) else policy.wait_s


def _gave_up(timeout: float, fallback: Callable[[str], Any]) -> Any:
    return fallback(
        f"waited {timeout:g}s for the heal in progress; fell back (it goes on, and later "
        "calls use its patch if one verifies)"
    )


def run(key: str, work: Work, policy: Policy, fallback: Callable[[str], Any]) -> Any:
    """Run or join the heal for `key` and return its decision (sync callers)."""
    flight, now = _start(key, work, policy, fallback)
    if flight is None:
        return now
    timeout = _timeout(flight, policy)
    try:
        return flight.future.result(timeout=timeout)
    except concurrent.futures.TimeoutError:
        return _gave_up(timeout, fallback)


async def arun(key: str, work: Work, policy: Policy, fallback: Callable[[str], Any]) -> Any:
    """Run or join the heal for `key` without blocking the event loop (async callers)."""
    flight, now = _start(key, work, policy, fallback)
    if flight is None:
        return now
    timeout = _timeout(flight, policy)
    try:
        # shield: a waiter timing out must not cancel the heal others wait for.
        return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(flight.future)), timeout)
    except asyncio.TimeoutError:
        return _gave_up(timeout, fallback)


def _after_fork_in_child() -> None:
    # Heal threads do not exist in a forked child, and a lock another thread held at
    # fork time would never be released there: start from a clean slate.
    global _table
    _table = _Table()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
