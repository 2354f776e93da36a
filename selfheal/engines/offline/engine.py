"""The offline engine: automatic program repair with no model and no network.

One session per failure:

1. localise the fault (traceback lines; Ochiai over line coverage of the probes, run
   on the original in a forked child);
2. enumerate candidate edits in rank order (`search.CandidateSearch`): templates
   keyed to the failure kind, then generic mutations, then pairs of edits, guesses
   last;
3. screen candidates in forked children against the cheap oracle (failing input,
   examples, properties, recorded calls) and hand the pipeline only those that pass,
   in rank order, a few per batch; the pipeline verifies each batch in the sandbox
   and stops at the first that passes every layer.

The session is anytime: it stops when the time budget is spent (`Budget.seconds`
since `open`), returning an empty batch, and a later call never blocks for long.

This module owns the session's state machine and its use of the budget; it must not
verify candidates for the record (the pipeline does) nor install anything.
"""

from __future__ import annotations

import ast
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from selfheal.engines.base import RepairRequest
from selfheal.engines.offline.context import RepairContext, build_context
from selfheal.engines.offline.localize import Localization, localize, traceback_lines
from selfheal.engines.offline.probe import Probe, screen
from selfheal.engines.offline.ranking import CandidateSearch, Ranked, kind_of
from selfheal.models import Candidate, CandidateOutcome, Usage
from selfheal.verify.isolate import can_fork, run_isolated

ENGINE_NAME = "offline"
BATCH = 3  # candidates handed to the pipeline per round
FIRST_CHUNK = 24
MAX_CHUNK = 400


@dataclass
class SessionStats:
    """What a session did; the benchmark and the record's notes read these."""

    generated: int = 0  # proposals produced before dedupe
    screened: int = 0  # candidates run against the screening oracle
    passed_screen: int = 0
    returned: int = 0  # candidates handed to the pipeline
    phase: str = "new"  # new | singles | pairs | guesses | done
    localize_s: float = 0.0
    errors: list[str] = field(default_factory=list)
    # Candidate id -> its place in the ranked enumeration (0 = the first proposed):
    # how many candidates the search went through before this one.
    positions: dict[str, int] = field(default_factory=dict)


class OfflineEngine:
    """The built-in engine; `open(request)` starts one repair session."""

    name = ENGINE_NAME

    def __init__(self, *, pairs: bool = True, screening: bool = True) -> None:
        self.pairs = pairs
        self.screening = screening

    def open(self, request: RepairRequest) -> OfflineSession:
        return OfflineSession(request, pairs=self.pairs, screening=self.screening)


class OfflineSession:
    def __init__(
        self, request: RepairRequest, *, pairs: bool = True, screening: bool = True
    ) -> None:
        self.request = request
        self.started = time.monotonic()
        seconds = request.budget.seconds
        self.deadline = self.started + (seconds if seconds is not None else 10.0) * 0.92
        self.max_returned = request.budget.candidates
        self.pairs = pairs
        self.screening = screening and can_fork()
        self.stats = SessionStats()
        self._ready: list[Ranked] = []
        self._stream: Iterator[Ranked] | None = None
        self._search: CandidateSearch | None = None
        self._ctx: RepairContext | None = None
        self._probes: list[Probe] = []
        self._chunk = FIRST_CHUNK
        self._limit_s = 0.5
        self._enumerated = 0
        self._position: dict[int, int] = {}
        self._held: list[Ranked] = []  # screened candidates that turned out to be guesses
        self._exhausted = False

    # ------------------------------------------------------------------ protocol

    @property
    def usage(self) -> Usage:
        return Usage(engine=ENGINE_NAME)

    def next_batch(self, feedback: Sequence[CandidateOutcome]) -> Sequence[Candidate]:
        try:
            return self._next_batch()
        except Exception as exc:  # the engine's own bug ends the search, never the caller
            self.stats.errors.append(f"{type(exc).__name__}: {exc}")
            self.stats.phase = "done"
            return []

    # ------------------------------------------------------------------ internals

    def _remaining(self) -> float:
        return self.deadline - time.monotonic()

    def _start(self) -> None:
        request = self.request
        self._probes = build_probes(request)
        t0 = time.monotonic()
        budget = max(0.5, min(3.0, self._remaining() * 0.25))
        loc: Localization
        if self.screening:
            loc = localize(
                request.report,
                request.exception,
                request.function,
                self._probes,
                request.properties,
                budget,
            )
        else:
            loc = Localization(
                fault_lines=traceback_lines(request.report, request.exception, request.function)
            )
            for i, line in enumerate(loc.fault_lines):
                loc.scores[line] = 1.0 - 0.08 * min(i, 5)
        self.stats.localize_s = time.monotonic() - t0
        total_probe = loc.probe_seconds * max(len(self._probes), 1)
        # Mutants loop forever often (a `while` bound changed): the limit per candidate is
        # a multiple of what the original needed, with a floor for scheduling noise.
        self._limit_s = min(3.0, max(0.03, 10 * total_probe))
        self._ctx = build_context(
            request.report.function.source,
            request.function,
            request.report,
            request.exception,
            loc,
            calls=[
                *request.recorded,
                *(e.call for e in request.examples if e.call != request.failing),
            ],
            expected=[e.expected for e in request.examples],
            failing=request.failing,
        )
        if request.exception is None and request.report.kind == "property":
            _boost_return_path(self._ctx)
        self._search = CandidateSearch(self._ctx)
        self.stats.generated = self._search.generated
        self._search.weigh(request.kind_priors)
        self._stream = self._phases()

    def _phases(self) -> Iterator[Ranked]:
        assert self._search is not None
        self.stats.phase = "singles"
        yield from self._search.singles_iter()
        if self.pairs:
            self.stats.phase = "pairs"
            yield from self._search.pairs_iter()
        self.stats.phase = "guesses"
        yield from self._search.guesses_iter()
        self.stats.phase = "done"

    def _next_batch(self) -> list[Candidate]:
        if self._stream is None:
            if self.stats.phase == "done":
                return []
            self._start()
        assert self._stream is not None
        if self.max_returned is not None and self.stats.returned >= self.max_returned:
            return []
        while not self._ready and self._remaining() > 0:
            chunk = self._take(self._chunk)
            if not chunk:
                self._exhausted = True
                break
            for ranked in chunk:
                self._position[id(ranked)] = self._enumerated
                self._enumerated += 1
            self._chunk = min(MAX_CHUNK, self._chunk * 2)
            passed = self._screen(chunk) if self.screening and self._probes else chunk
            for ranked in passed:
                assert self._search is not None
                guess = None if ranked.proposal.guess else self._search.invented(ranked)
                if guess is not None:
                    self._position[id(guess)] = self._position.get(id(ranked), -1)
                    self._held.append(guess)
                else:
                    self._ready.append(ranked)
        if not self._ready and self._held and (self._remaining() <= 0 or self._exhausted):
            # Screened guesses wait until nothing else is left (or time is up).
            self._ready, self._held = self._held, []
        batch, self._ready = self._ready[:BATCH], self._ready[BATCH:]
        self.stats.returned += len(batch)
        out = []
        for ranked in batch:
            candidate = self._candidate(ranked)
            self.stats.positions[candidate.id] = self._position.get(id(ranked), -1)
            out.append(candidate)
        return out

    def _take(self, n: int) -> list[Ranked]:
        assert self._stream is not None
        out: list[Ranked] = []
        for ranked in self._stream:
            out.append(ranked)
            if len(out) >= n:
                break
        return out

    def _screen(self, chunk: list[Ranked], depth: int = 0) -> list[Ranked]:
        request = self.request
        remaining = self._remaining()
        if remaining <= 0:
            return []
        name = self._ctx.name if self._ctx is not None else request.function.__name__
        sources = [r.source for r in chunk]
        timeout = min(remaining, 1.0 + 3 * self._limit_s * len(chunk))
        result = run_isolated(
            lambda: screen(
                request.function, name, sources, self._probes, request.properties, self._limit_s
            ),
            timeout_s=timeout,
        )
        if not result.ok or not isinstance(result.value, list) or len(result.value) != len(chunk):
            # One candidate took the child down (or out of time): split and retry.
            if len(chunk) == 1 or depth >= 4:
                self.stats.screened += len(chunk)
                return []
            half = len(chunk) // 2
            return self._screen(chunk[:half], depth + 1) + self._screen(chunk[half:], depth + 1)
        self.stats.screened += len(chunk)
        passed = [r for r, verdict in zip(chunk, result.value, strict=False) if verdict == "ok"]
        self.stats.passed_screen += len(passed)
        return passed

    def _candidate(self, ranked: Ranked) -> Candidate:
        proposal = ranked.proposal
        loc = self._ctx.loc if self._ctx is not None else None
        why = ""
        if loc is not None:
            why = f"line score {loc.score(proposal.line):.2f}"
            if proposal.line in loc.fault_lines:
                why += " (in the traceback)"
            why += f"; operator {proposal.operator or 'template'}; prior {proposal.prior:.2f}"
        learnt = self.request.kind_priors.explain(kind_of(proposal))
        if learnt:
            why = f"{why}; {learnt}" if why else learnt
        return Candidate(
            source=ranked.source,
            engine=ENGINE_NAME,
            description=proposal.description,
            guess=proposal.guess,
            rank=round(ranked.rank, 6),
            rationale=why,
            kind=kind_of(proposal),
        )


def _boost_return_path(ctx: RepairContext) -> None:
    """A wrong result came out of a `return` the failing input reached: that expression
    produced the violating value, so edits there go before guards elsewhere."""
    loc = ctx.loc
    for node in ctx.nodes():
        if isinstance(node, ast.Return) and node.value is not None:
            line = node.lineno
            if line in loc.failing_covered:
                loc.scores[line] = max(loc.scores.get(line, 0.0), 0.9)


def build_probes(request: RepairRequest) -> list[Probe]:
    """The screening oracle: failing input first (cheapest rejection), then examples,
    then recorded calls (which must agree with the original)."""
    probes: list[Probe] = []
    if request.failing is not None:
        probes.append(Probe(request.failing, "failing"))
    for example in request.examples:
        probes.append(
            Probe(example.call, "examples", expected=example.expected, compare=example.compare)
        )
    for call in request.recorded[:50]:
        probes.append(Probe(call, "recorded", reference=True))
    return probes


__all__ = ["OfflineEngine", "OfflineSession", "SessionStats", "build_probes"]
