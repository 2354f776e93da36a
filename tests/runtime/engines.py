"""Engines with behaviour the runtime tests need (slow, failing, costly, garbage)."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from selfheal.engines.base import RepairRequest
from selfheal.errors import EngineUnavailable
from selfheal.models import Candidate, CandidateOutcome, Usage

RATIO_FIX = "def ratio(a, b):\n    return round(a / b, 3) if b else 0.0\n"
ARATIO_FIX = (
    "async def aratio(a, b):\n"
    "    await asyncio.sleep(0)\n"
    "    return round(a / b, 3) if b else 0.0\n"
)


class CountingEngine:
    """Gives `sources` in one batch after `delay` seconds; counts sessions."""

    def __init__(self, *sources: str, delay: float = 0.0, name: str = "counting") -> None:
        self.sources = sources
        self.delay = delay
        self.name = name
        self.sessions = 0
        self.lock = threading.Lock()

    def open(self, request: RepairRequest) -> _Session:
        with self.lock:
            self.sessions += 1
        return _Session(self)


class _Session:
    def __init__(self, engine: CountingEngine) -> None:
        self.engine = engine
        self.done = False

    def next_batch(self, feedback: Sequence[CandidateOutcome]) -> Sequence[Candidate]:
        if self.done:
            return []
        self.done = True
        time.sleep(self.engine.delay)
        return [Candidate(source=s, engine=self.engine.name) for s in self.engine.sources]

    @property
    def usage(self) -> Usage:
        return Usage(engine=self.engine.name, requests=1)


class UnavailableEngine:
    """Always unreachable, like an LLM server that is down."""

    name = "down"

    def __init__(self) -> None:
        self.opened = 0

    def open(self, request: RepairRequest) -> _Session:
        self.opened += 1
        raise EngineUnavailable("connection refused")


class CostlyEngine(CountingEngine):
    """Reports token usage, like an LLM."""

    def __init__(self, *sources: str, tokens: int) -> None:
        super().__init__(*sources, name="costly")
        self.tokens = tokens

    def open(self, request: RepairRequest) -> _Session:
        engine = self
        session = super().open(request)

        class _Costly(_Session):
            @property
            def usage(self) -> Usage:
                return Usage(engine=engine.name, requests=1, input_tokens=engine.tokens)

        costly = _Costly(self)
        costly.done = session.done
        return costly
