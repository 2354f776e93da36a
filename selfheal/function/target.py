"""The state selfheal keeps for one instrumented function.

A `Target` is created by the decorator and found again by the runtime through the
integer id compiled into the instrumented code. It owns the original code (to revert
to), the parsed source, the options, the recorder, and which variant of the code is in
place. It must not run any stage of the heal loop.
"""

from __future__ import annotations

import os
import threading
import types
from typing import TYPE_CHECKING, Any

from selfheal.function.codegen import Variant, compile_like, instrument
from selfheal.function.options import HealOptions
from selfheal.function.recorder import Recorder
from selfheal.function.source import FunctionSource
from selfheal.models import FunctionRef

if TYPE_CHECKING:
    from selfheal.function.live import LivePatch

_registry: list[Target | None] = []
_registry_lock = threading.Lock()


def lookup(fid: int) -> Target | None:
    try:
        return _registry[fid]
    except IndexError:
        return None


class Target:
    def __init__(
        self,
        live: types.FunctionType,
        source: FunctionSource,
        options: HealOptions,
        recorder: Recorder | None,
        original_code: types.CodeType | None = None,
    ) -> None:
        self.live = live
        self.source = source
        self.ref: FunctionRef = source.ref(live)
        self.options = options
        self.recorder = recorder
        # When the function was already instrumented lazily (a rewritten module), its
        # running code is not the original: the caller recompiled the original for us.
        self.adopted_code = live.__code__ if original_code is not None else None
        self.original_code = original_code or live.__code__
        self.original_defaults = live.__defaults__
        self.original_kwdefaults = live.__kwdefaults__
        self.lock = threading.RLock()
        self.patch: LivePatch | None = None
        self.heals = 0
        self.rejected: set[str] = set()  # candidate ids rolled back: never again
        with _registry_lock:
            self.fid = len(_registry)
            _registry.append(self)
        self._codes: dict[Variant, types.CodeType] = {}

    def code(self, variant: Variant) -> types.CodeType:
        """The instrumented original in `variant`, compiled on first use."""
        code = self._codes.get(variant)
        if code is None:
            code = self._codes[variant] = self.build(variant)
        return code

    @property
    def codes(self) -> dict[Variant, types.CodeType]:
        return dict(self._codes)

    def build(self, variant: Variant) -> types.CodeType:
        s = self.source
        node = instrument(s.node, self.fid, variant, s.reassigned)
        return compile_like(s, node, self.original_code, first_line=s.first_line)

    @property
    def wants_observation(self) -> bool:
        """Does the live code need the return hook (recording, or properties to check)?"""
        recording = self.recorder is not None and not self.recorder.full
        return recording or bool(self.options.properties)

    def current_variant(self) -> Variant:
        return "observed" if self.wants_observation else "lean"

    def refresh_code(self) -> None:
        """Put the right variant of the right code (original or live patch) in place."""
        with self.lock:
            variant = self.current_variant()
            code = self.patch.codes[variant] if self.patch is not None else self.code(variant)
            if self.live.__code__ is not code:
                self.live.__code__ = code

    def original_function(self) -> types.FunctionType:
        """A plain, uninstrumented copy of the original (not referenced by anyone)."""
        return function_like(
            self.live, self.original_code, self.original_defaults, self.original_kwdefaults
        )

    def original_codes(self) -> set[types.CodeType]:
        """Code objects that run the original source (instrumented or not)."""
        codes = {self.original_code, *self._codes.values()}
        if self.adopted_code is not None:
            codes.add(self.adopted_code)
        return codes

    def own_codes(self) -> set[types.CodeType]:
        """Code objects that count as "this function" in a traceback."""
        codes = self.original_codes()
        if self.patch is not None:
            codes.update(self.patch.codes.values())
            codes.add(self.patch.plain.__code__)
        return codes

    def release(self) -> None:
        """Undo everything: original code and defaults back in place, forget the id."""
        with self.lock:
            self.live.__code__ = self.original_code
            self.live.__defaults__ = self.original_defaults
            self.live.__kwdefaults__ = self.original_kwdefaults
            self.patch = None
            with _registry_lock:
                _registry[self.fid] = None


# The attribute of an instrumented function object that holds its Target.
TARGET_ATTR = "__selfheal_target__"


def target_of(obj: Any) -> Target | None:
    """The Target of an instrumented function (or a static/class method of one), or None."""
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    target = getattr(obj, TARGET_ATTR, None)
    return target if isinstance(target, Target) else None


def live_patches() -> int:
    """How many functions run a patch right now (the live-patches gauge)."""
    return sum(1 for t in list(_registry) if t is not None and t.patch is not None)


def _after_fork_in_child() -> None:
    """New locks for every target: one held by another thread at fork time never unlocks."""
    global _registry_lock
    _registry_lock = threading.Lock()
    for target in list(_registry):
        if target is not None:
            target.lock = threading.RLock()
            if target.recorder is not None:
                target.recorder.reset_lock()


def function_like(
    like: types.FunctionType,
    code: types.CodeType,
    defaults: tuple[object, ...] | None,
    kwdefaults: dict[str, object] | None,
) -> types.FunctionType:
    """A new function running `code` in the place of `like`: its globals, closure, name,
    docs and annotations; referenced by nobody."""
    func = types.FunctionType(code, like.__globals__, like.__name__, defaults, like.__closure__)
    func.__kwdefaults__ = kwdefaults
    copy_identity(like, func)
    return func


def copy_identity(source: types.FunctionType, func: types.FunctionType) -> None:
    """Give a rebuilt function the name, docs and annotations of the one it stands for.

    The annotations matter: verification draws inputs from them.
    """
    func.__qualname__ = source.__qualname__
    func.__module__ = source.__module__
    func.__doc__ = source.__doc__
    func.__annotations__ = dict(getattr(source, "__annotations__", {}) or {})

if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
