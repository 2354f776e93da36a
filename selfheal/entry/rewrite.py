"""Whole-module rewriting for the import hook: instrument every function of a module once.

Owns three things:

* `rewrite_module`: the AST transform. Every `def` run at module level or in a class body
  (classes nested at any depth, sync, async and generators) gets selfheal's failure
  handler around its body, keyed by a *lazy key* (`codegen.lazy_key(module, qualname)`).
  Nothing is created per function at import: the runtime builds a function's state the
  first time it fails. The handler is codegen's "lean" variant, so calls are recorded
  only from a function's first failure on: the observing variant would make the runtime
  build every function's state on its first call instead (measured: about 5 ms per
  function), which is the per-function cost this module exists to avoid.
* `load_rewritten`: source -> rewritten code, with a bytecode cache of its own next to
  the normal one (`__pycache__/<name>.<tag>.opt-selfheal<N>.pyc`), validated against the
  source's mtime and size like importlib does, so a warm import costs what a normal one
  does. The normal `.pyc` is never written or read by us.
* `RewritingLoader`: the loader the import hook puts in place of a plain
  `SourceFileLoader`; and `Originals`, which finds the uninstrumented code of a running
  rewritten function, for uninstall.

Left alone (never instrumented): dunder methods, defs decorated with `skip` or
`self_healing` (under any prefix: the decorator handles the latter itself), functions
nested in functions (closures: not covered), everything in a module that sets
`__selfheal_skip__ = True` at top level.

Why an assignment and not an import binds `__selfheal_rt__`: CPython (3.11 at least)
compiles `name.attr(...)` differently when `name` is bound by an import statement
(LOAD_ATTR instead of LOAD_METHOD). The runtime checks a failing function's code against
a recompile of its source in which `__selfheal_rt__` is a plain global; an import would
make every rewritten function fail that check.

This module must not decide which modules are rewritten (the import hook does) nor what
happens on a failure (the runtime does), and it never breaks an import: every error in
here makes the caller fall back to the normal code.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import hashlib
import importlib.abc
import importlib.machinery
import importlib.metadata
import importlib.util
import logging
import marshal
import os
import struct
import sys
import types
from collections.abc import Iterator, Sequence
from typing import NamedTuple, Protocol

from selfheal.config import settings_for_module
from selfheal.function import codegen, source
from selfheal.function.codegen import RUNTIME_NAME
from selfheal.function.source import FunctionNode, own_nodes, reassigned_params

__all__ = [
    "FORMAT_VERSION",
    "LoadListener",
    "Loaded",
    "Originals",
    "RewritingLoader",
    "cache_path",
    "compile_rewritten",
    "instrumented_codes",
    "is_rewritten",
    "load_rewritten",
    "qualname_of",
    "rewrite_module",
    "twin_of",
]

log = logging.getLogger("selfheal.importhook")

# Bump when the shape of the rewritten code changes in a way the fingerprint (the bytes
# of the modules that generate it) cannot see.
FORMAT_VERSION = 2
SKIP_ATTRIBUTE = "__selfheal_skip__"
_SKIP_DECORATORS = frozenset({"skip", "self_healing"})
_RUNTIME_MODULE = "selfheal.entry.runtime"


# --------------------------------------------------------------------------- the transform


def _decorator_name(expr: ast.expr) -> str | None:
    if isinstance(expr, ast.Call):
        expr = expr.func
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Name):
        return expr.id
    return None


def _skipped(decorators: Sequence[ast.expr]) -> bool:
    return any(_decorator_name(d) in _SKIP_DECORATORS for d in decorators)


def _is_dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def _module_skips_itself(body: Sequence[ast.stmt]) -> bool:
    for stmt in body:
        value: ast.expr | None = None
        names: list[ast.expr] = []
        if isinstance(stmt, ast.Assign):
            value, names = stmt.value, list(stmt.targets)
        elif isinstance(stmt, ast.AnnAssign):
            value, names = stmt.value, [stmt.target]
        if (
            isinstance(value, ast.Constant)
            and value.value is True
            and any(isinstance(n, ast.Name) and n.id == SKIP_ATTRIBUTE for n in names)
        ):
            return True
    return False


# Fields of compound statements whose statements still run in the enclosing scope (module
# or class body): a def under `if`/`try`/`with`/loops/`match` keeps the scope's qualname.
_BLOCK_FIELDS = ("body", "orelse", "finalbody")


def records(module_name: str) -> bool:
    """Do this module's functions record sample calls before their first failure?

    Then they get the observing variant: the first calls of each function are sampled
    (the evidence a patch must agree with), and the function is adopted, with the lean
    code, once its sampler is full.
    """
    try:
        settings = settings_for_module(module_name)
    except Exception:
        return False
    return settings.record and settings.record_calls > 0


class _Rewriter:
    def __init__(self, module_name: str, record: bool = False) -> None:
        self.record = record
        self.module_name = module_name
        self.qualnames: list[str] = []

    def block(self, stmts: list[ast.stmt], prefix: str) -> list[ast.stmt]:
        return [self.statement(stmt, prefix) for stmt in stmts]

    def statement(self, stmt: ast.stmt, prefix: str) -> ast.stmt:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return self.function(stmt, prefix)
        if isinstance(stmt, ast.ClassDef):
            if _skipped(stmt.decorator_list):
                return stmt
            new_class = copy.copy(stmt)
            new_class.body = self.block(stmt.body, f"{prefix}{stmt.name}.")
            return new_class
        # Shallow copies: the caller's tree is left as it was (uninstall compiles both).
        new: ast.stmt | None = None
        for name in _BLOCK_FIELDS:
            value = getattr(stmt, name, None)
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                new = new or copy.copy(stmt)
                setattr(new, name, self.block(value, prefix))
        handlers = getattr(stmt, "handlers", None)
        if handlers:
            new = new or copy.copy(stmt)
            new_handlers = []
            for handler in handlers:
                new_handler = copy.copy(handler)
                new_handler.body = self.block(handler.body, prefix)
                new_handlers.append(new_handler)
            new.handlers = new_handlers  # type: ignore[attr-defined]
        cases = getattr(stmt, "cases", None)
        if cases:
            new = new or copy.copy(stmt)
            new_cases = []
            for case in cases:
                new_case = copy.copy(case)
                new_case.body = self.block(case.body, prefix)
                new_cases.append(new_case)
            new.cases = new_cases  # type: ignore[attr-defined]
        return new or stmt

    def function(self, node: FunctionNode, prefix: str) -> ast.stmt:
        if _is_dunder(node.name) or _skipped(node.decorator_list):
            return node
        qualname = f"{prefix}{node.name}"
        key = codegen.lazy_key(self.module_name, qualname)
        nodes = own_nodes(node)  # once: walking a body is most of what is left to pay
        generator = any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in nodes)
        variant: codegen.Variant = "observed" if self.record and not generator else "lean"
        # In place: rewrite_module copied the tree already, when its caller keeps it.
        instrumented = codegen.instrument(
            node, key, variant, reassigned_params(node, nodes), in_place=True, generator=generator
        )
        _compact_synthetic_locations(instrumented, node)
        self.qualnames.append(qualname)
        return instrumented


def _compact_synthetic_locations(new: FunctionNode, original: FunctionNode) -> None:
    """Give the nodes codegen added a one-line location instead of the whole def's span.

    They carry the def's full span (first to last line), which makes the compiler emit a
    position entry for every instruction of the handler; one line with no columns makes
    the line table, and so the cached bytecode each import reads, markedly smaller.
    Tracebacks do not change: the handler re-raises from the original position, and the
    runtime compares code ignoring positions. The user's own nodes never span exactly
    the whole def, so they keep theirs.
    """
    span = (original.lineno, original.col_offset, original.end_lineno, original.end_col_offset)
    # Only below added nodes: the user's statements (inside the added `try`) are not
    # walked, their subtrees are theirs.
    stack: list[ast.AST] = list(new.body)
    while stack:
        sub = stack.pop()
        if "lineno" in sub._attributes:
            where = (sub.lineno, sub.col_offset, sub.end_lineno, sub.end_col_offset)  # type: ignore[attr-defined]
            if where != span:
                continue
            sub.end_lineno = sub.lineno  # type: ignore[attr-defined]
            sub.end_col_offset = sub.col_offset  # type: ignore[attr-defined]
        stack.extend(ast.iter_child_nodes(sub))


def _preamble_length(body: Sequence[ast.stmt]) -> int:
    """Statements that must stay first: the docstring and `from __future__` imports."""
    index = 0
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        index = 1
    while (
        index < len(body)
        and isinstance(body[index], ast.ImportFrom)
        and body[index].module == "__future__"  # type: ignore[attr-defined]
    ):
        index += 1
    return index


def _runtime_binding(anchor: ast.stmt | None) -> ast.stmt:
    # `__selfheal_rt__ = __import__("selfheal.entry.runtime", None, None, ("*",))`:
    # an assignment, not an import (see the module docstring). The import system hands
    # back the module from sys.modules: install() imported it already.
    stmt = ast.Assign(
        targets=[ast.Name(id=RUNTIME_NAME, ctx=ast.Store())],
        value=ast.Call(
            func=ast.Name(id="__import__", ctx=ast.Load()),
            args=[
                ast.Constant(_RUNTIME_MODULE),
                ast.Constant(None),
                ast.Constant(None),
                ast.Tuple(elts=[ast.Constant("*")], ctx=ast.Load()),
            ],
            keywords=[],
        ),
    )
    line = 1 if anchor is None else anchor.lineno
    for node in ast.walk(stmt):
        if "lineno" in node._attributes:
            node.lineno = node.end_lineno = line  # type: ignore[attr-defined]
            node.col_offset = node.end_col_offset = 0  # type: ignore[attr-defined]
    return stmt


def rewrite_module(
    tree: ast.Module, module_name: str, record: bool | None = None, *, in_place: bool = False
) -> ast.Module:
    """A copy of `tree` with every eligible function instrumented lazily (see above).

    The input tree is not modified, unless `in_place` (the caller parsed it for this and
    keeps nothing of it: no copy to pay for). A module that instruments nothing (it skips
    itself, or has no eligible function) comes back without the runtime binding.
    """
    if _module_skips_itself(tree.body):
        return tree
    given, tree = tree, tree if in_place else copy.deepcopy(tree)
    rewriter = _Rewriter(module_name, records(module_name) if record is None else record)
    body = rewriter.block(list(tree.body), "")
    if not rewriter.qualnames:
        return given
    at = _preamble_length(body)
    rest = body[at:]
    binding = _runtime_binding(rest[0] if rest else None)
    return ast.Module(
        body=[*body[:at], binding, _ending_with_module_ran(rest, module_name, binding)],
        type_ignores=list(tree.type_ignores),
    )


def _ending_with_module_ran(body: list[ast.stmt], module_name: str, anchor: ast.stmt) -> ast.stmt:
    """`try: <body> finally: __selfheal_rt__.module_ran(<module name>)`.

    The end of the module body, however it ends, in the module's own code: the import
    hook learns it there rather than in a loader frame wrapped around the body (see
    RewritingLoader). A `try` at module level is still module scope: `import *`,
    `global` and everything else mean what they meant.
    """
    call = ast.Expr(
        value=ast.Call(
            func=ast.Attribute(
                value=ast.Name(id=RUNTIME_NAME, ctx=ast.Load()), attr="module_ran", ctx=ast.Load()
            ),
            args=[ast.Constant(module_name)],
            keywords=[],
        )
    )
    guarded = ast.Try(body=body or [ast.Pass()], handlers=[], orelse=[], finalbody=[call])
    for node in (guarded, *ast.walk(call), *(() if body else guarded.body)):
        if "lineno" in node._attributes:
            node.lineno = node.end_lineno = anchor.lineno
            node.col_offset = node.end_col_offset = 0
    return guarded


def compile_rewritten(
    source: bytes | str, filename: str, module_name: str, record: bool | None = None
) -> types.CodeType:
    """Parse, rewrite and compile a module's source as the import system would compile it.

    Raises SyntaxError (and whatever compile raises) like `compile` does.
    """
    tree = ast.parse(source, filename=filename)
    rewritten = rewrite_module(tree, module_name, record, in_place=True)
    return compile(rewritten, filename, "exec", dont_inherit=True, optimize=-1)


# --------------------------------------------------------------------------- the cache

_MAGIC = importlib.util.MAGIC_NUMBER
_KIND = b"shrw"
_FINGERPRINT_SIZE = 16
_fingerprint: bytes | None = None


def _package_version() -> str:
    try:
        return importlib.metadata.version("selfheal")
    except importlib.metadata.PackageNotFoundError:
        return "?"


def _generator_fingerprint() -> bytes:
    """Identifies the code generator: the bytes of the modules that shape rewritten code.

    A cached module built by another version of them is rebuilt, so the runtime never
    meets code it would not generate itself.
    """
    global _fingerprint
    if _fingerprint is None:
        digest = hashlib.blake2b(digest_size=_FINGERPRINT_SIZE)
        digest.update(f"selfheal-rewrite-{FORMAT_VERSION}".encode())

        for module in (codegen, source, sys.modules[__name__]):
            try:
                with open(module.__file__ or "", "rb") as fh:
                    digest.update(fh.read())
            except OSError:
                # Installed without its sources (a zip): the package version stands in.
                digest.update(_package_version().encode())
        _fingerprint = digest.digest()
    return _fingerprint


def cache_path(source_path: str, record: bool = False) -> str:
    """Where the rewritten bytecode of `source_path` is cached (honours pycache_prefix).

    `__pycache__/<name>.<cache tag>.opt-selfheal<N>[o<level>].pyc`: the optimisation
    part of the name keeps it apart from the interpreter's own files, which never read it.
    """
    level = sys.flags.optimize
    # The variant is part of the name: recording on and off compile different code.
    tag = f"selfheal{FORMAT_VERSION}" + ("r" if record else "") + (f"o{level}" if level else "")
    cache_tag = sys.implementation.cache_tag
    if sys.pycache_prefix is None and cache_tag is not None:
        # What cache_from_source computes in the common case, at a fraction of its cost
        # (this runs on every import of an instrumented module).
        head, tail = os.path.split(source_path)
        base = tail.rpartition(".")[0] or tail
        return f"{head}{os.sep if head else ''}__pycache__{os.sep}{base}.{cache_tag}.opt-{tag}.pyc"
    return importlib.util.cache_from_source(source_path, optimization=tag)


_HEADER = struct.Struct(f"<{len(_MAGIC)}s{len(_KIND)}sqQ{_FINGERPRINT_SIZE}s")
_HEADER_SIZE = _HEADER.size


def _header(stat: os.stat_result) -> bytes:
    """Magic number, our kind, the source's mtime (ns) and size, the generator's fingerprint."""
    return _HEADER.pack(_MAGIC, _KIND, stat.st_mtime_ns, stat.st_size, _generator_fingerprint())


def _read_file(path: str) -> bytes:
    # os.read on a descriptor: a third of the cost of open().read() for files this size
    # (no buffered reader, no text layer), and this runs on every instrumented import.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        data = os.read(fd, size)
        while len(data) < size:  # a short read: rare, but allowed
            more = os.read(fd, size - len(data))
            if not more:
                break
            data += more
        return data
    finally:
        os.close(fd)


def _read_cache(path: str, header: bytes) -> types.CodeType | None:
    try:
        data = _read_file(path)
    except OSError:
        return None
    if data[:_HEADER_SIZE] != header:
        return None
    try:
        code = marshal.loads(memoryview(data)[_HEADER_SIZE:])
    except (EOFError, ValueError, TypeError):
        return None
    return code if isinstance(code, types.CodeType) else None


def _write_cache(path: str, data: bytes, source_mode: int) -> None:
    """Write atomically: a reader sees the old file, no file, or the whole new one."""
    directory = os.path.dirname(path)
    tmp = f"{path}.{os.getpid()}.{id(data)}.tmp"
    try:
        if directory:
            os.makedirs(directory, exist_ok=True)
        # Same permissions as the source, made writable for us (as importlib does), so a
        # cache of a private file is not readable by others.
        fd = os.open(tmp, os.O_EXCL | os.O_CREAT | os.O_WRONLY, (source_mode | 0o200) & 0o666)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        # A read-only tree, a full disk: the module still imports, it just is rewritten
        # again next time.
        log.debug("selfheal: cannot write %s", path, exc_info=True)


SourceStamp = tuple[int, int]  # (mtime in ns, size) of the source a code was built from


class Loaded(NamedTuple):
    code: types.CodeType
    stamp: SourceStamp


def _stamp(stat: os.stat_result) -> SourceStamp:
    return (stat.st_mtime_ns, stat.st_size)


def load_rewritten(module_name: str, source_path: str, record: bool | None = None) -> Loaded:
    """The rewritten code of a module: from our cache when it is fresh, else built (and cached).

    `record` chooses the variant (default: whether the module's settings record calls).
    Raises OSError when the source cannot be read, SyntaxError when it does not compile,
    and whatever the rewrite raises: the caller falls back to the normal code.
    """
    stat = os.stat(source_path)
    header = _header(stat)
    if record is None:
        record = records(module_name)
    cached_at = cache_path(source_path, record)
    code = _read_cache(cached_at, header)
    if code is not None:
        return Loaded(code, _stamp(stat))
    with open(source_path, "rb") as fh:
        source = fh.read()
    code = compile_rewritten(source, source_path, module_name, record)
    if not sys.dont_write_bytecode:
        _write_cache(cached_at, header + marshal.dumps(code), stat.st_mode)
    return Loaded(code, _stamp(stat))


# --------------------------------------------------------------------------- code objects


def is_rewritten(code: types.CodeType) -> bool:
    """Is this the code of a function instrumented by `rewrite_module`?"""
    return RUNTIME_NAME in code.co_names


def _nested_codes(code: types.CodeType) -> Iterator[types.CodeType]:
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield const
            yield from _nested_codes(const)


def instrumented_codes(module_code: types.CodeType) -> list[types.CodeType]:
    """The rewritten function codes inside a module's code, in definition order."""
    return [code for code in _nested_codes(module_code) if is_rewritten(code)]


def twin_of(running: types.CodeType, module_code: types.CodeType) -> types.CodeType | None:
    """The code of the same def in another rewrite of the same source (another variant).

    Matched by name and first line, as `Originals` matches; the free variables must be
    the same, or the code could not be put on the running function.
    """
    place = _place(running)
    for code in instrumented_codes(module_code):
        if _place(code) == place and code.co_freevars == running.co_freevars:
            return code
    return None


def qualname_of(code: types.CodeType) -> str:
    """The function's __qualname__, from its code (for listing what is instrumented)."""
    qualname = getattr(code, "co_qualname", None)  # Python 3.11+
    if isinstance(qualname, str):
        return qualname
    # Python 3.10: a rewritten code carries its key, `module:qualname`.
    for const in code.co_consts:
        if isinstance(const, str) and ":" in const:
            candidate = const.partition(":")[2]
            if candidate.rpartition(".")[2] == code.co_name:
                return candidate
    return code.co_name


def _place(code: types.CodeType) -> tuple[str, int]:
    # Name and first line: what a function's original and rewritten code share on every
    # Python version (co_qualname is 3.11+), and no two defs of one file share both.
    return (code.co_name, code.co_firstlineno)


class Originals:
    """The uninstrumented code of each rewritten function of one module, from its source.

    Compiled from the source as it is now. When the file is still the one the running
    code was built from (same mtime and size, the check importlib itself relies on), a
    running function's original is the code defined at the same place. Otherwise the
    rewrite of the current source is compiled too, and a running function gets the
    original only when its own code behaves like that rewrite: a function edited since
    the import gets None, never code that did not run before.
    """

    def __init__(
        self, module_name: str, source: bytes | str, filename: str, unchanged: bool = False
    ) -> None:
        tree = None if unchanged else ast.parse(source, filename=filename)
        original = compile(
            source if tree is None else tree, filename, "exec", dont_inherit=True, optimize=-1
        )
        self._by_place: dict[tuple[str, int], list[types.CodeType]] = {}
        for code in _nested_codes(original):
            self._by_place.setdefault(_place(code), []).append(code)
        # Verified mode: name -> (rewritten code of the current source, its original).
        self._pairs: dict[str, list[tuple[types.CodeType, types.CodeType]]] | None = None
        if tree is None:
            return
        rewritten = compile(
            # The original was compiled from this tree already: rewrite it in place.
            rewrite_module(tree, module_name, in_place=True),
            filename,
            "exec",
            dont_inherit=True,
            optimize=-1,
        )
        pairs: dict[str, list[tuple[types.CodeType, types.CodeType]]] = {}
        unpaired = {place: list(codes) for place, codes in self._by_place.items()}
        for code in instrumented_codes(rewritten):
            same_place = unpaired.get(_place(code))
            if same_place:
                pairs.setdefault(code.co_name, []).append((code, same_place.pop(0)))
        self._pairs = pairs

    @classmethod
    def from_file(
        cls, module_name: str, filename: str, stamp: SourceStamp | None = None
    ) -> Originals:
        """Read `filename`; `stamp` is that of the source the running code was built from."""
        with open(filename, "rb") as fh:
            unchanged = stamp is not None and _stamp(os.fstat(fh.fileno())) == stamp
            return cls(module_name, fh.read(), filename, unchanged)

    def original_of(self, running: types.CodeType) -> types.CodeType | None:
        """The original code for a running rewritten code, or None when the source changed."""
        if self._pairs is None:
            for code in self._by_place.get(_place(running), ()):
                if code.co_freevars == running.co_freevars:
                    return code
            return None
        pairs = self._pairs.get(running.co_name, [])
        # Prefer the definition at the same line: a name can be defined twice.
        ordered = sorted(pairs, key=lambda p: p[0].co_firstlineno != running.co_firstlineno)
        for rewritten, original in ordered:
            if (
                rewritten.co_freevars == running.co_freevars
                and codegen.same_behaviour(rewritten, running)
            ):
                return original
        return None


# --------------------------------------------------------------------------- the loader


class LoadListener(Protocol):
    """What the loader tells about each module it executes (the import hook listens)."""

    def rewriting(self, name: str, loaded: Loaded) -> bool:
        """The rewritten body is about to run; False runs the normal code instead.

        Rewritten code that instruments anything ends by calling the runtime's
        `module_ran` (in a `finally`), which the listener answers as well.
        """



class RewritingLoader(importlib.machinery.SourceFileLoader):
    """Executes a source module's rewritten code; the real loader everywhere else.

    Put in place of a plain `SourceFileLoader` by the import hook, for the same file. It
    has no `exec_module` of its own: the import system's runs the module body, and only
    `get_code` differs, so no frame of selfheal's sits between the import system and the
    module body. Code that walks the stack from a module body (`warnings.warn` with a
    `stacklevel`, a library attributing its deprecation warning to the importer) and
    tracebacks of errors raised at import see what they see without selfheal. The module
    and its spec point at the real loader again before the body runs, so the module's own
    code, `inspect`, `importlib.resources` and pickling never see us. The `listener`
    (the import hook) hears of each execution. The hook asks `rewritten` first, when it
    finds the module, and puts this loader in place only if the rewrite can be had.
    """

    def __init__(
        self, loader: importlib.machinery.SourceFileLoader, listener: LoadListener
    ) -> None:
        super().__init__(loader.name, loader.path)
        self._loader = loader
        self._listener = listener
        self._loaded: Loaded | None = None

    @property
    def real_loader(self) -> importlib.machinery.SourceFileLoader:
        return self._loader

    def rewritten(self, fullname: str) -> Loaded | None:
        """The rewritten code, or None when it cannot be had (the normal code applies)."""
        if self._loaded is not None:
            return self._loaded
        try:
            self._loaded = load_rewritten(fullname, self._loader.path)
        except Exception:
            # Includes SyntaxError: the real loader raises it again, exactly as without us.
            log.debug("selfheal: cannot rewrite %s", fullname, exc_info=True)
            return None
        return self._loaded

    def get_code(self, fullname: str) -> types.CodeType | None:
        loaded = self.rewritten(fullname)
        if loaded is None or not self._listener.rewriting(fullname, loaded):
            return self._loader.get_code(fullname)
        module = sys.modules.get(fullname)
        if module is not None and getattr(module, "__loader__", None) is self:
            module.__loader__ = self._loader
            spec = getattr(module, "__spec__", None)
            if spec is not None and spec.loader is self:
                spec.loader = self._loader
        return loaded.code
