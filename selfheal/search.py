"""Search: ask the engines for candidates and verify them until one is acceptable.

Owns the propose/verify loop of one heal: engines in order (skipping those whose
circuit is open or whose token budget is spent), batches verified as they arrive,
budgets of time and candidates, and what counts as acceptable (a verified candidate
that is not a guess, or a guess the user allowed). It must not capture, install or
store anything; `pipeline` does, around it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from selfheal import budget, telemetry
from selfheal.config import Settings
from selfheal.engines import resolve_engines
from selfheal.engines.base import Budget, Engine, EngineSession, RepairRequest
from selfheal.errors import SelfHealError
from selfheal.models import (
    Call,
    Candidate,
    CandidateOutcome,
    FailureReport,
    Usage,
    Verdict,
)
from selfheal.verify import VerificationPlan
from selfheal.verify import verify as run_verification
from selfheal.verify.invented import adds_invented_exit

log = logging.getLogger("selfheal")


@dataclass
class HealResult:
    """What one search produced."""

    report: FailureReport
    chosen: Candidate | None = None  # verified and acceptable
    proposal: Candidate | None = None  # verified but only a guess: for a person to review
    outcomes: list[CandidateOutcome] = field(default_factory=list)
    usage: list[Usage] = field(default_factory=list)
    reason: str = ""  # one line for notes and logs
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class HealInputs:
    """Everything `heal()` needs besides the report; built by the caller."""

    plan: VerificationPlan
    engine: Any
    budget: Budget
    allow_guesses: bool
    exception: BaseException | None = None
    exclude: frozenset[str] = frozenset()  # candidate ids never to propose again
    # The input engines localise on, when the plan has none (a wrong-result example).
    failing: Call | None = None
    settings: Settings | None = None  # for engine gates (circuits, process token budget)
    # Patches of this same failure already live or approved elsewhere (another worker
    # process): verified here first, so the processes of one service converge on one fix.
    preferred: tuple[Candidate, ...] = ()


def _covered(plan: VerificationPlan) -> bool:
    """Does a user oracle say what the failing input must give (so a guess is checked)?"""
    if plan.properties:
        return True
    failing = plan.failing
    if failing is None:
        return False
    for example in plan.examples:
        try:
            if tuple(example.args) == tuple(failing.args) and dict(example.kwargs) == dict(
                failing.kwargs
            ):
                return True
        except Exception:
            continue
    return False


def _engine_gate(name: str, settings: Settings | None) -> str | None:
    """Why an engine may not be asked now (circuit open, tokens spent), or None."""
    if settings is not None:
        budget.circuits.threshold = settings.circuit_failures
        budget.circuits.cooldown_s = settings.circuit_cooldown_s
        if name not in _FREE_ENGINES and budget.tokens.remaining(settings.token_budget_total) <= 0:
            return (
                f"engine {name}: the process token budget ({settings.token_budget_total}) is spent"
            )
    return budget.circuits.allow(name)


_FREE_ENGINES = frozenset({"offline", "scripted"})


_EVIDENCE_LAYERS = frozenset({"recorded", "examples", "properties", "checks", "hypothesis"})


def _evidence(verdict: Verdict) -> int:
    """How many checks beyond "the failing input no longer raises" the candidate passed.

    A candidate with none is a guess whatever it looks like: nothing compared it with
    what the function should do (no recorded call, example, property, check, or typed
    input the original handled), so it may only be proposed, not swapped in.
    """
    return sum(layer.ran for layer in verdict.layers if layer.layer in _EVIDENCE_LAYERS)


def _disagreed(verdict: Verdict) -> int:
    """Generated inputs where the candidate differs from the original (a lower rank)."""
    return sum(layer.disagreed for layer in verdict.layers)


def _guessed(outcome: CandidateOutcome, covered: bool, original: str) -> bool:
    """Is this verified candidate a guess (see docs: Guesses)?

    The engine may say so; nothing but the failing input may have checked it; or the
    verifier saw it answer the failing input with an empty value where the original
    always gave a real one, and it adds a way out that invents that value (a neutral
    guard that lets the function compute the empty answer is not a guess)."""
    if covered:
        return not _evidence(outcome.verdict)
    if outcome.candidate.guess or not _evidence(outcome.verdict):
        return True
    return any(layer.guess for layer in outcome.verdict.layers) and adds_invented_exit(
        original, outcome.candidate.source
    )


def _grounds(outcome: CandidateOutcome, guess: bool) -> str:
    """Why a chosen candidate was acceptable, for the record's note."""
    if guess:
        return "a guess, live because allow_guesses=True"
    ran = [
        f"{layer.layer} {layer.ran}"
        for layer in outcome.verdict.layers
        if layer.layer in _EVIDENCE_LAYERS and layer.ran
    ]
    text = "on evidence: " + ", ".join(ran)
    disagreed = _disagreed(outcome.verdict)
    if disagreed:
        text += f"; {disagreed} generated inputs disagree with the original"
    return text


# A verified candidate that disagrees with the original on generated inputs is held
# while the search looks a little further for one that changes less of what the
# original did: at most this many more candidates, and this share of the time left.
_HELD_PATIENCE = 8
_HELD_SHARE = 0.25


class _Search:
    """One search: engines in order, batches verified as they come, first acceptable wins."""

    def __init__(self, report: FailureReport, inputs: HealInputs) -> None:
        self.inputs = inputs
        self.plan = inputs.plan
        self.result = HealResult(report=report)
        self.deadline = time.monotonic() + (inputs.budget.seconds or float("inf"))
        self.limit = inputs.budget.candidates or 10**9
        self.covered = _covered(self.plan)
        self.seen: set[str] = set(inputs.exclude)
        self.guess: Candidate | None = None
        self.verify_s = 0.0
        self.skipped: list[str] = []
        self.grounds = ""  # why the chosen candidate was acceptable
        # The best verified candidate so far that disagrees on generated inputs, and
        # when (outcome count, clock) the search started holding one.
        self.held: CandidateOutcome | None = None
        self.held_since: tuple[int, float] = (0, 0.0)

    def out_of_budget(self) -> bool:
        return time.monotonic() >= self.deadline or len(self.result.outcomes) >= self.limit

    def choose(self, outcome: CandidateOutcome) -> None:
        guess = _guessed(outcome, self.covered, self.plan.target.source)
        self.result.chosen = outcome.candidate
        self.grounds = _grounds(outcome, guess)

    def hold(self, outcome: CandidateOutcome) -> None:
        if self.held is None:
            self.held_since = (len(self.result.outcomes), time.monotonic())
        if self.held is None or _disagreed(outcome.verdict) < _disagreed(self.held.verdict):
            self.held = outcome

    def patience_spent(self) -> bool:
        if self.held is None:
            return False
        count, since = self.held_since
        share = (self.deadline - since) * _HELD_SHARE
        return (
            len(self.result.outcomes) - count >= _HELD_PATIENCE
            or time.monotonic() - since >= share
        )

    def settle_held(self) -> bool:
        """Choose the held candidate when the search may look no further."""
        if self.held is None or self.result.chosen is not None:
            return self.result.chosen is not None
        self.choose(self.held)
        return True

    def request(self) -> RepairRequest:
        plan, inputs = self.plan, self.inputs
        return RepairRequest(
            report=self.result.report,
            function=plan.function,
            exception=inputs.exception,
            failing=plan.failing or inputs.failing,
            examples=plan.examples,
            recorded=tuple(r.call for r in plan.evidence_recorded),
            properties=plan.properties,
            budget=Budget(
                seconds=max(0.0, self.deadline - time.monotonic()),
                candidates=self.limit - len(self.result.outcomes),
                tokens=inputs.budget.tokens,
            ),
        )

    def run(self) -> HealResult:
        started = time.perf_counter()
        try:
            engines = resolve_engines(self.inputs.engine)
        except SelfHealError as exc:
            self.result.reason = f"no engine: {exc}"
            return self.result
        preferred = [c for c in self.inputs.preferred if c.id not in self.seen]
        if preferred:
            self.seen.update(c.id for c in preferred)
            self.verify(preferred[: self.limit])
        for engine in engines:
            if self.result.chosen is not None or self.out_of_budget():
                break
            name = str(getattr(engine, "name", type(engine).__name__))
            refused = _engine_gate(name, self.inputs.settings)
            if refused is not None:
                self.skipped.append(refused)
                continue
            self.ask(engine, name)
        self.settle_held()
        self.result.timings["verify_s"] = self.verify_s
        self.result.timings["propose_s"] = max(0.0, time.perf_counter() - started - self.verify_s)
        self.result.reason = self.explain()
        if self.result.chosen is None:
            self.result.proposal = self.guess
        return self.result

    def ask(self, engine: Engine, name: str) -> None:
        session: EngineSession | None = None
        failed = False
        try:
            with telemetry.span("propose", engine=name):
                session = engine.open(self.request())
            while not self.out_of_budget():
                with telemetry.span("propose", engine=name):
                    proposed = session.next_batch(list(self.result.outcomes))
                # An engine's garbage is dropped here, not trusted downstream.
                batch = [c for c in proposed if isinstance(c, Candidate) and c.id not in self.seen]
                if not batch:
                    break
                batch = batch[: self.limit - len(self.result.outcomes)]
                self.seen.update(c.id for c in batch)
                if self.verify(batch):
                    break
        except SelfHealError as exc:
            failed = True
            log.info("engine %s gave up: %s", name, exc)
            self.skipped.append(f"engine {name}: {exc}")
        except Exception as exc:  # an engine's own bug: contained, counted against it
            failed = True
            log.warning("engine %s failed", name, exc_info=True)
            self.skipped.append(f"engine {name} failed: {type(exc).__name__}")
        finally:
            if failed:
                budget.circuits.failure(name)
            else:
                budget.circuits.success(name)
            if session is not None:
                try:
                    usage = session.usage
                    self.result.usage.append(usage)
                    budget.tokens.spend(usage.input_tokens + usage.output_tokens)
                except Exception:
                    log.debug("engine %s usage unreadable", name, exc_info=True)

    def verify(self, batch: Sequence[Candidate]) -> bool:
        """Verify a batch; True once an acceptable candidate is chosen."""
        t0 = time.perf_counter()
        with telemetry.span("verify", candidates=len(batch)) as span:
            outcomes = run_verification(self.plan, batch)
            try:
                for outcome in outcomes:
                    self.result.outcomes.append(outcome)
                    if not outcome.verdict.ok:
                        continue
                    candidate = outcome.candidate
                    if not self.inputs.allow_guesses and _guessed(
                        outcome, self.covered, self.plan.target.source
                    ):
                        self.guess = self.guess or candidate
                        continue
                    if _disagreed(outcome.verdict):
                        self.hold(outcome)
                        continue
                    self.choose(outcome)
                    span.set(verdict="verified", candidate=candidate.id)
                    return True
                if self.patience_spent() and self.settle_held():
                    span.set(verdict="verified", candidate=self.result.chosen.id)  # type: ignore[union-attr]
                    return True
                return False
            finally:
                close = getattr(outcomes, "close", None)
                if close is not None:
                    close()
                self.verify_s += time.perf_counter() - t0

    def explain(self) -> str:
        tried = len(self.result.outcomes)
        skipped = "; ".join(self.skipped)
        if self.result.chosen is not None:
            return (
                f"verified a patch from {self.result.chosen.engine} ({tried} tried); "
                f"{self.grounds}"
            )
        if self.guess is not None:
            return (
                f"only a guess verified ({self.guess.description or 'unexplained edit'}): "
                "nothing but the failing input checked it, or it invents a value for that "
                "input; not swapped in (add examples, properties or type hints, or set "
                "allow_guesses=True); it is in the record for review"
            )
        first = next((o.verdict for o in self.result.outcomes if not o.verdict.ok), None)
        detail = f"; first rejection: {first.failed_layer}: {first.reason}" if first else ""
        why = "the budget ran out" if self.out_of_budget() else "the engines had no more"
        text = f"no candidate verified ({tried} tried, {why}){detail}"
        return f"{text}; {skipped}" if skipped else text


def search(report: FailureReport, inputs: HealInputs) -> HealResult:
    """Ask the engines for candidates and verify them until one is acceptable."""
    return _Search(report, inputs).run()
