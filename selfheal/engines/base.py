"""The Engine protocol: how the pipeline asks for candidate patches.

An engine is asked for candidates in rounds. The pipeline opens a session for one
failure, asks for a batch, verifies it, and asks again with every outcome so far (so an
LLM can see which layer failed and the counterexample, and the offline search can move
on). A session returns an empty batch when it has nothing more to offer.

This module owns the protocol and the request shape only; it must not know any engine.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from selfheal.models import (
    Call,
    Candidate,
    CandidateOutcome,
    Example,
    FailureReport,
    Usage,
)
from selfheal.priors import KindPriors


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
        from selfheal.errors import ConfigurationError

        raise ConfigurationError(
            f"budget: {value!r} is not a budget; pass seconds (10.0), "
            "a dict like {'seconds': 10, 'candidates': 200, 'tokens': 50000}, or Budget(...)"
        )


@dataclass(frozen=True)
class RepairRequest:
    """What an engine may look at for one failure.

    `report` is redacted and is the only part an engine may send out of the process.
    The live part (`function`, `exception`, `failing`, `examples`, `recorded`) is for
    engines that analyse locally (the offline engine reads `dir()` of the object an
    AttributeError names, for instance); user code must never be *run* from here in the
    parent process: running anything goes through `selfheal.verify`.
    """

    report: FailureReport
    function: types.FunctionType  # the original, uninstrumented function
    exception: BaseException | None = None
    failing: Call | None = None
    examples: tuple[Example, ...] = ()
    recorded: tuple[Call, ...] = ()
    properties: tuple[Callable[..., Any], ...] = ()
    budget: Budget = field(default_factory=Budget)
    # A callable the engine may use to try candidates itself (the offline search does,
    # to stop at the first that passes); the pipeline verifies again before swapping.
    verify: Callable[[Sequence[Candidate]], Sequence[CandidateOutcome]] | None = None
    # What this project's decisions say per fix kind (approved ranks higher, rejected or
    # rolled back lower); an engine that ranks by kind may weigh by it.
    kind_priors: KindPriors = field(default_factory=KindPriors)


@runtime_checkable
class EngineSession(Protocol):
    def next_batch(self, feedback: Sequence[CandidateOutcome]) -> Sequence[Candidate]:
        """Candidates to try next; `feedback` holds every outcome of this session so far."""
        ...

    @property
    def usage(self) -> Usage: ...


@runtime_checkable
class Engine(Protocol):
    name: str

    def open(self, request: RepairRequest) -> EngineSession: ...


class CallableEngine:
    """Adapts a user callable `f(report) -> iterable of sources` into an Engine."""

    def __init__(self, func: Callable[[FailureReport], Iterable[str]], name: str = "") -> None:
        self._func = func
        self.name = name or getattr(func, "__name__", "callable")

    def open(self, request: RepairRequest) -> EngineSession:
        return _OneShotSession(self.name, lambda: self._func(request.report))


class ScriptedEngine:
    """A twin for tests: yields the given batches of sources, one batch per round."""

    def __init__(self, *batches: Sequence[str] | str, name: str = "scripted") -> None:
        self.name = name
        self.batches = [[b] if isinstance(b, str) else list(b) for b in batches]
        self.requests: list[RepairRequest] = []
        self.feedback: list[list[CandidateOutcome]] = []

    def open(self, request: RepairRequest) -> EngineSession:
        self.requests.append(request)
        return _ScriptedSession(self)


class _OneShotSession:
    def __init__(self, name: str, produce: Callable[[], Iterable[str]]) -> None:
        self._name = name
        self._produce: Callable[[], Iterable[str]] | None = produce
        self._usage = Usage(engine=name)

    def next_batch(self, feedback: Sequence[CandidateOutcome]) -> Sequence[Candidate]:
        if self._produce is None:
            return []
        produce, self._produce = self._produce, None
        self._usage = Usage(engine=self._name, requests=1)
        return [Candidate(source=s, engine=self._name) for s in produce() if isinstance(s, str)]

    @property
    def usage(self) -> Usage:
        return self._usage


class _ScriptedSession:
    def __init__(self, engine: ScriptedEngine) -> None:
        self._engine = engine
        self._round = 0

    def next_batch(self, feedback: Sequence[CandidateOutcome]) -> Sequence[Candidate]:
        self._engine.feedback.append(list(feedback))
        if self._round >= len(self._engine.batches):
            return []
        batch = self._engine.batches[self._round]
        self._round += 1
        return [Candidate(source=s, engine=self._engine.name) for s in batch]

    @property
    def usage(self) -> Usage:
        return Usage(engine=self._engine.name, requests=self._round)
