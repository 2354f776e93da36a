"""Many callers, one bug: one heal, every call accounted for, nothing deadlocks."""

from __future__ import annotations

import asyncio
import threading
import time

from selfheal import configure, self_healing
from selfheal.store import open_store
from tests.runtime.engines import ARATIO_FIX, RATIO_FIX, CountingEngine


def test_32_threads_x_1000_calls_heal_once(mod, store_dir):
    engine = CountingEngine(RATIO_FIX, delay=0.2)
    self_healing(engine=engine, examples=[((1, 0), 0.0)])(mod.ratio)
    barrier = threading.Barrier(32)
    results: list[list[float]] = [[] for _ in range(32)]
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        barrier.wait()
        try:
            for n in range(1000):
                results[i].append(mod.ratio(n, 0 if n % 2 == 0 else 2))
        except BaseException as exc:  # noqa: BLE001 - any escape fails the test below
            errors.append(exc)

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads), "a caller is stuck"
    assert time.monotonic() - started < 60
    assert errors == []
    assert engine.sessions == 1
    expected = [0.0 if n % 2 == 0 else round(n / 2, 3) for n in range(1000)]
    assert all(r == expected for r in results)  # 32,000 calls, every one healed or fine
    assert len(open_store(store_dir).list()) == 1


def test_1000_asyncio_tasks_heal_once(mod, store_dir):
    engine = CountingEngine(ARATIO_FIX, delay=0.2)
    self_healing(engine=engine, examples=[((1, 0), 0.0)])(mod.aratio)

    async def main() -> list[float]:
        return await asyncio.gather(*(mod.aratio(n, 0) for n in range(1000)))

    started = time.monotonic()
    values = asyncio.run(main())
    assert time.monotonic() - started < 60
    assert values == [0.0] * 1000
    assert engine.sessions == 1


def test_while_healing_fallback_does_not_wait(mod, store_dir):
    configure(while_healing="fallback")
    engine = CountingEngine(RATIO_FIX, delay=1.0)
    self_healing(engine=engine, examples=[((1, 0), 0.0)], fallback=-1.0)(mod.ratio)
    leader_result: list[float] = []
    leader = threading.Thread(target=lambda: leader_result.append(mod.ratio(1, 0)))
    leader.start()
    time.sleep(0.3)  # the leader's heal is in the engine now
    started = time.monotonic()
    assert mod.ratio(2, 0) == -1.0  # fell back at once
    assert time.monotonic() - started < 0.5
    leader.join(30)
    assert leader_result == [0.0]
    assert mod.ratio(3, 0) == 0.0  # the patch is live for later calls
    assert engine.sessions == 1


def test_wait_gives_up_after_wait_s(mod, store_dir):
    configure(wait_s=0.2)
    engine = CountingEngine(RATIO_FIX, delay=1.5)
    self_healing(engine=engine, examples=[((1, 0), 0.0)], fallback=-1.0)(mod.ratio)
    leader = threading.Thread(target=mod.ratio, args=(1, 0))
    leader.start()
    time.sleep(0.3)
    started = time.monotonic()
    assert mod.ratio(2, 0) == -1.0
    assert 0.15 < time.monotonic() - started < 1.2
    leader.join(30)


def test_heal_limit_makes_distinct_failures_fall_back(mod, store_dir):
    configure(max_concurrent_heals=1)
    slow = CountingEngine(RATIO_FIX, delay=1.0)
    self_healing(engine=slow, examples=[((1, 0), 0.0)])(mod.ratio)
    self_healing(engine=CountingEngine(), fallback="limited")(mod.two_bugs)
    t = threading.Thread(target=mod.ratio, args=(1, 0))
    t.start()
    time.sleep(0.3)
    assert mod.two_bugs("int", "3") == "limited"
    t.join(30)


def test_background_healing_falls_back_now_and_heals_later(mod, store_dir):
    configure(background=True)
    engine = CountingEngine(RATIO_FIX, delay=0.3)
    self_healing(engine=engine, examples=[((1, 0), 0.0)], fallback=-1.0)(mod.ratio)
    started = time.monotonic()
    assert mod.ratio(5, 0) == -1.0
    assert time.monotonic() - started < 0.5
    deadline = time.monotonic() + 30
    while mod.ratio(5, 0) != 0.0:
        assert time.monotonic() < deadline, "the background heal never went live"
        time.sleep(0.05)
    assert engine.sessions == 1


def test_property_calling_the_function_does_not_deadlock(mod, store_dir):
    calls = []

    def consistent(result, values, factor):
        # The property calls the function under repair itself.
        calls.append(1)
        return len(calls) > 50 or result == mod.scaled(list(values), factor)

    self_healing(engine=CountingEngine(), properties=[consistent])(mod.scaled)
    done = threading.Event()
    out: list[object] = []

    def run() -> None:
        out.append(mod.scaled([1, 2], 3))
        done.set()

    threading.Thread(target=run, daemon=True).start()
    assert done.wait(20), "deadlock"
    assert out == [[3, 6]]
