"""The Engine protocol: how the pipeline asks for candidate patches.

An engine is asked for candidates in rounds. The pipeline opens a session for one
failure, asks for a batch, verifies it, and asks again with every outcome so far (so an
LLM can see which layer failed and the counterexample, and the offline search can move
on). A session returns an empty batch when it has nothing more to offer.

Whatever an engine answers is bounded before anything parses it (`AnswerLimits`,
`bounded_candidates`): at most so many candidates, so many bytes together, and so many
lines each beyond the function they replace. An engine's answer is untrusted input; a
million-line candidate costs nothing if it is dropped unread, and minutes of a held
interpreter lock if it reaches the parser.

This module owns the protocol, the request shape and those bounds; it must not know
any engine.
"""

from __future__ import annotations

import itertools
import logging
import types
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, runtime_checkable

from selfheal.budget import Budget
from selfheal.config import get_settings
from selfheal.errors import EngineResponseError
from selfheal.models import (
    Call,
    Candidate,
    CandidateOutcome,
    Example,
    FailureReport,
    Usage,
)
from selfheal.priors import KindPriors, Similar

log = logging.getLogger("selfheal")

@dataclass(frozen=True)
class AnswerLimits:
    """How much of one engine answer is looked at (see the module docstring)."""

    max_bytes: int = 1_000_000
    max_candidates: int = 20
    max_extra_lines: int = 2_000

    @classmethod
    def from_settings(cls, settings: Any = None) -> AnswerLimits:
        if settings is None:
            try:
                settings = get_settings()
            except Exception:  # settings that fail to load are reported elsewhere
                return cls()
        return cls(
            max_bytes=settings.answer_max_bytes,
            max_candidates=settings.answer_max_candidates,
            max_extra_lines=settings.candidate_max_lines,
        )

    def max_lines(self, original: str) -> int:
        return original.count("\n") + 1 + self.max_extra_lines


def source_problem(source: str, limits: AnswerLimits, original: str, budget: int) -> str:
    """Why `source` is too large to look at ("" if it is not), cheapest checks first."""
    # len() is O(1) and a character is at least one byte: the first test costs nothing
    # however large the string is, and the exact ones below only see bounded strings.
    if len(source) > budget:
        return f"{len(source)} characters, over the {budget} bytes left of answer_max_bytes"
    size = len(source.encode("utf-8", "surrogatepass"))
    if size > budget:
        return f"{size} bytes, over the {budget} bytes left of answer_max_bytes"
    lines = source.count("\n") + 1
    if lines > limits.max_lines(original):
        return (f"{lines} lines, over the {limits.max_lines(original)} allowed "
                f"(the function's own lines + candidate_max_lines {limits.max_extra_lines})")
    return ""


T = TypeVar("T")


def bounded_candidates(
    produced: Iterable[T],
    limits: AnswerLimits,
    original: str,
    source_of: Callable[[T], object],
) -> tuple[list[T], list[str]]:
    """The items of one answer within the limits, and a reason for each one dropped.

    Looks at no more than `max_candidates + 1` items (an engine may answer with an
    endless generator); `source_of(item)` gives an item's source (non-strings are
    dropped).
    """
    kept: list[T] = []
    dropped: list[str] = []
    budget = limits.max_bytes
    for index, item in enumerate(itertools.islice(produced, limits.max_candidates + 1)):
        if index == limits.max_candidates:
            dropped.append(f"more than answer_max_candidates ({limits.max_candidates}) "
                           "candidates in one answer; the rest were not looked at")
            break
        source = source_of(item)
        if not isinstance(source, str):
            dropped.append(f"candidate {index + 1}: not a source string "
                           f"({type(source).__name__})")
            continue
        problem = source_problem(source, limits, original, budget)
        if problem:
            dropped.append(f"candidate {index + 1}: {problem}")
            continue
        budget -= len(source.encode("utf-8", "surrogatepass"))
        kept.append(item)
    return kept, dropped


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
    # Fixes this project's people approved for similar failures (same exception type,
    # alike code), most similar first; an LLM engine shows them as worked examples. Their
    # source is as stored: an engine that sends them anywhere redacts them first.
    similar_fixes: tuple[Similar, ...] = ()
    # The project's own words for the model (`guidance` in the settings): house rules.
    guidance: str = ""
    # Fixes of this very failure a person rejected or the runtime rolled back, newest
    # first. The search refuses them whatever an engine says; an LLM is told them up
    # front so it does not spend a turn on them.
    undone: tuple[Candidate, ...] = ()


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
        return _OneShotSession(self.name, lambda: self._func(request.report),
                               request.report.function.source)


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


def _as_candidates(sources: Iterable[object], engine: str, original: str) -> list[Candidate]:
    """Candidates from an answer of sources, bounded before any model is built; an answer
    with nothing within the bounds is an EngineResponseError saying why."""
    kept, dropped = bounded_candidates(sources, AnswerLimits.from_settings(), original,
                                       lambda s: s)
    shown = "; ".join(dropped[:3]) + ("; ..." if len(dropped) > 3 else "")
    if dropped and not kept:
        raise EngineResponseError(f"nothing usable in the answer: {shown}")
    if dropped:
        log.warning("engine %s: dropped part of its answer: %s", engine, shown)
    return [Candidate(source=s, engine=engine) for s in kept if isinstance(s, str)]


class _OneShotSession:
    def __init__(self, name: str, produce: Callable[[], Iterable[str]], original: str = ""
                 ) -> None:
        self._name = name
        self._produce: Callable[[], Iterable[str]] | None = produce
        self._usage = Usage(engine=name)
        self._original = original

    def next_batch(self, feedback: Sequence[CandidateOutcome]) -> Sequence[Candidate]:
        if self._produce is None:
            return []
        produce, self._produce = self._produce, None
        self._usage = Usage(engine=self._name, requests=1)
        produced = produce()
        if isinstance(produced, str):  # one source, not a list of them
            produced = [produced]
        return _as_candidates(produced, self._name, self._original)

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
        original = self._engine.requests[-1].report.function.source
        return _as_candidates(batch, self._engine.name, original)

    @property
    def usage(self) -> Usage:
        return Usage(engine=self._engine.name, requests=self._round)
