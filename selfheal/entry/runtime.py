"""The entry points instrumented code calls: `__selfheal_rt__` in the function's globals.

Only failure paths and the observing variant (recording, properties) reach this
module; the lean variant of a function never calls it while nothing raises. Each entry
point finds the Target by the id compiled into the code and hands over to `selfheal.request.path`.
It must never raise into the user's code except by returning RERAISE, which makes the
instrumented code re-raise the original exception from its own frame (so the traceback
is the one the user would have seen without selfheal).
"""

from __future__ import annotations

import logging
import sys
import threading
from typing import TYPE_CHECKING, Any, NamedTuple

from selfheal.config import settings_for_module
from selfheal.function.recorder import Recorder, copying
from selfheal.function.target import Target, lookup

if TYPE_CHECKING:
    from types import ModuleType

    from selfheal.heal.pipeline import Failure

log = logging.getLogger("selfheal")


def _request() -> ModuleType:
    # The request path (capture, engines, the sandbox, the store) is imported at the
    # first failure: the happy path of an instrumented program never needs it.
    from selfheal.request import path as request

    return request


def __getattr__(name: str) -> Any:
    # Instrumented code reads `__selfheal_rt__.RERAISE` only after `failed` answered,
    # when the request path is imported anyway.
    if name == "RERAISE":
        return _request().RERAISE
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _target(fid: int | str, depth: int) -> Target | None:
    if isinstance(fid, int):
        return lookup(fid)
    # Lazily instrumented code (a rewritten module): the Target is made on first failure
    # from the code of the frame that called us, and takes over the calls sampled so far.
    try:
        from selfheal.entry.decorator import adopt

        with _samplers_lock:
            sampler = _samplers.pop(fid, None)
        return adopt(sys._getframe(depth + 1).f_code, fid, sampler)
    except Exception:
        log.warning("selfheal could not adopt %s", fid, exc_info=True)
        return None


# Samplers of lazily instrumented functions that have no Target yet: the first calls of
# each are recorded here. Once a sampler is full the function gets its lean code (from
# the module rewritten without recording), so a function costs a Target only when it
# fails, or when its lean twin cannot be had (it is adopted then).
_samplers: dict[str, Recorder] = {}
_samplers_lock = threading.Lock()
# Keys whose sampler filled up and whose function was given its lean code without a
# Target (importhook.go_lean): their sampler stays above until the first failure.
_gone_lean: set[str] = set()


def reset_after_fork() -> None:
    """A new samplers lock in a forked child (another thread may have held the old one)."""
    global _samplers_lock
    _samplers_lock = threading.Lock()
    from selfheal.entry import decorator

    decorator.reset_after_fork()


class _Sampled(NamedTuple):
    token: Any
    sampler: Recorder


def _sampler(key: str) -> Recorder | None:
    from selfheal.entry.decorator import adopted

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
    if not sampler.full:
        return
    code = sys._getframe(depth + 1).f_code
    with _samplers_lock:
        if _samplers.get(fid) is not sampler or fid in _gone_lean:
            return  # adopted meanwhile (a failure, another thread), or lean already
        _gone_lean.add(fid)
    from selfheal.entry import importhook
    from selfheal.entry.decorator import adopt, function_for

    func = function_for(code, fid)
    if func is not None and importhook.go_lean(func, fid):
        return  # the full sampler waits in _samplers for the first failure's Target
    with _samplers_lock:
        if _samplers.get(fid) is not sampler:
            return
        del _samplers[fid]
    adopt(code, fid, sampler)


def module_ran(name: str) -> None:
    """The body of a rewritten module ended (or raised): the import hook may undo it.

    Called from the module's own `finally`: it must never raise, or it would hide the
    module's exception.
    """
    try:
        from selfheal.entry import importhook

        importhook.rewritten_module_ran(name)
    except Exception:
        log.debug("selfheal: after the body of %s", name, exc_info=True)


def _judged(request: ModuleType, fid: int | str, exc: Exception) -> str | None:
    # A lazily instrumented function (a string id) has no Target, so no patch, yet;
    # it is adopted only if the exception is a failure.
    why: str | None = request.judged(exc, lookup(fid) if isinstance(fid, int) else None)
    return why


def failed(fid: int | str, exc: Exception, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    if copying():
        # The recorder's own copy of a call ran this (`__reduce__`, `__deepcopy__`...):
        # the recorder catches what it raises; it is no failure of the program.
        return _request().RERAISE
    request = _request()
    why = _judged(request, fid, exc)
    if why is None:
        return request.RERAISE
    target = _target(fid, 1)
    if target is None:
        return request.RERAISE
    return request.handle(target, exc, args, kwargs, why)


async def afailed(
    fid: int | str, exc: Exception, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    request = _request()
    if copying():
        return request.RERAISE
    why = _judged(request, fid, exc)
    if why is None:
        return request.RERAISE
    # A coroutine's caller frame is the instrumented coroutine itself, as for sync code.
    target = _target(fid, 1)
    if target is None:
        return request.RERAISE
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
        violation = _request().check_result(target, args, kwargs, result)
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
        return _request().on_violation(target, violation)
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
        return await _request().aon_violation(target, violation)
    except Exception:
        log.debug("selfheal observer failed", exc_info=True)
        return result
