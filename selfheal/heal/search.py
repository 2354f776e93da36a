"""Search: ask the engines for candidates and verify them until one is acceptable.

Owns the propose/verify loop of one heal: engines in order (skipping those whose
circuit is open or whose token budget is spent), batches verified as they arrive,
budgets of time and candidates, and what counts as acceptable (a verified candidate
that is not a guess, or a guess the user allowed). It must not capture, install or
store anything; `pipeline` does, around it.

Engines are untrusted code: each call of one runs in a thread of its own and is waited
for only until the heal's deadline. An engine that hangs is abandoned there, one that
raises anything (a BaseException included) is counted as failed, and either way the
search returns, so its attempt still becomes a record. Each answer is cut to the answer
limits (`engines.base.bounded_candidates`) before anything reads its candidates.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from selfheal import budget, telemetry
from selfheal.budget import Budget
from selfheal.config import Settings
from selfheal.engines import resolve_engines
from selfheal.engines.base import (
    AnswerLimits,
    Engine,
    EngineSession,
    RepairRequest,
    bounded_candidates,
)
from selfheal.errors import SelfHealError
from selfheal.heal.outcomes import PastOutcomes
from selfheal.models import (
    Call,
    Candidate,
    CandidateOutcome,
    FailureReport,
    Usage,
    Verdict,
)
from selfheal.priors import KindPriors, Similar
from selfheal.verify import VerificationPlan
from selfheal.verify import verify as run_verification
from selfheal.verify.effects import missing_names, new_effects
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
    # `outcomes.fix_key`s never to propose again: the same fix in other text, any engine.
    exclude_fixes: frozenset[str] = frozenset()
    # The input engines localise on, when the plan has none (a wrong-result example).
    failing: Call | None = None
    settings: Settings | None = None  # for engine gates (circuits, process token budget)
    # Patches of this same failure already live or approved elsewhere (another worker
    # process): verified here first, so the processes of one service converge on one fix.
    preferred: tuple[Candidate, ...] = ()
    # The project's decisions per fix kind, handed to the engines (see selfheal.priors).
    kind_priors: KindPriors = field(default_factory=KindPriors)
    # The fixes behind `exclude_fixes`, newest decision first: an LLM is told them up front.
    undone: tuple[Candidate, ...] = ()
    # Approved fixes of similar failures and the project's guidance, for LLM prompts.
    similar_fixes: tuple[Similar, ...] = ()
    guidance: str = ""


T = TypeVar("T")


class _EngineHung(Exception):
    """An engine call did not return before the heal's deadline."""


class _EngineRaised(Exception):
    """An engine call raised something that is not an Exception (SystemExit, ...)."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.error = error


def _call_engine(func: Callable[[], T], deadline: float, name: str) -> T:
    """`func()` in a daemon thread, waited for until `deadline` (monotonic).

    The thread is the engine's: a BaseException raised there was raised by the engine
    (signals reach only the main thread), so it comes back as _EngineRaised, an
    ordinary exception. A KeyboardInterrupt in the waiting thread is the user's, and
    goes on up untouched.
    """
    box: dict[str, Any] = {}
    done = threading.Event()
    context = contextvars.copy_context()  # the caller's span stays the parent

    def run() -> None:
        try:
            box["value"] = context.run(func)
        except BaseException as exc:  # the engine's own, handed to the waiter
            box["error"] = exc
        finally:
            done.set()

    thread = threading.Thread(target=run, name=f"selfheal-engine-{name}", daemon=True)
    thread.start()
    timeout = None if deadline == float("inf") else max(0.0, deadline - time.monotonic())
    if not done.wait(timeout):
        raise _EngineHung(name)
    if "error" in box:
        error = box["error"]
        if isinstance(error, Exception):
            raise error
        raise _EngineRaised(error)
    value: T = box["value"]
    return value


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
_STALE_BATCHES = 3  # batches in a row with nothing new before an engine counts as done
_REFUSED = (
    "not run: this fix was rejected by a person or rolled back for this failure before; "
    "propose a different fix"
)


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
        self.excluded = PastOutcomes(inputs.exclude, inputs.exclude_fixes)
        self.refused: list[CandidateOutcome] = []
        self.guess: Candidate | None = None
        self.effectful: CandidateOutcome | None = None  # verified, but gains an effect
        self.verify_s = 0.0
        self.skipped: list[str] = []
        self.answers = AnswerLimits.from_settings(inputs.settings)
        self.grounds = ""  # why the chosen candidate was acceptable
        # The best verified candidate so far that disagrees on generated inputs, and
        # when (outcome count, clock) the search started holding one.
        self.held: CandidateOutcome | None = None
        self.held_since: tuple[int, float] = (0, 0.0)

    def fresh(self, candidate: Candidate) -> bool:
        """Not tried in this search, and not a fix that was rejected or rolled back."""
        if candidate.id in self.seen:
            return False
        if self.excluded.excludes(candidate):
            self.seen.add(candidate.id)  # parse its source once, not on every repeat
            # Told to the engine with the verdicts, so a model does not offer it again;
            # not an outcome of this search (nothing ran it).
            self.refused.append(CandidateOutcome(candidate=candidate, verdict=Verdict(
                candidate_id=candidate.id, ok=False, reason=_REFUSED)))
            return False
        return True

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
            kind_priors=inputs.kind_priors,
            similar_fixes=inputs.similar_fixes,
            guidance=inputs.guidance,
            undone=inputs.undone,
        )

    def run(self) -> HealResult:
        started = time.perf_counter()
        try:
            engines = resolve_engines(self.inputs.engine)
        except SelfHealError as exc:
            self.result.reason = f"no engine: {exc}"
            return self.result
        preferred = [c for c in self.inputs.preferred if self.fresh(c)]
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
            effectful = self.effectful.candidate if self.effectful is not None else None
            self.result.proposal = self.guess or effectful
        return self.result

    def ask(self, engine: Engine, name: str) -> None:
        stale = 0  # batches in a row that held only refused fixes
        session: EngineSession | None = None
        failed = False
        hung = False
        deadline = self.deadline
        try:
            request = self.request()
            with telemetry.span("propose", engine=name):
                session = _call_engine(lambda: engine.open(request), deadline, name)
            while not self.out_of_budget():
                with telemetry.span("propose", engine=name):
                    proposed = _call_engine(
                        functools.partial(
                            session.next_batch, [*self.result.outcomes, *self.refused]
                        ),
                        deadline, name)
                batch = self.bounded(proposed, name)
                if not batch:
                    break
                batch = [c for c in batch if self.fresh(c)]
                if not batch:
                    # Only fixes rejected or rolled back before: the engine may have more
                    # behind them (the offline engine's first choice was the rejected one),
                    # but one that repeats them forever must not hold the search.
                    stale += 1
                    if stale >= _STALE_BATCHES:
                        break
                    continue
                stale = 0
                batch = batch[: self.limit - len(self.result.outcomes)]
                self.seen.update(c.id for c in batch)
                if self.verify(batch):
                    break
        except _EngineHung:
            failed = hung = True
            log.warning("engine %s did not answer before the heal's deadline; abandoned", name)
            self.skipped.append(f"engine {name} did not answer within the budget; abandoned")
        except _EngineRaised as exc:
            failed = True
            log.warning("engine %s raised %s", name, exc)
            self.skipped.append(f"engine {name} raised {type(exc.error).__name__}")
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
            # An abandoned session may still be running: its usage is not settled.
            if session is not None and not hung:
                try:
                    usage = session.usage
                    self.result.usage.append(usage)
                    budget.tokens.spend(usage.input_tokens + usage.output_tokens)
                except Exception:
                    log.debug("engine %s usage unreadable", name, exc_info=True)

    def bounded(self, proposed: Any, name: str) -> list[Candidate]:
        """The new candidates of one answer, within the answer limits.

        An engine's garbage is dropped here, not trusted downstream; nothing but a length
        is read from a candidate before it passes the limits.
        """
        try:
            items = iter(proposed)
        except TypeError:
            self.skipped.append(f"engine {name} answered a {type(proposed).__name__}, "
                                "not a list of candidates")
            return []
        candidates = (c for c in items if isinstance(c, Candidate))
        kept, dropped = bounded_candidates(candidates, self.answers,
                                           self.result.report.function.source,
                                           lambda c: c.source)
        if dropped:
            shown = "; ".join(dropped[:3]) + ("; ..." if len(dropped) > 3 else "")
            self.skipped.append(f"engine {name}: dropped {len(dropped)} of its answer "
                                f"({shown})")
        return [c for c in kept if c.id not in self.seen]

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
                        self.effectful = self.effectful or outcome
                        continue
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
            return (
                f"verified a patch from {self.result.chosen.engine} ({tried} tried); "
                f"{self.grounds}"
            )
        effectful = self.effectful
        if effectful is not None and (self.guess is None or effectful.candidate is self.guess):
            effects = effectful.verdict.effects
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
