"""A live call that runs far past what the function took is cut off, and its patch
rolled back (selfheal/verify/watchdog.py says what "cut off" can mean)."""

from __future__ import annotations

import importlib
import threading
import time
import types

import pytest

from selfheal import Call, configure, repair, self_healing
from selfheal.entry.decorator import target_of
from selfheal.models import PatchStatus
from selfheal.store import open_store
from selfheal.verify.watchdog import PatchTimeout
from tests.runtime.engines import CountingEngine
from tests.scenarios.runtime import timed

# Passes every check (7 is never tried), then loops for ever on 7.
LOOPS_ON_SEVEN = (
    "def halve(n):\n"
    "    if n == 7:\n"
    "        while True:\n"
    "            pass\n"
    "    return float(n) / 2\n"
)
# Keeps the original's one effect where it is, and so passes the effect rule; then, on an
# attempt no check tries, blocks for seconds inside that one call (time.sleep).
STUCK_IN_C = (
    "def backoff(attempt, delay):\n"
    "    if attempt == 9:\n"
    "        delay = 3\n"
    "    time.sleep(delay)\n"
    "    return int(attempt) + 1\n"
)


@pytest.fixture
def mod() -> types.ModuleType:
    return importlib.reload(timed)


@pytest.fixture(autouse=True)
def _short_budget(store_dir: object) -> None:
    configure(live_time_floor_s=0.3, live_time_factor=1.0, hypothesis=False)


def test_a_call_looping_in_python_is_cut_off_and_the_patch_rolled_back(mod, store_dir):
    self_healing(engine=CountingEngine(LOOPS_ON_SEVEN), examples=[((4,), 2.0), (("4",), 2.0)])(
        mod.halve)
    assert mod.halve("4") == 2.0  # healed
    target = target_of(mod.halve)
    assert target.patch is not None
    started = time.perf_counter()
    with pytest.raises(PatchTimeout) as info:
        mod.halve(7)
    assert time.perf_counter() - started < 5
    assert any("rolled back" in note for note in info.value.__notes__)
    assert target.patch is None
    assert mod.halve(4) == 2.0  # the original again
    (record,) = open_store(store_dir).list()
    assert record.status is PatchStatus.ROLLED_BACK


def test_a_call_stuck_in_c_cannot_be_stopped_but_new_calls_leave_the_patch(mod, store_dir):
    self_healing(engine=CountingEngine(STUCK_IN_C),
                 examples=[((1, 0.0), 2), (("2", 0.0), 3)])(mod.backoff)
    assert mod.backoff("2", 0.0) == 3  # healed
    target = target_of(mod.backoff)
    assert target.patch is not None
    outcome: list[BaseException | int] = []

    def slow_call() -> None:
        try:
            outcome.append(mod.backoff(9, 0.0))
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=slow_call, daemon=True)
    worker.start()
    deadline = time.perf_counter() + 2.5
    while target.patch is not None and time.perf_counter() < deadline:
        time.sleep(0.02)
    assert target.patch is None  # rolled back ...
    assert worker.is_alive()  # ... while the call still sleeps in C
    assert mod.backoff(9, 0.0) == 10  # new calls run the original
    (record,) = open_store(store_dir).list()
    assert record.status is PatchStatus.ROLLED_BACK
    assert "could not be stopped" in record.history[-1].reason
    worker.join(10)
    assert outcome == [10]  # the stuck call ran on, and ended as the patch would have


def test_repair_function_is_timed_like_a_live_patch(mod):
    result = repair(mod.halve, failing=Call(("4",)), examples=[((4,), 2.0), (("4",), 2.0)],
                    engine=CountingEngine(LOOPS_ON_SEVEN), hypothesis=False)
    assert result.ok, result.report.reason
    assert result.function is not None
    assert result.function(8) == 4.0
    with pytest.raises(PatchTimeout):
        result.function(7)
