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

import asyncio
import logging
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from selfheal import capture, swap
from selfheal.engines import resolve_engines
from selfheal.engines.base import Budget, RepairRequest
from selfheal.errors import SelfHealError
from selfheal.instrument.options import MISSING, Effective
from selfheal.instrument.target import Target
from selfheal.models import (
    Call,
    Candidate,
    CandidateOutcome,
    FailureReport,
    Fingerprint,
    PatchRecord,
    PatchStatus,
    StatusChange,
    Usage,
)
from selfheal.store import PatchStore, open_store
from selfheal.verify import Limits, VerificationPlan
from selfheal.verify import verify as run_verification
from selfheal.verify.isolate import in_child

log = logging.getLogger("selfheal")


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


def search(report: FailureReport, inputs: HealInputs) -> HealResult:
    """Ask the engines for candidates and verify them until one is acceptable."""
    result = HealResult(report=report)
    plan = inputs.plan
    budget = inputs.budget
    deadline = time.monotonic() + (budget.seconds or float("inf"))
    limit = budget.candidates or 10**9
    covered = _covered(plan)
    seen: set[str] = set(inputs.exclude)
    guess_passed: Candidate | None = None
    start = time.perf_counter()
    verify_s = 0.0
    try:
        engines = resolve_engines(inputs.engine)
    except SelfHealError as exc:
        result.reason = f"no engine: {exc}"
        return result

    def verify_batch(batch: Sequence[Candidate]) -> Iterator[CandidateOutcome]:
        return run_verification(plan, batch)

    for engine in engines:
        request = RepairRequest(
            report=report,
            function=plan.function,
            exception=inputs.exception,
            failing=plan.failing or inputs.failing,
            examples=plan.examples,
            recorded=tuple(r.call for r in plan.recorded),
            properties=plan.properties,
            budget=Budget(
                seconds=max(0.0, deadline - time.monotonic()),
                candidates=limit - len(result.outcomes),
                tokens=budget.tokens,
            ),
        )
        session = None
        try:
            session = engine.open(request)
            while time.monotonic() < deadline and len(result.outcomes) < limit:
                batch = [
                    c for c in session.next_batch(list(result.outcomes)) if c.id not in seen
                ]
                if not batch:
                    break
                batch = batch[: limit - len(result.outcomes)]
                seen.update(c.id for c in batch)
                t0 = time.perf_counter()
                outcomes = verify_batch(batch)
                try:
                    for outcome in outcomes:
                        result.outcomes.append(outcome)
                        if not outcome.verdict.ok:
                            continue
                        if outcome.candidate.guess and not (inputs.allow_guesses or covered):
                            guess_passed = guess_passed or outcome.candidate
                            continue
                        result.chosen = outcome.candidate
                        break
                finally:
                    close = getattr(outcomes, "close", None)
                    if close is not None:
                        close()
                    verify_s += time.perf_counter() - t0
                if result.chosen is not None or time.monotonic() >= deadline:
                    break
        except SelfHealError as exc:
            log.info("engine %s gave up: %s", engine.name, exc)
            result.reason = f"engine {engine.name}: {exc}"
        finally:
            if session is not None:
                try:
                    result.usage.append(session.usage)
                except Exception:
                    log.debug("engine %s usage unreadable", engine.name, exc_info=True)
        if result.chosen is not None or time.monotonic() >= deadline:
            break
    result.timings["verify_s"] = verify_s
    result.timings["propose_s"] = max(0.0, time.perf_counter() - start - verify_s)
    tried = len(result.outcomes)
    if result.chosen is not None:
        result.reason = f"verified a patch from {result.chosen.engine} ({tried} tried)"
    elif guess_passed is not None:
        result.chosen = None
        result.reason = (
            f"only a guess verified ({guess_passed.description or 'returns a constant'}); "
            "not used: allow_guesses is off and no example or property covers the input"
        )
    elif not result.reason:
        first = next((o.verdict for o in result.outcomes if not o.verdict.ok), None)
        detail = f"; first rejection: {first.failed_layer}: {first.reason}" if first else ""
        why = "the engines had no more" if time.monotonic() < deadline else "the budget ran out"
        result.reason = f"no candidate verified ({tried} tried, {why}){detail}"
    return result


def new_record_id(fingerprint: Fingerprint) -> str:
    return f"{fingerprint.key[:8]}-{uuid.uuid4().hex[:8]}"


def build_record(
    result: HealResult, mode: str, engines: Sequence[str], status: PatchStatus
) -> PatchRecord:
    from selfheal.patchfile import make_diff

    fingerprint = Fingerprint.of(result.report)
    diff, diff_path = "", ""
    if result.chosen is not None:
        try:
            diff, diff_path = make_diff(result.report.function, result.chosen.source)
        except Exception:
            log.warning("could not build a diff for %s", result.report.function.qualname, exc_info=True)
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
        chosen=result.chosen,
        diff=diff,
        diff_path=diff_path,
        timings=dict(result.timings),
        history=tuple(history),
        note=result.reason,
    )


# --------------------------------------------------------------------------- request path


def _store_for(eff: Effective) -> PatchStore:
    return open_store(eff.settings.store)


def _save(eff: Effective, record: PatchRecord) -> str:
    """Save a record; returns where a person finds it ("" if the store failed)."""
    try:
        _store_for(eff).save(record)
        return f"selfheal show {record.id} (store {eff.settings.store})"
    except Exception:
        log.warning("could not save record %s", record.id, exc_info=True)
        return ""


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


def _is_failure(target: Target, exc: BaseException) -> bool:
    options = target.options
    if not isinstance(exc, options.heal_on) or isinstance(exc, options.ignore):
        return False
    # An explicit `raise` in the function's own body is part of its contract.
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb
        tb = tb.tb_next
    if last is not None and last.tb_frame.f_code in (
        target.original_code,
        *target.codes.values(),
    ):
        return last.tb_lineno not in target.source.raise_lines
    return True


def _plan(target: Target, eff: Effective, call: Call, kind: str) -> VerificationPlan:
    settings = eff.settings
    options = target.options
    return VerificationPlan(
        function=target.original_function(),
        live=target.live,
        target=target.ref,
        failing=call,
        failing_kind=kind,  # type: ignore[arg-type]
        recorded=target.recorder.calls() if target.recorder is not None else (),
        examples=options.examples,
        properties=options.properties,
        checks=options.checks,
        hypothesis=settings.hypothesis,
        allowed_imports=settings.allowed_imports,
        limits=Limits(check_timeout_s=settings.check_timeout_s, memory_mb=settings.memory_mb),
    )


@dataclass
class Decision:
    """What the request path does with a failure."""

    retry: Callable[..., Any] | None = None  # call this with the failing inputs
    note: str = ""
    record_id: str = ""
    use_fallback: bool = True


def _fallback(
    target: Target, exc: BaseException, args: tuple[Any, ...], kwargs: dict[str, Any], note: str
) -> Any:
    if note:
        _note(exc, note)
    fallback = target.options.fallback
    if fallback is MISSING:
        return RERAISE
    if callable(fallback):
        try:
            return fallback(exc, *args, **kwargs)
        except Exception as fb_exc:
            _note(exc, f"the fallback raised {type(fb_exc).__name__}: {fb_exc}")
            return RERAISE
    return fallback


def _rollback(target: Target, eff: Effective, why: str) -> str:
    patch = swap.revert(target)
    if patch is None:
        return ""
    target.rejected.add(patch.candidate.id)
    if patch.record_id:
        try:
            _store_for(eff).transition(patch.record_id, PatchStatus.ROLLED_BACK, reason=why)
        except Exception:
            log.warning("could not record the rollback of %s", patch.record_id, exc_info=True)
    log.warning("rolled back patch %s of %s: %s", patch.record_id, target.ref.qualname, why)
    return f"rolled back live patch {patch.record_id}: {why}"


def decide(
    target: Target,
    exc: BaseException | None,
    call: Call,
    kind: str = "exception",
    violation: tuple[Any, Any, str] | None = None,
) -> Decision:
    """Run the heal loop for a failure of a live function (under the target's lock)."""
    if in_child():
        return Decision()
    eff = target.options.effective(target.live.__module__)
    with target.lock:
        started = time.perf_counter()
        # A failure inside the live patch: the patch is worse than we thought.
        if exc is not None and target.patch is not None:
            patch_codes = set(target.patch.codes.values()) | {target.patch.plain.__code__}
            if capture.failing_line(exc, patch_codes) is not None:
                return Decision(note=_rollback(target, eff, f"it raised {type(exc).__name__}"))
            # It came from the original code, in a call that started before the swap.
            if eff.retry:
                return Decision(retry=target.patch.plain, note="retried on the live patch")
            return Decision(note="a patch is live; this call started before it")
        if kind == "property" and target.patch is not None:
            return Decision(note=_rollback(target, eff, "it broke a property"))
        recorded = target.recorder.calls() if target.recorder is not None else ()
        if exc is not None:
            report = capture.capture_exception(exc, target.ref, target.own_codes(), call, recorded)
        else:
            assert violation is not None
            result_value, prop, detail = violation
            report = capture.capture_violation(target.ref, call, result_value, prop, recorded, detail)
        capture_s = time.perf_counter() - started
        if eff.mode == "observe":
            result = HealResult(report=report, reason="observe mode: report stored, nothing proposed")
            result.timings["capture_s"] = capture_s
            record = build_record(result, eff.mode, (), PatchStatus.PROPOSED)
            where = _save(eff, record)
            return Decision(note=f"{result.reason}; {where}", record_id=record.id)
        plan = _plan(target, eff, call, kind)
        inputs = HealInputs(
            plan=plan,
            engine=eff.engine,
            budget=eff.budget,
            allow_guesses=eff.allow_guesses,
            exception=exc,
            exclude=frozenset(target.rejected),
        )
        result = search(report, inputs)
        result.timings["capture_s"] = capture_s
        engines = tuple(u.engine for u in result.usage)
        chosen = result.chosen
        if chosen is None:
            record = build_record(result, eff.mode, engines, PatchStatus.PROPOSED)
            where = _save(eff, record)
            return Decision(note=f"{result.reason}; {where}", record_id=record.id)
        if eff.mode != "heal":
            record = build_record(result, eff.mode, engines, PatchStatus.VERIFIED)
            where = _save(eff, record)
            return Decision(
                note=f"{result.reason}; {eff.mode} mode, not swapped in; {where}",
                record_id=record.id,
            )
        t0 = time.perf_counter()
        record = build_record(result, eff.mode, engines, PatchStatus.LIVE)
        try:
            patch = swap.build_patch(target, chosen, record.id)
            swap.install(target, patch)
        except SelfHealError as exc_swap:
            record = build_record(result, eff.mode, engines, PatchStatus.VERIFIED)
            where = _save(eff, record)
            return Decision(note=f"verified patch could not be swapped in ({exc_swap}); {where}")
        target.heals += 1
        swap_s = time.perf_counter() - t0
        timings = {**record.timings, "swap_s": swap_s, "total_s": time.perf_counter() - started}
        record = record.model_copy(update={"timings": timings})
        where = _save(eff, record)
        log.warning(
            "healed %s with a patch from %s (%s)", target.ref.qualname, chosen.engine, where
        )
        return Decision(
            retry=patch.plain if eff.retry else None,
            note=f"{result.reason}; patch live; {where}",
            record_id=record.id,
        )


def handle(target: Target, exc: Exception, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """The request path after an instrumented sync function raised."""
    try:
        if in_child() or not _mark(exc) or not _is_failure(target, exc):
            return RERAISE
        eff = target.options.effective(target.live.__module__)
        if eff.settings.disabled:
            return RERAISE
        decision = decide(target, exc, Call(args, kwargs))
    except Exception:
        log.exception("selfheal failed while handling %s; re-raising the original", type(exc))
        return RERAISE
    if decision.retry is not None:
        try:
            return decision.retry(*args, **kwargs)
        except Exception as retry_exc:
            _retry_failed(target, retry_exc)
            return _fallback(target, exc, args, kwargs, "the retry on the patch raised; rolled back")
    return _fallback(target, exc, args, kwargs, decision.note)


def _retry_failed(target: Target, retry_exc: BaseException) -> None:
    try:
        _rollback(
            target,
            target.options.effective(target.live.__module__),
            f"the retry raised {type(retry_exc).__name__}",
        )
    except Exception:
        log.exception("selfheal could not roll back %s", target.ref.qualname)


async def ahandle(
    target: Target, exc: Exception, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """The request path after an instrumented coroutine raised.

    The stages run in a worker thread so the event loop keeps serving other tasks.
    """
    try:
        if in_child() or not _mark(exc) or not _is_failure(target, exc):
            return RERAISE
        eff = target.options.effective(target.live.__module__)
        if eff.settings.disabled:
            return RERAISE
        decision = await asyncio.to_thread(decide, target, exc, Call(args, kwargs))
    except Exception:
        log.exception("selfheal failed while handling %s; re-raising the original", type(exc))
        return RERAISE
    if decision.retry is not None:
        try:
            return await decision.retry(*args, **kwargs)
        except Exception as retry_exc:
            _retry_failed(target, retry_exc)
            return _fallback(target, exc, args, kwargs, "the retry on the patch raised; rolled back")
    return _fallback(target, exc, args, kwargs, decision.note)


def check_result(
    target: Target, args: tuple[Any, ...], kwargs: dict[str, Any], result: Any
) -> tuple[Any, str, str] | None:
    """The first property the result breaks: (property, why), or None."""
    for prop in target.options.properties:
        try:
            if not prop(result, *args, **kwargs):
                return (prop, "returned False", "")
        except Exception as exc:
            return (prop, f"raised {type(exc).__name__}", "")
    return None


def on_violation(
    target: Target, args: tuple[Any, ...], kwargs: dict[str, Any], result: Any, prop: Any, why: str
) -> Any:
    """A property broke: heal if possible; otherwise the original result (or fallback)."""
    try:
        decision = decide(
            target, None, Call(args, kwargs), kind="property", violation=(result, prop, why)
        )
    except Exception:
        log.exception("selfheal failed while handling a property violation")
        return result
    log.warning("%s broke a property (%s): %s", target.ref.qualname, why, decision.note)
    if decision.retry is not None:
        try:
            return decision.retry(*args, **kwargs)
        except Exception as retry_exc:
            _retry_failed(target, retry_exc)
    fallback = target.options.fallback
    if fallback is MISSING:
        return result
    if callable(fallback):
        try:
            return fallback(None, *args, **kwargs)
        except Exception:
            log.exception("the fallback of %s raised", target.ref.qualname)
            return result
    return fallback
