"""selfheal in an asyncio worker: a coroutine heals while the event loop keeps running.

    python examples/async_worker.py

A worker pool drains a queue of payment batches. `batch_total` adds up the amounts,
but the amounts arrive as strings ("12.50"), so every batch raises TypeError. The
coroutine is decorated with `@self_healing`; when it raises, the heal loop (capture,
offline engine, sandbox) runs in a worker thread (`asyncio.to_thread`), so the event
loop stays free: the heartbeat task below keeps ticking during the heal. Three workers
hit the bug at the same moment; one heal runs, the others wait for it and are retried
on the verified patch. Every batch gets its right total.

Exits 0 when all totals are right and the loop kept running during the heal.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import sys
import tempfile
import time
from datetime import datetime, timezone
from typing import Any

from selfheal import Example, configure, self_healing
from selfheal.store import open_store

# A batch as it arrives from the queue: decoded JSON, amounts as strings.
Batch = list[dict[str, Any]]


@self_healing(
    examples=[
        Example(args=([{"user": "ada", "amount": "1.25"}, {"user": "bob", "amount": "2"}],),
                expected=3.25),
        Example(args=([],), expected=0.0),
    ]
)
async def batch_total(batch: Batch) -> float:
    """The sum of the amounts of a batch, rounded to cents."""
    await asyncio.sleep(0.01)  # stands in for a database or API call
    total = 0.0
    for payment in batch:
        total += payment["amount"]  # the bug: the amounts are strings
    return round(total, 2)


async def worker(
    queue: asyncio.Queue[Batch], results: dict[str, float], errors: dict[str, str]
) -> None:
    while True:
        batch = await queue.get()
        user = batch[0]["user"]
        try:
            results[user] = await batch_total(batch)
        except Exception as exc:  # unhealed: the original exception, with selfheal's note
            errors[user] = f"{type(exc).__name__}: {exc}"
        finally:
            queue.task_done()


async def heartbeat(ticks: list[float], stop: asyncio.Event) -> None:
    """Proof that the loop is not blocked: a tick every 10 ms, whatever else runs."""
    while not stop.is_set():
        ticks.append(time.monotonic())
        await asyncio.sleep(0.01)


async def run() -> tuple[bool, float]:
    """Drain the queue; (every total right, longest gap between heartbeat ticks)."""
    batches: list[Batch] = [
        [{"user": "ada", "amount": "12.50"}, {"user": "ada", "amount": "7.25"}],
        [{"user": "bob", "amount": "3"}, {"user": "bob", "amount": "0.99"}],
        [{"user": "cy", "amount": "100"}],
        [{"user": "dee", "amount": "1.10"}, {"user": "dee", "amount": "2.20"}],
    ]
    expected = {"ada": 19.75, "bob": 3.99, "cy": 100.0, "dee": 3.3}
    queue: asyncio.Queue[Batch] = asyncio.Queue()
    for batch in batches:
        queue.put_nowait(batch)
    results: dict[str, float] = {}
    errors: dict[str, str] = {}
    ticks: list[float] = []
    stop = asyncio.Event()
    beat = asyncio.create_task(heartbeat(ticks, stop))
    workers = [asyncio.create_task(worker(queue, results, errors)) for _ in range(3)]
    started = time.monotonic()
    print(f"1. {len(batches)} batches queued, 3 workers; batch_total() has a bug (sums strings).")
    await queue.join()
    elapsed = time.monotonic() - started
    stop.set()
    for task in workers:
        task.cancel()
    await asyncio.gather(beat, *workers, return_exceptions=True)
    print(f"2. All batches done in {elapsed:.2f} s:")
    for user, want in expected.items():
        if user in errors:
            print(f"     {user:4} failed: {errors[user]}")
            continue
        mark = "ok" if results.get(user) == want else f"WRONG (want {want})"
        print(f"     {user:4} {results.get(user)!r:8} {mark}")
    gaps = [later - earlier for earlier, later in itertools.pairwise(ticks)]
    return results == expected, max(gaps, default=elapsed)


def main() -> int:
    store_dir = os.environ.get("SELFHEAL_STORE") or os.path.join(
        tempfile.gettempdir(), "selfheal-async-worker"
    )
    configure(store=store_dir)
    logging.basicConfig(level=logging.WARNING, format="   [%(name)s] %(message)s")
    started = datetime.now(timezone.utc)
    right, longest_gap = asyncio.run(run())
    records = [
        r for r in open_store(store_dir).list()
        if r.function.endswith("batch_total") and r.report.captured_at >= started
    ]
    live = [r for r in records if r.status.value == "live"]
    timings = live[0].timings if live else {}
    heal_s = timings.get("total_s") or sum(timings.values())  # capture + propose + verify
    # Had the heal run on the event loop, the heartbeat would have stopped for all of it:
    # the longest gap between ticks would be at least the heal's duration. Ticks every
    # ~10 ms throughout it mean other tasks ran while the sandbox verified candidates.
    free = longest_gap < heal_s / 2
    print(f"3. The heal took {heal_s * 1000:.0f} ms; the heartbeat's longest gap was "
          f"{longest_gap * 1000:.0f} ms: the event loop was "
          f"{'never' if free else 'BLOCKED'} blocked by the heal")
    print(f"4. Heal attempts recorded: {len(records)} ({len(live)} live); three workers failed "
          "at once, one heal ran and the others were retried on its patch.")
    print(f"   Review: selfheal --store {store_dir} list")
    return 0 if right and free and len(live) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
