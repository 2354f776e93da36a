"""The time budget of a live patch: a call that runs far longer than the function did is
cut off, and a patch whose call cannot be cut off is rolled back.

Owns: the budgets of live patches (`register`), the calls of them in flight (`enter` and
`leave`, called by a prologue the swap adds around the patch's body), the check the
patch's own loops make (`tick`, `ticking`), and one daemon thread that watches the calls.
It must not install or revert patches itself: whoever registers a budget says what to do
when a call cannot be stopped.

What "cut off" can honestly mean for a synchronous Python call: nothing can stop a thread
from outside without landing an exception wherever it happens to be (in the caller's own
code, say). So the patch stops itself: its restricted code checks the budget on every
iteration of its loops (a `while` test, each item a `for` or a comprehension draws) and
on every call of itself, and raises `PatchTimeout` there, in its own frame; the failure
handler rolls it back like any patch that raised. A call stuck inside one C call checks
nothing until that call returns. When the call releases the interpreter lock (a sleep, a
blocking read), the watchdog thread acts at twice the budget: it rolls the patch back
(`Budget.on_overrun`) so every new call runs the original, while the stuck call runs on.
One that holds the lock (a huge `re` match) stops every thread of the process, this one
too, until it returns; the patch is rolled back then. Coroutines and
generators are not timed (their wall time includes every suspension), and a sandbox
child times nothing: the sandbox has its own timers.
"""

from __future__ import annotations

import itertools
import logging
import math
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from selfheal.verify.isolate import in_child

__all__ = ["Budget", "PatchTimeout", "enter", "leave", "register", "tick", "ticking",
           "unregister"]

log = logging.getLogger("selfheal")


class PatchTimeout(TimeoutError):
    """Raised in a call of a live patch that ran past its time budget."""


@dataclass
class Budget:
    """How long one call of a patch may run, and what to do when it cannot be stopped."""

    seconds: float
    on_overrun: Callable[[str], None] | None = None
    name: str = "a patch"


@dataclass
class _Call:
    budget: Budget
    started: float
    deadline: float  # when the watchdog gives up on the call stopping itself


class _Local(threading.local):
    deadline: float = math.inf  # the earliest budget of the patch calls in flight here

    def __init__(self) -> None:
        self.stack: list[tuple[int, float]] = []  # (token, deadline in force)


_local = _Local()


class _Watchdog:
    def __init__(self) -> None:
        self.lock = threading.Condition(threading.Lock())
        self.budgets: dict[str, Budget] = {}
        self.calls: dict[int, _Call] = {}
        self.tokens = itertools.count(1)
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        if self.thread is None or not self.thread.is_alive():
            self.thread = threading.Thread(target=self.run, name="selfheal-watchdog",
                                           daemon=True)
            self.thread.start()

    def run(self) -> None:
        while True:
            overdue: list[_Call] = []
            with self.lock:
                while not self.calls:
                    self.lock.wait()
                now = time.perf_counter()
                wait = min(c.deadline for c in self.calls.values()) - now
                if wait > 0:
                    self.lock.wait(min(wait, 0.25))
                    continue
                for call in self.calls.values():
                    if call.deadline <= now:
                        call.deadline = math.inf  # once: the patch goes
                        overdue.append(call)
            # outside the lock: a rollback takes the patched function's lock
            for call in overdue:
                self.overrun(call, now)

    @staticmethod
    def overrun(call: _Call, now: float) -> None:
        handler, call.budget.on_overrun = call.budget.on_overrun, None
        if handler is None:
            return
        why = (f"a call ran for {now - call.started:.1f}s, past twice its budget of "
               f"{call.budget.seconds:.1f}s, and could not be stopped")
        try:
            handler(why)
        except Exception:
            log.warning("selfheal: could not roll back %s", call.budget.name, exc_info=True)


_watchdog = _Watchdog()


def register(key: str, budget: Budget) -> None:
    """Time every call of the patch that calls `enter(key)` against `budget`."""
    with _watchdog.lock:
        _watchdog.budgets[key] = budget


def unregister(key: str) -> None:
    with _watchdog.lock:
        _watchdog.budgets.pop(key, None)


def _timeout(seconds: float | None = None) -> PatchTimeout:
    budget = f" of {seconds:.1f}s" if seconds else ""
    return PatchTimeout(f"the call of a live patch ran past its time budget{budget}: cut off")


def enter(key: str) -> int:
    """A call of the patch `key` starts; 0 when it is not timed. A call of a patch made
    past the budget of a call still running in this thread is cut off right here."""
    budget = _watchdog.budgets.get(key)
    if budget is None or budget.seconds <= 0:
        return 0

    if in_child():
        return 0
    now = time.perf_counter()
    if now > _local.deadline:
        raise _timeout()
    with _watchdog.lock:
        token = next(_watchdog.tokens)
        _watchdog.calls[token] = _Call(budget, now, now + 2 * budget.seconds)
        _watchdog.lock.notify()
    deadline = min(_local.deadline, now + budget.seconds)
    _local.stack.append((token, deadline))
    _local.deadline = deadline
    _watchdog.start()
    return token


def leave(token: int) -> None:
    """The call that `enter` returned `token` for has ended, returned or raised."""
    if not token:
        return
    stack = _local.stack
    while stack and stack[-1][0] != token:  # calls that left without saying so
        stack.pop()
    if stack:
        stack.pop()
    _local.deadline = stack[-1][1] if stack else math.inf
    with _watchdog.lock:
        _watchdog.calls.pop(token, None)


def tick() -> bool:
    """A loop of a patch goes round once more: True, or PatchTimeout past the budget."""
    if time.perf_counter() > _local.deadline:
        raise _timeout()
    return True


def ticking(items: Iterable[Any]) -> Iterator[Any]:
    """`iter(items)`, checking the budget on each item when a timed call is running."""
    iterator = iter(items)
    if _local.deadline == math.inf:
        return iterator
    return _ticked(iterator, _local.deadline)


def _ticked(iterator: Iterator[Any], deadline: float) -> Iterator[Any]:
    clock = time.perf_counter
    for item in iterator:
        if clock() > deadline:
            raise _timeout()
        yield item


def _after_fork() -> None:
    # The thread does not exist in the child, and its lock may have been held at the fork.
    global _watchdog
    old = _watchdog
    _watchdog = _Watchdog()
    _watchdog.budgets = dict(old.budgets)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)
