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
from selfheal.verify.effects import missing_names, new_effects

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
        self.held: CandidateOutcome | None = None  # verified, but gains an effect
        self.verify_s = 0.0
        self.skipped: list[str] = []

    def out_of_budget(self) -> bool:
        return time.monotonic() >= self.deadline or len(self.result.outcomes) >= self.limit

    def request(self) -> RepairRequest:
        plan, inputs = self.plan, self.inputs
        return RepairRequest(
            report=self.result.report,
            function=plan.function,
            exception=inputs.exception,
            failing=plan.failing or inputs.failing,
            examples=plan.examples,
            recorded=tuple(r.call for r in plan.recorded),
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
        self.result.timings["verify_s"] = self.verify_s
        self.result.timings["propose_s"] = max(0.0, time.perf_counter() - started - self.verify_s)
        self.result.reason = self.explain()
        if self.result.chosen is None:
            held = self.held.candidate if self.held is not None else None
            self.result.proposal = self.guess or held
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
                for verified in outcomes:
                    outcome = self.with_effects(verified)
                    self.result.outcomes.append(outcome)
                    if not outcome.verdict.ok:
                        continue
                    candidate = outcome.candidate
                    if outcome.verdict.effects:
                        # The effect rule: whatever the checks say, a patch that gains
                        # an effect is for a person to review, never swapped in.
                        self.held = self.held or outcome
                        continue
                    if not self.inputs.allow_guesses and (
                        (candidate.guess and not self.covered) or not _evidence(outcome.verdict)
                    ):
                        self.guess = self.guess or candidate
                        continue
                    self.result.chosen = candidate
                    span.set(verdict="verified", candidate=candidate.id)
                    return True
                return False
            finally:
                close = getattr(outcomes, "close", None)
                if close is not None:
                    close()
                self.verify_s += time.perf_counter() - t0

    def with_effects(self, outcome: CandidateOutcome) -> CandidateOutcome:
        """A verified outcome with the effects its patch gains over the original."""
        if not outcome.verdict.ok:
            return outcome
        report = self.result.report
        missing = frozenset().union(*(missing_names(e.message) for e in report.chain))
        found = new_effects(outcome.candidate.source, self.plan.function,
                            self.plan.target.source, missing)
        if not found:
            return outcome
        verdict = outcome.verdict.model_copy(update={"effects": tuple(map(str, found))})
        return outcome.model_copy(update={"verdict": verdict})

    def explain(self) -> str:
        tried = len(self.result.outcomes)
        skipped = "; ".join(self.skipped)
        if self.result.chosen is not None:
            return f"verified a patch from {self.result.chosen.engine} ({tried} tried)"
        if self.held is not None and (self.guess is None or self.held.candidate is self.guess):
            effects = self.held.verdict.effects
            more = f" and {len(effects) - 1} more" if len(effects) > 1 else ""
            return (
                f"verified, but not swapped in: the patch does what the original does not "
                f"at that place ({effects[0]}{more}); the effect rule keeps such a patch for "
                "review; it is in the record"
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
