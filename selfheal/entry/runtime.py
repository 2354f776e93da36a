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
import os
import sys
import threading
import types
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from selfheal.config import settings_for_module
from selfheal.function.recorder import Recorder, copying
from selfheal.function.target import Target, lookup
from selfheal.request import gate
from selfheal.request.gate import RERAISE

if TYPE_CHECKING:
    from types import ModuleType

    from selfheal.heal.pipeline import Failure

log = logging.getLogger("selfheal")


def _request() -> ModuleType:
    # The rest of the request path (capture, engines, the sandbox, the store) is imported
    # at the first failure past the gate: the happy path of an instrumented program, and
    # an exception the program expects, never need it.
    from selfheal.request import path as request

    return request


class LazyFunctions(Protocol):
    """The functions of rewritten modules, as the import hook serves them.

    They are instrumented lazily: no Target until they fail or their sampler fills. The
    hook registers this (`serve_lazy`) when it is installed, before any module is
    rewritten; the runtime calls down into nothing above it.
    """

    def adopt(self, code: types.CodeType, key: str, sampler: Recorder | None) -> Target | None:
        """The Target of the function running `code`, made now if need be."""

    def adopted(self, key: str) -> Target | None:
        """The Target already made for `key`, if it is still in force."""

    def function_for(self, code: types.CodeType, key: str) -> types.FunctionType | None:
        """The one function object running `code`."""

    def go_lean(self, func: types.FunctionType, key: str) -> bool:
        """Give `func` its lean code (no recording); False if that cannot be done."""

    def module_ran(self, name: str) -> None:
        """The body of the rewritten module `name` ended."""


_lazy: LazyFunctions | None = None


def serve_lazy(functions: LazyFunctions) -> None:
    """Called by the import hook when it is installed: how to serve rewritten functions."""
    global _lazy
    _lazy = functions


def _target(fid: int | str, depth: int) -> Target | None:
    if isinstance(fid, int):
        return lookup(fid)
    # Lazily instrumented code (a rewritten module): the Target is made on first failure
    # from the code of the frame that called us, and takes over the calls sampled so far.
    lazy = _lazy
    if lazy is None:
        return None
    try:
        with _samplers_lock:
            sampler = _samplers.pop(fid, None)
        return lazy.adopt(sys._getframe(depth + 1).f_code, fid, sampler)
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


def _after_fork_in_child() -> None:
    """A new samplers lock in a forked child (another thread may have held the old one)."""
    global _samplers_lock
    _samplers_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class _Sampled(NamedTuple):
    token: Any
    sampler: Recorder


def _sampler(key: str) -> Recorder | None:
    lazy = _lazy
    if lazy is None or lazy.adopted(key) is not None:
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
    lazy = _lazy
    if lazy is None:
        return
    func = lazy.function_for(code, fid)
    if func is not None and lazy.go_lean(func, fid):
        return  # the full sampler waits in _samplers for the first failure's Target
    with _samplers_lock:
        if _samplers.get(fid) is not sampler:
            return
        del _samplers[fid]
    lazy.adopt(code, fid, sampler)


def module_ran(name: str) -> None:
    """The body of a rewritten module ended (or raised): the import hook may undo it.

    Called from the module's own `finally`: it must never raise, or it would hide the
    module's exception.
    """
    try:
        if _lazy is not None:
            _lazy.module_ran(name)
    except Exception:
        log.debug("selfheal: after the body of %s", name, exc_info=True)


def _judged(fid: int | str, exc: Exception) -> str | None:
    # A lazily instrumented function (a string id) has no Target, so no patch, yet;
    # it is adopted only if the exception is a failure.
    return gate.judged(exc, lookup(fid) if isinstance(fid, int) else None)


# Each entry point below is a thin sync or async shell over one shared decision
# (`_failing`, `_violation`): they differ only in calling or awaiting the request path.


def _failing(fid: int | str, exc: Exception) -> tuple[Target, str] | None:
    """The Target and why when `exc` is a failure to handle, else None."""
    if copying():
        # The recorder's own copy of a call ran this (`__reduce__`, `__deepcopy__`...):
        # the recorder catches what it raises; it is no failure of the program.
        return None
    why = _judged(fid, exc)
    if why is None:
        return None
    # depth 2: the instrumented function's frame, above `failed` (or `afailed`), the
    # same for a coroutine, whose caller frame is the instrumented coroutine itself.
    target = _target(fid, 2)
    return None if target is None else (target, why)


def failed(fid: int | str, exc: Exception, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    failing = _failing(fid, exc)
    if failing is None:
        return RERAISE
    return _request().handle(failing[0], exc, args, kwargs, failing[1])


async def afailed(
    fid: int | str, exc: Exception, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    failing = _failing(fid, exc)
    if failing is None:
        return RERAISE
    return await _request().ahandle(failing[0], exc, args, kwargs, failing[1])


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
    # depth 3: the instrumented function, above `leave` (or `aleave`) and `_violation`.
    target = _target(fid, 3)
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


def _violation(fid: int | str, state: Any, result: Any) -> tuple[Target, Failure] | None:
    """Record the result of a `return`; the property it broke, if any."""
    if isinstance(state, _Sampled) and isinstance(fid, str):
        _sampled(fid, state, result, 2)
        return None
    target, violation = _observe(fid, state, result)
    if violation is None or target is None:
        return None
    return target, violation


def leave(fid: int | str, state: Any, result: Any) -> Any:
    """A `return` of the observing variant: record the result, check properties."""
    try:
        broken = _violation(fid, state, result)
        if broken is None:
            return result
        return _request().on_violation(*broken)
    except Exception:
        log.debug("selfheal observer failed", exc_info=True)
        return result


async def aleave(fid: int | str, state: Any, result: Any) -> Any:
    """`leave` for a coroutine."""
    try:
        broken = _violation(fid, state, result)
        if broken is None:
            return result
        return await _request().aon_violation(*broken)
    except Exception:
        log.debug("selfheal observer failed", exc_info=True)
        return result
