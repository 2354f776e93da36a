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
from typing import Any

from selfheal import request
from selfheal.instrument.target import Target, lookup
from selfheal.pipeline import Failure

RERAISE = request.RERAISE
log = logging.getLogger("selfheal")


def _target(fid: int | str, depth: int) -> Target | None:
    if isinstance(fid, int):
        return lookup(fid)
    # Lazily instrumented code (a rewritten module): the Target is made on first failure
    # from the code of the frame that called us.
    try:
        from selfheal.instrument.decorator import adopt

        return adopt(sys._getframe(depth + 1).f_code, fid)
    except Exception:
        log.warning("selfheal could not adopt %s", fid, exc_info=True)
        return None


def failed(fid: int | str, exc: Exception, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    target = _target(fid, 1)
    if target is None:
        return RERAISE
    return request.handle(target, exc, args, kwargs)


async def afailed(
    fid: int | str, exc: Exception, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    # A coroutine's caller frame is the instrumented coroutine itself, as for sync code.
    target = _target(fid, 1)
    if target is None:
        return RERAISE
    return await request.ahandle(target, exc, args, kwargs)


def enter(fid: int | str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Start of a call of the observing variant: copy the inputs for the recorder."""
    try:
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
        target, violation = _observe(fid, state, result)
        if violation is None or target is None:
            return result
        return request.on_violation(target, violation)
    except Exception:
        log.debug("selfheal observer failed", exc_info=True)
        return result


async def aleave(fid: int | str, state: Any, result: Any) -> Any:
    try:
        target, violation = _observe(fid, state, result)
        if violation is None or target is None:
            return result
        return await request.aon_violation(target, violation)
    except Exception:
        log.debug("selfheal observer failed", exc_info=True)
        return result
