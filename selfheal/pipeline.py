"""The heal loop: the only module that knows the order of the stages.

capture -> propose (engines) -> verify (sandbox) -> swap -> retry -> store, or fall back.

Two entry points: `heal()` runs the stages for one failure and returns what happened
(used by the request path and by `repair()`), and `handle()` / `ahandle()` are the
request path of an instrumented function: they decide between a healed result, a
declared fallback and the original exception.

The one rule lives here: selfheal never makes a failure worse. Every internal error is
contained and logged; the caller then sees the original exception object, with its
original traceback, and a note saying what selfheal tried.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from selfheal import budget, capture, flight, swap, telemetry
from selfheal.config import Settings
from selfheal.engines import resolve_engines
from selfheal.engines.base import Budget, Engine, EngineSession, RepairRequest
from selfheal.errors import SelfHealError
from selfheal.instrument.options import MISSING, Effective
from selfheal.instrument.source import parameter_names
from selfheal.instrument.target import Target, live_patches
from selfheal.models import (
    Call,
    Candidate,
    CandidateOutcome,
    FailureReport,
    Fingerprint,
    PatchRecord,
    PatchStatus,
    StatusChange,
    StoredCall,
    Usage,
    Verdict,
)
from selfheal.store import PatchStore, open_store
from selfheal.store.replay import stored_inputs
from selfheal.verify import Limits, VerificationPlan
from selfheal.verify import verify as run_verification
from selfheal.verify.isolate import in_child

log = logging.getLogger("selfheal")
telemetry.set_live_counter(live_patches)


class _Reraise:
    def __repr__(self) -> str:
        return "RERAISE"


RERAISE: Any = _Reraise()
_HANDLED = "_selfheal_handled_"


# --------------------------------------------------------------------------- heal


@dataclass
class HealResult:
    """What one run of the stages produced."""

    report: FailureReport
    record: PatchRecord | None = None
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
        for engine in engines:
            name = str(getattr(engine, "name", type(engine).__name__))
            refused = _engine_gate(name, self.inputs.settings)
            if refused is not None:
                self.skipped.append(refused)
                continue
            self.ask(engine, name)
            if self.result.chosen is not None or self.out_of_budget():
                break
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

    def explain(self) -> str:
        tried = len(self.result.outcomes)
        skipped = "; ".join(self.skipped)
        if self.result.chosen is not None:
            return f"verified a patch from {self.result.chosen.engine} ({tried} tried)"
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


def new_record_id(fingerprint: Fingerprint) -> str:
    return f"{fingerprint.key[:8]}-{uuid.uuid4().hex[:8]}"


def _build_record(
    result: HealResult,
    mode: str,
    engines: Sequence[str],
    status: PatchStatus,
    inputs: tuple[StoredCall, ...] = (),
) -> PatchRecord:
    from selfheal.patchfile import make_diff

    fingerprint = Fingerprint.of(result.report)
    patch = result.chosen or result.proposal
    diff, diff_path = "", ""
    if patch is not None:
        try:
            diff, diff_path = make_diff(result.report.function, patch.source)
        except Exception:
            log.warning(
                "could not build a diff for %s", result.report.function.qualname, exc_info=True
            )
    history = [StatusChange(status=PatchStatus.PROPOSED, reason="failure captured")]
    if status is not PatchStatus.PROPOSED:
        history.append(StatusChange(status=PatchStatus.VERIFIED, reason=result.reason))
    if status is PatchStatus.LIVE:
        history.append(StatusChange(status=PatchStatus.LIVE, reason="swapped in"))
    return PatchRecord(
        id=new_record_id(fingerprint),
        fingerprint=fingerprint,
        status=status,
        mode=mode,
        report=result.report,
        engines=tuple(engines),
        usage=tuple(result.usage),
        candidates=tuple(result.outcomes),
        chosen=patch,
        inputs=inputs,
        diff=diff,
        diff_path=diff_path,
        timings=dict(result.timings),
        history=tuple(history),
        note=result.reason,
    )


# ------------------------------------------------------------- the stages, for a live function


def _store_for(eff: Effective) -> PatchStore:
    return open_store(eff.settings.store)


def _save(eff: Effective, record: PatchRecord) -> str:
    """Save a record; returns where a person finds it ("" if the store failed)."""
    with telemetry.span("store", record=record.id):
        try:
            _store_for(eff).save(record)
            return f"selfheal show {record.id} (store {eff.settings.store})"
        except Exception as exc:
            log.warning("could not save record %s: %s", record.id, exc)
            return f"the record could not be saved ({type(exc).__name__}: {exc})"


@dataclass(frozen=True)
class Failure:
    """One failure of a live function: an exception, or a property its result broke."""

    call: Call
    exc: BaseException | None = None
    result: Any = None  # the result that broke the property
    prop: Any = None
    why: str = ""

    @property
    def kind(self) -> str:
        return "exception" if self.exc is not None else "property"


@dataclass
class Decision:
    """What the request path does with a failure."""

    retry: Callable[..., Any] | None = None  # call this with the failing inputs
    note: str = ""
    record_id: str = ""


def _plan(target: Target, eff: Effective, failure: Failure) -> VerificationPlan:
    settings = eff.settings
    options = target.options
    return VerificationPlan(
        function=target.original_function(),
        live=target.live,
        target=target.ref,
        failing=failure.call,
        failing_kind=failure.kind,  # type: ignore[arg-type]
        recorded=target.recorder.calls() if target.recorder is not None else (),
        examples=options.examples,
        properties=options.properties,
        checks=options.checks,
        hypothesis=settings.hypothesis,
        allowed_imports=settings.allowed_imports,
        limits=Limits(check_timeout_s=settings.check_timeout_s, memory_mb=settings.memory_mb),
    )


def _capture(target: Target, failure: Failure) -> FailureReport:
    recorded = target.recorder.calls() if target.recorder is not None else ()
    if failure.exc is not None:
        return capture.capture_exception(
            failure.exc, target.ref, target.own_codes(), failure.call, recorded
        )
    return capture.capture_violation(
        target.ref, failure.call, failure.result, failure.prop, recorded, failure.why
    )


def _excluded(target: Target, eff: Effective, fingerprint: Fingerprint) -> frozenset[str]:
    """Candidates never to propose again: rolled back here, or rejected by a person."""
    excluded = set(target.rejected)
    undone = (PatchStatus.ROLLED_BACK, PatchStatus.REJECTED)
    try:
        store = _store_for(eff)
        entries = getattr(store, "entries", None)
        if callable(entries):
            # Record ids start with the fingerprint: read only this failure's records.
            prefix = fingerprint.key[:8]
            ids = [
                e.id
                for e in entries()
                if e.id.startswith(prefix) and e.status in {u.value for u in undone}
            ]
            records = [store.load(i) for i in ids]
        else:
            records = store.list()
        for record in records:
            if (
                record.fingerprint.key == fingerprint.key
                and record.chosen is not None
                and record.status in undone
            ):
                excluded.add(record.chosen.id)
    except Exception:
        log.debug("could not read past records", exc_info=True)
    return frozenset(excluded)


def heal(
    target: Target, failure: Failure, eff: Effective, captured: Callable[[], None] = lambda: None
) -> Decision:
    """capture -> propose/verify -> swap -> store, for one failure of a live function."""
    started = time.perf_counter()
    qualname = target.ref.qualname
    telemetry.count("attempted", {"selfheal.function": qualname})
    with telemetry.span("heal", function=qualname, mode=eff.mode, kind=failure.kind) as span:
        with telemetry.span("capture"):
            report = _capture(target, failure)
        captured()  # the caller's frames may move on now
        fingerprint = Fingerprint.of(report)
        span.set(fingerprint=fingerprint.key)
        timings = {"capture_s": time.perf_counter() - started}
        decision = _heal_stages(target, failure, eff, report, fingerprint, timings)
        healed = decision.retry is not None
        span.set(verdict="healed" if healed else "fallback", patch=decision.record_id)
        if not healed:
            span.error(decision.note)
    telemetry.count("succeeded" if healed else "failed", {"selfheal.function": qualname})
    telemetry.record_duration(time.perf_counter() - started, {"selfheal.function": qualname})
    return decision


def _heal_stages(
    target: Target,
    failure: Failure,
    eff: Effective,
    report: FailureReport,
    fingerprint: Fingerprint,
    timings: dict[str, float],
) -> Decision:
    if eff.mode == "observe":
        result = HealResult(report=report, reason="observe mode: report stored, nothing proposed")
        result.timings.update(timings)
        record = _build_record(result, eff.mode, (), PatchStatus.PROPOSED)
        return Decision(note=f"{result.reason}; {_save(eff, record)}", record_id=record.id)
    inputs = HealInputs(
        plan=_plan(target, eff, failure),
        engine=eff.engine,
        budget=eff.budget,
        allow_guesses=eff.allow_guesses,
        exception=failure.exc,
        exclude=_excluded(target, eff, fingerprint),
        settings=eff.settings,
    )
    result = search(report, inputs)
    result.timings.update(timings)
    engines = tuple(u.engine for u in result.usage)
    # What replay needs to re-run verification offline (JSON-safe, secret-free only).
    kept = stored_inputs(inputs.plan, parameter_names(target.source.node))

    def record_with(status: PatchStatus) -> PatchRecord:
        return _build_record(result, eff.mode, engines, status, kept)

    chosen = result.chosen
    if chosen is None:
        status = PatchStatus.VERIFIED if result.proposal is not None else PatchStatus.PROPOSED
        record = record_with(status)
        return Decision(note=f"{result.reason}; {_save(eff, record)}", record_id=record.id)
    if eff.mode != "heal":
        record = record_with(PatchStatus.VERIFIED)
        where = _save(eff, record)
        return Decision(
            note=f"{result.reason}; {eff.mode} mode, not swapped in; {where}", record_id=record.id
        )
    record = record_with(PatchStatus.LIVE)
    with telemetry.span("swap", record=record.id):
        try:
            patch = swap.build_patch(target, chosen, record.id)
        except SelfHealError as exc:
            record = record_with(PatchStatus.VERIFIED)
            where = _save(eff, record)
            return Decision(note=f"a verified patch could not be swapped in ({exc}); {where}")
        # A patch goes live only with its record saved: nobody could review it otherwise.
        where = _save(eff, record)
        if not where.startswith("selfheal show"):
            return Decision(note=f"{result.reason}; not swapped in: {where}")
        installed = swap.install_if_original(target, patch)
    if not installed:
        # Another heal of this function went live while this one ran: keep that one.
        record = record.model_copy(
            update={"status": PatchStatus.VERIFIED, "history": record.history[:-1]}
        )
        where = _save(eff, record)
        live = target.patch
        return Decision(
            retry=live.plain if (live is not None and eff.retry) else None,
            note=f"verified, but another patch went live meanwhile; kept that one; {where}",
            record_id=record.id,
        )
    target.heals += 1
    log.warning(
        "selfheal: healed %s with a patch from %s (%s)", target.ref.qualname, chosen.engine, where
    )
    return Decision(
        retry=patch.plain if eff.retry else None,
        note=f"{result.reason}; patch live; {where}",
        record_id=record.id,
    )


# --------------------------------------------------------------------------- request path


def _note(exc: BaseException, text: str) -> None:
    note = f"selfheal: {text}"
    try:
        if hasattr(exc, "add_note"):
            exc.add_note(note)
        else:  # Python 3.10: same attribute, printed by newer tracebacks only
            notes = list(getattr(exc, "__notes__", []))
            notes.append(note)
            exc.__notes__ = notes  # type: ignore[attr-defined]
    except Exception:
        log.debug("could not add a note to %r", type(exc), exc_info=True)


def _mark(exc: BaseException) -> bool:
    """Mark an exception as seen; False if it already was (an outer recursive frame)."""
    if getattr(exc, _HANDLED, False):
        return False
    try:
        setattr(exc, _HANDLED, True)
    except Exception:
        return True
    return True


def _last_frame(exc: BaseException) -> tuple[Any, int] | None:
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb
        tb = tb.tb_next
    return (last.tb_frame.f_code, last.tb_lineno) if last is not None else None


def _is_failure(target: Target, exc: BaseException) -> bool:
    options = target.options
    if not isinstance(exc, options.heal_on) or isinstance(exc, options.ignore):
        return False
    # An explicit `raise` in the function's own body is part of its contract.
    last = _last_frame(exc)
    if last is not None and last[0] in target.original_codes():
        return last[1] not in target.source.raise_lines
    return True


def _flight_key(target: Target, failure: Failure) -> str:
    """The failure's identity before capture (cheap): function, exception type, line."""
    if failure.exc is None:
        prop = getattr(failure.prop, "__qualname__", repr(failure.prop))
        return f"{target.fid}:property:{prop}"
    line = capture.failing_line(failure.exc, target.own_codes())
    return f"{target.fid}:{type(failure.exc).__qualname__}:{line}"


def _rollback(target: Target, eff: Effective, why: str) -> str:
    patch = swap.revert(target)
    if patch is None:
        return ""
    target.rejected.add(patch.candidate.id)
    telemetry.count("rolled_back", {"selfheal.function": target.ref.qualname})
    if patch.record_id:
        try:
            _store_for(eff).transition(patch.record_id, PatchStatus.ROLLED_BACK, reason=why)
        except Exception:
            log.warning("could not record the rollback of %s", patch.record_id, exc_info=True)
    log.warning(
        "selfheal: rolled back patch %s of %s: %s", patch.record_id, target.ref.qualname, why
    )
    return f"rolled back live patch {patch.record_id}: {why}"


def _precheck(target: Target, failure: Failure, eff: Effective) -> Decision | None:
    """Failures that involve a live patch are settled here, without a heal."""
    with target.lock:
        patch = target.patch
        if patch is None:
            return None
        if failure.exc is None:
            return Decision(note=_rollback(target, eff, "it broke a property"))
        patch_codes = {*patch.codes.values(), patch.plain.__code__}
        if capture.failing_line(failure.exc, patch_codes) is not None:
            return Decision(note=_rollback(target, eff, f"it raised {type(failure.exc).__name__}"))
        # It came from the original code, in a call that started before the swap.
        if eff.retry:
            return Decision(retry=patch.plain, note="retried on the live patch")
        return Decision(note="a patch is live; this call started before it went live")


def _policy(eff: Effective) -> flight.Policy:
    settings = eff.settings
    return flight.Policy(
        while_healing=settings.while_healing,
        wait_s=settings.wait_s,
        background=settings.background,
        budget_s=eff.budget.seconds or settings.budget_s,
        max_concurrent=settings.max_concurrent_heals,
        attempts=settings.attempts_per_window,
        window_s=settings.window_s,
    )


def _prepare(target: Target, failure: Failure) -> tuple[Effective, Decision | None] | None:
    """None when selfheal stays out of it; else the options and maybe a decision."""
    if in_child():
        return None
    if failure.exc is not None and (not _mark(failure.exc) or not _is_failure(target, failure.exc)):
        return None
    eff = target.options.effective(target.live.__module__)
    if eff.settings.disabled:
        return None
    return eff, _precheck(target, failure, eff)


def _work(target: Target, failure: Failure, eff: Effective) -> flight.Work:
    ctx = telemetry.current_context()  # taken in the caller's thread

    def work(captured: Callable[[], None]) -> Decision:
        with telemetry.attached(ctx):
            return heal(target, failure, eff, captured)

    return work


def _decide(target: Target, failure: Failure) -> Decision | None:
    prepared = _prepare(target, failure)
    if prepared is None:
        return None
    eff, decision = prepared
    if decision is not None:
        return decision
    result: Decision = flight.run(
        _flight_key(target, failure),
        _work(target, failure, eff),
        _policy(eff),
        lambda why: Decision(note=why),
    )
    return result


async def _adecide(target: Target, failure: Failure) -> Decision | None:
    prepared = _prepare(target, failure)
    if prepared is None:
        return None
    eff, decision = prepared
    if decision is not None:
        return decision
    result: Decision = await flight.arun(
        _flight_key(target, failure),
        _work(target, failure, eff),
        _policy(eff),
        lambda why: Decision(note=why),
    )
    return result


def _fallback(
    target: Target,
    exc: BaseException | None,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    note: str,
    default: Any = RERAISE,
) -> Any:
    """The declared fallback, or `default` (the original exception / result)."""
    if exc is not None and note:
        _note(exc, note)
    fallback = target.options.fallback
    if fallback is MISSING:
        return default
    if callable(fallback):
        try:
            return fallback(exc, *args, **kwargs)
        except Exception as fb_exc:
            if exc is not None:
                _note(exc, f"the fallback raised {type(fb_exc).__name__}: {fb_exc}")
            log.warning("the fallback of %s raised", target.ref.qualname, exc_info=True)
            return default
    return fallback


def _retry_failed(target: Target, retry_exc: BaseException) -> str:
    try:
        return _rollback(
            target,
            target.options.effective(target.live.__module__),
            f"the retry raised {type(retry_exc).__name__}",
        )
    except Exception:
        log.exception("selfheal could not roll back %s", target.ref.qualname)
        return ""


def _healed(target: Target, decision: Decision) -> None:
    telemetry.healed_event(function=target.ref.qualname, patch=decision.record_id)


def handle(target: Target, exc: Exception, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """The request path after an instrumented sync function raised."""
    try:
        decision = _decide(target, Failure(Call(args, kwargs), exc=exc))
    except Exception:
        log.exception("selfheal failed while handling %s; re-raising the original", type(exc))
        return RERAISE
    if decision is None:
        return RERAISE
    if decision.retry is not None:
        try:
            value = decision.retry(*args, **kwargs)
        except Exception as retry_exc:
            why = _retry_failed(target, retry_exc)
            return _fallback(target, exc, args, kwargs, f"the retry on the patch raised; {why}")
        _healed(target, decision)
        return value
    return _fallback(target, exc, args, kwargs, decision.note)


async def ahandle(
    target: Target, exc: Exception, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """The request path after an instrumented coroutine raised (the loop keeps running)."""
    try:
        decision = await _adecide(target, Failure(Call(args, kwargs), exc=exc))
    except Exception:
        log.exception("selfheal failed while handling %s; re-raising the original", type(exc))
        return RERAISE
    if decision is None:
        return RERAISE
    if decision.retry is not None:
        try:
            value = await decision.retry(*args, **kwargs)
        except Exception as retry_exc:
            why = _retry_failed(target, retry_exc)
            return _fallback(target, exc, args, kwargs, f"the retry on the patch raised; {why}")
        _healed(target, decision)
        return value
    return _fallback(target, exc, args, kwargs, decision.note)


def check_result(
    target: Target, args: tuple[Any, ...], kwargs: dict[str, Any], result: Any
) -> Failure | None:
    """The first property the result breaks, as a Failure; None when all hold."""
    for prop in target.options.properties:
        try:
            if prop(result, *args, **kwargs):
                continue
            why = "returned False"
        except Exception as exc:
            why = f"raised {type(exc).__name__}"
        return Failure(Call(args, kwargs), result=result, prop=prop, why=why)
    return None


def on_violation(target: Target, failure: Failure) -> Any:
    """A property broke: the healed result, else the fallback, else the original result."""
    args, kwargs = tuple(failure.call.args), dict(failure.call.kwargs)
    try:
        decision = _decide(target, failure)
    except Exception:
        log.exception("selfheal failed while handling a property violation")
        return failure.result
    if decision is None:
        return failure.result
    log.warning(
        "selfheal: %s broke a property (%s): %s", target.ref.qualname, failure.why, decision.note
    )
    if decision.retry is not None:
        try:
            value = decision.retry(*args, **kwargs)
            _healed(target, decision)
            return value
        except Exception as retry_exc:
            _retry_failed(target, retry_exc)
    return _fallback(target, None, args, kwargs, "", default=failure.result)


async def aon_violation(target: Target, failure: Failure) -> Any:
    args, kwargs = tuple(failure.call.args), dict(failure.call.kwargs)
    try:
        decision = await _adecide(target, failure)
    except Exception:
        log.exception("selfheal failed while handling a property violation")
        return failure.result
    if decision is None:
        return failure.result
    log.warning(
        "selfheal: %s broke a property (%s): %s", target.ref.qualname, failure.why, decision.note
    )
    if decision.retry is not None:
        try:
            value = await decision.retry(*args, **kwargs)
            _healed(target, decision)
            return value
        except Exception as retry_exc:
            _retry_failed(target, retry_exc)
    return _fallback(target, None, args, kwargs, "", default=failure.result)
