"""The request path of an instrumented function: a healed result, a fallback, or the
original exception.

Owns what the caller of a failing function experiences: which exceptions count as
failures (`selfheal.request.expected` judges what the program expects; the function's
`heal_on` / `ignore` narrow it), live patches that misbehave (rolled back), the
single-flight policy while a heal runs, the retry on a verified patch, the declared
fallback, and the note on the original exception. It must not run the stages itself:
`pipeline.heal` does.

The one rule lives here: selfheal never makes a failure worse. Every internal error is
contained and logged; the caller then sees the original exception object, with its
original traceback, and a note saying what selfheal tried.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

from selfheal import telemetry
from selfheal.function.options import MISSING, Effective
from selfheal.function.target import Target
from selfheal.heal import capture, pipeline, swap
from selfheal.heal.pipeline import Decision, Failure, store_for
from selfheal.models import Call, PatchStatus
from selfheal.request import flight
from selfheal.request.gate import RERAISE
from selfheal.verify.isolate import in_child

log = logging.getLogger("selfheal")


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


def _is_failure(target: Target, exc: BaseException) -> bool:
    """The function's own narrowing: `heal_on` and `ignore`."""
    options = target.options
    return isinstance(exc, options.heal_on) and not isinstance(exc, options.ignore)


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
            store_for(eff).transition(patch.record_id, PatchStatus.ROLLED_BACK, reason=why)
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
    if failure.exc is not None:
        if not _is_failure(target, failure.exc):
            return None
    elif in_child():
        return None
    eff = target.options.effective(target.live.__module__)
    if eff.settings.disabled:
        return None
    return eff, _precheck(target, failure, eff)


def _work(target: Target, failure: Failure, eff: Effective) -> flight.Work:
    ctx = telemetry.current_context()  # taken in the caller's thread

    def work(captured: Callable[[], None]) -> Decision:
        with telemetry.attached(ctx):
            # Through the module, so a test can put a failing stage in its place.
            return pipeline.heal(target, failure, eff, captured)

    return work


@dataclass(frozen=True)
class _Heal:
    """A step the shell performs: run or join the heal of this failure (single-flight)."""

    key: str
    work: flight.Work
    policy: flight.Policy


@dataclass(frozen=True)
class _Retry:
    """A step the shell performs: call the live patch with the caller's arguments."""

    patch: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


# The request path is written once, as generators that yield the two steps whose
# calling differs between sync and async code (waiting for a heal, calling the patch)
# and receive their outcome back; `_run` and `_arun` are the thin shells that perform
# them. Every decision (what counts, what to retry, what to fall back to) lives in the
# generators, so a fix lands once for both kinds of function.
_Steps = Generator["_Heal | _Retry", Any, Any]


def _busy(why: str) -> Decision:
    return Decision(note=why)


def _run(steps: _Steps) -> Any:
    """Drive `steps` for a sync caller: block on the heal, call the patch."""
    try:
        step = next(steps)
        while True:
            try:
                if isinstance(step, _Heal):
                    outcome = flight.run(step.key, step.work, step.policy, _busy)
                else:
                    outcome = step.patch(*step.args, **step.kwargs)
            except Exception as exc:
                step = steps.throw(exc)
            else:
                step = steps.send(outcome)
    except StopIteration as done:
        return done.value


async def _arun(steps: _Steps) -> Any:
    """Drive `steps` for a coroutine: await the heal without blocking the loop, await
    the patch."""
    try:
        step = next(steps)
        while True:
            try:
                if isinstance(step, _Heal):
                    outcome = await flight.arun(step.key, step.work, step.policy, _busy)
                else:
                    outcome = await step.patch(*step.args, **step.kwargs)
            except Exception as exc:
                step = steps.throw(exc)
            else:
                step = steps.send(outcome)
    except StopIteration as done:
        return done.value


def _decide(target: Target, failure: Failure) -> Generator[_Heal, Any, Decision | None]:
    prepared = _prepare(target, failure)
    if prepared is None:
        return None
    eff, decision = prepared
    if decision is not None:
        return decision
    result: Decision = yield _Heal(
        _flight_key(target, failure), _work(target, failure, eff), _policy(eff)
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


def _failed(
    target: Target, exc: Exception, args: tuple[Any, ...], kwargs: dict[str, Any], why: str
) -> _Steps:
    try:
        decision = yield from _decide(target, Failure(Call(args, kwargs), exc=exc, why=why))
    except Exception:
        log.exception("selfheal failed while handling %s; re-raising the original", type(exc))
        return RERAISE
    if decision is None:
        return RERAISE
    if decision.retry is not None:
        try:
            value = yield _Retry(decision.retry, args, kwargs)
        except Exception as retry_exc:
            why = _retry_failed(target, retry_exc)
            return _fallback(target, exc, args, kwargs, f"the retry on the patch raised; {why}")
        _healed(target, decision)
        return value
    return _fallback(target, exc, args, kwargs, decision.note)


def handle(
    target: Target, exc: Exception, args: tuple[Any, ...], kwargs: dict[str, Any], why: str
) -> Any:
    """The request path after an instrumented sync function raised a failure (`why`)."""
    return _run(_failed(target, exc, args, kwargs, why))


async def ahandle(
    target: Target, exc: Exception, args: tuple[Any, ...], kwargs: dict[str, Any], why: str
) -> Any:
    """The request path after an instrumented coroutine raised a failure (`why`)."""
    return await _arun(_failed(target, exc, args, kwargs, why))


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


def _violated(target: Target, failure: Failure) -> _Steps:
    args, kwargs = tuple(failure.call.args), dict(failure.call.kwargs)
    try:
        decision = yield from _decide(target, failure)
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
            value = yield _Retry(decision.retry, args, kwargs)
        except Exception as retry_exc:
            _retry_failed(target, retry_exc)
        else:
            _healed(target, decision)
            return value
    return _fallback(target, None, args, kwargs, "", default=failure.result)


def on_violation(target: Target, failure: Failure) -> Any:
    """A property broke: the healed result, else the fallback, else the original result."""
    return _run(_violated(target, failure))


async def aon_violation(target: Target, failure: Failure) -> Any:
    """`on_violation` for a coroutine."""
    return await _arun(_violated(target, failure))
