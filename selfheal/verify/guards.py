"""Run-time guards of the sandbox worker: what restricted code calls instead of the real
operations, the audit hook, and the tracer that sees resource errors a candidate catches.

Owns: the guard functions RestrictedPython's transformed code reads from its globals
(`_getattr_`, `_getitem_`, `_write_`, `_getiter_`, ...), the guarded `getattr`/`hasattr`/
`type`, the `sys.addaudithook` hook, and the `GuardState` that remembers the first
violation of the candidate being checked. A violation is recorded before it is raised, so
a candidate that catches the exception still fails: a patch that passes goes live
outside the sandbox, and wrapping an escape in try/except must never pass.

The audit hook must only be installed in a sandbox worker process (a forked child): it
cannot be removed once added. The guards themselves also serve a patch in the live
process (`install_live_guards`), so it runs exactly the code and the rules it was
verified with; this module never installs anything there on its own.
"""

from __future__ import annotations

import builtins
import operator
import string
import sys
import types
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence
from RestrictedPython.PrintCollector import PrintCollector

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


class GuardError(PermissionError):
    """Raised by a guard in the live process: the operation was refused, nothing happened.

    An ordinary exception there (unlike `SandboxViolation`): in the live process a refused
    operation is a failure of the patch, which the heal runtime handles like any other."""


class GuardState:
    """What the worker knows about the candidate being checked (or, with `live`, what the
    patches installed in one module namespace may do)."""

    def __init__(self, live: bool = False) -> None:
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

    def reset(self, codes: frozenset[types.CodeType],
              module_attributes: Mapping[str, frozenset[str]],
              allowed_imports: tuple[str, ...]) -> None:
        self.violation = ""
        self.candidate_codes = codes
        self.module_attributes = module_attributes
        self.allowed_imports = allowed_imports

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
        if default:
            return getattr(obj, name, default[0])
        return getattr(obj, name)

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
        return type(args[0])

    def guarded_getitem(obj: Any, key: Any) -> Any:
        if isinstance(obj, types.ModuleType):
            raise state.flag("getitem on a module")
        return obj[key]

    def guarded_write(obj: Any) -> Any:
        if isinstance(obj, _UNWRITABLE):
            raise state.flag(f"write: cannot modify a {type(obj).__name__} "
                             "(monkeypatching is not a fix)")
        return obj

    def guarded_iter(obj: Any) -> Iterator[Any]:
        return iter(obj)

    def guarded_apply(func: Any, *args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    inplace_ops: dict[str, Callable[[Any, Any], Any]] = {
        "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul,
        "/=": operator.itruediv, "//=": operator.ifloordiv, "%=": operator.imod,
        "**=": operator.ipow, "<<=": operator.ilshift, ">>=": operator.irshift,
        "|=": operator.ior, "^=": operator.ixor, "&=": operator.iand, "@=": operator.imatmul,
    }

    def guarded_inplace(op: str, target: Any, value: Any) -> Any:
        return inplace_ops[op](target, value)

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
_WRITE_FLAGS = 0
for _flag in ("O_WRONLY", "O_RDWR", "O_APPEND", "O_CREAT", "O_TRUNC"):
    _WRITE_FLAGS |= getattr(__import__("os"), _flag, 0)


def _is_write_open(args: tuple[Any, ...]) -> bool:
    mode = args[1] if len(args) > 1 else None
    flags = args[2] if len(args) > 2 else 0
    if isinstance(mode, str) and any(c in mode for c in "wax+"):
        return True
    return isinstance(flags, int) and bool(flags & _WRITE_FLAGS)


def make_audit_hook(state: GuardState) -> Callable[[str, tuple[Any, ...]], None]:
    """The worker's audit hook. Installed after the worker's own setup, never removed."""

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if state._in_hook or not state.active:
            return
        state._in_hook = True
        refuse = ""
        try:
            blocked = ""
            if event == "sys.settrace":
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
        state = GuardState(live=True)
        namespace.update(make_guards(state))
        namespace[_LIVE_STATE] = state
    merged = dict(state.module_attributes)
    for module, attrs in compiled.module_attributes.items():
        merged[module] = merged.get(module, frozenset()) | attrs
    state.module_attributes = merged
    state.allowed_imports = tuple(sorted(set(state.allowed_imports)
                                         | set(compiled.allowed_imports)))
