"""Reading a live function's source into an AST we can trust.

Owns: finding the `def` of a function in its file, parsing it with the file's real line
numbers and columns, and the facts later stages need about it (which parameters the
body reassigns). It must not compile or
install anything.

Why trust matters: the file on disk may have changed since the module was imported.
`codegen.matches_original` compiles what we read and compares it with the running
code, so a stale file is detected instead of silently patched.
"""

from __future__ import annotations

import ast
import inspect
import linecache
import symtable
import textwrap
import types
from dataclasses import dataclass
from typing import Literal

from selfheal.models import FunctionRef

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class FunctionSource:
    """The parsed `def` of a function, line numbers absolute in `filename`."""

    node: FunctionNode  # decorators stripped
    filename: str
    first_line: int  # first line of the def or of its first decorator
    def_line: int
    last_line: int
    text: str  # the def statement, dedented, decorators stripped
    indent: str
    class_name: str | None  # the class whose body defines it (name mangling, super())
    reassigned: frozenset[str]  # parameters the body assigns to
    # Names the module binds with an import: the compiler calls methods on those with
    # LOAD_ATTR rather than LOAD_METHOD, so a faithful recompile must know them.
    module_imports: frozenset[str] = frozenset()

    def ref(self, func: types.FunctionType) -> FunctionRef:
        return FunctionRef(
            module=getattr(func, "__module__", None) or "__main__",
            qualname=func.__qualname__,
            filename=self.filename,
            firstlineno=self.def_line,
            lastlineno=self.last_line,
            source=self.text,
            source_hash=FunctionRef.hash_source(self.text),
            kind=kind_of(func.__code__),
        )


FunctionKind = Literal["function", "coroutine", "generator", "async_generator"]


def kind_of(code: types.CodeType) -> FunctionKind:
    if code.co_flags & inspect.CO_ASYNC_GENERATOR:
        return "async_generator"
    if code.co_flags & inspect.CO_COROUTINE:
        return "coroutine"
    if code.co_flags & inspect.CO_GENERATOR:
        return "generator"
    return "function"


def enclosing_class(qualname: str) -> str | None:
    parts = qualname.split(".")
    if len(parts) >= 2 and parts[-2] != "<locals>":
        return parts[-2]
    return None


def read_function(func: types.FunctionType) -> FunctionSource | None:
    """Parse the def of `func` from its file; None when there is no usable source."""
    code = func.__code__
    filename = code.co_filename
    try:
        lines, start = inspect.getsourcelines(func)
    except (OSError, TypeError):
        return None
    if not lines or start < 1:
        return None
    block = "".join(lines)
    indent = block[: len(block) - len(block.lstrip(" \t"))]
    # Parse under an `if 1:` so an indented method keeps its real columns (tracebacks
    # of 3.11+ point at columns), then shift lines to where they are in the file.
    prefix = "if 1:\n" if indent else ""
    try:
        tree = ast.parse(prefix + block)
    except SyntaxError:
        return None
    body = tree.body[0].body if indent else tree.body  # type: ignore[attr-defined]
    if not body or not isinstance(body[0], (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None  # a lambda, or source that is not a def
    node: FunctionNode = body[0]
    ast.increment_lineno(tree, start - 1 - (1 if indent else 0))
    if node.name != code.co_name:
        return None
    def_line = node.lineno
    last_line = node.end_lineno or def_line
    first_line = min([def_line] + [d.lineno for d in node.decorator_list])
    node.decorator_list = []
    file_lines = linecache.getlines(filename)
    text = textwrap.dedent("".join(file_lines[def_line - 1 : last_line]))
    return FunctionSource(
        node=node,
        filename=filename,
        first_line=first_line,
        def_line=def_line,
        last_line=last_line,
        text=text,
        indent=indent,
        class_name=enclosing_class(func.__qualname__),
        reassigned=frozenset(reassigned_params(node)),
        module_imports=module_imports("".join(file_lines), filename),
    )


_imports_cache: dict[str, tuple[int, frozenset[str]]] = {}


def module_imports(text: str, filename: str) -> frozenset[str]:
    """Names bound by import statements at the top level of a module's source."""
    # One symbol table per module, not per function: the import hook reads many
    # functions of one file.
    key = hash(text)
    cached = _imports_cache.get(filename)
    if cached is not None and cached[0] == key:
        return cached[1]
    try:
        table = symtable.symtable(text, filename, "exec")
    except (SyntaxError, ValueError):
        return frozenset()
    names = frozenset(sym.get_name() for sym in table.get_symbols() if sym.is_imported())
    _imports_cache[filename] = (key, names)
    return names


def parameter_names(node: FunctionNode) -> list[str]:
    a = node.args
    names = [p.arg for p in (*a.posonlyargs, *a.args)]
    if a.vararg:
        names.append(a.vararg.arg)
    names.extend(p.arg for p in a.kwonlyargs)
    if a.kwarg:
        names.append(a.kwarg.arg)
    return names


def own_nodes(node: FunctionNode) -> list[ast.AST]:
    """Nodes of the function's own body, not of nested functions, lambdas or classes."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(node.body)
    while stack:
        current = stack.pop()
        found.append(current)
        for child in ast.iter_child_nodes(current):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                # Their default values and decorators still run in our scope.
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                    stack.extend(child.args.defaults)
                    stack.extend(d for d in child.args.kw_defaults if d is not None)
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    stack.extend(child.decorator_list)
                continue
            stack.append(child)
    return found


def reassigned_params(node: FunctionNode, nodes: list[ast.AST] | None = None) -> set[str]:
    """Parameters the body assigns or deletes; `nodes` are its `own_nodes`, if known."""
    params = set(parameter_names(node))
    hit: set[str] = set()
    for n in own_nodes(node) if nodes is None else nodes:
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)) and n.id in params:
            hit.add(n.id)
    return hit
