"""The static policy: what a candidate's source may contain before anything runs it.

Owns: compiling a candidate under our RestrictedPython policy (`compile_candidate`), the
signature/kind check against the original, least capability (a candidate uses no global
name, builtin or module attribute the original does not already use, beyond a small set
of safe builtins), the import allowlist, and the list of disabled builtins with the
reason for each. Violations are returned as data (`Violation`), never raised.

It must not run candidate code: it only parses and compiles. The guards that the
compiled code calls at run time (`_getattr_`, `_write_` ...) live in `guards`.

Why both a policy and guards and a process boundary: RestrictedPython is a toolkit, not a
sandbox. The policy rejects what can be seen in the source (private names, frames,
`exec`), the guards catch what is only known at run time (a write to a class reached
through a local alias), and the process boundary contains what neither can see.

The policy decides statically whatever it can (`_StaticChecks`), even where a guard would
also catch it: a patch that passes goes live, and a candidate that can tell the sandbox
apart could keep an escape for later. So the plain code (`CompiledCandidate.plain_code`)
is safe on its own except for writes through aliases; installing the restricted code
with `guards.install_live_guards` closes that too.
"""

from __future__ import annotations

import ast
import builtins
import difflib
import dis
import string
import sys
import threading
import types
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from RestrictedPython.transformer import (
    INSPECT_ATTRIBUTES,
    IOPERATOR_TO_STR,
    RestrictingNodeTransformer,
)

from selfheal.verify.effects import written_globals

__all__ = [
    "BLOCKED_ATTRIBUTES",
    "BLOCKED_MODULE_ATTRIBUTES",
    "DISABLED_BUILTINS",
    "GUARD_NAMES",
    "SAFE_BUILTINS",
    "SIZED_OPERATORS",
    "CompiledCandidate",
    "Violation",
    "allowed_module",
    "compile_candidate",
    "compile_eval",
    "function_kind",
    "module_attributes_used",
    "restrict_in_place",
]

# Builtins any candidate may use, whether or not the original does: pure functions of
# their arguments and the exceptions a fix commonly raises or catches.
SAFE_BUILTINS: frozenset[str] = frozenset(
    {
        "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "bytes", "callable",
        "chr", "complex", "dict", "divmod", "enumerate", "filter", "float", "format",
        "frozenset", "hash", "hex", "int", "isinstance", "issubclass", "iter", "len", "list",
        "map", "max", "min", "next", "oct", "ord", "pow", "range", "repr", "reversed",
        "round", "set", "slice", "sorted", "str", "sum", "tuple", "zip", "print",
        "getattr", "hasattr", "type",  # rewritten to guarded versions (see REWRITTEN_BUILTINS)
        "NotImplemented", "Ellipsis",
        "Exception", "ArithmeticError", "AssertionError", "AttributeError", "IndexError",
        "KeyError", "LookupError", "NotImplementedError", "OverflowError", "RuntimeError",
        "OSError", "FileNotFoundError", "TimeoutError",
        "StopIteration", "StopAsyncIteration", "TypeError", "UnicodeError",
        "UnicodeDecodeError", "UnicodeEncodeError", "ValueError", "ZeroDivisionError",
    }
)

# Builtins no candidate may use, even when the original does, and why.
DISABLED_BUILTINS: Mapping[str, str] = {
    "eval": "runs code the policy never saw",
    "exec": "runs code the policy never saw",
    "compile": "builds code the policy never saw",
    "open": "reads and writes files outside the sandbox's view",
    "globals": "exposes the module namespace and, through it, the real builtins",
    "locals": "exposes frame namespaces",
    "vars": "exposes the namespace of any object, including modules and classes",
    "dir": "enumerates private and dunder names to build escapes from",
    "setattr": "writes any attribute, bypassing the write guard",
    "delattr": "deletes any attribute, bypassing the write guard",
    "breakpoint": "starts an interactive debugger that blocks the worker",
    "input": "reads the terminal and blocks the worker",
    "help": "starts the interactive help system",
    "memoryview": "raw views of object memory",
    "id": "exposes object addresses, the first step of memory-corruption escapes",
    "object": "the root of every class: the start of subclass walks",
    "classmethod": "builds descriptors; a function body does not need them",
    "staticmethod": "builds descriptors; a function body does not need them",
    "property": "builds descriptors; a function body does not need them",
    "exit": "ends the interpreter",
    "quit": "ends the interpreter",
    "copyright": "interactive helper",
    "credits": "interactive helper",
    "license": "interactive helper, reads files",
    "BaseException": "catching it swallows the sandbox's own timeout and violation signals",
    "SystemExit": "ends the process the patch goes live in",
    "KeyboardInterrupt": "catching or raising it interferes with the user's interrupts",
    "GeneratorExit": "interferes with generator cleanup",
    "MemoryError": "a resource limit is a failure, not a branch to take",
    "RecursionError": "a resource limit is a failure, not a branch to take",
}

# Builtins the candidate may name but that run as guarded versions provided by `guards`.
REWRITTEN_BUILTINS: Mapping[str, str] = {
    "getattr": "_sh_getattr_",
    "hasattr": "_sh_hasattr_",
    "type": "_sh_type_",
}

# `eval` where the original calls it: compiled under this policy at run time.
_EVAL_GUARD = "_sh_eval_"

# Operators that can build a huge object in one step (`[0] * 2 ** 34`, `10 ** 10 ** 9`):
# they run as guarded versions that refuse a result beyond a size limit.
SIZED_OPERATORS: Mapping[type[ast.operator], str] = {
    ast.Mult: "_sh_mul_",
    ast.Pow: "_sh_pow_",
    ast.LShift: "_sh_lshift_",
}

# Names the restricted code reads from its globals; the worker provides them.
GUARD_NAMES: frozenset[str] = frozenset(
    {
        "_getattr_", "_getitem_", "_write_", "_getiter_", "_iter_unpack_sequence_",
        "_unpack_sequence_", "_inplacevar_", "_apply_", "_print_", _EVAL_GUARD,
        *REWRITTEN_BUILTINS.values(), *SIZED_OPERATORS.values(),
        "_sh_tick_",  # each round of a `while` loop checks a live call's time budget
        "_sh_enter_", "_sh_leave_",  # called by the prologue of a live patch
    }
)

# Attributes that lead from ordinary objects to frames, code, globals or the object graph.
BLOCKED_ATTRIBUTES: frozenset[str] = frozenset(
    {
        "gi_frame", "gi_code", "gi_yieldfrom", "cr_frame", "cr_code", "cr_await", "cr_origin",
        "ag_frame", "ag_code", "ag_await", "tb_frame", "tb_next", "f_back", "f_globals",
        "f_locals", "f_builtins", "f_code", "f_trace", "f_generator", "co_code", "func_globals",
        "func_code", "im_func", "im_self", "mro", "get_field", "get_value", "vformat",
        "parse", "register",
    }
)
# Module attributes that bypass the guards even inside an allowed module.
BLOCKED_MODULE_ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "operator": frozenset({"attrgetter", "methodcaller"}),  # getattr by another name
    "string": frozenset({"Formatter"}),  # str.format without our field check
    "functools": frozenset({"singledispatch", "singledispatchmethod",  # type registries
                            "update_wrapper", "wraps"}),  # write other functions' attributes
    "decimal": frozenset({"setcontext"}),  # process-wide state once live
}
_KIND_FLAGS = {
    "generator": 0x20,  # CO_GENERATOR
    "coroutine": 0x80,  # CO_COROUTINE
    "async_generator": 0x200,  # CO_ASYNC_GENERATOR
}
_CO_VARARGS = 0x04
_CO_VARKEYWORDS = 0x08
_OUTER_NAME = "_sh_outer_"


@dataclass(frozen=True)
class Violation:
    """One reason a candidate was rejected before it ran."""

    # "syntax", "restricted", "shape", "signature", "kind", "builtin", "least-capability"
    rule: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"[{self.rule}] {where}{self.message}"


@dataclass(frozen=True)
class CompiledCandidate:
    """A candidate that passed the static policy, ready to be installed by a code swap.

    `code` is the restricted code (calls the guards; what the sandbox runs). `plain_code`
    is the same function compiled without the RestrictedPython transform, with the same
    name, signature and free variables; both fit `original.__code__`'s closure.
    """

    code: types.CodeType
    plain_code: types.CodeType
    # Every code object nested in `code` (comprehensions, lambdas, inner defs): frames
    # running one of these are the candidate's own.
    code_objects: frozenset[types.CodeType]
    # module name -> attributes a candidate may read on that module object
    module_attributes: Mapping[str, frozenset[str]] = field(default_factory=dict)
    allowed_imports: tuple[str, ...] = ()
    # Module-level names whose objects the original writes itself (a memo it fills):
    # the write guards leave those objects to the patch, and guard every other one.
    writable_globals: frozenset[str] = frozenset()


def function_kind(code: types.CodeType) -> str:
    if code.co_flags & _KIND_FLAGS["async_generator"]:
        return "async_generator"
    if code.co_flags & _KIND_FLAGS["coroutine"]:
        return "coroutine"
    if code.co_flags & _KIND_FLAGS["generator"]:
        return "generator"
    return "function"


def _walk_code(code: types.CodeType) -> Iterable[types.CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _walk_code(const)


_OPS = dis.opmap
_NAME_OPS = frozenset(_OPS[n] for n in ("LOAD_GLOBAL", "LOAD_NAME", "STORE_GLOBAL",
                                         "DELETE_GLOBAL", "STORE_NAME", "DELETE_NAME"))
_GLOBAL_LOADS = frozenset(_OPS[n] for n in ("LOAD_GLOBAL", "LOAD_NAME"))
_ATTR_LOADS = frozenset(_OPS[n] for n in ("LOAD_ATTR", "LOAD_METHOD") if n in _OPS)
_TRANSPARENT = frozenset(_OPS[n] for n in ("CACHE", "PRECALL", "NOP") if n in _OPS)
_LOAD_GLOBAL = _OPS["LOAD_GLOBAL"]
_LOAD_ATTR = _OPS["LOAD_ATTR"]
_EXTENDED_ARG = dis.EXTENDED_ARG
# The oparg of LOAD_GLOBAL (3.11+) and LOAD_ATTR (3.12+) carries a flag in its low bit.
_GLOBAL_SHIFT = 1 if sys.version_info >= (3, 11) else 0
_ATTR_SHIFT = 1 if sys.version_info >= (3, 12) else 0


def _scan(code: types.CodeType, env: Mapping[str, object]
          ) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """Global names used anywhere in `code` (nested code included), and which attributes
    of which modules it reads: `os.path.join` gives {"os": {"path"}, "posixpath": {"join"}}.

    Reads the bytecode directly (about ten times faster than `dis.get_instructions`,
    which matters: this runs for every candidate).
    """
    names: set[str] = set()
    attrs: dict[str, set[str]] = {}
    for co in _walk_code(code):
        raw = co.co_code
        co_names = co.co_names
        current: object = None
        extended = 0
        for i in range(0, len(raw), 2):
            op = raw[i]
            arg = raw[i + 1] | extended
            if op == _EXTENDED_ARG:
                extended = arg << 8
                continue
            extended = 0
            if op in _NAME_OPS:
                name = co_names[arg >> _GLOBAL_SHIFT if op == _LOAD_GLOBAL else arg]
                names.add(name)
                current = env.get(name) if op in _GLOBAL_LOADS else None
                if not isinstance(current, types.ModuleType):
                    current = None
            elif op in _ATTR_LOADS:
                if isinstance(current, types.ModuleType):
                    attr = co_names[arg >> _ATTR_SHIFT if op == _LOAD_ATTR else arg]
                    attrs.setdefault(current.__name__, set()).add(attr)
                    following = getattr(current, attr, None)
                    current = following if isinstance(following, types.ModuleType) else None
            elif op not in _TRANSPARENT:
                current = None
    return frozenset(names), {m: frozenset(a) for m, a in attrs.items()}


_original_scans: dict[tuple[types.CodeType, int],
                      tuple[frozenset[str], dict[str, frozenset[str]]]] = {}


def _scan_original(function: types.FunctionType
                   ) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    key = (function.__code__, id(function.__globals__))
    hit = _original_scans.get(key)
    if hit is None:
        if len(_original_scans) > 256:
            _original_scans.clear()
        hit = _original_scans[key] = _scan(function.__code__, function.__globals__)
    return hit


def module_attributes_used(function: types.FunctionType) -> dict[str, frozenset[str]]:
    """Which attributes of which modules `function` reads (nested code included)."""
    return dict(_scan_original(function)[1])


class CandidatePolicy(RestrictingNodeTransformer):
    """RestrictedPython's transformer with our additions.

    * `async def`/`await`/`async for`/`async with` are allowed (an async original needs an
      async fix); their attribute and item accesses are still guarded.
    * `global`, class definitions, relative imports and imports outside the allowlist are
      rejected: a fix is a function body, not a new module or class.
    * `getattr`, `hasattr`, `type` are rewritten to guarded versions.
    * `*`, `**`, `<<` call size guards (one operation cannot build a huge object), and
      each round of a `while` loop calls `_sh_tick_` (a live call's time budget).
    """

    allowed_imports: tuple[str, ...] = ()

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.AST:
        self.check_name(node, node.name)
        self.check_function_argument_names(node)
        with self.print_info.new_print_scope():
            node = self.node_contents_visit(node)
            self.inject_print_collector(node)  # type: ignore[arg-type]
        return node

    def visit_Await(self, node: ast.Await) -> ast.AST:
        return self.node_contents_visit(node)

    def visit_AsyncFor(self, node: ast.AsyncFor) -> ast.AST:
        if isinstance(node.target, ast.Tuple):
            self.error(node, "tuple targets in 'async for' are not allowed.")
        return self.node_contents_visit(node)

    def visit_AsyncWith(self, node: ast.AsyncWith) -> ast.AST:
        for item in node.items:
            if item.optional_vars is not None and not isinstance(item.optional_vars, ast.Name):
                self.error(node, "only simple names are allowed after 'async with ... as'.")
        return self.node_contents_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST | Iterable[ast.AST] | None:
        """`obj.attr += x` and `obj[key] += x` (RestrictedPython refuses both; fixes
        need them): evaluate `obj` and `key` once into temporaries, read through the
        guards, combine with `_inplacevar_`, write back through `_write_`."""
        target = node.target
        if not isinstance(target, (ast.Attribute, ast.Subscript)):
            return super().visit_AugAssign(node)
        if isinstance(target, ast.Attribute) and (
            target.attr.startswith("_") or target.attr in INSPECT_ATTRIBUTES
        ):
            self.error(node, f'"{target.attr}" is an invalid attribute name.')
            return node
        op = IOPERATOR_TO_STR[type(node.op)]
        obj_name = f"_sh_aug_{self._tmp_idx}"
        key_name = f"_sh_key_{self._tmp_idx}"
        self._tmp_idx += 1

        def name(id_: str, store: bool = False) -> ast.Name:
            return ast.Name(id_, ast.Store() if store else ast.Load())

        def call(func: str, *args: ast.expr) -> ast.Call:
            return ast.Call(func=name(func), args=list(args), keywords=[])

        stmts: list[ast.stmt] = [ast.Assign([name(obj_name, True)], self.visit(target.value))]
        if isinstance(target, ast.Attribute):
            current: ast.expr = call("_getattr_", name(obj_name), ast.Constant(target.attr))
            store: ast.expr = ast.Attribute(call("_write_", name(obj_name)), target.attr,
                                            ast.Store())
        else:
            stmts.append(ast.Assign([name(key_name, True)], self.visit(target.slice)))
            current = call("_getitem_", name(obj_name), name(key_name))
            store = ast.Subscript(call("_write_", name(obj_name)), name(key_name), ast.Store())
        value = call("_inplacevar_", ast.Constant(op), current, self.visit(node.value))
        stmts.append(ast.Assign([store], value))
        for stmt in stmts:
            ast.copy_location(stmt, node)
            ast.fix_missing_locations(stmt)
        return stmts

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        node = self.node_contents_visit(node)
        guard = SIZED_OPERATORS.get(type(node.op))
        if guard is None:
            return node
        func = ast.copy_location(ast.Name(guard, ast.Load()), node)
        call = ast.Call(func=func, args=[node.left, node.right], keywords=[])
        return ast.copy_location(call, node)

    def visit_While(self, node: ast.While) -> ast.AST:
        """`while test:` becomes `while _sh_tick_() and test:`: in a timed live call each
        round checks the call's time budget (see `selfheal.verify.watchdog`)."""
        node = self.node_contents_visit(node)
        tick = ast.copy_location(ast.Call(ast.copy_location(ast.Name("_sh_tick_", ast.Load()),
                                                             node), [], []), node)
        node.test = ast.copy_location(ast.BoolOp(ast.And(), [tick, node.test]), node)
        return node

    def visit_Global(self, node: ast.Global) -> None:
        self.error(node, "global statements are not allowed: a fix must not rebind module names.")

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.error(node, "class definitions are not allowed in a fix.")

    def _check_module(self, node: ast.AST, module: str) -> None:
        if not allowed_module(module, self.allowed_imports):
            self.error(node, f"import of {module!r} is not allowed (allowed: "
                       f"{', '.join(self.allowed_imports) or 'none'}).")

    def visit_Import(self, node: ast.Import) -> ast.AST:
        for alias in node.names:
            self._check_module(node, alias.name)
        return self.check_import_names(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.AST:
        if node.level:
            self.error(node, "relative imports are not allowed.")
        else:
            self._check_module(node, node.module or "")
        return self.check_import_names(node)

    def visit_Call(self, node: ast.Call) -> ast.AST | Iterable[ast.AST] | None:
        # `eval(...)` runs as the guarded `_sh_eval_`, which compiles the expression
        # under this same policy when it is called (least capability allows the name
        # only where the original calls eval, see `_StaticChecks._builtin_use`).
        if isinstance(node.func, ast.Name) and node.func.id == "eval":
            guarded = ast.Name(_EVAL_GUARD, ast.Load())
            ast.copy_location(guarded, node.func)
            guarded._selfheal_rewritten = True  # type: ignore[attr-defined]
            node.func = guarded
        return super().visit_Call(node)

    def visit_Name(self, node: ast.Name) -> ast.AST | Iterable[ast.AST] | None:
        if getattr(node, "_selfheal_rewritten", False):
            return node  # put there by visit_Call, not written by the candidate
        if isinstance(node.ctx, ast.Load) and node.id in REWRITTEN_BUILTINS:
            new = ast.Name(REWRITTEN_BUILTINS[node.id], ast.Load())
            ast.copy_location(new, node)
            return new
        if not isinstance(node.ctx, ast.Load) and node.id in REWRITTEN_BUILTINS:
            self.error(node, f"rebinding {node.id!r} is not allowed.")
        return super().visit_Name(node)


_RP_LINE = "Line "


def _parse_rp_error(text: str) -> Violation:
    line: int | None = None
    message = text
    if text.startswith(_RP_LINE):
        head, _, rest = text.partition(":")
        try:
            line = int(head[len(_RP_LINE):])
        except ValueError:
            line = None
        message = rest.strip()
    return Violation("restricted", line, message)


def _signature_violations(fn: ast.FunctionDef | ast.AsyncFunctionDef,
                          original: types.FunctionType) -> list[Violation]:
    out: list[Violation] = []
    oc = original.__code__
    a = fn.args
    n_pos = oc.co_argcount
    n_kw = oc.co_kwonlyargcount
    names = list(oc.co_varnames[: n_pos + n_kw])
    idx = n_pos + n_kw
    orig_vararg = orig_kwarg = None
    if oc.co_flags & _CO_VARARGS:
        orig_vararg = oc.co_varnames[idx]
        idx += 1
    if oc.co_flags & _CO_VARKEYWORDS:
        orig_kwarg = oc.co_varnames[idx]
    cand_pos = [x.arg for x in a.posonlyargs + a.args]
    cand_kw = [x.arg for x in a.kwonlyargs]
    line = fn.lineno
    if cand_pos != names[:n_pos] or len(a.posonlyargs) != oc.co_posonlyargcount:
        out.append(Violation("signature", line, f"positional parameters {cand_pos} differ "
                             f"from the original's {names[:n_pos]} "
                             f"({oc.co_posonlyargcount} positional-only)"))
    if cand_kw != names[n_pos:]:
        out.append(Violation("signature", line, f"keyword-only parameters {cand_kw} differ "
                             f"from the original's {names[n_pos:]}"))
    if (a.vararg.arg if a.vararg else None) != orig_vararg:
        out.append(Violation("signature", line, "the *args parameter differs"))
    if (a.kwarg.arg if a.kwarg else None) != orig_kwarg:
        out.append(Violation("signature", line, "the **kwargs parameter differs"))
    n_defaults = len(original.__defaults__ or ())
    if len(a.defaults) != n_defaults:
        out.append(Violation("signature", line, f"{len(a.defaults)} default values where the "
                             f"original has {n_defaults}: defaults must not change"))
    kw_with_default = {x.arg for x, d in zip(a.kwonlyargs, a.kw_defaults, strict=False)
                       if d is not None}
    if kw_with_default != set(original.__kwdefaults__ or {}):
        out.append(Violation("signature", line, "keyword-only defaults differ from the original's"))
    if fn.decorator_list:
        out.append(Violation("shape", line, "decorators are not allowed on a fix"))
    return out


def _wrap_for_freevars(module: ast.Module, freevars: tuple[str, ...]) -> ast.Module:
    """Nest the def in an outer function binding the original's free variables, so the
    compiled code has exactly the original's `co_freevars` (a swap binds cells by position)."""
    fn = module.body[-1]
    assert isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
    # A dead reference makes every original free variable free in the fix too.
    touch = ast.If(
        test=ast.Constant(False),
        body=[ast.Expr(ast.Tuple([ast.Name(v, ast.Load()) for v in freevars], ast.Load()))],
        orelse=[],
    )
    fn.body.insert(0, touch)
    outer = ast.FunctionDef(
        name=_OUTER_NAME,
        args=ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[],
                           kw_defaults=[], kwarg=None, defaults=[]),
        body=[ast.Assign([ast.Name(v, ast.Store())], ast.Constant(None)) for v in freevars]
        + [fn, ast.Return(ast.Name(fn.name, ast.Load()))],
        decorator_list=[],
        returns=None,
    )
    new = ast.Module(body=[*module.body[:-1], outer], type_ignores=[])
    ast.copy_location(outer, fn)
    ast.copy_location(touch, fn)
    return ast.fix_missing_locations(new)


def _extract_function(module_code: types.CodeType, name: str, nested: bool) -> types.CodeType:
    outer = module_code
    if nested:
        outer = next(c for c in module_code.co_consts
                     if isinstance(c, types.CodeType) and c.co_name == _OUTER_NAME)
    return next(c for c in outer.co_consts if isinstance(c, types.CodeType) and c.co_name == name)


def _finish(code: types.CodeType, original: types.CodeType, filename: str) -> types.CodeType:
    changes: dict[str, object] = {"co_filename": filename}
    if hasattr(code, "co_qualname"):  # 3.11+
        changes["co_qualname"] = getattr(original, "co_qualname")  # noqa: B009
    return code.replace(**changes)  # type: ignore[arg-type]


_FORMAT_METHODS = frozenset({"format", "format_map"})


def _format_fields_ok(template: str, depth: int = 0) -> bool:
    """No attribute or item traversal in any replacement field (nested specs included)."""
    if depth > 3:
        return False
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return True  # str.format raises the same error at run time
    for _literal, field_name, spec, _conversion in parsed:
        if field_name and ("." in field_name or "[" in field_name):
            return False
        if spec and not _format_fields_ok(spec, depth + 1):
            return False
    return True


class _StaticChecks:
    """Checks on the plain AST that make the plain code safe on its own.

    The run-time guards stop these in the sandbox, but a candidate that can tell the
    sandbox from the live process (a guarded `getattr` is not the builtin) could save
    them for later; so whatever can be decided from the source is decided here:
    module objects only as the base of a checked attribute chain, attribute names of
    `getattr`/`hasattr` as literals, `type()` with one argument, `str.format` only on a
    literal template without traversal, no writes to modules, classes or functions.
    """

    def __init__(self, fn: ast.FunctionDef | ast.AsyncFunctionDef, original: types.FunctionType,
                 allowed_imports: tuple[str, ...],
                 original_attrs: Mapping[str, frozenset[str]]) -> None:
        self.fn = fn
        self.env = original.__globals__
        self.allowed_imports = allowed_imports
        self.original_attrs = original_attrs
        self.violations: list[Violation] = []
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(fn):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
        self.aliases: dict[str, object] = {}  # names bound by the candidate's imports
        self.handlers: set[str] = set()  # names bound by `except ... as name`
        for node in ast.walk(fn):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.aliases[alias.asname] = sys.modules.get(alias.name)
                    else:
                        top = alias.name.partition(".")[0]
                        self.aliases[top] = sys.modules.get(top)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                base = sys.modules.get(node.module)
                for alias in node.names:
                    value = getattr(base, alias.name, None) if base is not None else None
                    if value is None:
                        value = sys.modules.get(f"{node.module}.{alias.name}")
                    self.aliases[alias.asname or alias.name] = value
                    self._module_attr(node, base, alias.name)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                self.handlers.add(node.name)

    def error(self, node: ast.AST, rule: str, message: str) -> None:
        self.violations.append(Violation(rule, getattr(node, "lineno", None), message))

    def _resolve(self, node: ast.AST) -> object:
        """The object a Name or an attribute chain on a module refers to, if static."""
        if isinstance(node, ast.Name):
            if node.id in self.aliases:
                return self.aliases[node.id]
            if node.id in self.env:
                return self.env[node.id]
            return getattr(builtins, node.id, None)
        if isinstance(node, ast.Attribute):
            base = self._resolve(node.value)
            if isinstance(base, types.ModuleType):
                return getattr(base, node.attr, None)
        return None

    def _module_attr(self, node: ast.AST, module: object, attr: str) -> None:
        if not isinstance(module, types.ModuleType):
            return
        name = module.__name__
        if attr in self.original_attrs.get(name, frozenset()):
            return
        if allowed_module(name, self.allowed_imports):
            if attr in BLOCKED_MODULE_ATTRIBUTES.get(name.partition(".")[0], frozenset()):
                self.error(node, "module", f"{name}.{attr} is blocked")
                return
            value = getattr(module, attr, None)
            if isinstance(value, types.ModuleType) and not allowed_module(
                value.__name__, self.allowed_imports
            ):
                self.error(node, "module", f"{name}.{attr} is the module {value.__name__}, "
                           "which is not allowed")
            return
        self.error(node, "least-capability", f"reads {name}.{attr}, which the original "
                   "function does not read")

    def run(self) -> list[Violation]:
        for node in ast.walk(self.fn):
            if isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Load):
                self._value_use(node)
            if isinstance(node, ast.Attribute):
                self._attribute(node)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                self._builtin_use(node)
        return self.violations

    def _value_use(self, node: ast.Name | ast.Attribute) -> None:
        if not isinstance(self._resolve(node), types.ModuleType):
            return
        parent = self.parents.get(node)
        if isinstance(parent, ast.Attribute) and parent.value is node:
            return
        self.error(node, "module", "a module may only be used as `module.attribute`, "
                   "not as a value (its other attributes could not be checked)")

    def _attribute(self, node: ast.Attribute) -> None:
        base = self._resolve(node.value)
        if isinstance(node.ctx, ast.Load):
            if isinstance(base, types.ModuleType):
                self._module_attr(node, base, node.attr)
            if node.attr in BLOCKED_ATTRIBUTES:
                self.error(node, "attribute", f"attribute {node.attr!r} is blocked")
            if node.attr == "obj" and isinstance(node.value, ast.Name) and (
                node.value.id in self.handlers
            ):
                self.error(node, "attribute", "AttributeError.obj leaks objects")
            if node.attr in _FORMAT_METHODS:
                template = node.value
                if not (isinstance(template, ast.Constant) and isinstance(template.value, str)):
                    self.error(node, "format", f".{node.attr}() is allowed only on a literal "
                               "template (a template from elsewhere could traverse attributes)")
                elif not _format_fields_ok(template.value):
                    self.error(node, "format", "attribute or item traversal in a format field")
            return
        # store or delete
        target = node.value
        if isinstance(target, ast.Call) and isinstance(target.func, ast.Name) and (
            target.func.id == "type"
        ):
            self.error(node, "write", "writing attributes of a class is monkeypatching")
        elif isinstance(base, (types.ModuleType, type, types.FunctionType,
                               types.BuiltinFunctionType)) or (
            isinstance(target, ast.Name) and target.id == self.fn.name
        ):
            self.error(node, "write", f"writing an attribute of {ast.unparse(target)} is "
                       "monkeypatching")

    def _builtin_use(self, node: ast.Name) -> None:
        # Guarded stand-ins in the sandbox: as values they would look different from the
        # builtins (a way to tell the sandbox apart), so they may only be called.
        if node.id not in ("getattr", "hasattr", "type", "print", "eval") or node.id in self.env:
            return
        parent = self.parents.get(node)
        if not (isinstance(parent, ast.Call) and parent.func is node):
            why = f" ({DISABLED_BUILTINS['eval']} otherwise)" if node.id == "eval" else ""
            self.error(node, "builtin", f"{node.id} may only be called directly{why}")
            return
        if node.id == "print":
            return
        if node.id == "eval":
            if parent.keywords or any(isinstance(a, ast.Starred) for a in parent.args):
                self.error(node, "builtin", "eval() with unpacked or keyword arguments")
            return
        if parent.keywords or any(isinstance(a, ast.Starred) for a in parent.args):
            self.error(node, "builtin", f"{node.id}() with unpacked or keyword arguments")
            return
        if node.id == "type":
            if len(parent.args) != 1:
                self.error(node, "builtin", "type() is allowed with one argument only")
            return
        if len(parent.args) < 2:
            return  # a TypeError at run time
        attr = parent.args[1]
        if not (isinstance(attr, ast.Constant) and isinstance(attr.value, str)):
            self.error(node, "builtin", f"{node.id}() needs a literal attribute name "
                       "(a computed one could not be checked before the patch runs)")
            return
        name = attr.value
        if name.startswith("_") or name in BLOCKED_ATTRIBUTES:
            self.error(node, "attribute", f"attribute {name!r} is blocked")
        elif name == "obj" and isinstance(parent.args[0], ast.Name) and (
            parent.args[0].id in self.handlers
        ):
            self.error(node, "attribute", "AttributeError.obj leaks objects")
        else:
            self._module_attr(node, self._resolve(parent.args[0]), name)


def restrict_in_place(tree: ast.Module, allowed_imports: Iterable[str] = ()
                      ) -> tuple[Violation, ...]:
    """Apply the RestrictedPython transform of our policy to `tree`, in place.

    For a stage that builds its own code from a candidate's AST (the swap adds its
    failure handler around the body): transform first, then add trusted code, so the
    patch that goes live calls the same guards it was verified with (see
    `guards.install_live_guards`). Only the transform: the signature and least-capability
    checks are `compile_candidate`'s.
    """
    errors: list[str] = []
    transformer = CandidatePolicy(errors, [], {})
    transformer.allowed_imports = tuple(sorted(set(allowed_imports)))
    transformer.visit(tree)
    return tuple(_parse_rp_error(e) for e in errors)


def _compile(source: str, original: types.FunctionType,
             allowed_imports: tuple[str, ...]) -> tuple[CompiledCandidate | None, list[Violation]]:
    try:
        tree = ast.parse(source, "<candidate>", "exec")
    except SyntaxError as exc:
        return None, [Violation("syntax", exc.lineno, exc.msg)]
    body = [s for s in tree.body
            if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)
                    and isinstance(s.value.value, str))]
    name = original.__code__.co_name
    if len(body) != 1 or not isinstance(body[0], (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None, [Violation("shape", None, "a candidate must be exactly one def statement")]
    fn = body[0]
    violations: list[Violation] = []
    if fn.name != name:
        violations.append(Violation("shape", fn.lineno, f"the def is named {fn.name!r}, "
                                    f"the original {name!r}"))
    violations += _signature_violations(fn, original)
    tree = ast.Module(body=[fn], type_ignores=[])
    plain_tree = ast.parse(ast.unparse(tree))
    plain_fn = plain_tree.body[0]
    assert isinstance(plain_fn, (ast.FunctionDef, ast.AsyncFunctionDef))
    violations += _StaticChecks(plain_fn, original, allowed_imports,
                                _scan_original(original)[1]).run()

    # The transformer, not compile_restricted_exec: that would also compile the tree,
    # and the def still needs its free-variable wrapper first.
    violations += restrict_in_place(tree, allowed_imports)
    if violations:
        return None, violations

    oc = original.__code__
    freevars = oc.co_freevars
    filename = f"<selfheal candidate of {oc.co_qualname if hasattr(oc, 'co_qualname') else name}>"
    restricted_tree = tree  # transformed in place by the policy
    if freevars:
        restricted_tree = _wrap_for_freevars(restricted_tree, freevars)
        plain_tree = _wrap_for_freevars(plain_tree, freevars)
    try:
        code = _extract_function(compile(restricted_tree, "<candidate>", "exec"), name,
                                 bool(freevars))
        plain = _extract_function(compile(plain_tree, "<candidate>", "exec"), name,
                                  bool(freevars))
    except (SyntaxError, ValueError, StopIteration) as exc:
        return None, [Violation("syntax", None, f"does not compile: {exc}")]

    if function_kind(plain) != function_kind(oc):
        violations.append(Violation("kind", fn.lineno, f"the fix is a {function_kind(plain)}, "
                                    f"the original a {function_kind(oc)}"))
    if plain.co_freevars != freevars:
        violations.append(Violation("signature", fn.lineno, f"free variables {plain.co_freevars} "
                                    f"differ from the original's {freevars}"))
    violations += _capability_violations(plain, original, allowed_imports)
    if violations:
        return None, violations
    code = _finish(code, oc, filename)
    plain = _finish(plain, oc, filename)
    return CompiledCandidate(
        code=code,
        plain_code=plain,
        code_objects=frozenset(_walk_code(code)),
        module_attributes=_scan_original(original)[1],
        allowed_imports=allowed_imports,
        writable_globals=written_globals(original),
    ), []


_eval_cache: OrderedDict[tuple[str, tuple[str, ...]], tuple[types.CodeType | None, str]] = (
    OrderedDict())


def compile_eval(source: str, allowed_imports: Iterable[str] = ()
                 ) -> tuple[types.CodeType | None, str]:
    """An expression a patch passes to `eval`, compiled under the policy.

    Returns `(code, "")`, or `(None, why)` when the policy refuses it; a syntax error
    is raised as a SyntaxError, as the real eval raises it. Cached by source.
    """
    imports = tuple(sorted(set(allowed_imports)))
    key = (source, imports)
    with _cache_lock:
        hit = _eval_cache.get(key)
    if hit is not None:
        return hit
    tree = ast.parse(source.lstrip(" \t"), "<selfheal eval>", "eval")
    errors: list[str] = []
    transformer = CandidatePolicy(errors, [], {})
    transformer.allowed_imports = imports
    restricted = transformer.visit(tree)
    value: tuple[types.CodeType | None, str]
    if errors:
        value = (None, "; ".join(str(_parse_rp_error(e)) for e in errors))
    else:
        value = (compile(restricted, "<selfheal eval>", "eval"), "")
    with _cache_lock:
        _eval_cache[key] = value
        if len(_eval_cache) > _CACHE_SIZE:
            _eval_cache.popitem(last=False)
    return value


def allowed_module(module: str, allowed_imports: Iterable[str]) -> bool:
    """Is `module` (a dotted name) inside one of the allowed imports?"""
    return any(module == a or module.startswith(a + ".") for a in allowed_imports)


def _capability_violations(plain: types.CodeType, original: types.FunctionType,
                           allowed_imports: tuple[str, ...]) -> list[Violation]:
    out: list[Violation] = []
    original_names, original_attrs = _scan_original(original)
    env = original.__globals__
    names, used_attrs = _scan(plain, env)
    for module, attrs in sorted(used_attrs.items()):
        extra = sorted(attrs - original_attrs.get(module, frozenset()))
        if extra and not allowed_module(module, allowed_imports):
            out.append(Violation("least-capability", None, f"reads {module}.{extra[0]}, which "
                                 "the original function does not read"))
    for name in sorted(names):
        is_builtin = name not in env and hasattr(builtins, name)
        if is_builtin and name == "eval" and name in original_names:
            continue  # runs as the guarded eval, under this policy
        if is_builtin and name in DISABLED_BUILTINS:
            out.append(Violation("builtin", None,
                                 f"{name} is disabled: {DISABLED_BUILTINS[name]}"))
        elif is_builtin and name in SAFE_BUILTINS:
            continue
        elif name not in original_names and not _fixes_a_typo(name, original_names, env):
            out.append(Violation("least-capability", None, f"uses the global name {name!r}, "
                                 "which the original function does not use"))
    return out


def _fixes_a_typo(name: str, original_names: Iterable[str], env: Mapping[str, object]) -> bool:
    """May a candidate use `name` in place of a misspelt global of the original?

    Least capability keeps a candidate to the names the original uses, but a NameError
    fix must use a name the original does not (`REDUCED_RATE` -> `REDUCED_RATES`). Only
    that much is allowed: `name` is defined in the module (not a module object) and is
    the close spelling of a name the original uses that resolves to nothing.
    """
    if name not in env or isinstance(env[name], types.ModuleType):
        return False
    unresolved = [n for n in original_names if n not in env and not hasattr(builtins, n)]
    return any(difflib.get_close_matches(n, [name], n=1, cutoff=0.7) for n in unresolved)


_cache_lock = threading.Lock()
_cache: OrderedDict[tuple[str, types.CodeType, int, tuple[str, ...]],
                    tuple[CompiledCandidate | None, tuple[Violation, ...]]] = OrderedDict()
_CACHE_SIZE = 2048


def compile_candidate(
    source: str,
    original: types.FunctionType,
    allowed_imports: Iterable[str] = (),
) -> tuple[CompiledCandidate | None, tuple[Violation, ...]]:
    """Check and compile a candidate against the original function.

    Returns `(compiled, ())` when the candidate passes the static policy, or
    `(None, violations)`. Never raises for a bad candidate. Results are cached by
    (source, original code, globals, allowed imports): compiling under the policy costs
    about six times a plain compile.
    """
    imports = tuple(sorted(set(allowed_imports)))
    key = (source, original.__code__, id(original.__globals__), imports)
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    try:
        compiled, violations = _compile(source, original, imports)
    except RecursionError:
        compiled, violations = None, [Violation("syntax", None, "source nested too deeply")]
    except Exception as exc:  # a parser/compiler edge case must not crash the caller
        compiled, violations = None, [Violation("internal", None,
                                                f"could not check: {type(exc).__name__}: {exc}")]
    value = (compiled, tuple(violations))
    with _cache_lock:
        _cache[key] = value
        if len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return value
