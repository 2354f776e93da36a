"""The entry points instrumented code calls: `__selfheal_rt__` in the function's globals.

Only failure paths and the observing variant (recording, properties) reach this
module; the lean variant of a function never calls it while nothing raises. Each entry
point finds the Target by the id compiled into the code and hands over to `selfheal.request`.
It must never raise into the user's code except by returning RERAISE, which makes the
instrumented code re-raise the original exception from its own frame (so the traceback
is the one the user would have seen without selfheal).
"""

from __future__ import annotations

import logging
import sys
import threading
from typing import Any, NamedTuple

from selfheal import request
from selfheal.config import settings_for_module
from selfheal.instrument.recorder import Recorder
from selfheal.instrument.target import Target, lookup
from selfheal.pipeline import Failure

RERAISE = request.RERAISE
log = logging.getLogger("selfheal")


def _target(fid: int | str, depth: int) -> Target | None:
    if isinstance(fid, int):
        return lookup(fid)
    # Lazily instrumented code (a rewritten module): the Target is made on first failure
    # from the code of the frame that called us, and takes over the calls sampled so far.
    try:
        from selfheal.instrument.decorator import adopt

        with _samplers_lock:
            sampler = _samplers.pop(fid, None)
        return adopt(sys._getframe(depth + 1).f_code, fid, sampler)
    except Exception:
        log.warning("selfheal could not adopt %s", fid, exc_info=True)
        return None


# Samplers of lazily instrumented functions that have no Target yet: the first calls of
# each are recorded here, and the function is adopted (lean code) once its sampler is
# full, so a function costs a Target only if it is called often or fails.
_samplers: dict[str, Recorder] = {}
_samplers_lock = threading.Lock()


def reset_after_fork() -> None:
    """A new samplers lock in a forked child (another thread may have held the old one)."""
    global _samplers_lock
    _samplers_lock = threading.Lock()
    from selfheal.instrument import decorator

    decorator.reset_after_fork()


class _Sampled(NamedTuple):
    token: Any
    sampler: Recorder


def _sampler(key: str) -> Recorder | None:
    from selfheal.instrument.decorator import adopted

    if adopted(key) is not None:
        return None
    with _samplers_lock:
        sampler = _samplers.get(key)
        if sampler is None:
            settings = settings_for_module(key.partition(":")[0])
            sampler = _samplers[key] = Recorder(settings.record_calls, settings.record_bytes)
        return sampler


def _sampled(fid: str, state: _Sampled, result: Any, depth: int) -> None:
    sampler = state.sampler
    sampler.finish(state.token, result)
    if sampler.full:
        from selfheal.instrument.decorator import adopt

        with _samplers_lock:
            if _samplers.get(fid) is not sampler:
                return  # adopted meanwhile (a failure, another thread)
            del _samplers[fid]
        adopt(sys._getframe(depth + 1).f_code, fid, sampler)


def _judged(fid: int | str, exc: Exception) -> str | None:
    # A lazily instrumented function (a string id) has no Target, so no patch, yet;
    # it is adopted only if the exception is a failure.
    return request.judged(exc, lookup(fid) if isinstance(fid, int) else None)


def failed(fid: int | str, exc: Exception, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    why = _judged(fid, exc)
    if why is None:
        return RERAISE
    target = _target(fid, 1)
    if target is None:
        return RERAISE
    return request.handle(target, exc, args, kwargs, why)


async def afailed(
    fid: int | str, exc: Exception, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    why = _judged(fid, exc)
    if why is None:
        return RERAISE
    # A coroutine's caller frame is the instrumented coroutine itself, as for sync code.
    target = _target(fid, 1)
    if target is None:
        return RERAISE
    return await request.ahandle(target, exc, args, kwargs, why)


def enter(fid: int | str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Start of a call of the observing variant: copy the inputs for the recorder."""
    try:
        if isinstance(fid, str):
            sampler = _sampler(fid)
            if sampler is not None:
                return _Sampled(sampler.start(args, kwargs), sampler)
        target = _target(fid, 1)
        if target is None:
            return None
        recorder = target.recorder
        token = recorder.start(args, kwargs) if recorder is not None else None
        return (token, args, kwargs)
    except Exception:
        log.debug("selfheal recorder failed", exc_info=True)
        return None


def _observe(
    fid: int | str, state: Any, result: Any
) -> tuple[Target | None, Failure | None]:
    target = _target(fid, 2)
    if target is None or state is None:
        return target, None
    token, args, kwargs = state
    violation = None
    if target.options.properties:
        violation = request.check_result(target, args, kwargs, result)
    recorder = target.recorder
    if recorder is not None and violation is None:
        recorder.finish(token, result)
        if recorder.full:
            target.refresh_code()  # back to the lean variant: recording is over
    return target, violation


def leave(fid: int | str, state: Any, result: Any) -> Any:
    """A `return` of the observing variant: record the result, check properties."""
    try:
        if isinstance(state, _Sampled) and isinstance(fid, str):
            _sampled(fid, state, result, 1)
            return result
        target, violation = _observe(fid, state, result)
        if violation is None or target is None:
            return result
        return request.on_violation(target, violation)
    except Exception:
        log.debug("selfheal observer failed", exc_info=True)
        return result


async def aleave(fid: int | str, state: Any, result: Any) -> Any:
    try:
        if isinstance(state, _Sampled) and isinstance(fid, str):
            _sampled(fid, state, result, 1)
            return result
        target, violation = _observe(fid, state, result)
        if violation is None or target is None:
            return result
        return await request.aon_violation(target, violation)
    except Exception:
        log.debug("selfheal observer failed", exc_info=True)
        return result
