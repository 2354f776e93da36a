"""The entry points instrumented code calls: `__selfheal_rt__` in the function's globals.

Only failure paths and the observing variant (recording, properties) reach this
module; the lean variant of a function never calls it while nothing raises. Each entry
point finds the Target by the id compiled into the code and hands over to the pipeline.
It must never raise into the user's code except by returning RERAISE, which makes the
instrumented code re-raise the original exception from its own frame (so the traceback
is the one the user would have seen without selfheal).
"""

from __future__ import annotations

import logging
from typing import Any

from selfheal import pipeline
from selfheal.instrument.target import lookup

RERAISE = pipeline.RERAISE
log = logging.getLogger("selfheal")


def failed(fid: int, exc: Exception, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    target = lookup(fid)
    if target is None:
        return RERAISE
    return pipeline.handle(target, exc, args, kwargs)


async def afailed(fid: int, exc: Exception, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    target = lookup(fid)
    if target is None:
        return RERAISE
    return await pipeline.ahandle(target, exc, args, kwargs)


def enter(fid: int, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Start of a call of the observing variant: copy the inputs for the recorder."""
    try:
        target = lookup(fid)
        if target is None:
            return None
        recorder = target.recorder
        token = recorder.start(args, kwargs) if recorder is not None else None
        return (token, args, kwargs)
    except Exception:
        log.debug("selfheal recorder failed", exc_info=True)
        return None


def _observe(fid: int, state: Any, result: Any) -> tuple[Any, Any, tuple[Any, str, str] | None]:
    target = lookup(fid)
    if target is None or state is None:
        return target, state, None
    token, args, kwargs = state
    recorder = target.recorder
    violation = None
    if target.options.properties:
        violation = pipeline.check_result(target, args, kwargs, result)
    if recorder is not None and violation is None:
        recorder.finish(token, result)
        if recorder.full:
            target.refresh_code()  # back to the lean variant: recording is over
    return target, state, violation


def leave(fid: int, state: Any, result: Any) -> Any:
    """A `return` of the observing variant: record the result, check properties."""
    try:
        target, state, violation = _observe(fid, state, result)
        if violation is None or target is None:
            return result
        _token, args, kwargs = state
        prop, why, _ = violation
        return pipeline.on_violation(target, args, kwargs, result, prop, why)
    except Exception:
        log.debug("selfheal observer failed", exc_info=True)
        return result


async def aleave(fid: int, state: Any, result: Any) -> Any:
    try:
        target, state, violation = _observe(fid, state, result)
        if violation is None or target is None:
            return result
        _token, args, kwargs = state
        prop, why, _ = violation
        import asyncio

        healed = await asyncio.to_thread(
            pipeline.decide, target, None, pipeline.Call(args, kwargs), "property",
            (result, prop, why),
        )
        if healed.retry is not None:
            try:
                return await healed.retry(*args, **kwargs)
            except Exception as exc:
                pipeline._retry_failed(target, exc)
        return result
    except Exception:
        log.debug("selfheal observer failed", exc_info=True)
        return result
