"""One process, one failure, one engine answering with something huge; prints JSON.

Run as `python answer_worker.py KIND LINES STORE`. The answer is built before anything
is measured; the process then resets its peak-memory mark, makes the call fail, and
reports how long the caller waited, how far its peak memory rose above where it was,
and the notes on the exception it got.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from typing import Any

import selfheal
from selfheal import self_healing
from selfheal.models import Candidate, CandidateOutcome, Usage

KIND, LINES, STORE = sys.argv[1], int(sys.argv[2]), sys.argv[3]

if KIND == "junk":
    ANSWER = "x" * LINES  # bytes of prose, not a def: the "50 MB junk answer"
else:
    ANSWER = "def ratio(a, b):\n" + "    a = a\n" * LINES + "    return a / b\n"


class HugeEngine:
    """An Engine object (not a callable): hands over ready-made Candidate models."""

    name = "huge"

    def open(self, request: Any) -> HugeEngine:
        return self

    def next_batch(self, feedback: list[CandidateOutcome]) -> list[Candidate]:
        if feedback:
            return []
        return [Candidate(source=ANSWER, engine=self.name)]

    @property
    def usage(self) -> Usage:
        return Usage(engine=self.name, requests=1)


def endless(report: Any) -> Iterator[str]:
    """A callable engine whose answer never ends: one small wrong candidate after another."""
    n = 0
    while True:
        n += 1
        yield f"def ratio(a, b):\n    return {n}\n"


ENGINES: dict[str, Any] = {
    "callable": lambda report: [ANSWER],
    "junk": lambda report: [ANSWER],
    "engine": HugeEngine(),
    "endless": endless,
}

selfheal.configure(store=STORE, budget_s=2, wait_s=2, hypothesis=False)


@self_healing(engine=ENGINES[KIND], mode="heal")
def ratio(a: float, b: float) -> float:
    return a / b


def status(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise LookupError(field)


ratio(1, 2)  # set up before measuring
with open("/proc/self/clear_refs", "w") as fh:
    fh.write("5")  # reset the peak-RSS mark to the current RSS
base = status("VmRSS")
started = time.monotonic()
try:
    ratio(1, 0)
except Exception as exc:  # a catch-all: the program does not expect this exception
    outcome = {"raised": type(exc).__name__, "notes": list(getattr(exc, "__notes__", []))}
else:
    outcome = {"raised": None, "notes": []}
outcome["waited_s"] = time.monotonic() - started
outcome["peak_growth_bytes"] = status("VmHWM") - base
print(json.dumps(outcome))
