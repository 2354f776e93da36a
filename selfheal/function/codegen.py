"""Building code objects for a live function: instrumented variants and patches.

Owns the AST transformations that add selfheal's failure handler (and, for the
observing variant, the call recorder) around a function body, and compiling a `def` in
the same context as the original: same free variables in the same order, the same
class for name mangling and `super()`, the same `from __future__` flags. It must not
install code on a function (that is `swap`'s job) and must not run user code.

Why rewrite the function's own code instead of wrapping it: a wrapper costs 1.6-3.3x a
bare call of a small function, a try/except in the function's own body costs about
1.1x (exceptions are free when nothing is raised), and assigning `__code__` keeps every
reference to the function object (module globals, `from x import f`, recursion)
pointing at the instrumented code.
"""

from __future__ import annotations
import __future__

import ast
import copy
import types
from collections.abc import Iterable
from typing import Any, Literal

from selfheal.function.source import FunctionNode, FunctionSource, own_nodes, parameter_names

RUNTIME_NAME = "__selfheal_rt__"  # the global through which instrumented code calls us
Variant = Literal["plain", "lean", "observed"]

FUTURE_MASK = 0
for _feature in __future__.all_feature_names:
    FUTURE_MASK |= getattr(__future__, _feature).compiler_flag

_EXC = "_selfheal_exc_"
_RES = "_selfheal_res_"
_TOKEN = "_selfheal_tok_"


class CodegenError(Exception):
    """The function cannot be rebuilt in its original context."""


def _name(id_: str, store: bool = False) -> ast.Name:
    return ast.Name(id=id_, ctx=ast.Store() if store else ast.Load())


def _rt(attr: str) -> ast.Attribute:
    return ast.Attribute(value=_name(RUNTIME_NAME), attr=attr, ctx=ast.Load())


def _snapshot_name(param: str) -> str:
    return f"_selfheal_arg_{param}"


def _call_args(node: FunctionNode, reassigned: Iterable[str]) -> tuple[ast.expr, ast.expr]:
    """AST for `(positional...)` and `{keyword...}` rebuilding the call's inputs."""
    moved = set(reassigned)

    def ref(name: str) -> ast.expr:
        return _name(_snapshot_name(name) if name in moved else name)

    a = node.args
    positional: list[ast.expr] = [ref(p.arg) for p in (*a.posonlyargs, *a.args)]
    if a.vararg:
        positional.append(ast.Starred(value=ref(a.vararg.arg), ctx=ast.Load()))
    keys: list[ast.expr | None] = [ast.Constant(p.arg) for p in a.kwonlyargs]
    values: list[ast.expr] = [ref(p.arg) for p in a.kwonlyargs]
    if a.kwarg:
        keys.append(None)
        values.append(ref(a.kwarg.arg))
    return ast.Tuple(elts=positional, ctx=ast.Load()), ast.Dict(keys=keys, values=values)


def _split_docstring(body: list[ast.stmt]) -> tuple[list[ast.stmt], list[ast.stmt]]:
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        return body[:1], body[1:]
    return [], body


class _ReturnHook(ast.NodeTransformer):
    """`return x` -> `return __selfheal_rt__.leave(fid, token, x)` in the own body only."""

    def __init__(self, fid: int | str, is_async: bool) -> None:
        self.fid = fid
        self.is_async = is_async
        self.added: list[ast.AST] = []  # the nodes this hook made, to be given a location

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        return node  # nested scopes keep their returns

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.AST:
        return node

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        return node

    def visit_Return(self, node: ast.Return) -> ast.AST:
        value = node.value if node.value is not None else ast.Constant(None)
        return ast.copy_location(ast.Return(value=self.hook(value)), node)

    def hook(self, value: ast.expr) -> ast.expr:
        call = ast.Call(
            func=_rt("aleave" if self.is_async else "leave"),
            args=[ast.Constant(self.fid), _name(_TOKEN), value],
            keywords=[],
        )
        hooked: ast.expr = ast.Await(value=call) if self.is_async else call
        self.added.append(hooked)
        return hooked


def lazy_key(module: str, qualname: str) -> str:
    """The id compiled into lazily instrumented code (a rewritten module's functions)."""
    return f"{module}:{qualname}"


def instrument(
    node: FunctionNode,
    fid: int | str,
    variant: Variant,
    reassigned: Iterable[str] = (),
    *,
    in_place: bool = False,
    generator: bool | None = None,
) -> FunctionNode:
    """A copy of `node` with selfheal's handler (and for "observed", the recorder).

    `fid` is a Target's id, or a lazy key (`lazy_key`) for code instrumented before any
    Target exists: the runtime creates the Target on the first failure. `in_place`
    changes `node` itself instead of a copy (for a caller that owns the tree: copying
    is most of the cost of rewriting a module), and `generator` is whether the function
    is one, when the caller already knows.
    """
    if not in_place:
        node = copy.deepcopy(node)
    if variant == "plain":
        return node
    is_async = isinstance(node, ast.AsyncFunctionDef)
    is_generator = (
        generator
        if generator is not None
        else any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in own_nodes(node))
    )
    reassigned = sorted(set(reassigned) & set(parameter_names(node)))
    args_tuple, kwargs_dict = _call_args(node, reassigned)
    doc, body = _split_docstring(list(node.body))
    prologue: list[ast.stmt] = [
        ast.Assign(targets=[_name(_snapshot_name(p), store=True)], value=_name(p))
        for p in reassigned
    ]
    hooked: list[ast.AST] = []
    if variant == "observed" and not is_generator:
        prologue.append(
            ast.Assign(
                targets=[_name(_TOKEN, store=True)],
                value=ast.Call(
                    func=_rt("enter"),
                    args=[ast.Constant(fid), copy.deepcopy(args_tuple), copy.deepcopy(kwargs_dict)],
                    keywords=[],
                ),
            )
        )
        hook = _ReturnHook(fid, is_async)
        body = [hook.visit(stmt) for stmt in body]
        final = ast.Return(value=hook.hook(ast.Constant(None)))
        body.append(final)
        hooked = [*hook.added, final]
    failed_call = ast.Call(
        func=_rt("afailed" if is_async and not is_generator else "failed"),
        args=[ast.Constant(fid), _name(_EXC), args_tuple, kwargs_dict],
        keywords=[],
    )
    handler_body: list[ast.stmt]
    if is_generator:
        # A generator cannot hand a healed result back mid-iteration: it heals for the
        # next calls and this call re-raises.
        handler_body = [ast.Expr(value=failed_call), ast.Raise(exc=None, cause=None)]
    else:
        handler_body = [
            ast.Assign(
                targets=[_name(_RES, store=True)],
                value=ast.Await(value=failed_call) if is_async else failed_call,
            ),
            ast.If(
                test=ast.Compare(left=_name(_RES), ops=[ast.Is()], comparators=[_rt("RERAISE")]),
                body=[ast.Raise(exc=None, cause=None)],
                orelse=[],
            ),
            ast.Return(value=_name(_RES)),
        ]
    added: list[ast.AST] = [*prologue, *handler_body, *hooked]
    if not body:
        body = [ast.Pass()]
        added.extend(body)
    handler = ast.ExceptHandler(type=_name("Exception"), name=_EXC, body=handler_body)
    guarded = ast.Try(body=body, handlers=[handler], orelse=[], finalbody=[])
    node.body = [*doc, *prologue, guarded]
    # Only what was added lacks a location: the function's own statements are not
    # walked (on a large body that walk cost more than the rest of the rewrite).
    _locate(added, node)
    for own in (guarded, handler, handler.type):  # these alone, not their bodies
        if own is not None and getattr(own, "lineno", None) is None:
            ast.copy_location(own, node)
    return node


def _locate(nodes: Iterable[ast.AST], anchor: ast.AST) -> None:
    """Give synthetic nodes (and their children) the def's location, for tracebacks."""
    for top in nodes:
        for sub in ast.walk(top):
            if "lineno" in sub._attributes and getattr(sub, "lineno", None) is None:
                ast.copy_location(sub, anchor)


def _type_params(node_type: type[ast.AST]) -> dict[str, Any]:
    """Python 3.12 added type parameters to defs and classes; older versions reject them."""
    return {"type_params": []} if "type_params" in node_type._fields else {}


def compile_in_context(
    node: FunctionNode,
    template: types.CodeType,
    class_name: str | None,
    filename: str,
    first_line: int | None = None,
    imported: Iterable[str] = (),
) -> types.CodeType:
    """Compile `node` so its code can replace `template` on the same function object.

    The def is nested in a synthetic outer function that binds the template's free
    variables (the compiler orders free variables by name, so equal names give an equal
    order) and, for a method, in a class of the same name (private-name mangling and
    the `__class__` cell of `super()` come from there). The module's imported names are
    declared with never-run import statements, because the compiler emits different
    method-call instructions on names bound by an import.
    """
    node = copy.deepcopy(node)
    node.decorator_list = []
    if first_line is not None and first_line < node.lineno:
        # A decorated function's code starts at its first decorator: keep that, so
        # inspect.getsource() on the instrumented function still finds the decorators.
        node.lineno = first_line
    freevars = [v for v in template.co_freevars if v != "__class__"]
    inner: ast.stmt = node
    if class_name is not None:
        inner = ast.ClassDef(
            name=class_name,
            bases=[],
            keywords=[],
            body=[node],
            decorator_list=[],
            **_type_params(ast.ClassDef),
        )
    if freevars or class_name is not None:
        binds: list[ast.stmt] = (
            [ast.Assign(targets=[_name(v, store=True) for v in freevars], value=ast.Constant(None))]
            if freevars
            else []
        )
        if class_name is not None and class_name not in freevars:
            # The synthetic class must not become a local of the outer function: a
            # method naming its own class would then close over it instead of reading
            # the module global, as the original does.
            binds.insert(0, ast.Global(names=[class_name]))
        outer = ast.FunctionDef(
            name="_selfheal_outer_",
            args=ast.arguments(
                posonlyargs=[],
                args=[],
                vararg=None,
                kwonlyargs=[],
                kw_defaults=[],
                kwarg=None,
                defaults=[],
            ),
            body=[*binds, inner],
            decorator_list=[],
            returns=None,
            **_type_params(ast.FunctionDef),
        )
        ast.copy_location(outer, node)
        ast.copy_location(inner, node)
        for b in binds:
            for sub in ast.walk(b):
                if "lineno" in sub._attributes:
                    ast.copy_location(sub, node)
        module = ast.Module(body=[outer], type_ignores=[])
    else:
        module = ast.Module(body=[node], type_ignores=[])
    declared: list[ast.stmt] = [
        ast.copy_location(ast.Import(names=[ast.alias(name=name)]), node)
        for name in sorted(imported)
    ]
    module.body[:0] = declared
    ast.fix_missing_locations(module)
    try:
        top = compile(
            module, filename, "exec", flags=template.co_flags & FUTURE_MASK, dont_inherit=True
        )
    except (SyntaxError, ValueError, TypeError) as exc:
        raise CodegenError(f"cannot compile {node.name}: {exc}") from exc
    code = _find_code(top, node.name)
    if code is None:
        raise CodegenError(f"compiled module has no code for {node.name}")
    if code.co_freevars != template.co_freevars:
        raise CodegenError(f"free variables differ: {code.co_freevars} != {template.co_freevars}")
    qualname = getattr(template, "co_qualname", None)  # Python 3.11+
    if qualname is not None:
        code = code.replace(**{"co_qualname": qualname})
    return code


def compile_like(
    source: FunctionSource,
    node: FunctionNode,
    template: types.CodeType,
    filename: str | None = None,
    first_line: int | None = None,
) -> types.CodeType:
    """Compile `node` in the context `source` was read from (see compile_in_context)."""
    return compile_in_context(
        node,
        template,
        source.class_name,
        filename or source.filename,
        first_line,
        source.module_imports,
    )


def _find_code(code: types.CodeType, name: str) -> types.CodeType | None:
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            if const.co_name == name:
                return const
            found = _find_code(const, name)
            if found is not None:
                return found
    return None


def same_behaviour(a: types.CodeType, b: types.CodeType) -> bool:
    """Do two code objects run the same instructions (ignoring line numbers)?"""
    if a.co_code != b.co_code or a.co_names != b.co_names or a.co_varnames != b.co_varnames:
        return False
    consts_a = [c for c in a.co_consts if not isinstance(c, types.CodeType)]
    consts_b = [c for c in b.co_consts if not isinstance(c, types.CodeType)]
    if consts_a != consts_b:
        return False
    nested_a = [c for c in a.co_consts if isinstance(c, types.CodeType)]
    nested_b = [c for c in b.co_consts if isinstance(c, types.CodeType)]
    return len(nested_a) == len(nested_b) and all(
        same_behaviour(x, y) for x, y in zip(nested_a, nested_b, strict=True)
    )


def parse_def(source: str) -> FunctionNode:
    """Parse a candidate: exactly one (async) def statement."""
    tree = ast.parse(source)
    if len(tree.body) != 1 or not isinstance(tree.body[0], (ast.FunctionDef, ast.AsyncFunctionDef)):
        raise CodegenError("a patch must be exactly one def statement")
    return tree.body[0]
