"""Run-time guards of the sandbox worker: what restricted code calls instead of the real
operations, the audit hook, and the tracer that sees resource errors a candidate catches.

Owns: the guard functions RestrictedPython's transformed code reads from its globals
(`_getattr_`, `_getitem_`, `_write_`, `_getiter_`, ...), the guarded `getattr`/`hasattr`/
`type` (which never hands out `type` itself), the size guards of `*`, `**` and `<<`, the
state no patch may change (`GuardState.protects`: module-level objects the original does
not write, `os.environ`, the allowed stdlib modules' tables and contexts), the
`sys.addaudithook` hook, and the `GuardState` that remembers the first violation of the
candidate being checked. A violation is recorded before it is raised, so a candidate
that catches the exception still fails: a patch that passes goes live outside the
sandbox, and wrapping an escape in try/except must never pass.

The audit hook must only be installed in a sandbox worker process (a forked child): it
cannot be removed once added. The guards themselves also serve a patch in the live
process (`install_live_guards`), so it runs exactly the code and the rules it was
verified with; this module never installs anything there on its own.
"""

from __future__ import annotations

import builtins
import decimal
import functools
import operator
import os
import re
import string
import sys
import time
import types
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence
from RestrictedPython.PrintCollector import PrintCollector

from selfheal.verify import watchdog
from selfheal.verify.effects import MUTATING_METHODS, mutates_first_argument
from selfheal.verify.policy import (
    BLOCKED_ATTRIBUTES,
    BLOCKED_MODULE_ATTRIBUTES,
    REWRITTEN_BUILTINS,
    SAFE_BUILTINS,
    CompiledCandidate,
    allowed_module,
    compile_eval,
)

__all__ = [
    "GuardError",
    "GuardState",
    "SandboxViolation",
    "install_live_guards",
    "make_audit_hook",
    "make_guards",
    "protected_stdlib_state",
]


class SandboxViolation(BaseException):
    """Raised by a guard, the audit hook or the check timer. A BaseException so that
    `except Exception` in a candidate does not catch it (the state flag catches the rest)."""


# Types whose instances a candidate may not write attributes or items on.
_UNWRITABLE: tuple[type, ...] = (
    types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType, types.MethodType,
    types.CodeType, types.FrameType, types.TracebackType, types.GeneratorType,
    types.CoroutineType, types.AsyncGeneratorType, types.MappingProxyType,
)
_RESOURCE_ERRORS = (MemoryError, RecursionError, SandboxViolation)
_IMMUTABLE: frozenset[type] = frozenset(
    {int, float, complex, str, bytes, bool, type(None), tuple, frozenset, range, Decimal,
     Fraction})
# What one operation of a patch (`*`, `**`, `<<`) may build: far more than a fix needs,
# far less than what takes a host down.
MAX_ITEMS = 1 << 25  # items of a list or tuple (256 MiB of references)
MAX_CHARS = 1 << 28  # characters of a str, bytes of a bytes (256 MiB)
MAX_BITS = 1 << 28  # bits of an int (32 MiB)


def protected_stdlib_state(allowed_imports: tuple[str, ...]) -> dict[int, str]:
    """Mutable module-level objects of the modules a candidate may import (decimal's
    DefaultContext, json's tables...), by id: process-wide state no fix changes."""
    return _stdlib_state_of(allowed_imports, len(sys.modules))


@functools.lru_cache(maxsize=16)
def _stdlib_state_of(allowed_imports: tuple[str, ...], _modules: int) -> dict[int, str]:
    found: dict[int, str] = {}
    for module_name, module in list(sys.modules.items()):
        if module is None or not allowed_module(module_name, allowed_imports):
            continue
        for name, value in list(vars(module).items()):
            if name.startswith("_"):
                continue
            if isinstance(value, (dict, list, set, bytearray, decimal.Context)):
                found[id(value)] = f"{module_name}.{name}"
    return found


class GuardError(PermissionError):
    """Raised by a guard in the live process: the operation was refused, nothing happened.

    An ordinary exception there (unlike `SandboxViolation`): in the live process a refused
    operation is a failure of the patch, which the heal runtime handles like any other."""


class GuardState:
    """What the worker knows about the candidate being checked (or, with `live`, what the
    patches installed in one module namespace may do)."""

    def __init__(self, live: bool = False, namespace: Mapping[str, Any] | None = None) -> None:
        self.live = live
        self.violation: str = ""  # the first violation of the current candidate
        self.candidate_codes: frozenset[types.CodeType] = frozenset()
        self.module_attributes: Mapping[str, frozenset[str]] = {}
        self.allowed_imports: tuple[str, ...] = ()
        self.active = False  # a check that may run candidate code is in progress
        self._in_hook = False
        # Expressions the guarded eval compiled under the policy: running them is not
        # the "exec" of code the policy never saw.
        self.evaluated: set[types.CodeType] = set()
        # The module the patch runs in, and the names of its globals whose objects the
        # original writes itself (see `protects`).
        self.namespace: Mapping[str, Any] = namespace if namespace is not None else {}
        self.writable: frozenset[str] = frozenset()
        self._protected: tuple[float, int, dict[int, str]] = (-1e9, -1, {})

    def reset(self, codes: frozenset[types.CodeType],
              module_attributes: Mapping[str, frozenset[str]],
              allowed_imports: tuple[str, ...],
              writable: frozenset[str] = frozenset()) -> None:
        self.violation = ""
        self.candidate_codes = codes
        self.module_attributes = module_attributes
        self.allowed_imports = allowed_imports
        self.writable = writable
        self._protected = (-1e9, -1, {})

    def protects(self, obj: Any) -> str:
        """The name of `obj` if it is state that outlives a call and that the original
        does not change itself (a module's dict or list, `os.environ`, decimal's module
        contexts, json's tables), else "". Checked by object identity: an alias
        (`k = RATES`) is the same object."""
        if obj is os.environ:
            return "os.environ"
        if type(obj) in _IMMUTABLE or isinstance(obj, _UNWRITABLE):
            return ""
        return self._protected_ids().get(id(obj), "")

    def _protected_ids(self) -> dict[int, str]:
        # Rebuilt when the module gains a name and at least every quarter of a second
        # (a module that rebinds a global is seen within that time): a write guard runs
        # on every item write of the patch, a scan of the module's globals would not do.
        now = time.monotonic()
        stamp, size, found = self._protected
        namespace = self.namespace
        if now - stamp < 0.25 and size == len(namespace):
            return found
        found = dict(protected_stdlib_state(self.allowed_imports))
        for name, value in list(namespace.items()):
            if name in self.writable or name.startswith("_"):
                continue
            if type(value) in _IMMUTABLE or isinstance(value, _UNWRITABLE):
                continue
            found[id(value)] = name
        self._protected = (now, len(namespace), found)
        return found

    def flag(self, message: str) -> BaseException:
        if self.live:
            return GuardError(message)
        if not self.violation:
            self.violation = message
        return SandboxViolation(message)

    def candidate_on_stack(self) -> bool:
        codes = self.candidate_codes
        if not codes:
            return False
        frame: types.FrameType | None = sys._getframe(2)
        depth = 0
        while frame is not None and depth < 200:
            if frame.f_code in codes:
                return True
            frame = frame.f_back
            depth += 1
        return False

    # ------------------------------------------------------------------ tracer

    def tracer(self, frame: types.FrameType, event: str, arg: Any) -> Any:
        """Global trace function: watch only the candidate's own frames, and only for
        exceptions (line events are switched off), so MemoryError/RecursionError passing
        through candidate code fail it even if it catches them."""
        # Reading f_code is an audited event; it is ours, not the candidate's. (Restore,
        # not clear: the guarded eval may be compiling, itself marked as ours.)
        outer = self._in_hook
        self._in_hook = True
        try:
            mine = frame.f_code in self.candidate_codes
        finally:
            self._in_hook = outer
        if mine:
            frame.f_trace_lines = False
            return self._local_tracer
        return None

    def _local_tracer(self, frame: types.FrameType, event: str, arg: Any) -> Any:
        if event == "exception" and issubclass(arg[0], _RESOURCE_ERRORS) and not self.violation:
            self.violation = f"resource limit: {arg[0].__name__} in candidate code"
        return self._local_tracer


def _check_format_fields(template: str, state: GuardState, depth: int = 0) -> None:
    if depth > 3:
        raise state.flag("format: nested format specifications too deep")
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return  # the real format raises the same error
    for _literal, field, spec, _conv in parsed:
        if field and ("." in field or "[" in field):
            raise state.flag(f"format: attribute or item traversal in field {field!r}")
        if spec:
            _check_format_fields(spec, state, depth + 1)


def make_guards(state: GuardState) -> dict[str, Any]:
    """The names restricted code reads from its globals (see `policy.GUARD_NAMES`)."""

    def check_name(obj: Any, name: Any) -> None:
        if not isinstance(name, str):
            raise state.flag("getattr: attribute name is not a str")
        if name.startswith("_"):
            raise state.flag(f"getattr: private attribute {name!r}")
        if name in BLOCKED_ATTRIBUTES:
            raise state.flag(f"getattr: blocked attribute {name!r}")
        if name == "obj" and isinstance(obj, BaseException):
            raise state.flag("getattr: exception attribute 'obj' leaks objects")
        if isinstance(obj, types.ModuleType):
            module = obj.__name__
            if name in state.module_attributes.get(module, frozenset()):
                return
            if allowed_module(module, state.allowed_imports):
                top = module.partition(".")[0]
                if name in BLOCKED_MODULE_ATTRIBUTES.get(top, frozenset()):
                    raise state.flag(f"getattr: {module}.{name} is blocked")
                value = getattr(obj, name, None)
                if isinstance(value, types.ModuleType) and not allowed_module(
                    value.__name__, state.allowed_imports
                ):
                    raise state.flag(f"getattr: {module}.{name} is the module {value.__name__}")
                return
            raise state.flag(f"getattr: {module}.{name} is not read by the original")

    def guarded_getattr(obj: Any, name: Any, *default: Any) -> Any:
        check_name(obj, name)
        if name in ("format", "format_map") and (
            isinstance(obj, str) or (isinstance(obj, type) and issubclass(obj, str))
        ):
            return _safe_format(obj, name)
        if name in MUTATING_METHODS and not isinstance(obj, (type, types.ModuleType)):
            owner = state.protects(obj)
            if owner:
                raise refuse_state(owner, f"cannot call .{name}() of")
        value = getattr(obj, name, default[0]) if default else getattr(obj, name)
        if isinstance(obj, types.ModuleType) and mutates_first_argument(obj.__name__, name):
            return _first_argument_guarded(value, f"{obj.__name__}.{name}")
        return value

    def _first_argument_guarded(func: Callable[..., Any], what: str) -> Callable[..., Any]:
        # operator.setitem(RATES, ...) writes RATES without a write guard in sight
        def guarded(*args: Any, **kwargs: Any) -> Any:
            owner = state.protects(args[0]) if args else ""
            if owner:
                raise refuse_state(owner, f"cannot pass to {what}()")
            return func(*args, **kwargs)

        return guarded

    def _safe_format(obj: Any, name: str) -> Callable[..., str]:
        if isinstance(obj, str):
            # Checked now (a str cannot change) and the real method handed out, so the
            # candidate sees the same object as in the live process.
            _check_format_fields(obj, state)
            return getattr(obj, name)  # type: ignore[no-any-return]

        def unbound(template: Any, *args: Any, **kwargs: Any) -> str:
            if not isinstance(template, str):
                raise TypeError("format needs a str")
            _check_format_fields(template, state)
            return getattr(template, name)(*args, **kwargs)  # type: ignore[no-any-return]

        return unbound

    def guarded_hasattr(obj: Any, name: Any) -> bool:
        try:
            guarded_getattr(obj, name)
        except AttributeError:
            return False
        return True

    def guarded_type(*args: Any) -> Any:
        if len(args) != 1:
            raise state.flag("type(): only the one-argument form is allowed")
        kind = type(args[0])
        if issubclass(kind, type):
            # type(int) is `type` itself (type(SomeABC) a metaclass): called with three
            # arguments it builds classes, with whatever __eq__ or __repr__ the caller
            # likes. What a fix needs of it, the one-argument form, this is too.
            return guarded_type
        return kind

    def guarded_getitem(obj: Any, key: Any) -> Any:
        if isinstance(obj, types.ModuleType):
            raise state.flag("getitem on a module")
        return obj[key]

    def refuse_state(name: str, how: str) -> BaseException:
        return state.flag(f"write: {how} {name}, state that outlives the call and that the "
                          "original does not change")

    def guarded_write(obj: Any) -> Any:
        if isinstance(obj, _UNWRITABLE):
            raise state.flag(f"write: cannot modify a {type(obj).__name__} "
                             "(monkeypatching is not a fix)")
        owner = state.protects(obj)
        if owner:
            raise refuse_state(owner, "cannot modify")
        return obj

    def guarded_iter(obj: Any) -> Iterator[Any]:
        # A `for` loop or a comprehension of the patch: in a timed live call, each item
        # checks the call's time budget (elsewhere, the plain iterator).
        return watchdog.ticking(obj)

    def guarded_apply(func: Any, *args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    inplace_ops: dict[str, Callable[[Any, Any], Any]] = {
        "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul,
        "/=": operator.itruediv, "//=": operator.ifloordiv, "%=": operator.imod,
        "**=": operator.ipow, "<<=": operator.ilshift, ">>=": operator.irshift,
        "|=": operator.ior, "^=": operator.ixor, "&=": operator.iand, "@=": operator.imatmul,
    }

    def guarded_inplace(op: str, target: Any, value: Any) -> Any:
        owner = state.protects(target)
        if owner:
            raise refuse_state(owner, f"cannot apply {op} to")
        if op in ("*=", "**=", "<<="):
            check_size(op[:-1], target, value)
        return inplace_ops[op](target, value)

    def check_size(op: str, left: Any, right: Any) -> None:
        """Refuse an operation whose result is beyond the limits (MAX_ITEMS ...) before
        it is computed: a single `*` can ask for more memory than the host has."""
        big = ""
        if op == "*":
            seq, count = (left, right) if type(right) is int else (right, left)
            if type(count) is int and isinstance(seq, (str, bytes, bytearray, list, tuple)):
                limit = MAX_ITEMS if isinstance(seq, (list, tuple)) else MAX_CHARS
                if count > 0 and len(seq) * count > limit:
                    big = f"{len(seq)} * {count} items"
            elif type(left) is int and type(right) is int and (
                    left.bit_length() + right.bit_length() > MAX_BITS):
                big = "an integer product of more than 2**28 bits"
        elif op == "**":
            if type(left) is int and type(right) is int and right > 0 and abs(left) > 1 and (
                    right * left.bit_length() > MAX_BITS):
                big = f"an integer power of about {right * left.bit_length()} bits"
        elif op == "<<" and type(left) is int and type(right) is int and left and (
                right + left.bit_length() > MAX_BITS):
            big = f"an integer shift of {right} bits"
        if big:
            raise state.flag(f"size: {big} is beyond what one operation may build")

    def guarded_mul(left: Any, right: Any) -> Any:
        check_size("*", left, right)
        return left * right

    def guarded_pow(left: Any, right: Any) -> Any:
        check_size("**", left, right)
        return left**right

    def guarded_lshift(left: Any, right: Any) -> Any:
        check_size("<<", left, right)
        return left << right

    def guarded_unpack(it: Any, spec: Any, _getiter_: Any) -> Any:
        return guarded_unpack_sequence(it, spec, guarded_iter)  # type: ignore[no-untyped-call]

    def guarded_iter_unpack(it: Any, spec: Any, _getiter_: Any) -> Any:
        return guarded_iter_unpack_sequence(it, spec, guarded_iter)  # type: ignore[no-untyped-call]

    def guarded_eval(source: Any, globals_: Any = None, locals_: Any = None) -> Any:
        # The expression sees the safe builtins, the guards, and the caller's locals (or
        # the namespaces it was given), never the module's globals: least capability
        # cannot check names that only exist at run time.
        if not isinstance(source, str):
            raise state.flag("eval: only a str expression may be evaluated")
        state._in_hook = True  # compiling and reading the caller's frame are ours
        try:
            code, refused = compile_eval(source, state.allowed_imports)
            caller = dict(sys._getframe(1).f_locals) if globals_ is None else None
        finally:
            state._in_hook = False
        if code is None:
            raise state.flag(f"eval: {refused}"[:300])
        env: dict[str, Any] = dict(globals_) if isinstance(globals_, dict) else {}
        given = env.get("__builtins__")
        allowed = _EVAL_BUILTINS
        if isinstance(given, dict):
            allowed = {k: v for k, v in allowed.items() if k in given}
        env.update(guards)
        env["__builtins__"] = allowed
        if len(state.evaluated) > 256:
            state.evaluated.clear()
        state.evaluated.add(code)
        return eval(code, env, caller if caller is not None else locals_)

    class _Printed(PrintCollector):
        """print() inside a candidate: collected and dropped, never written anywhere."""

        def _call_print(self, *objects: Any, **kwargs: Any) -> None:
            kwargs.pop("file", None)
            kwargs["file"] = self
            print(*objects, **kwargs)

    guards: dict[str, Any] = {
        "_getattr_": guarded_getattr,
        "_sh_getattr_": guarded_getattr,
        "_sh_hasattr_": guarded_hasattr,
        "_sh_type_": guarded_type,
        "_getitem_": guarded_getitem,
        "_write_": guarded_write,
        "_getiter_": guarded_iter,
        "_iter_unpack_sequence_": guarded_iter_unpack,
        "_unpack_sequence_": guarded_unpack,
        "_inplacevar_": guarded_inplace,
        "_apply_": guarded_apply,
        "_print_": _Printed,
        "_sh_eval_": guarded_eval,
        "_sh_mul_": guarded_mul,
        "_sh_pow_": guarded_pow,
        "_sh_lshift_": guarded_lshift,
        "_sh_tick_": watchdog.tick,  # each round of a `while` loop
        # what the prologue of a live patch calls (swap.timed_def)
        "_sh_enter_": watchdog.enter,
        "_sh_leave_": watchdog.leave,
    }
    return guards


# What an evaluated expression may call: the builtins any candidate may use.
_EVAL_BUILTINS: dict[str, Any] = {
    name: getattr(builtins, name)
    for name in sorted(SAFE_BUILTINS)
    if name not in REWRITTEN_BUILTINS and name != "print" and hasattr(builtins, name)
}


# Events that always fail the candidate: writing files, starting processes, signalling.
_ALWAYS_BLOCKED_PREFIXES: tuple[str, ...] = (
    "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
    "os.kill", "os.killpg", "os.remove", "os.unlink", "os.rename", "os.replace", "os.rmdir",
    "os.mkdir", "os.chmod", "os.chown", "os.truncate", "os.link", "os.symlink", "os.utime",
    "os.putenv", "os.unsetenv", "os.chdir", "os.chroot", "os.setxattr", "os.removexattr",
    "os.mkfifo", "os.mknod", "os.startfile", "subprocess.", "pty.spawn", "shutil.",
    "socket.", "ctypes.", "resource.setrlimit", "resource.prlimit", "signal.pthread_kill",
    "sys.addaudithook", "sys.settrace", "sys.setprofile", "sys.remote_exec", "webbrowser.",
    "winreg.", "msvcrt.", "_posixsubprocess",
)
# Events that fail the candidate when its own code is on the stack (the worker and the
# user's own checks trigger some of these legitimately: lazy imports, code generation).
_CANDIDATE_BLOCKED_PREFIXES: tuple[str, ...] = (
    "exec", "compile", "code.__new__", "function.__new__", "object.__setattr__",
    "object.__delattr__", "object.__getattr__", "sys._getframe", "sys._current_frames",
    "gc.", "marshal.", "pickle.", "builtins.input", "cpython.", "sqlite3.", "urllib.",
    "http.", "ftplib.", "smtplib.",
    "sys.excepthook", "sys.unraisablehook", "array.__new__",
)
# Events that start a process. Refused in the worker at every moment once the hook is
# in (the worker itself starts none): RLIMIT_NPROC does not bind root, this does.
_PROCESS_PREFIXES: tuple[str, ...] = (
    "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
    "os.startfile", "subprocess.", "pty.spawn", "_posixsubprocess",
)
_WRITE_FLAGS = 0
for _flag in ("O_WRONLY", "O_RDWR", "O_APPEND", "O_CREAT", "O_TRUNC"):
    _WRITE_FLAGS |= getattr(os, _flag, 0)
# Files that hold a process's secrets whatever its environment says now: the initial
# environment block, the command line, the memory (of this worker or of its parent).
_PROCESS_SECRETS = re.compile(
    r"/proc/(?:self|thread-self|\d+)(?:/task/\d+)?/(?:environ|cmdline|mem)")


def _reads_process_secrets(args: tuple[Any, ...]) -> bool:
    path = args[0] if args else None
    if not isinstance(path, (str, bytes)):
        return False
    try:
        text = os.path.realpath(os.fsdecode(path))
    except (OSError, ValueError):
        return True
    return bool(_PROCESS_SECRETS.fullmatch(text))


def _is_write_open(args: tuple[Any, ...]) -> bool:
    mode = args[1] if len(args) > 1 else None
    flags = args[2] if len(args) > 2 else 0
    if isinstance(mode, str) and any(c in mode for c in "wax+"):
        return True
    return isinstance(flags, int) and bool(flags & _WRITE_FLAGS)


def make_audit_hook(state: GuardState) -> Callable[[str, tuple[Any, ...]], None]:
    """The worker's audit hook. Installed after the worker's own setup, never removed."""

    # Events seen between checks, and whether they matter: the worker's own code raises
    # thousands (`builtins.id` from every deepcopy), and this runs for each one.
    relevant: dict[str, bool] = {}

    def between_checks(event: str, args: tuple[Any, ...]) -> None:
        # Only the worker's own code runs now, or candidate code that outlived its check
        # (a generator's `finally` run by the garbage collector, a finalizer).
        # (sys.settrace: the worker's own, twice a check; no candidate can reach it)
        matters = relevant[event] = event == "open" or (
            event.startswith(_ALWAYS_BLOCKED_PREFIXES + _PROCESS_PREFIXES)
            and event != "sys.settrace")
        if not matters:
            return
        process = event.startswith(_PROCESS_PREFIXES)
        if not (process or event != "open" or _is_write_open(args)):
            return
        state._in_hook = True
        try:
            mine = state.candidate_on_stack()
        finally:
            state._in_hook = False
        if mine:
            raise state.flag(f"audit: {event} (outside a check)")
        if process:
            raise PermissionError(f"not allowed in the sandbox: {event}")

    ignored = relevant.get

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if state._in_hook:
            return
        if not state.active:
            if ignored(event) is not False:
                between_checks(event, args)
            return
        state._in_hook = True
        refuse = ""
        try:
            blocked = ""
            if event == "open" and _reads_process_secrets(args):
                what = f"open of {args[0]!r} (the process's secrets)"
                if state.candidate_on_stack():
                    blocked = f"audit: {what}"
                else:
                    refuse = what
            elif event == "sys.settrace":
                # Nobody in the sandbox can reach sys.settrace; CPython itself removes a
                # trace function that raised, which happens when the stack or the memory
                # ran out inside it.
                blocked = "resource limit: RecursionError or MemoryError (tracing was lost)"
            elif (event == "open" and _is_write_open(args)) or event.startswith(
                _ALWAYS_BLOCKED_PREFIXES
            ):
                what = f"open for writing ({args[0]!r})" if event == "open" else event
                if state.candidate_on_stack():
                    blocked = f"audit: {what}"
                else:
                    # Library code of the worker or the user's own checks (Hypothesis
                    # caches, for one): refused with an error they handle, and not held
                    # against the candidate, which is not running.
                    refuse = what
            elif event == "import":
                module = str(args[0]) if args else ""
                if not allowed_module(module, state.allowed_imports) and state.candidate_on_stack():
                    blocked = f"audit: import of {module!r}"
            elif event == "exec" and args and args[0] in state.evaluated:
                pass  # an expression the guarded eval compiled under the policy
            elif event.startswith(_CANDIDATE_BLOCKED_PREFIXES) and state.candidate_on_stack():
                blocked = f"audit: {event}"
        finally:
            state._in_hook = False
        if blocked:
            raise state.flag(blocked)
        if refuse:
            raise PermissionError(f"not allowed in the sandbox: {refuse}")

    return hook


_LIVE_STATE = "_sh_guard_state_"  # where a namespace keeps its live GuardState


def install_live_guards(namespace: dict[str, Any], compiled: CompiledCandidate) -> None:
    """Make `namespace` (the globals of the function a patch goes live on) provide the
    guards that `compiled.code` calls, with the same rules as in the sandbox.

    Installing the restricted code with these guards keeps the live patch exactly what
    was verified: a candidate cannot behave differently once it notices it is no longer
    in the sandbox, because nothing it can observe differs (the audit hook and the
    resource limits are the only parts that stay in the sandbox). Idempotent; several
    patches in one module share one state whose allowances are the union of theirs.
    """
    state = namespace.get(_LIVE_STATE)
    if not isinstance(state, GuardState) or not state.live:
        state = GuardState(live=True, namespace=namespace)
        namespace.update(make_guards(state))
        namespace[_LIVE_STATE] = state
    state.writable = state.writable | compiled.writable_globals
    merged = dict(state.module_attributes)
    for module, attrs in compiled.module_attributes.items():
        merged[module] = merged.get(module, frozenset()) | attrs
    state.module_attributes = merged
    state.allowed_imports = tuple(sorted(set(state.allowed_imports)
                                         | set(compiled.allowed_imports)))
