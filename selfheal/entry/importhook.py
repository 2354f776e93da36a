"""The import hook: turn selfheal on for whole modules, by name, without touching their code.

`install(patterns, exclude)` instruments every function and method (instance, class and
static; sync and async) defined in the modules whose dotted name matches:

* modules imported later are *rewritten*: a meta-path finder puts `rewrite.RewritingLoader`
  in front of the plain source loader, which compiles the module with every function's
  body already wrapped in selfheal's failure handler (cached bytecode of its own, so a
  warm import costs about what a normal one does). No per-function state is made at
  import: the runtime builds a function's state the first time it fails.
* modules already imported cannot run again: each of their functions is instrumented in
  place by the decorator (`self_healing`), one by one.

`uninstall()` gives every attribute back its original object, and every function of a
rewritten module its original code (compiled from the source once, at uninstall).

Pattern rules (`fnmatch` on dotted names, case-sensitive): a pattern matches a module
and all its submodules at any depth, so `myapp`, `myapp.*` and `myapp.**` all cover
`myapp`, `myapp.billing` and `myapp.billing.tax`; `myapp.*.models` covers
`myapp.shop.models` and what is below it. An exclude pattern wins over any include.

Never instrumented: dunder methods (`__init__`, `__call__`...), objects marked with
`skip` (a function, a class, or a module holding `__selfheal_skip__ = True`), anything
that is not a Python function (builtins, C extensions, `functools.partial`...), objects
defined in another module (an imported name is instrumented in its own module, if at
all), selfheal itself, and the standard library and site-packages unless a pattern names
their top-level package literally (`requests.*`, not `*`). In a rewritten module `skip`
is recognised by its name in the source (`@skip`, `@selfheal.skip`, any `@x.skip`), and
so is `@self_healing`, whose functions the decorator instruments itself.

Not covered (by design, document for users): functions created at run time (closures,
lambdas, `exec`); in modules imported before install, also functions called while their
module is still importing, functions wrapped by another decorator (the decorator would
instrument the wrapper, so they are left alone), properties, and classes created
dynamically. Rewritten modules cover decorated functions and property accessors too
(the def itself is instrumented, whatever wraps it). Modules loaded by any other loader
than the plain source loader (zip files, other import hooks such as pytest's) are
instrumented like already-imported ones, right after their body ran.

Why our own meta-path finder rather than wrapt's post-import hooks: those name one
module exactly, and patterns need to see every import. The finder costs one regex match
per import of a non-matching module.

This module decides WHICH functions are instrumented and keeps what is needed to undo
it. It must not decide what happens on a failure (that is the decorator's and the
runtime's job, which read `settings_for_module` themselves) and must never break the
import of a user's module: an error while instrumenting one function leaves that
function as it was, and a module that cannot be rewritten is imported normally.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import importlib
import importlib.abc
import importlib.machinery
import logging
import os
import re
import site
import sys
import sysconfig
import threading
import types
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fnmatch import translate
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from selfheal.config import get_settings

if TYPE_CHECKING:
    from selfheal.entry.rewrite import Loaded
    from selfheal.function.recorder import Recorder
    from selfheal.function.target import Target

__all__ = [
    "SKIP_ATTRIBUTE",
    "compile_main",
    "go_lean",
    "install",
    "install_for_program",
    "installed_patterns",
    "instrument_definition",
    "instrumented",
    "is_installed",
    "matches",
    "pattern_matches",
    "real_loader",
    "rewritten_module_ran",
    "skip",
    "uninstall",
]

log = logging.getLogger("selfheal.importhook")

SKIP_ATTRIBUTE = "__selfheal_skip__"
# codegen.RUNTIME_NAME, spelled out: importing codegen would make this module costly to
# import (tests pin the two equal).
RUNTIME_NAME = "__selfheal_rt__"
_OWN_PACKAGE = "selfheal"
_WILDCARDS = frozenset("*?[")

T = TypeVar("T")


# --------------------------------------------------------------------------- marking


def skip(obj: T) -> T:
    """Mark a function, method, class or descriptor so the import hook never instruments it.

    Usable as a decorator (`@selfheal.skip`) above or below `@staticmethod`/`@classmethod`.
    """
    _mark(obj)
    inner = getattr(obj, "__func__", None)
    if inner is not None:
        _mark(inner)
    return obj


def _mark(obj: object) -> None:
    # Objects without a __dict__ (builtins) are never instrumented anyway.
    with contextlib.suppress(AttributeError, TypeError):
        setattr(obj, SKIP_ATTRIBUTE, True)


def _is_skipped(obj: object) -> bool:
    if getattr(obj, SKIP_ATTRIBUTE, False) is True:
        return True
    inner = getattr(obj, "__func__", None)
    return inner is not None and getattr(inner, SKIP_ATTRIBUTE, False) is True


# --------------------------------------------------------------------------- the decorator


class Instrumenter(Protocol):
    """The three functions of the decorator module the hook needs."""

    def self_healing(self, func: Any) -> Any: ...

    def restore(self, obj: Any) -> Any: ...

    def is_instrumented(self, obj: Any) -> bool: ...


class _DecoratorModule:
    """Adapts `selfheal.entry.decorator` to `Instrumenter`, imported on first use."""

    def __init__(self) -> None:
        # Deferred to the first install: the hook module stays cheap to import.
        from selfheal.entry import decorator

        self._decorator = decorator

    def self_healing(self, func: Any) -> Any:
        return self._decorator.self_healing(func)

    def restore(self, obj: Any) -> Any:
        return self._decorator.restore(obj)

    def is_instrumented(self, obj: Any) -> bool:
        return self._decorator.is_instrumented(obj)


class _RewrittenFunctions:
    """What the runtime needs for the functions of rewritten modules (see
    `runtime.LazyFunctions`): they have no Target until they fail or their sampler
    fills, and the hook knows how to make one and how to give them their lean code."""

    def __init__(self) -> None:
        # Deferred to the first install, as above.
        from selfheal.entry import decorator

        self._decorator = decorator

    def adopt(self, code: types.CodeType, key: str, sampler: Recorder | None) -> Target | None:
        return self._decorator.adopt(code, key, sampler)

    def adopted(self, key: str) -> Target | None:
        return self._decorator.adopted(key)

    def function_for(self, code: types.CodeType, key: str) -> types.FunctionType | None:
        return self._decorator.function_for(code, key)

    def go_lean(self, func: types.FunctionType, key: str) -> bool:
        return go_lean(func, key)

    def module_ran(self, name: str) -> None:
        rewritten_module_ran(name)


def _serve_rewritten_functions() -> None:
    # Deferred: the runtime brings the function model, which an import of this module
    # alone does not need.
    from selfheal.entry import runtime

    runtime.serve_lazy(_RewrittenFunctions())


# Tests replace this to exercise the hook's bookkeeping with a stand-in decorator.
_instrumenter_factory: Callable[[], Instrumenter] = _DecoratorModule


# --------------------------------------------------------------------------- matching


def _compile_patterns(patterns: Sequence[str]) -> re.Pattern[str] | None:
    alternatives: list[str] = []
    for pattern in patterns:
        alternatives.append(translate(pattern))
        # "a pattern covers its submodules": pattern + ".*" (and `*` crosses dots).
        alternatives.append(translate(pattern + ".*"))
        if pattern.endswith(".*"):
            # `myapp.*` also covers the package `myapp` itself.
            alternatives.append(translate(pattern[:-2]))
    if not alternatives:
        return None
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


def _literal_top(pattern: str) -> str | None:
    top = pattern.split(".", 1)[0]
    return None if _WILDCARDS & set(top) else top


def _library_dirs() -> tuple[str, ...]:
    dirs: set[str] = set()
    paths = sysconfig.get_paths()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        if paths.get(key):
            dirs.add(paths[key])
    # Old virtualenvs ship a site module without getsitepackages().
    with contextlib.suppress(AttributeError):
        dirs.update(site.getsitepackages())
    user_site = getattr(site, "USER_SITE", None)
    if user_site:
        dirs.add(user_site)
    for entry in sys.path:
        if entry and os.path.basename(entry) in ("site-packages", "dist-packages"):
            dirs.add(entry)
    return tuple(os.path.normcase(os.path.realpath(d)) + os.sep for d in dirs)


@dataclass(frozen=True)
class _Matcher:
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    _include_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _exclude_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _named_tops: frozenset[str] = field(init=False, repr=False, compare=False)
    _library: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_include_re", _compile_patterns(self.include))
        object.__setattr__(self, "_exclude_re", _compile_patterns(self.exclude))
        tops = {_literal_top(p) for p in self.include}
        object.__setattr__(self, "_named_tops", frozenset(t for t in tops if t))
        object.__setattr__(self, "_library", _library_dirs())

    def name_matches(self, name: str) -> bool:
        """Does the dotted name match (include and not exclude), ignoring where it lives?"""
        if self._include_re is None or not self._include_re.match(name):
            return False
        if self._exclude_re is not None and self._exclude_re.match(name):
            return False
        top = name.split(".", 1)[0]
        return top != _OWN_PACKAGE

    def location_allowed(self, name: str, origin: str | None) -> bool:
        """Standard library and site-packages only when a pattern names their package."""
        top = name.split(".", 1)[0]
        if top in self._named_tops:
            return True
        if top in sys.stdlib_module_names or top in sys.builtin_module_names:
            return False
        if not origin:
            return True
        where = os.path.normcase(os.path.realpath(origin))
        return not where.startswith(self._library)


# --------------------------------------------------------------------------- bookkeeping


@dataclass
class _Wrapped:
    """One object we instrumented and every attribute that we pointed at its replacement."""

    original: Any
    replacement: Any
    qualname: str
    places: list[tuple[Any, str]] = field(default_factory=list)


class _Rewritten(NamedTuple):
    """One execution of a rewritten module: what ran, to find and undo it at uninstall."""

    name: str
    loaded: Loaded  # the module's rewritten code (holding every instrumented code), stamp

    @property
    def code(self) -> types.CodeType:
        return self.loaded.code

    @property
    def stamp(self) -> tuple[int, int]:
        return self.loaded.stamp


class _Hook:
    """The state of one installation: the matcher, the finder and what was instrumented."""

    def __init__(self, matcher: _Matcher, instrumenter: Instrumenter) -> None:
        # Imported on first install only: the hook module stays cheap to import.
        from selfheal.entry import rewrite

        self.rewrite: Any = rewrite  # typed as Any: a module attribute of a lazy import
        self.matcher = matcher
        self.instrumenter = instrumenter
        self.finder = _Finder(self)
        self.active = True
        self.wrapped: dict[int, _Wrapped] = {}  # id(original function) -> record
        self.modules: set[str] = set()
        # (module name, Loaded) per execution; see _Rewritten for the fields.
        self.rewritten: list[tuple[str, Loaded]] = []
        self.lean: dict[str, Loaded] = {}  # module name -> its rewrite without recording

    # -- rewritten modules (the loader calls these: `rewrite.LoadListener`)

    def loader_for(self, loader: Any, name: str) -> importlib.abc.Loader:
        """The loader for a matching source module: rewriting it, or if that cannot be
        had (an unreadable file, a rewrite that fails), running its normal code and
        instrumenting it after its body ran. Decided now, when the module is found: the
        import system executes a module with the loader its spec names, and a reload
        does so without asking the loader anything first."""
        rewriting = self.rewrite.RewritingLoader(loader, self)
        if rewriting.rewritten(name) is None:
            return _InstrumentingLoader(loader, self)
        return rewriting  # type: ignore[no-any-return]

    def rewriting(self, name: str, loaded: Loaded) -> bool:
        """The loader is about to run rewritten code; False: run the normal code instead.

        Runs on every import of a matching module, so without the lock: an uninstall
        racing with it is caught by `rewritten_ran`, which undoes the module if the hook
        was deactivated while (or just before) its body ran.
        """
        if not self.active:
            return False
        code = loaded.code
        if RUNTIME_NAME in code.co_names:  # else nothing was instrumented: nothing to undo
            # A plain tuple: NamedTuple's constructor costs more, on every import.
            self.rewritten.append((name, loaded))
            _bodies_running[name] = (self, loaded)
        return True

    def rewritten_ran(self, name: str, loaded: Loaded) -> None:
        """The body of a rewritten module ended (or raised): undo it if uninstalled meanwhile."""
        if self.active:
            return
        code = loaded.code
        with _lock:
            self.rewritten = [r for r in self.rewritten if r[1].code is not code]
        # Whether or not uninstall saw this record (it may have, before the body defined
        # everything): restoring twice is harmless, restored functions are not ours.
        if RUNTIME_NAME in code.co_names:
            self.restore_rewritten([_Rewritten(name, loaded)])

    def go_lean(self, func: types.FunctionType, key: str) -> bool:
        """Put the lean code on a rewritten function whose sampler is full; False if not.

        The lean variant of the function is taken from the module rewritten without
        recording (cached like any rewrite, compiled once per module), rather than built
        for this one function: on the happy path of a library, building each function's
        state when its sampling ended cost milliseconds per function. The function stays
        lazily instrumented (its Target is made at its first failure, with the samples).
        Only when the file is still the one the running code was built from.
        """
        name = key.partition(":")[0]
        code = func.__code__
        with _lock:
            if not self.active:
                return False
            running = next((r for r in reversed(self.rewritten) if r[0] == name), None)
            if running is None:
                return False
            lean = self.lean.get(name)
            if lean is None:
                try:
                    lean = self.rewrite.load_rewritten(name, code.co_filename, record=False)
                except Exception:
                    log.debug("selfheal: no lean rewrite of %s", name, exc_info=True)
                    return False
                if lean.stamp != running[1].stamp:
                    return False  # the file changed since the module was imported
                self.lean[name] = lean
                self.rewritten.append((name, lean))  # uninstall restores these codes too
            twin = self.rewrite.twin_of(code, lean.code)
            if twin is None or func.__code__ is not code:
                return False
            func.__code__ = twin
            return True

    def restore_rewritten(self, records: list[_Rewritten]) -> None:
        """Give every function of these rewritten modules its original code back."""
        if not records:
            return
        rewrite = self.rewrite
        owner: dict[int, _Rewritten] = {}  # id(instrumented code) -> its module's record
        codes: list[types.CodeType] = []
        for record in records:
            for code in rewrite.instrumented_codes(record.code):
                owner[id(code)] = record
                codes.append(code)
        # A function that failed since has a Target (the runtime adopted it), and may run
        # a patch rather than our code: its Target knows the way back. Only Targets made
        # from our code: a function the user decorated is theirs to keep.
        for name in {record.name for record in records}:
            module = sys.modules.get(name)
            if module is not None:
                for func in _functions_defined_in(module, name):
                    if id(_adopted_code(func)) in owner:
                        self._release(func)
        if not codes:
            return
        # One walk over the heap finds every function still running rewritten code,
        # wherever it is held (module globals, class dicts, properties, other
        # decorators' closures, registries). Not gc.get_referrers(*codes): it compares
        # every reference in the heap with every code, thousands of them here.
        function_type = types.FunctionType
        functions = [
            f
            for f in gc.get_objects()
            if type(f) is function_type and id(f.__code__) in owner
        ]
        originals: dict[int, Any] = {}
        for func in functions:
            code = func.__code__
            found_record = owner.get(id(code))
            if found_record is None:
                continue
            record = found_record
            if id(record) not in originals:
                try:
                    originals[id(record)] = rewrite.Originals.from_file(
                        record.name, record.code.co_filename, record.stamp
                    )
                except Exception:
                    log.warning(
                        "selfheal: cannot read %s again; functions of %s keep selfheal's "
                        "handler",
                        record.code.co_filename,
                        record.name,
                        exc_info=True,
                    )
                    originals[id(record)] = None
            found = originals[id(record)]
            original = found.original_of(code) if found is not None else None
            if original is None:
                log.warning(
                    "selfheal: %s of %s changed since import; it keeps selfheal's handler",
                    rewrite.qualname_of(code),
                    record.code.co_filename,
                )
                continue
            func.__code__ = original

    def _release(self, func: types.FunctionType) -> None:
        try:
            if self.instrumenter.is_instrumented(func):
                self.instrumenter.restore(func)
        except Exception:
            log.debug("selfheal: restore failed for %s", func.__qualname__, exc_info=True)

    def rewritten_names(self) -> list[str]:
        qualname_of = self.rewrite.qualname_of
        return [
            f"{name}:{qualname_of(code)}"
            for name, loaded in self.rewritten
            for code in self.rewrite.instrumented_codes(loaded.code)
        ]

    # -- modules

    def module_loaded(self, module: types.ModuleType) -> None:
        name = getattr(module, "__name__", None)
        if not isinstance(name, str):
            return
        # Held while the decorator runs. This cannot deadlock with the import lock of
        # another module: the decorator only imports selfheal's own modules and the
        # standard library, which never match (selfheal is never instrumented, the
        # standard library only when named), so no thread waiting for us holds an import
        # lock that the decorator needs.
        with _lock:
            if not self.active:
                return
            try:
                self.instrument_module(module, name)
            except Exception:  # never break the user's import
                log.debug("selfheal: could not instrument module %s", name, exc_info=True)

    def instrument_module(self, module: types.ModuleType, name: str) -> None:
        namespace = vars(module)
        if namespace.get(SKIP_ATTRIBUTE) is True:
            return
        self.modules.add(name)
        function_type = types.FunctionType
        for attr, obj in list(namespace.items()):
            # Inlined type tests: this loop sees every global of every instrumented module.
            if type(obj) is function_type:
                if obj.__module__ == name and not _is_dunder(attr):
                    self.wrap(module, attr, obj)
            elif isinstance(obj, type) and not _is_dunder(attr):
                self.instrument_attribute(module, attr, obj, name)

    def instrument_attribute(self, owner: Any, attr: str, obj: Any, module_name: str) -> None:
        if isinstance(obj, type):
            # Only a class bound under its own name (not an alias) is walked, once.
            if obj.__module__ == module_name and obj.__qualname__.rpartition(".")[2] == attr:
                self.instrument_class(obj, module_name, set())
        elif isinstance(obj, types.FunctionType) and obj.__module__ == module_name:
            self.wrap(owner, attr, obj)

    def instrument_class(self, cls: type, module_name: str, seen: set[int]) -> None:
        if id(cls) in seen or _is_skipped(cls):
            return
        seen.add(id(cls))
        for attr, obj in list(vars(cls).items()):
            if _is_dunder(attr):
                continue
            if isinstance(obj, type):
                if obj.__module__ == module_name and obj.__qualname__ == (
                    f"{cls.__qualname__}.{attr}"
                ):
                    self.instrument_class(obj, module_name, seen)
            elif isinstance(obj, (staticmethod, classmethod)):
                func = obj.__func__
                if isinstance(func, types.FunctionType) and func.__module__ == module_name:
                    self.wrap(cls, attr, obj, key=func)
            elif isinstance(obj, types.FunctionType) and obj.__module__ == module_name:
                self.wrap(cls, attr, obj)

    # -- one object

    def wrap(self, owner: Any, attr: str, obj: Any, key: Any = None) -> None:
        """Instrument `obj` (found as `owner.attr`) unless it must be left alone."""
        func = obj if key is None else key
        known = self.wrapped.get(id(func))
        if known is not None:
            # The same function under a second name (an alias, or found again on re-scan).
            if (
                (owner, attr) not in known.places
                and obj is known.original
                and known.replacement is not known.original
            ):
                setattr(owner, attr, known.replacement)
                known.places.append((owner, attr))
            return
        if _left_alone(obj, func):
            return
        try:
            if self.instrumenter.is_instrumented(obj):
                return  # decorated by the user: theirs to keep, not ours to undo
            replacement = self.instrumenter.self_healing(obj)
        except Exception:
            log.debug("selfheal: could not instrument %s.%s", owner, attr, exc_info=True)
            return
        if replacement is obj and not self._safe_is_instrumented(obj):
            return  # the decorator declined (e.g. no source): nothing to undo
        record = _Wrapped(obj, replacement, f"{func.__module__}:{func.__qualname__}")
        if replacement is not obj:
            try:
                setattr(owner, attr, replacement)
            except (AttributeError, TypeError):
                self._undo(record)
                return
        record.places.append((owner, attr))
        self.wrapped[id(func)] = record

    def _safe_is_instrumented(self, obj: Any) -> bool:
        try:
            return bool(self.instrumenter.is_instrumented(obj))
        except Exception:
            return False

    def _undo(self, record: _Wrapped) -> None:
        try:
            original = self.instrumenter.restore(record.replacement)
        except Exception:
            log.debug("selfheal: restore failed for %s", record.qualname, exc_info=True)
            original = record.original
        for owner, attr in record.places:
            # Only put it back if nobody replaced the attribute since (a reload, a patch).
            if vars(owner).get(attr) is record.replacement and original is not record.replacement:
                try:
                    setattr(owner, attr, original)
                except (AttributeError, TypeError):  # pragma: no cover - read-only owner
                    log.debug("selfheal: cannot reset %s.%s", owner, attr, exc_info=True)

    def undo_all(self) -> None:
        records = list(self.wrapped.values())
        self.wrapped.clear()
        for record in reversed(records):
            self._undo(record)
        rewritten, self.rewritten = self.rewritten, []
        try:
            self.restore_rewritten([_Rewritten(*entry) for entry in rewritten])
        except Exception:  # pragma: no cover - each step contains its own errors
            log.warning("selfheal: could not restore rewritten modules", exc_info=True)


def _adopted_code(func: types.FunctionType) -> types.CodeType | None:
    """The lazily instrumented code a function's Target was made from, if any."""
    # Deferred: the function model costs an import this module avoids until it is needed.
    from selfheal.function.target import target_of

    code = getattr(target_of(func), "adopted_code", None)
    return code if isinstance(code, types.CodeType) else None


def _functions_defined_in(module: types.ModuleType, name: str) -> Iterator[types.FunctionType]:
    """Functions of `module` reachable from its globals and classes, through descriptors."""
    seen: set[int] = set()
    stack: list[Any] = list(vars(module).values())
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if type(obj) is types.FunctionType:
            if obj.__module__ == name:
                yield obj
            wrapped = obj.__dict__.get("__wrapped__") if obj.__dict__ else None
            if wrapped is not None:
                stack.append(wrapped)
        elif isinstance(obj, type):
            if obj.__module__ == name:
                stack.extend(vars(obj).values())
        elif isinstance(obj, (staticmethod, classmethod)):
            stack.append(obj.__func__)
        elif isinstance(obj, property):
            stack.extend(f for f in (obj.fget, obj.fset, obj.fdel) if f is not None)


def _left_alone(obj: Any, func: types.FunctionType) -> bool:
    """Marked with `skip`, or a wrapper made by another decorator (it has `__wrapped__`).

    Instrumenting a wrapper would attribute the other decorator's code to the user; the
    user can put @self_healing under it instead. Reads `__dict__` directly: this runs for
    every function of every instrumented module, and a missing attribute looked up with
    getattr costs an exception each time.
    """
    attrs = func.__dict__
    if attrs and (attrs.get(SKIP_ATTRIBUTE) is True or "__wrapped__" in attrs):
        return True
    if obj is not func:
        own = getattr(obj, "__dict__", None)  # staticmethod/classmethod have one on 3.10+
        if own and own.get(SKIP_ATTRIBUTE) is True:
            return True
    return False


def _is_dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


# --------------------------------------------------------------------------- the finder

# Loaders whose modules hold no Python functions to instrument.
_OPAQUE_LOADERS = (
    importlib.machinery.ExtensionFileLoader,
    importlib.machinery.BuiltinImporter,
    importlib.machinery.FrozenImporter,
)

_searching = threading.local()
_SOURCE_LOADER = importlib.machinery.SourceFileLoader


class _Finder(importlib.abc.MetaPathFinder):
    """First on `sys.meta_path`: for a matching module, wraps the loader the others find."""

    def __init__(self, hook: _Hook) -> None:
        self.hook = hook

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        hook = self.hook
        if not hook.active or not hook.matcher.name_matches(fullname):
            return None
        busy: set[str] | None = getattr(_searching, "names", None)
        if busy is None:
            busy = _searching.names = set()
        elif fullname in busy:
            return None  # a finder after us asked the import system again: stay out
        busy.add(fullname)
        try:
            spec = self._find_with_others(fullname, path, target)
        finally:
            busy.discard(fullname)
        if spec is None:
            return None
        loader = spec.loader
        if type(loader) is _SOURCE_LOADER:
            # Exactly the plain loader: a subclass may transform the source itself (other
            # import hooks do), so rewriting its file would bypass it.
            if hook.matcher.location_allowed(fullname, spec.origin):
                spec.loader = hook.loader_for(loader, fullname)
            return spec
        if loader is None or isinstance(loader, _OPAQUE_LOADERS):
            return spec
        if not hasattr(loader, "exec_module"):
            return spec
        if hook.matcher.location_allowed(fullname, spec.origin):
            spec.loader = _InstrumentingLoader(loader, hook)
        return spec

    def _find_with_others(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None,
    ) -> importlib.machinery.ModuleSpec | None:
        for finder in list(sys.meta_path):
            if finder is self or isinstance(finder, _Finder):
                continue
            find_spec = getattr(finder, "find_spec", None)
            if find_spec is None:
                continue
            spec: importlib.machinery.ModuleSpec | None = find_spec(fullname, path, target)
            if spec is not None:
                return spec
        return None


class _InstrumentingLoader(importlib.abc.Loader):
    """Runs the real loader, then instruments the module. Gives the real loader back first.

    The module and its spec point at the real loader again before the module body runs,
    so the module's own code, `inspect`, `importlib.resources` and pickling never see us.
    """

    def __init__(self, loader: Any, hook: _Hook) -> None:
        self._loader = loader
        self._hook = hook

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        create = getattr(self._loader, "create_module", None)
        return None if create is None else create(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        module.__loader__ = self._loader
        spec = getattr(module, "__spec__", None)
        if spec is not None and spec.loader is self:
            spec.loader = self._loader
        self._loader.exec_module(module)
        self._hook.module_loaded(module)

    def __getattr__(self, name: str) -> Any:
        # get_source, get_resource_reader, is_package ... go to the real loader.
        return getattr(self._loader, name)


# --------------------------------------------------------------------------- public API

_lock = threading.RLock()
_hook: _Hook | None = None
# Rewritten module bodies running now: name -> the hook that let them run, and their
# code. The body's own `finally` reports its end (`rewritten_module_ran`), also after
# that hook was uninstalled, which is when it matters.
_bodies_running: dict[str, tuple[_Hook, Loaded]] = {}


def go_lean(func: types.FunctionType, key: str) -> bool:
    """Give a rewritten function its lean code (see `_Hook.go_lean`); False if not done."""
    hook = _hook
    return hook is not None and hook.go_lean(func, key)


def rewritten_module_ran(name: str) -> None:
    """Called (through the runtime) at the end of a rewritten module's body."""
    running = _bodies_running.pop(name, None)
    if running is not None:
        hook, loaded = running
        hook.rewritten_ran(name, loaded)


def _after_fork_in_child() -> None:
    # A fork taken while another thread instruments a module must not leave the child
    # with a lock nobody will release.
    global _lock
    _lock = threading.RLock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _as_tuple(patterns: Iterable[str] | str | None) -> tuple[str, ...]:
    if patterns is None:
        return ()
    if isinstance(patterns, str):
        patterns = patterns.split(",")
    return tuple(p.strip() for p in patterns if p and p.strip())


def install(patterns: Iterable[str] | str | None = None, exclude: Iterable[str] | str = ()) -> None:
    """Instrument the functions of every module matching `patterns`, now and when imported.

    `patterns=None` uses the `include` setting. The `exclude` setting always applies, in
    addition to `exclude`. Idempotent: the same call twice instruments once; a call with
    other patterns replaces the previous installation (undoing it first). Does nothing
    when selfheal is disabled (`SELFHEAL_DISABLED=1`) or no pattern is given.
    Raises ConfigurationError for invalid settings.
    """
    _install(patterns, exclude, for_program=False)


def install_for_program(
    patterns: Iterable[str] | str | None = None, exclude: Iterable[str] | str = ()
) -> bool:
    """`install` as `selfheal run` needs it; returns False when selfheal is disabled.

    The hook exists even without patterns (the program's main module is instrumented
    through `instrument_definition`), and the `__main__` module present now is the
    runner's own, so it is not scanned.
    """
    return _install(patterns, exclude, for_program=True)


def _install(
    patterns: Iterable[str] | str | None, exclude: Iterable[str] | str, for_program: bool
) -> bool:
    global _hook
    settings = get_settings()
    include = _as_tuple(patterns) if patterns is not None else settings.include
    excluded = tuple(dict.fromkeys(_as_tuple(exclude) + settings.exclude))
    with _lock:
        if settings.disabled or not (include or for_program):
            return False
        matcher = _Matcher(include, excluded)
        if _hook is not None:
            if _hook.matcher == matcher:
                return True
            _uninstall_locked()
        _serve_rewritten_functions()  # before the finder: the first rewritten body needs it
        hook = _Hook(matcher, _instrumenter_factory())
        _hook = hook
        sys.meta_path.insert(0, hook.finder)
        # Modules already imported are instrumented in place. Copy: instrumenting must
        # not trip over an import it triggers.
        for name, module in list(sys.modules.items()):
            if not isinstance(module, types.ModuleType) or not matcher.name_matches(name):
                continue
            if for_program and name == "__main__":
                continue
            origin = getattr(module, "__file__", None)
            if not matcher.location_allowed(name, origin):
                continue
            try:
                hook.instrument_module(module, name)
            except Exception:  # never break the user's program for one module
                log.debug("selfheal: could not instrument module %s", name, exc_info=True)
        return True


def uninstall() -> None:
    """Stop instrumenting imports and give every attribute its original object back."""
    with _lock:
        _uninstall_locked()


def _uninstall_locked() -> None:
    global _hook
    hook = _hook
    if hook is None:
        return
    _hook = None
    hook.active = False
    # Remove our finder even if someone put another finder in front of it.
    sys.meta_path[:] = [f for f in sys.meta_path if f is not hook.finder]
    hook.undo_all()


def is_installed() -> bool:
    return _hook is not None


def installed_patterns() -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(include, exclude) of the current installation, or None."""
    hook = _hook
    return None if hook is None else (hook.matcher.include, hook.matcher.exclude)


def instrumented() -> list[str]:
    """`module:qualname` of every object the hook instrumented, sorted."""
    hook = _hook
    if hook is None:
        return []
    with _lock:
        names = {record.qualname for record in hook.wrapped.values()}
        names.update(hook.rewritten_names())
        return sorted(names)


def pattern_matches(name: str, patterns: Iterable[str] | str) -> bool:
    """Does a dotted module name match one of `patterns` (the hook's rules, see above)?"""
    regex = _compile_patterns(_as_tuple(patterns))
    return regex is not None and regex.match(name) is not None


def real_loader(loader: Any) -> Any:
    """The loader behind ours, for code that must see the real one (the runner)."""
    if isinstance(loader, _InstrumentingLoader):
        return loader._loader
    rewrite = sys.modules.get("selfheal.entry.rewrite")
    if rewrite is not None and isinstance(loader, rewrite.RewritingLoader):
        return loader.real_loader
    return loader


def matches(name: str) -> bool:
    """Would the current installation instrument a module of this name (by name only)?"""
    hook = _hook
    return hook is not None and hook.matcher.name_matches(name)


# --------------------------------------------------------------------------- the main script


def instrument_definition(module_name: str, attr: str) -> None:
    """Instrument `attr` of a module still running its body (the main script).

    Called by the statements `compile_main` inserts after each top-level `def`/`class`:
    the main script's functions are called before its body finishes, so it cannot wait
    for the end of the module like imported modules do.
    """
    hook = _hook
    module = sys.modules.get(module_name)
    if hook is None or module is None:
        return
    obj = vars(module).get(attr)
    if obj is None or _is_dunder(attr):
        return
    with _lock:
        if not hook.active:
            return
        try:
            hook.instrument_attribute(module, attr, obj, module_name)
        except Exception:  # pragma: no cover - wrap() contains its own errors
            log.debug("selfheal: could not instrument %s.%s", module_name, attr, exc_info=True)


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


class _MainTransformer(ast.NodeTransformer):
    """After each `def`/`class` of the module body, call `instrument_definition`.

    Only statements executed at module level are visited (including those inside
    `if`/`try`/`with`/loops); function bodies are left alone. New statements carry the
    line of the definition's last line, so tracebacks keep the file's real line numbers.
    """

    def _rewrite(self, body: list[ast.stmt]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for stmt in body:
            self.visit(stmt)
            out.append(stmt)
            if isinstance(stmt, _DEFINITIONS):
                out.append(_hook_call(stmt))
        return out

    def generic_visit(self, node: ast.AST) -> ast.AST:
        if isinstance(node, _DEFINITIONS):
            return node  # do not descend into function or class bodies
        for name in ("body", "orelse", "finalbody"):
            value = getattr(node, name, None)
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                setattr(node, name, self._rewrite(value))
        for handler in getattr(node, "handlers", ()) or ():
            handler.body = self._rewrite(handler.body)
        for case in getattr(node, "cases", ()) or ():
            case.body = self._rewrite(case.body)
        return node


def _hook_call(definition: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> ast.stmt:
    # __import__("<this module>", None, None, ("*",)).instrument_definition(__name__, "f"):
    # no name is added to the script's namespace, and the fromlist makes __import__ hand
    # back this module itself rather than the top package.
    source = (
        f"__import__({__name__!r}, None, None, ('*',))"
        f".instrument_definition(__name__, {definition.name!r})"
    )
    stmt = ast.parse(source).body[0]
    line = definition.end_lineno or definition.lineno
    for node in ast.walk(stmt):
        if isinstance(node, (ast.expr, ast.stmt)):
            node.lineno = node.end_lineno = line
            node.col_offset = node.end_col_offset = definition.col_offset
    return stmt


def compile_main(source: str | bytes, filename: str) -> types.CodeType:
    """Compile a main script so its top-level functions are instrumented as defined.

    Line numbers, `from __future__` imports and docstrings are those of the file.
    """
    tree = ast.parse(source, filename=filename)
    transformer = _MainTransformer()
    tree.body = transformer._rewrite(tree.body)
    return compile(tree, filename, "exec", dont_inherit=True)
