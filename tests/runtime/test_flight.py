"""Single flight: who leads and who waits, also when asyncio tasks come and go."""

from __future__ import annotations

import asyncio
import threading

from selfheal.request import flight


def test_a_task_arriving_after_the_leader_gave_up_is_not_taken_for_the_leader() -> None:
    # The leader's task ends (it waited its time and fell back) while the heal goes on.
    # New tasks, which the interpreter often places where the finished one was, are
    # other callers: they wait for the heal, they did not re-enter it.
    release = threading.Event()

    def work(captured):  # type: ignore[no-untyped-def]
        captured()
        release.wait(10)
        return "healed"

    policy = flight.Policy(budget_s=0.01, wait_s=0.01)

    async def call() -> str:
        result: str = await flight.arun("k", work, policy, lambda why: why)
        return result

    async def main() -> list[str]:
        first = await asyncio.create_task(call())
        assert first.startswith("waited")
        notes = []
        for _ in range(200):
            notes.append(await asyncio.create_task(call()))
        return notes

    try:
        notes = asyncio.run(main())
    finally:
        release.set()
    assert [n for n in notes if "re-entered" in n] == []
    assert all(n.startswith("waited 0.01s") for n in notes)
