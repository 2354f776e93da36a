"""`@self_healing`: opt a function in, by rewriting its own code in place.

Owns decoration: validating the arguments, reading and checking the source, creating
the Target and putting the instrumented code on the function object itself (so the
decorator returns the very object it was given, and methods bind as before). It also
undoes all of it (`restore`), for the import hook's uninstall. It must not run any
stage of the heal loop.

What cannot be instrumented in place (no source, a lambda, a file that changed since
import, a C function) is returned unchanged with a warning: selfheal never breaks a
program it cannot help.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
import threading
import types
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, overload

from selfheal.config import settings_for_module
from selfheal.entry import runtime
from selfheal.errors import ConfigurationError
from selfheal.function.codegen import (
    RUNTIME_NAME,
    CodegenError,
    compile_like,
    instrument,
    lazy_key,
    same_behaviour,
)
from selfheal.function.options import MISSING, HealOptions
from selfheal.function.recorder import Recorder
from selfheal.function.source import FunctionSource, kind_of, read_function
from selfheal.function.target import TARGET_ATTR, Target, target_of
from selfheal.models import PatchStatus

log = logging.getLogger("selfheal")
F = TypeVar("F", bound=Callable[..., Any])


@overload
def self_healing(func: F, /) -> F: ...


@overload
def self_healing(
    func: None = None,
    /,
    *,
    mode: str | None = None,
    engine: Any = None,
    examples: Sequence[Any] = (),
    properties: Sequence[Callable[..., Any]] = (),
    checks: Sequence[Callable[[], Any]] = (),
    retry: bool | None = None,
    fallback: Any = MISSING,
    budget: Any = None,
    allow_guesses: bool | None = None,
    heal_on: Sequence[type[BaseException]] | type[BaseException] = (Exception,),
    ignore: Sequence[type[BaseException]] | type[BaseException] = (),
) -> Callable[[F], F]: ...


def self_healing(func: Any = None, /, **options: Any) -> Any:
    """Opt a function (or method) into self-healing.

    Bare (`@self_healing`) or with arguments (`@self_healing(mode="propose")`). The
    decorated object is returned itself, instrumented in place: nothing runs on a call
    that succeeds but the function's own code inside a try/except.

    Arguments (each defaults to the settings: `configure()`, `[tool.selfheal]`,
    `SELFHEAL_*`):

    - `mode`: "observe" (capture only), "propose" (verify and store, never swap),
      "heal" (swap verified patches in), "approved" (only patches a person approved).
    - `engine`: "offline", "anthropic", "openai", an Engine, a callable
      `(report) -> iterable of sources`, or a list of these tried in order.
    - `examples`: `Example(args=..., kwargs=..., expected=..., compare=None)` or the
      short form `((args...), expected)`; a patch must return `expected` for each.
    - `properties`: `prop(result, *args, **kwargs) -> bool`; checked on every call (a
      False or a raise is a failure) and on every candidate.
    - `checks`: zero-argument callables (plain or Hypothesis tests) a patch must pass.
    - `retry`: re-run the failing call on a verified patch and return its result; set
      False for functions with side effects that must not happen twice.
    - `fallback`: a value, or `callable(exc, *args, **kwargs)`, returned when nothing
      verified; without it the original exception is re-raised with a note.
    - `budget`: seconds (or a dict / Budget with seconds, candidates, tokens) per heal.
    - `allow_guesses`: may a patch go live that only invents a value for the failing
      input, or that nothing but the failing input checked?
    - `heal_on` / `ignore`: exception types that are / are never failures.
    """
    heal_options = HealOptions.build(**options)
    if func is None:
        return lambda f: _instrument(f, heal_options)
    return _instrument(func, heal_options)


def _instrument(obj: Any, options: HealOptions) -> Any:
    if isinstance(obj, (staticmethod, classmethod)):
        _instrument(obj.__func__, options)
        return obj
    if not isinstance(obj, types.FunctionType):
        raise ConfigurationError(
            f"self_healing decorates functions and methods written in Python; got "
            f"{type(obj).__name__} {obj!r}"
        )
    existing = target_of(obj)
    if existing is not None:
        existing.options = options
        existing.refresh_code()
        return obj
    module = getattr(obj, "__module__", None) or "__main__"
    settings = settings_for_module(module)  # a bad configuration fails here, at start-up
    if settings.disabled:
        return obj
    source = read_function(obj)
    if source is None:
        log.warning("selfheal: no source for %s; it runs unprotected", obj.__qualname__)
        return obj
    original = _original_code(obj, source)
    if original is None:
        return obj
    recorder = None
    if (
        settings.record
        and settings.record_calls > 0
        and kind_of(obj.__code__)
        in (
            "function",
            "coroutine",
        )
    ):
        recorder = Recorder(settings.record_calls, settings.record_bytes)
    obj.__globals__.setdefault(RUNTIME_NAME, runtime)
    adopted = original is not obj.__code__
    try:
        target = Target(obj, source, options, recorder, original if adopted else None)
    except CodegenError as exc:
        log.warning(
            "selfheal: cannot instrument %s (%s); it runs unprotected", obj.__qualname__, exc
        )
        return obj
    setattr(obj, TARGET_ATTR, target)
    target.refresh_code()
    if settings.mode == "approved" or options.mode == "approved":
        _install_approved(target)
    return obj


def _original_code(obj: types.FunctionType, source: FunctionSource) -> types.CodeType | None:
    """The original code of `obj`, checked against its source; None if it cannot be trusted.

    A function of a rewritten module runs lazily instrumented code: its original is
    recompiled from the source, and the running code must be exactly the lazy
    instrumentation of that source (so a file edited since import is never trusted).
    """
    code = obj.__code__
    try:
        plain = compile_like(source, source.node, code, first_line=source.first_line)
        if same_behaviour(plain, code):
            return code
        key = lazy_key(obj.__module__ or "__main__", obj.__qualname__)
        if RUNTIME_NAME in code.co_names and key in code.co_consts:
            for variant in ("observed", "lean"):
                lazy = compile_like(
                    source,
                    instrument(source.node, key, variant, source.reassigned),
                    code,
                    first_line=source.first_line,
                )
                if same_behaviour(lazy, code):
                    return plain
    except CodegenError as exc:
        log.warning("selfheal: cannot rebuild %s (%s); it runs unprotected", obj.__qualname__, exc)
        return None
    log.warning(
        "selfheal: the source of %s in %s differs from the running code (edited since "
        "import?); it runs unprotected",
        obj.__qualname__,
        source.filename,
    )
    return None


def adopt(code: types.CodeType, key: str, recorder: Recorder | None = None) -> Target | None:
    """The Target of lazily instrumented `code` (a rewritten module's function).

    Made on the function's first failure, or once its sampler (`recorder`, the calls
    recorded by the lazy observing code) is full; the Target takes the samples over.
    """
    with _adopt_lock:
        if key in _adopted:
            cached = _adopted[key]
            # Still the Target of a live function (not released by an uninstall)?
            if cached is None or target_of(cached.live) is cached:
                return cached
        target = None
        func = function_for(code, key)
        if func is not None:
            _instrument(func, HealOptions())
            target = target_of(func)
            if target is not None and recorder is not None:
                target.recorder = recorder
                target.refresh_code()  # a full sampler: the lean code goes in
        else:
            log.info("selfheal: cannot tell which function runs %s; not healing it", key)
        _adopted[key] = target
        return target


def adopted(key: str) -> Target | None:
    """The Target already adopted for a lazy key, if it is still in force."""
    cached = _adopted.get(key)
    if cached is not None and target_of(cached.live) is cached:
        return cached
    return None


def _functions_in(obj: Any) -> list[Any]:
    """What may hold a function's code under one name: the object itself, the functions
    of a property, static- or classmethod, and a decorator's `__wrapped__` chain."""
    if isinstance(obj, property):
        return [obj.fget, obj.fset, obj.fdel]
    seen: list[Any] = []
    while obj is not None and len(seen) < 8:  # a `__wrapped__` cycle must not hang us
        if isinstance(obj, (staticmethod, classmethod)):
            obj = obj.__func__
        seen.append(obj)
        obj = getattr(obj, "__wrapped__", None) if not isinstance(obj, type) else None
    return seen


def _member(owner: Any, name: str) -> Any:
    # A class's `__dict__` is a mappingproxy, a module's a dict; either answers `get`.
    # Read the namespace, never `getattr`: a descriptor's `__get__` is the program's code.
    namespace = getattr(owner, "__dict__", None)
    if not isinstance(namespace, (dict, types.MappingProxyType)):
        return None
    found = namespace.get(name)
    mangled = name.startswith("__") and not name.endswith("__")
    if found is None and mangled and isinstance(owner, type):
        found = namespace.get(f"_{owner.__name__.lstrip('_')}{name}")  # `__name` in a class
    return found


def function_for(code: types.CodeType, key: str) -> types.FunctionType | None:
    """The one function object running `code`: by module and qualname, else by search."""
    module_name, _, qualname = key.partition(":")
    obj: Any = sys.modules.get(module_name)
    parts = qualname.split(".")
    for part in parts[:-1]:
        obj = _member(obj, part) if obj is not None else None
    for candidate in _functions_in(_member(obj, parts[-1]) if obj is not None else None):
        if isinstance(candidate, types.FunctionType) and candidate.__code__ is code:
            return candidate
    # Rare (a function stored elsewhere than its qualname says, or defined in a function):
    # walk the referrers, which costs milliseconds in a large heap.
    found = [
        f
        for f in gc.get_referrers(code)
        if isinstance(f, types.FunctionType) and f.__code__ is code
    ]
    return found[0] if len(found) == 1 else None


_adopted: dict[str, Target | None] = {}
_adopt_lock = threading.Lock()


def _after_fork_in_child() -> None:
    global _adopt_lock
    _adopt_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _install_approved(target: Target) -> None:
    """Approved mode: swap in the newest approved patch whose source still matches."""
    # start-up: only approved mode needs the store and swap at decoration time
    from selfheal.heal import swap
    from selfheal.store import open_store
    from selfheal.store.approved import approved_patch_for

    eff = target.options.effective(target.live.__module__)
    try:
        record = approved_patch_for(open_store(eff.settings.store), target.ref)
        if record is None or record.chosen is None:
            return
        store = open_store(eff.settings.store)
        swap.install(target, swap.build_patch(target, record.chosen, record.id))
        if record.status is not PatchStatus.LIVE:
            store.transition(record.id, PatchStatus.LIVE, reason="approved mode: swapped in")
        log.info("selfheal: approved patch %s is live on %s", record.id, target.ref.qualname)
    except Exception:
        log.warning(
            "selfheal: could not install the approved patch of %s",
            target.ref.qualname,
            exc_info=True,
        )


def is_instrumented(obj: Any) -> bool:
    return target_of(obj) is not None


def restore(obj: Any) -> Any:
    """Undo the instrumentation of `obj`; returns the object to put back (the same one)."""
    target = target_of(obj)
    if target is not None:
        target.release()
        func = obj.__func__ if isinstance(obj, (staticmethod, classmethod)) else obj
        with contextlib.suppress(AttributeError):
            delattr(func, TARGET_ATTR)
    return obj
