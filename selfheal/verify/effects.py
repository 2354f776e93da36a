"""The effect rule: what a patch may DO, decided from its source against the original's.

Owns `new_effects(candidate, original)`: the effects the candidate has that the original
does not have at that place. An effect is a write to state that outlives the call
(module or class state, the caller's arguments, `os.environ`, a process-wide context
such as decimal's), a call of a function with side effects, or a read of the clock,
of randomness or of the environment. "At that place" is the effect's subject (what is
written or called, as written in the source) and its context (the conditions and loops
around it): a candidate may keep every effect of the original where the original has
it, and gain none. A candidate that gains one may be verified, stored and proposed,
but never goes live (see `search`).

Why a static rule: verification runs the candidate in a forked child, so a write to
process state there is invisible, and no test finds a logic bomb on an input it never
tries (`if name == "trigger": os.remove(...)`). What a patch may do has to be decided
from what it is written to do.

What is not an effect: writes to objects the function created itself (a local list, a
dict built by a comprehension, a DP table), calls of builtins and of stdlib functions
that only compute, calls of the user's own helpers whose source has no effect, reads
of the arguments and of module state. An early `return` or `raise` that skips an effect
on some inputs is not an effect either: verification compares what the patch returns,
and a reviewer should still look for effects a patch leaves out.

It must not run any code: it parses sources and resolves names statically (module
attributes, class attributes read with `inspect.getattr_static`). It never raises: an
analysis that fails makes every effect of the candidate new (failing closed).
"""

from __future__ import annotations

import ast
import builtins
import decimal
import difflib
import functools
import inspect
import logging
import os
import re
import sys
import textwrap
import types
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MUTATING_METHODS",
    "RULES",
    "Effect",
    "effects_of",
    "missing_names",
    "mutates_first_argument",
    "new_effects",
    "written_globals",
]

log = logging.getLogger("selfheal")

# rule -> how an effect under it reads in a record
RULES: Mapping[str, str] = {
    "module-state": "writes module or class state",
    "argument": "writes an argument of the caller",
    "shared-state": "writes an object it did not create",
    "closure": "rebinds a variable of an enclosing function",
    "environ": "changes os.environ",
    "process-context": "changes a process-wide context",
    "call": "calls a function with side effects",
    "time": "reads the clock",
    "randomness": "draws randomness",
    "environment": "reads the environment",
    "branch": "does what the original does, but under another condition",
    "unknown": "could not be analysed",
}

_DEEP = 8  # "fresh all the way down" (see _Locals)
_HELPER_DEPTH = 3  # how deep calls into the user's helpers are followed


@dataclass(frozen=True)
class Effect:
    """One thing a function does beyond computing its result."""

    rule: str
    subject: str  # what is written or called, as the source writes it
    context: tuple[str, ...] = ()  # the conditions and loops around it, outermost first
    line: int | None = None

    @property
    def key(self) -> tuple[str, str, tuple[str, ...]]:
        return (self.rule, self.subject, self.context)

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        subject = self.subject if len(self.subject) <= 120 else self.subject[:117] + "..."
        under = f" (under: {'; '.join(self.context)})" if self.context else ""
        return f"[{self.rule}] {where}{RULES.get(self.rule, self.rule)}: {subject}{under}"


# ============================================================================ what calls do

# Builtins that only compute (print is collected and dropped by the restricted code).
_PURE_BUILTINS = frozenset({
    "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "bytearray", "bytes",
    "callable", "chr", "complex", "dict", "divmod", "enumerate", "filter", "float", "format",
    "frozenset", "getattr", "hasattr", "hash", "hex", "int", "isinstance", "issubclass",
    "iter", "len", "list", "map", "max", "min", "next", "oct", "ord", "pow", "print",
    "range", "repr", "reversed", "round", "set", "slice", "sorted", "str", "sum", "tuple",
    "type", "zip", "super", "object",
})
# Calls whose result is new and holds only new or immutable things.
_DEEP_RESULTS = frozenset({
    "str", "int", "float", "bool", "bytes", "complex", "repr", "ascii", "chr", "ord", "len",
    "abs", "round", "hash", "hex", "oct", "bin", "format", "divmod", "pow", "range",
    "isinstance", "issubclass", "callable", "hasattr", "all", "any", "sum",
})
# Calls whose result is new but holds what their arguments hold.
_SHALLOW_RESULTS = frozenset({
    "list", "dict", "set", "frozenset", "tuple", "sorted", "bytearray", "enumerate", "zip",
    "map", "filter", "reversed", "iter", "slice",
})
# Calls that return one of the things their first argument holds.
_ELEMENT_RESULTS = frozenset({"min", "max", "next", "getattr"})

# Methods that change their receiver.
MUTATING_METHODS = frozenset({
    "append", "extend", "insert", "remove", "pop", "clear", "update", "setdefault",
    "popitem", "add", "discard", "sort", "reverse", "difference_update",
    "intersection_update", "symmetric_difference_update", "appendleft", "extendleft",
    "popleft", "rotate", "move_to_end", "subtract", "write", "writelines", "send",
    "sendall", "put", "put_nowait", "truncate", "__setitem__", "__delitem__", "__iadd__",
    "__setattr__", "__delattr__", "set", "reset", "close", "flush", "seek", "clear_flags",
    "clear_traps",
})
# Methods that only compute from their receiver (str, bytes, numbers, containers read,
# dates, decimals, regular expressions and their matches).
_PURE_METHODS = frozenset({
    "capitalize", "casefold", "center", "count", "encode", "decode", "endswith",
    "expandtabs", "find", "format", "format_map", "index", "isalnum", "isalpha", "isascii",
    "isdecimal", "isdigit", "isidentifier", "islower", "isnumeric", "isprintable",
    "isspace", "istitle", "isupper", "join", "ljust", "lower", "lstrip", "maketrans",
    "partition", "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rjust",
    "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip",
    "swapcase", "title", "translate", "upper", "zfill", "hex", "fromhex", "copy", "get",
    "keys", "values", "items", "fromkeys", "union", "intersection", "difference",
    "symmetric_difference", "issubset", "issuperset", "isdisjoint", "bit_length",
    "bit_count", "conjugate", "as_integer_ratio", "is_integer", "to_bytes", "from_bytes",
    "isoformat", "strftime", "date", "time", "timestamp", "weekday", "isoweekday",
    "isocalendar", "total_seconds", "astimezone", "utcoffset", "tzname", "toordinal",
    "timetuple", "ctime", "fromisoformat", "quantize", "sqrt", "exp", "ln", "log10",
    "normalize", "to_integral_value", "to_integral", "as_tuple", "is_nan", "is_zero",
    "is_signed", "is_finite", "is_infinite", "adjusted", "compare", "copy_abs",
    "copy_sign", "limit_denominator", "match", "search", "fullmatch", "findall",
    "finditer", "sub", "subn", "group", "groups", "groupdict", "start", "end", "span",
    "expand", "most_common", "elements", "total", "hexdigest", "digest", "__eq__",
    "__lt__", "__len__", "__getitem__", "__contains__", "__str__", "__repr__",
})

# Categories of module functions: "pure", "time", "randomness", "environment",
# "environ" (writes it), "context" (process-wide state), "mutates-first" (writes its
# first argument), "effect". A module's default applies to its functions not listed.
_MODULES: Mapping[str, str] = dict.fromkeys(
    (
        "math", "cmath", "itertools", "functools", "operator", "string", "re", "json",
        "collections", "collections.abc", "decimal", "fractions", "statistics", "datetime",
        "heapq", "bisect", "copy", "textwrap", "unicodedata", "hashlib", "hmac", "base64",
        "binascii", "html", "urllib.parse", "posixpath", "ntpath", "os.path", "numbers",
        "enum", "dataclasses", "typing", "keyword", "difflib", "struct", "zlib", "shlex",
        "fnmatch", "calendar", "ipaddress", "array", "abc", "contextlib",
    ),
    "pure",
) | {"random": "randomness", "secrets": "randomness", "time": "time"}
_FUNCTIONS: Mapping[str, str] = {
    **dict.fromkeys(
        [f"operator.{n}" for n in (
            "setitem", "delitem", "__setitem__", "__delitem__", "iadd", "iand", "iconcat",
            "ifloordiv", "ilshift", "imod", "imul", "imatmul", "ior", "ipow", "irshift",
            "isub", "itruediv", "ixor")]
        + [f"heapq.{n}" for n in ("heappush", "heappop", "heapify", "heapreplace", "heappushpop")]
        + ["bisect.insort", "bisect.insort_left", "bisect.insort_right", "random.shuffle"],
        "mutates-first"),
    **dict.fromkeys(
        ["random.seed", "random.setstate", "re.purge", "decimal.setcontext", "locale.setlocale",
         "sys.setrecursionlimit", "sys.setswitchinterval", "sys.settrace", "sys.setprofile",
         "socket.setdefaulttimeout", "warnings.filterwarnings", "warnings.simplefilter",
         "warnings.resetwarnings", "logging.disable", "logging.basicConfig", "os.umask",
         "os.chdir", "signal.signal", "gc.disable", "gc.enable", "threading.settrace",
         "codecs.register", "copyreg.pickle", "atexit.register", "mimetypes.add_type",
         "functools.singledispatch", "time.tzset"],
        "context"),
    **dict.fromkeys(
        ["datetime.datetime.now", "datetime.datetime.utcnow", "datetime.datetime.today",
         "datetime.date.today"], "time"),
    **dict.fromkeys(["uuid.uuid1", "uuid.uuid4", "os.urandom", "os.getrandom"], "randomness"),
    **dict.fromkeys(["os.getenv", "os.getenvb", "os.getcwd", "os.getpid", "os.getlogin",
                     "os.cpu_count"], "environment"),
    **dict.fromkeys(["os.putenv", "os.unsetenv"], "environ"),
    **dict.fromkeys(["json.dump", "json.load", "decimal.getcontext"], "special"),
}
_CATEGORY_RULE = {"time": "time", "randomness": "randomness", "environment": "environment",
                  "environ": "environ", "context": "process-context", "effect": "call"}
_MODULE_ALIASES = {"posix": "os", "nt": "os", "_heapq": "heapq", "_bisect": "bisect",
                   "_operator": "operator", "_random": "random", "_decimal": "decimal",
                   "_pydecimal": "decimal", "_datetime": "datetime", "_pydatetime": "datetime",
                   "_json": "json", "_sre": "re", "_functools": "functools",
                   "_collections": "collections", "_locale": "locale", "_signal": "signal",
                   "_socket": "socket", "_warnings": "warnings", "_statistics": "statistics",
                   "_string": "string", "_struct": "struct", "_hashlib": "hashlib",
                   "_sha256": "hashlib", "_md5": "hashlib", "_blake2": "hashlib"}


def mutates_first_argument(module: str, name: str) -> bool:
    """Does `module.name` (a stdlib function: operator.setitem, heapq.heappush...) write
    the object passed as its first argument?"""
    return _FUNCTIONS.get(f"{_module_key(module)}.{name}") == "mutates-first"


def _module_key(name: str | None) -> str:
    name = name or ""
    return _MODULE_ALIASES.get(name, name)


def _stdlib(module: str | None) -> bool:
    top = _module_key(module).partition(".")[0]
    return top in getattr(sys, "stdlib_module_names", ()) or top == "builtins"


def _category(key: str) -> str | None:
    """The category of a stdlib callable named by `key` ("module.qualname"), if known."""
    if key in _FUNCTIONS:
        return _FUNCTIONS[key]
    module = key
    while "." in module:
        module = module.rpartition(".")[0]
        if module in _MODULES:
            return _MODULES[module]
    return None


def _object_key(obj: object) -> str:
    """"module.qualname" of a callable object, as `_FUNCTIONS` names it."""
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    if isinstance(owner, type):
        return f"{_module_key(owner.__module__)}.{owner.__qualname__}.{name}"
    if owner is not None and not isinstance(owner, types.ModuleType):
        return f"{_module_key(type(owner).__module__)}.{name}"
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", name)
    return f"{_module_key(module)}.{qualname}"


# ============================================================================ fresh objects


class _Locals:
    """Which local names hold objects the function made itself, and how deep.

    depth 0: the object may be anyone's (an argument, module state, what a helper
    returned); 1: new, but what it holds may be anyone's (`list(xs)`, `xs[:]`); 2: new,
    and so is what it holds (`[[0] * n for _ in range(m)]`); _DEEP: new all the way down
    or immutable. A write to `x[i][j]` touches `x[i]`, one step below `x`: it is the
    function's own business when depth(x) > 1.
    """

    def __init__(self, fn: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda,
                 immutable_params: frozenset[str],
                 is_class: Callable[[ast.expr], bool] = lambda _node: False) -> None:
        self.is_class = is_class
        args = fn.args
        self.params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
        if args.vararg:
            self.params.add(args.vararg.arg)
        if args.kwarg:
            self.params.add(args.kwarg.arg)
        self.immutable = immutable_params
        self.bindings: list[tuple[str, _Value]] = []
        self.functions: set[str] = set()  # names bound to a def or lambda of the function
        self.nonlocal_names: set[str] = set()
        for node in ast.walk(fn):
            if node is not fn:
                self._collect(node)
        # `xs = list(xs)` as the first thing the function does: from there on `xs` is a
        # copy, and writing it is the function's own business
        self.replaced = _replaced_first(fn, self.params)
        self.params -= self.replaced
        self.names = {name for name, _ in self.bindings} - self.params
        self.depth: dict[str, int] = dict.fromkeys(self.names, _DEEP)
        self._evaluating = ""
        for _ in range(12):  # a fixpoint: depths only fall
            changed = False
            for name, value in self.bindings:
                if name in self.params:
                    continue
                # in `xs = list(xs)`, the `xs` read is still the caller's object
                self._evaluating = name if name in self.replaced else ""
                d = value if isinstance(value, int) else self.of(value)
                self._evaluating = ""
                if d < self.depth[name]:
                    self.depth[name] = d
                    changed = True
            if not changed:
                break

    def _bind(self, target: ast.expr, value: _Value) -> None:
        if isinstance(target, ast.Name):
            self.bindings.append((target.id, value))
        elif isinstance(target, ast.Starred):
            self._bind(target.value, value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            items: list[_Value]
            if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts):
                items = list(value.elts)
            else:
                items = [self._element(value, i, len(target.elts)) for i in range(len(target.elts))]
            for sub, item in zip(target.elts, items, strict=True):
                self._bind(sub, item)

    def _element(self, value: _Value, index: int, width: int) -> _Value:
        """What the index-th name of a `for a, b in value` (or `a, b = value`) gets."""
        if isinstance(value, int):
            return max(0, value - 1)
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
            if value.func.id == "enumerate" and width == 2 and value.args:
                return _DEEP if index == 0 else _Element(value.args[0])
            if value.func.id == "zip" and len(value.args) == width:
                return _Element(value.args[index])
        if isinstance(value, _Element):
            return _Element(value.of, value.levels + 1)
        return _Element(value)

    def _collect(self, node: ast.AST) -> None:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                self._bind(target, node.value)
        elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
            self._bind(node.target, node.value)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            self._bind(node.target, _Element(node.iter))
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            fresh = _DEEP if _is_call_to(node.context_expr, "localcontext") else 0
            self._bind(node.optional_vars, fresh)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            self.bindings.append((node.name, 1))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                self.bindings.append(((alias.asname or alias.name).partition(".")[0], 0))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.bindings.append((node.name, 1))
            self.functions.add(node.name)
        elif isinstance(node, ast.Nonlocal):
            self.nonlocal_names.update(node.names)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            self.bindings.append((node.name, 0))
        elif isinstance(node, ast.MatchMapping) and node.rest:
            self.bindings.append((node.rest, 0))

    def is_local(self, name: str) -> bool:
        return name in self.names and name not in self.nonlocal_names

    def defined_here(self, name: str) -> bool:
        """Is `name` only ever a def or lambda of the function itself?"""
        values = [v for n, v in self.bindings if n == name]
        return bool(values) and all(
            (isinstance(v, int) and name in self.functions) or isinstance(v, ast.Lambda)
            for v in values)

    def bound_to(self, name: str) -> list[_Value]:
        return [v for n, v in self.bindings if n == name]

    def of(self, node: _Value) -> int:
        """How deep the value of `node` is known to be new (see the class doc)."""
        if isinstance(node, int):
            return node
        if isinstance(node, _Element):
            return max(0, self.of(node.of) - node.levels)
        if isinstance(node, (ast.Constant, ast.JoinedStr, ast.Compare, ast.UnaryOp,
                             ast.Lambda)):
            return _DEEP
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return min(_DEEP, 1 + min((self.of(e) for e in node.elts), default=_DEEP))
        if isinstance(node, ast.Dict):
            parts = [self.of(v) for v in node.values] + [self.of(k) for k in node.keys if k]
            return min(_DEEP, 1 + min(parts, default=_DEEP))
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            return min(_DEEP, 1 + self.of(node.elt))
        if isinstance(node, ast.DictComp):
            return min(_DEEP, 1 + min(self.of(node.key), self.of(node.value)))
        if isinstance(node, ast.BinOp):
            return max(1, min(self.of(node.left), self.of(node.right)))
        if isinstance(node, ast.BoolOp):
            return min(self.of(v) for v in node.values)
        if isinstance(node, ast.IfExp):
            return min(self.of(node.body), self.of(node.orelse))
        if isinstance(node, ast.Name):
            if node.id in self.params or node.id == self._evaluating:
                return _DEEP if node.id in self.immutable else 0
            return self.depth.get(node.id, 0) if self.is_local(node.id) else 0
        if isinstance(node, ast.Starred):
            return self.of(node.value)
        if isinstance(node, ast.Subscript):
            if isinstance(node.slice, ast.Slice):
                return max(1, self.of(node.value))
            return max(0, self.of(node.value) - 1)
        if isinstance(node, ast.Attribute):
            return max(0, self.of(node.value) - 1)
        if isinstance(node, ast.Call):
            return self._call(node)
        return 0

    def _call(self, node: ast.Call) -> int:
        func = node.func
        args = node.args
        if isinstance(func, ast.Name) and not self.is_local(func.id):
            name = func.id
            if name in _DEEP_RESULTS:
                return _DEEP
            if name in _SHALLOW_RESULTS:
                return max(1, min((self.of(a) for a in args), default=_DEEP))
            if name in _ELEMENT_RESULTS and args:
                return max(0, self.of(args[0]) - 1)
            if name[:1].isupper() or self.is_class(func):  # a class: a new instance
                return 1
            return 0
        if isinstance(func, ast.Attribute):
            attr = func.attr
            if attr == "deepcopy":
                return _DEEP
            if attr in ("copy", "fromkeys"):
                return max(1, self.of(func.value) if attr == "copy" else 1)
            if attr == "defaultdict":
                factory = args[0] if args else None
                inner = isinstance(factory, ast.Name) and factory.id in (
                    "list", "dict", "set", "int", "float", "str")
                return 2 if inner else 1
            if attr[:1].isupper() or attr == "localcontext" or self.is_class(func):
                return max(1, min((self.of(a) for a in args), default=_DEEP))
            if attr in ("get", "setdefault", "pop"):
                element = max(0, self.of(func.value) - 1)
                return min(element, self.of(args[1])) if len(args) > 1 else element
            if attr in ("items", "keys", "values"):
                return self.of(func.value)
            if attr in _PURE_METHODS:
                return 1
        return 0

    def root(self, node: ast.expr) -> tuple[ast.expr, int]:
        """The expression a chain `a.b[c].get(d)` starts from, and how many steps."""
        hops = 0
        while True:
            if isinstance(node, (ast.Attribute, ast.Subscript)):
                node = node.value
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr in ("get", "setdefault", "pop")):
                node = node.func.value
            else:
                return node, hops
            hops += 1


def _replaced_first(fn: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda,
                    params: set[str]) -> set[str]:
    """Parameters the body rebinds, at its top level, before anything else reads them."""
    if isinstance(fn, ast.Lambda):
        return set()
    replaced: set[str] = set()
    read: set[str] = set()
    for stmt in fn.body:
        if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)):
            name = stmt.targets[0].id
            if name in params and name not in read and name not in replaced:
                read.update(_names_read(stmt.value))
                replaced.add(name)
                continue
        read.update(_names_read(stmt))
    return replaced


def _names_read(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


@dataclass(frozen=True)
class _Element:
    """An element `levels` steps inside `of` (what a for loop over it binds)."""

    of: ast.expr | int
    levels: int = 1


_Value = ast.expr | int | _Element  # what a name is bound to (see _Locals)


def _negated(test: ast.expr) -> str:
    """`not test` as the source would write it (an `else:` reads like `if not ...:`)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return ast.unparse(test.operand)
    return ast.unparse(ast.UnaryOp(ast.Not(), test))


def _is_call_to(node: ast.expr, name: str) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == name) or (
        isinstance(func, ast.Attribute) and func.attr == name)


# ============================================================================ the analysis


_IMMUTABLE_HINTS = frozenset({"int", "float", "str", "bool", "bytes", "complex", "tuple",
                              "frozenset", "None", "Decimal", "Fraction"})


def _immutable_params(fn: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> frozenset[str]:
    if isinstance(fn, ast.Lambda):
        return frozenset()
    args = fn.args
    out = set()
    for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
        hint = arg.annotation
        if hint is not None and ast.unparse(hint).strip("'\"").split("[")[0] in _IMMUTABLE_HINTS:
            out.add(arg.arg)
    return frozenset(out)


class _Analysis(ast.NodeVisitor):
    """Walks one function and lists its effects (see the module doc)."""

    def __init__(self, fn: ast.FunctionDef | ast.AsyncFunctionDef, env: Mapping[str, Any],
                 owner: type | None = None, fresh_self: bool = False,
                 helpers: _Helpers | None = None) -> None:
        self.fn = fn
        self.env = env
        self.owner = owner  # the class of a method, for `self.helper()`
        self.helpers = helpers or _Helpers()
        immutable = _immutable_params(fn)
        args = [*fn.args.posonlyargs, *fn.args.args]
        self.self_name = args[0].arg if owner is not None and args else None
        if fresh_self and self.self_name:  # __init__ of a new object: self is fresh
            immutable = immutable | {self.self_name}
        self.aliases: dict[str, object] = {}
        for node in ast.walk(fn):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    name = alias.asname or alias.name.partition(".")[0]
                    target = alias.name if alias.asname else alias.name.partition(".")[0]
                    self.aliases[name] = sys.modules.get(target)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                base = sys.modules.get(node.module)
                for alias in node.names:
                    value = getattr(base, alias.name, None) if base is not None else None
                    self.aliases[alias.asname or alias.name] = value
        self.locals = _Locals(fn, immutable,
                              lambda node: isinstance(self.resolve(node, local=False), type))
        self.context: list[str] = []
        self.effects: list[Effect] = []
        self.handled: set[int] = set()  # node ids already accounted for

    # ------------------------------------------------------------------ recording

    def add(self, rule: str, subject: ast.AST | str, node: ast.AST) -> None:
        text = subject if isinstance(subject, str) else ast.unparse(subject)
        self.effects.append(Effect(rule, text, tuple(self.context), getattr(node, "lineno", None)))

    def under(self, label: str, nodes: Iterable[ast.AST]) -> None:
        self.context.append(label)
        try:
            for node in nodes:
                self.visit(node)
        finally:
            self.context.pop()

    # ------------------------------------------------------------------ resolving names

    def resolve(self, node: ast.expr, local: bool = True) -> object:
        """The object a name or an attribute chain refers to, if that is static (with
        `local` False, before the locals are known: a local never shadows a global)."""
        if isinstance(node, ast.Name):
            if node.id in self.aliases:
                return self.aliases[node.id]
            if local and (self.locals.is_local(node.id) or node.id in self.locals.params):
                return None
            if node.id in self.env:
                return self.env[node.id]
            return getattr(builtins, node.id, None)
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value, local)
            if isinstance(base, types.ModuleType):
                return getattr(base, node.attr, None)
            if isinstance(base, type):
                try:
                    found = inspect.getattr_static(base, node.attr)
                except AttributeError:
                    return None
                if isinstance(found, (classmethod, staticmethod)):
                    return getattr(base, node.attr, None)
                return found
        return None

    def dotted(self, node: ast.expr) -> str | None:
        """"module.attr" for a chain that starts at a module (the key the tables use)."""
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value)
            if isinstance(base, types.ModuleType):
                return f"{_module_key(base.__name__)}.{node.attr}"
            if isinstance(base, type):
                return f"{_module_key(base.__module__)}.{base.__qualname__}.{node.attr}"
        if isinstance(node, ast.Name) and node.id in self.aliases:
            value = self.aliases[node.id]
            if value is not None and not isinstance(value, types.ModuleType):
                return _object_key(value)
        return None

    def is_environ(self, node: ast.expr) -> bool:
        return self.resolve(node) is os.environ

    # ------------------------------------------------------------------ statements

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if node is self.fn:
            for stmt in node.body:
                self.visit(stmt)
            return
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self.visit(default)
        self.under(f"inside {node.name}()", node.body)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.under("inside a lambda", [node.body])

    def visit_If(self, node: ast.If) -> None:
        self.visit(node.test)
        self.under(f"if {ast.unparse(node.test)}", node.body)
        self.under(f"if {_negated(node.test)}", node.orelse)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        self.visit(node.test)
        self.under(f"if {ast.unparse(node.test)}", [node.body])
        self.under(f"if {_negated(node.test)}", [node.orelse])

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        self.visit(node.values[0])
        word = "and" if isinstance(node.op, ast.And) else "or"
        for before, value in zip(node.values, node.values[1:], strict=False):
            self.under(f"{word} after {ast.unparse(before)}", [value])

    def visit_While(self, node: ast.While) -> None:
        self.under("in a loop", [node.test, *node.body])
        self.under("after a loop", node.orelse)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        self.under("in a loop", [node.target, *node.body])
        self.under("after a loop", node.orelse)

    visit_AsyncFor = visit_For

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp,
                       parts: list[ast.expr]) -> None:
        first, *rest = node.generators
        self.visit(first.iter)
        inner: list[ast.AST] = [first.target, *first.ifs]
        for gen in rest:
            inner += [gen.iter, gen.target, *gen.ifs]
        self.under("in a loop", [*inner, *parts])

    def visit_ListComp(self, node: ast.ListComp) -> None:
        self._comprehension(node, [node.elt])

    visit_SetComp = visit_ListComp  # type: ignore[assignment]
    visit_GeneratorExp = visit_ListComp  # type: ignore[assignment]

    def visit_DictComp(self, node: ast.DictComp) -> None:
        self._comprehension(node, [node.key, node.value])

    def visit_Try(self, node: ast.Try) -> None:
        for stmt in node.body:
            self.visit(stmt)
        for handler in node.handlers:
            caught = ast.unparse(handler.type) if handler.type is not None else "anything"
            self.under(f"when {caught} is caught", handler.body)
        for stmt in [*node.orelse, *node.finalbody]:
            self.visit(stmt)

    visit_TryStar = visit_Try

    def visit_Match(self, node: ast.Match) -> None:
        self.visit(node.subject)
        for case in node.cases:
            label = f"case {ast.unparse(case.pattern)}"
            if case.guard is not None:
                label += f" if {ast.unparse(case.guard)}"
            self.under(label, [*([case.guard] if case.guard else []), *case.body])

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self.target(target, node, "writes")

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
            self.target(node.target, node, "writes")

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        target = node.target
        if isinstance(target, ast.Name):
            # the operator is not part of the subject: `n ^= m` and `n &= m` act alike
            if target.id in self.locals.nonlocal_names:
                self.add("closure", f"{target.id} =", node)
            elif (target.id in self.locals.params and target.id not in self.locals.immutable
                  and not isinstance(node.op, _REBINDING_OPERATORS)):
                # `xs += [0]` on a list argument extends the caller's list
                self.add("argument", f"{target.id} (an in-place operator)", node)
            return
        self.target(target, node, "writes")

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self.target(target, node, "deletes")

    def visit_withitem(self, node: ast.withitem) -> None:
        self.visit(node.context_expr)
        if node.optional_vars is not None:
            self.target(node.optional_vars, node, "writes")

    def target(self, target: ast.expr, node: ast.AST, verb: str) -> None:
        """A store or delete target: what it writes, if that outlives the call."""
        if isinstance(target, (ast.Tuple, ast.List)):
            for sub in target.elts:
                self.target(sub, node, verb)
            return
        if isinstance(target, ast.Starred):
            self.target(target.value, node, verb)
            return
        if isinstance(target, ast.Name):
            if target.id in self.locals.nonlocal_names:
                self.add("closure", f"{target.id} =", node)
            return
        if isinstance(target, (ast.Attribute, ast.Subscript)):
            # the object written is the one the attribute or item belongs to
            if self.is_environ(target.value):
                self.handled.add(id(target.value))
            self.generic_visit_parts(target)
            self.write(target.value, target, node)

    def generic_visit_parts(self, target: ast.Attribute | ast.Subscript) -> None:
        """Effects inside a target (`d[f()] = 1` calls f): its parts, not the store."""
        self.visit(target.value)
        if isinstance(target, ast.Subscript):
            self.visit(target.slice)

    def write(self, written: ast.expr, subject: ast.AST | str, node: ast.AST) -> None:
        """`written` is changed (an item set, an attribute set, a mutating method)."""
        if self.is_environ(written):
            self.add("environ", subject, node)
            return
        if self._process_context(written):
            self.add("process-context", subject, node)
            return
        root, hops = self.locals.root(written)
        if not isinstance(root, ast.Name):
            self.add("shared-state", subject, node)
            return
        name = root.id
        if name in self.aliases or not (self.locals.is_local(name) or name in self.locals.params):
            self.add("module-state", subject, node)
        elif name in self.locals.params:
            if not (name in self.locals.immutable and hops == 0):
                self.add("argument", subject, node)
        elif self.locals.depth.get(name, 0) <= hops:  # an object the function did not make
            context = any(isinstance(v, ast.expr) and self._process_context(v)
                          for v in self.locals.bound_to(name))
            self.add("process-context" if context else "shared-state", subject, node)

    def _process_context(self, written: ast.expr) -> bool:
        """Is `written` (or what it is part of) decimal's context of the thread, or one of
        its module-level contexts?"""
        node: ast.expr = written
        while True:
            value = self.resolve(node)
            if isinstance(value, decimal.Context):
                return True
            if isinstance(node, (ast.Attribute, ast.Subscript)):
                node = node.value
            elif isinstance(node, ast.Call):
                key = self.dotted(node.func) if isinstance(node.func, ast.Attribute) else None
                return key == "decimal.getcontext"
            else:
                return False

    # ------------------------------------------------------------------ expressions

    def visit_Call(self, node: ast.Call) -> None:
        self.call(node)
        # the parts of the callee other than the call itself: `a.b(c).d(e)` calls b too
        if isinstance(node.func, ast.Attribute):
            self.visit(node.func.value)
        elif not isinstance(node.func, ast.Name):
            self.visit(node.func)
        for arg in node.args:
            self.visit(arg)
        for keyword in node.keywords:
            self.visit(keyword.value)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.ctx, ast.Load) and self.is_environ(node.value):
            self.add("environment", node, node)
            self.handled.add(id(node.value))
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if id(node) not in self.handled and isinstance(node.ctx, ast.Load):
            self.value_use(node)
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if id(node) not in self.handled and isinstance(node.ctx, ast.Load):
            self.value_use(node)

    def value_use(self, node: ast.Name | ast.Attribute) -> None:
        """A name used as a value, not called: `key=time.time`, `for k in os.environ`."""
        if self.is_environ(node):
            self.add("environment", node, node)
            return
        value = self.resolve(node)
        if value is None or isinstance(value, (types.ModuleType, type)) or not callable(value):
            return
        rule = self.callable_rule(value, self.dotted(node) if isinstance(node, ast.Attribute)
                                  else None, depth=0)
        if rule is not None and rule != "mutates-first":
            self.add(rule, f"passes {ast.unparse(node)} to be called", node)

    def call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name):
            name = func.id
            if name in self.aliases:
                self.apply(self.aliases[name], self.dotted(func), node)
                return
            if self.locals.defined_here(name):
                return  # a def or lambda of the function: its body is analysed
            if self.locals.is_local(name) or name in self.locals.params:
                self.add("call", node, node)  # whatever the caller passed, or an alias
                return
            if name == self.fn.name:
                return  # recursion
            value = self.resolve(func)
            if name in _PURE_BUILTINS and value is getattr(builtins, name, None):
                return
            self.apply(value, self.dotted(func), node)
            return
        if isinstance(func, ast.Attribute):
            attr = func.attr
            receiver = func.value
            base = self.resolve(receiver)
            if self.is_environ(receiver):
                self.handled.add(id(receiver))
                if attr in MUTATING_METHODS:
                    self.add("environ", node, node)
                else:
                    self.add("environment", node, node)
                return
            if isinstance(base, (types.ModuleType, type)):
                self.apply(self.resolve(func), self.dotted(func), node)
                return
            if attr in MUTATING_METHODS:
                self.write(receiver, node, node)
                return
            if attr in _PURE_METHODS:
                return
            if (self.owner is not None and isinstance(receiver, ast.Name)
                    and receiver.id == self.self_name):
                if attr == self.fn.name:
                    return  # recursion through self
                try:
                    method = inspect.getattr_static(self.owner, attr)
                except AttributeError:
                    method = None
                if isinstance(method, (staticmethod, classmethod)):
                    method = method.__func__
                if isinstance(method, types.FunctionType) and self.helpers.pure(
                        method, self.owner, len(self.context)):
                    return
                self.add("call", node, node)
                return
            root, hops = self.locals.root(receiver)
            if isinstance(root, ast.Name) and self.made_here(root.id, hops):
                return  # a method of a builtin object the function made
            self.add("call", node, node)
            return
        if isinstance(func, ast.Lambda):
            return  # called where it is written: its body is analysed
        self.add("call", node, node)

    def made_here(self, name: str, hops: int) -> bool:
        """Is local `name` (`hops` steps in) an object the function built from literals,
        comprehensions or stdlib calls? Its methods then act on that object only; an
        instance of the user's class may do anything in its methods."""
        if not self.locals.is_local(name) or self.locals.depth.get(name, 0) <= hops:
            return False
        for value in self.locals.bound_to(name):
            if isinstance(value, ast.Call):
                callee = self.resolve(value.func) if isinstance(
                    value.func, (ast.Name, ast.Attribute)) else None
                module = getattr(callee, "__module__", None)
                foreign = callee is None or not _stdlib(
                    module if isinstance(module, str) else None)
                if foreign and not (isinstance(value.func, ast.Attribute)
                                    and value.func.attr in _PURE_METHODS):
                    return False
        return True

    def apply(self, value: object, key: str | None, node: ast.Call) -> None:
        """A call of a statically known callable `value` (`key` names it, if stdlib)."""
        if value is None:
            self.add("call", node, node)
            return
        if key in ("json.dump", "json.load"):
            self.add("call", node, node)
            return
        if key == "decimal.getcontext":
            return  # reading it is harmless; writing through it is a process-context write
        rule = self.callable_rule(value, key, depth=len(self.context))
        if rule is None:
            return
        if rule == "mutates-first":
            if node.args:
                self.write(node.args[0], node, node)
            return
        self.add(rule, node, node)

    def callable_rule(self, value: object, key: str | None, depth: int) -> str | None:
        """None when calling `value` has no effect, else the rule a call of it falls under."""
        if getattr(value, "__module__", None) == "builtins" and getattr(
                value, "__name__", "") in _PURE_BUILTINS:
            return None
        owner = getattr(value, "__self__", None) or getattr(value, "__objclass__", None)
        if isinstance(owner, type) and owner.__module__ == "builtins":
            # int.from_bytes, dict.fromkeys, str.maketrans: they build a value
            return "call" if getattr(value, "__name__", "") in MUTATING_METHODS else None
        for name in (key, _object_key(value)):
            category = _category(name) if name else None
            if category == "special":
                return None
            if category == "mutates-first":
                return category
            if category is not None:
                return None if category == "pure" else _CATEGORY_RULE.get(category, "call")
        if isinstance(value, type):
            if _stdlib(value.__module__):
                return None
            return None if self.helpers.constructor_pure(value) else "call"
        function = value.__func__ if isinstance(value, types.MethodType) else value
        if isinstance(function, types.FunctionType):
            if _stdlib(function.__module__) and not function.__module__.startswith("__main__"):
                return "call"  # an unlisted stdlib function: assume it acts
            return None if self.helpers.pure(function, None, depth) else "call"
        if isinstance(value, functools.partial):
            return self.callable_rule(value.func, None, depth)
        return "call"


class _Helpers:
    """Is a user's helper function free of effects? (Its source, analysed, cached.)"""

    def __init__(self) -> None:
        self.busy: set[types.CodeType] = set()

    def pure(self, function: types.FunctionType, owner: type | None, depth: int,
             fresh_self: bool = False) -> bool:
        code = function.__code__
        if code in self.busy:
            return True  # recursion among helpers: decided by the outer analysis
        if depth > _HELPER_DEPTH or len(self.busy) >= _HELPER_DEPTH:
            return False
        cached = _helper_cache.get((code, fresh_self))
        if cached is not None:
            return cached
        node = _parse_function(function)
        if node is None:
            return False
        self.busy.add(code)
        try:
            analysis = _Analysis(node, function.__globals__, owner, fresh_self, self)
            analysis.visit(node)
            result = not analysis.effects
        except Exception:
            result = False
        finally:
            self.busy.discard(code)
        if len(_helper_cache) > 2048:
            _helper_cache.clear()
        _helper_cache[(code, fresh_self)] = result
        return result

    def constructor_pure(self, cls: type) -> bool:
        for name in ("__init__", "__new__", "__post_init__"):
            try:
                method = inspect.getattr_static(cls, name)
            except AttributeError:
                continue
            if isinstance(method, staticmethod):
                method = method.__func__
            if (isinstance(method, types.FunctionType) and not _stdlib(method.__module__)
                    and not self.pure(method, cls, 0, fresh_self=True)):
                return False
        return True


_helper_cache: dict[tuple[types.CodeType, bool], bool] = {}


def _parse_function(function: types.FunctionType) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    try:
        source = textwrap.dedent(inspect.getsource(function))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError, ValueError):
        return None
    node = next((n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))),
                None)
    return node


# ============================================================================ the interface


def _def_of(source: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    try:
        tree = ast.parse(textwrap.dedent(source))
    except (SyntaxError, ValueError):
        return None
    return next((n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))),
                None)


def _owner_of(function: types.FunctionType) -> type | None:
    """The class a method is defined in, found through its qualified name."""
    parts = function.__qualname__.split(".")
    if len(parts) < 2 or "<locals>" in parts:
        return None
    obj: object = function.__globals__.get(parts[0])
    for part in parts[1:-1]:
        obj = getattr(obj, part, None)
    return obj if isinstance(obj, type) else None


def effects_of(source: str, function: types.FunctionType) -> tuple[Effect, ...] | None:
    """The effects of the def in `source`, read in `function`'s module; None when the
    source does not parse."""
    node = _def_of(source)
    if node is None:
        return None
    analysis = _Analysis(node, function.__globals__, _owner_of(function))
    analysis.visit(node)
    return tuple(analysis.effects)


def original_source(function: types.FunctionType, known: str = "") -> str | None:
    """The original's source: the one the caller knows, else the file's."""
    if known.strip():
        return known
    try:
        return textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return None


def new_effects(candidate: str, original: types.FunctionType, source: str = "",
                missing: Iterable[str] = ()) -> tuple[Effect, ...]:
    """The candidate's effects that the original does not have at that place.

    `source` is the original's source when the caller has it (else it is read from the
    original's file). `missing` are the names the failure says do not exist (the
    `fetchh` of "has no attribute 'fetchh'"): an effect of the original that names one
    may be kept under the close spelling the fix uses. Empty: the candidate may go live
    as far as its effects go.
    """
    try:
        mine = effects_of(candidate, original)
        if mine is None:
            return (Effect("unknown", "the candidate does not parse"),)
        if not mine:
            return ()
        known = original_source(original, source)
        theirs = effects_of(known, original) if known is not None else None
        if theirs is None:
            return tuple(Effect(e.rule, e.subject + " (the original's source is not available)",
                                e.context, e.line) for e in mine)
        return _unmatched(mine, theirs, frozenset(missing))
    except Exception:
        log.warning("selfheal: the effect analysis failed", exc_info=True)
        return (Effect("unknown", "the effect analysis failed"),)


# Context labels that only narrow when an effect happens. An effect of the original may
# gain these (`if u in items: items.remove(u)` removes on fewer inputs than before,
# never on new ones); it may not lose one, nor gain a loop or a nested function.
_NARROWING = ("if ", "and after ", "or after ", "case ", "when ")


def _narrower(mine: tuple[str, ...], theirs: tuple[str, ...]) -> bool:
    """Does a context `mine` hold every label of `theirs`, plus only conditions?"""
    rest = Counter(mine)
    rest.subtract(Counter(theirs))
    if any(count < 0 for count in rest.values()):
        return False
    return all(label.startswith(_NARROWING) for label, count in rest.items() if count > 0)


_TOKEN = re.compile(r"\w+|\W")


def _renamed(mine: str, theirs: str, missing: frozenset[str]) -> bool:
    """Do the subjects differ only in one name, missing in the original's and spelt
    closely in the candidate's (`client.fetchh(url)` fixed to `client.fetch(url)`)?"""
    a, b = _TOKEN.findall(mine), _TOKEN.findall(theirs)
    if len(a) != len(b):
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(diff) != 1:
        return False
    new, old = diff[0]
    return old in missing and bool(difflib.get_close_matches(old, [new], n=1, cutoff=0.7))


def _unmatched(mine: Iterable[Effect], theirs: Iterable[Effect],
               missing: frozenset[str] = frozenset()) -> tuple[Effect, ...]:
    pool = list(theirs)
    out = []
    for effect in mine:
        match = next((o for o in pool if o.rule == effect.rule and o.subject == effect.subject
                      and _narrower(effect.context, o.context)), None)
        if match is None and missing:
            match = next((o for o in pool if o.rule == effect.rule
                          and _renamed(effect.subject, o.subject, missing)
                          and _narrower(effect.context, o.context)), None)
        if match is None and _evaluates(effect):
            # The original evaluates text at that place already, and a patch's `eval` runs
            # as the guarded one (compiled under the policy, no module names): a fix may
            # change what is evaluated (`eval(e)` -> `eval(e.replace('^', '**'))`).
            match = next((o for o in pool if _evaluates(o)
                          and _narrower(effect.context, o.context)), None)
        if match is not None:
            pool.remove(match)
        elif any(o.rule == effect.rule and o.subject == effect.subject for o in pool):
            out.append(Effect("branch", effect.subject, effect.context, effect.line))
        else:
            out.append(effect)
    return tuple(out)


# In-place operators that no built-in mutable type implements in place (`k %= n`,
# `x //= 2`): on a bare name they only rebind the local.
_REBINDING_OPERATORS = (ast.Mod, ast.Div, ast.FloorDiv, ast.Pow, ast.LShift, ast.RShift)


def _evaluates(effect: Effect) -> bool:
    return effect.rule == "call" and effect.subject.startswith("eval(")


_MISSING = (re.compile(r"has no attribute '(\w+)'"), re.compile(r"name '(\w+)' is not defined"))


def missing_names(message: str) -> frozenset[str]:
    """The names an AttributeError or NameError message says do not exist."""
    return frozenset(m.group(1) for pattern in _MISSING for m in pattern.finditer(message))


_written_cache: dict[tuple[types.CodeType, int, str], frozenset[str]] = {}


def written_globals(function: types.FunctionType, source: str = "") -> frozenset[str]:
    """Module-level names whose objects the function itself writes (`CACHE[k] = v`,
    `CACHE.clear()`): the live guards leave those to it (see `guards`)."""
    key = (function.__code__, id(function.__globals__), source)
    hit = _written_cache.get(key)
    if hit is None:
        if len(_written_cache) > 512:
            _written_cache.clear()
        hit = _written_cache[key] = _written_globals(function, source)
    return hit


def _written_globals(function: types.FunctionType, source: str) -> frozenset[str]:
    known = original_source(function, source)
    if known is None:
        return frozenset()
    try:
        found = effects_of(known, function) or ()
    except Exception:
        return frozenset()
    names = set()
    for effect in found:
        if effect.rule in ("module-state", "process-context"):
            names.add(_leading_name(effect.subject))
    return frozenset(n for n in names if n)


def _leading_name(subject: str) -> str:
    head: Iterator[str] = iter(subject)
    name = []
    for ch in head:
        if ch.isalnum() or ch == "_":
            name.append(ch)
        else:
            break
    return "".join(name)
