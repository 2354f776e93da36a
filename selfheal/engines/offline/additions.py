"""Edits that add a little code the function does not have yet, the way people fix
real one-line bugs: wrap an expression in a call (`a - b` -> `abs(a - b)`), insert a
method call (`set(s)` -> `set(s.lower())`), call a method the function does not use
yet (`s.lower()` -> `s.swapcase()`), rebuild a call's arguments from the names in
scope (`max(numbers)` -> `max(m, n)`), move an operation into or out of a call
(`round(x) * 100` -> `round(x * 100)`), assign to another name (`max_depth -= 1` ->
`depth -= 1`), correct the spelling of a string literal from the text the inputs hold
(`"Jupyter"` -> `"Jupiter"`), and add the statement a loop leaves undone
(`result.append(numbers[-1])` after it).

Every edit is built from the function's own names, the builtins any patch may use, and
the methods of the value's own type: nothing the policy would refuse.

This module owns those proposals; it must not run code or decide ranks beyond priors.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Iterator

from selfheal.engines.offline.context import Proposal, RepairContext

__all__ = ["additions"]

# Builtins that turn one value into another of the same role, people's usual wrappers.
_WRAPPERS = ("abs", "len", "sorted", "set", "list", "int", "round", "str", "sum", "reversed")
# Methods of text that take no argument, and the predicates: easily confused in a fix.
_TEXT_METHODS = ("lower", "upper", "swapcase", "title", "capitalize", "casefold", "strip",
                 "lstrip", "rstrip")
_TEXT_PREDICATES = ("isupper", "islower", "isdigit", "isalpha", "isalnum", "isspace",
                    "istitle", "isnumeric", "isdecimal")
# Methods inserted on a value before it is used: normalising text, splitting it.
_INSERTED = ("lower", "strip", "upper", "split")
_COMBINED = ("max", "min", "abs", "sum", "round", "pow", "divmod")


def additions(ctx: RepairContext) -> Iterator[Proposal | None]:
    for operator in (_wrap, _wrap_operation, _plain_split, _insert_method, _other_method,
                     _rebuild_args, _parenthesize, _assign_target, _string_typos, _after_loop):
        try:
            yield from operator(ctx)
        except Exception:  # one operator's blind spot must not cost the others
            continue


def _text_like(ctx: RepairContext, node: ast.expr) -> bool:
    """Is `node` text, as far as the captured locals and the recorded calls tell?"""
    if isinstance(node, ast.Name):
        if ctx.kinds.get(node.id) == "str":
            return True
        values = ctx.samples.get(node.id, [])
        return bool(values) and all(isinstance(v, str) for v in values)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in (*_TEXT_METHODS, "replace", "join", "format")
    return isinstance(node, (ast.JoinedStr,)) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _wrap(ctx: RepairContext) -> Iterator[Proposal | None]:
    """`d = a - b` -> `d = abs(a - b)`: the value of an assignment or a returned
    operation, wrapped in a builtin."""
    src = ctx.source
    for node in ctx.nodes():
        # (Returned values are wrapped by the mutation operators already.)
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
            continue
        value = node.value
        if isinstance(value, (ast.Constant, ast.List, ast.Dict, ast.Tuple, ast.ListComp,
                              ast.DictComp, ast.SetComp)):
            continue
        text = src.segment(value)
        for wrapper in _WRAPPERS:
            if text.startswith(f"{wrapper}("):
                continue
            prior = 0.3 if wrapper in ("abs", "sorted", "set", "len") else 0.15
            yield ctx.proposal(
                src.replace(value, f"{wrapper}({text})"),
                f"`{text}` -> `{wrapper}({text})`",
                prior,
                node,
                "wrap",
            )


def _wrap_operation(ctx: RepairContext) -> Iterator[Proposal | None]:
    """`max(best, b - a)` -> `max(best, abs(b - a))`, `sum(v - m for v in xs)` ->
    `sum(abs(v - m) for ...)`: a difference passed on or collected, made a distance;
    `return part / whole * 100` -> `round(..., 1)`: a result rounded as shown."""
    src = ctx.source
    for node in ctx.nodes():
        if not isinstance(node, ast.BinOp):
            continue
        parent = src.parents.get(node)
        passed = isinstance(parent, ast.Call) and node in parent.args
        collected = isinstance(parent, (ast.GeneratorExp, ast.ListComp)) and parent.elt is node
        text = src.segment(node)
        if (passed or collected) and isinstance(node.op, ast.Sub):
            yield ctx.proposal(
                src.replace(node, f"abs({text})"),
                f"`{text}` -> `abs({text})`",
                0.45,
                node,
                "wrap",
            )
        if isinstance(parent, ast.Return) and isinstance(node.op, (ast.Div, ast.Mult)):
            for digits in ("1", "2", ""):
                new = f"round({text}, {digits})" if digits else f"round({text})"
                yield ctx.proposal(
                    src.replace(node, new),
                    f"return `{new}`",
                    0.25,
                    node,
                    "wrap",
                )


def _plain_split(ctx: RepairContext) -> Iterator[Proposal | None]:
    """`s.split(" ")` -> `s.split()` (runs of whitespace, no empty words), and
    `s.strip(c)` -> `s.replace(c, "")` (every occurrence, not only the ends)."""
    src = ctx.source
    for node in ctx.nodes():
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if len(node.args) != 1 or node.keywords:
            continue
        owner = src.segment(node.func.value)
        arg = src.segment(node.args[0])
        if node.func.attr in ("split", "rsplit"):
            yield ctx.proposal(
                src.replace(node, f"{owner}.{node.func.attr}()"),
                f"`.{node.func.attr}({arg})` -> `.{node.func.attr}()`",
                0.4,
                node,
                "drop-arg",
            )
        elif node.func.attr in ("strip", "lstrip", "rstrip"):
            yield ctx.proposal(
                src.replace(node, f"{owner}.replace({arg}, \"\")"),
                f"`.{node.func.attr}({arg})` -> `.replace({arg}, \"\")`",
                0.35,
                node,
                "method",
            )


def _insert_method(ctx: RepairContext) -> Iterator[Proposal | None]:
    """`set(s)` -> `set(s.lower())`: normalise a text value where it is used."""
    src = ctx.source
    for node in ctx.nodes():
        if not isinstance(node, ast.Name) or not isinstance(node.ctx, ast.Load):
            continue
        if not _text_like(ctx, node):
            continue
        parent = src.parents.get(node)
        if isinstance(parent, ast.Call) and parent.func is node:
            continue
        if isinstance(parent, ast.Attribute):
            # A receiver: trim it before the method (`s.lower()` -> `s.strip().lower()`).
            if parent.attr in _TEXT_METHODS and parent.attr != "strip":
                yield ctx.proposal(
                    src.replace(node, f"{node.id}.strip()"),
                    f"`{node.id}.{parent.attr}` -> `{node.id}.strip().{parent.attr}`",
                    0.3,
                    node,
                    "insert-method",
                )
            continue
        for method in _INSERTED:
            yield ctx.proposal(
                src.replace(node, f"{node.id}.{method}()"),
                f"`{node.id}` -> `{node.id}.{method}()`",
                0.3 if method in ("lower", "strip") else 0.2,
                node,
                "insert-method",
            )


def _other_method(ctx: RepairContext) -> Iterator[Proposal | None]:
    """`s.lower()` -> `s.swapcase()`: another method of text with the same arity."""
    src = ctx.source
    for node in ctx.nodes():
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.args or node.keywords:
            continue
        name = node.func.attr
        family = _TEXT_METHODS if name in _TEXT_METHODS else (
            _TEXT_PREDICATES if name in _TEXT_PREDICATES else ())
        start = src.span(node.func.value)[1]
        end = src.span(node.func)[1]
        dot = src.text[start:end].rfind(name)
        if dot < 0:
            continue
        for other in family:
            if other == name:
                continue
            yield ctx.proposal(
                src.replace(node.func, src.text[src.span(node.func)[0]:start + dot] + other),
                f"`.{name}()` -> `.{other}()`",
                0.35,
                node,
                "method",
            )


def _rebuild_args(ctx: RepairContext) -> Iterator[Proposal | None]:
    """`m = max(numbers)` -> `m = max(m, n)`: a combining builtin over the names in scope
    (the assigned name first, then the loop variables)."""
    src = ctx.source
    for node in ctx.nodes():
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        if node.func.id not in _COMBINED or node.keywords:
            continue
        stmt = ctx.statement_of(node)
        first: list[str] = []
        if isinstance(stmt, (ast.Assign, ast.AugAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            first = [t.id for t in targets if isinstance(t, ast.Name)]
        loops = _loop_names(ctx, node)
        pool = list(dict.fromkeys([*first, *loops, *ctx.scope_names]))
        current = [src.segment(a) for a in node.args]
        for a in pool[:4]:
            for b in pool:
                if a == b or [a, b] == current:
                    continue
                prior = 0.35 if a in first and b in loops else 0.12
                yield ctx.proposal(
                    src.replace(node, f"{node.func.id}({a}, {b})"),
                    f"`{src.segment(node)}` -> `{node.func.id}({a}, {b})`",
                    prior,
                    node,
                    "rebuild-args",
                )


def _loop_names(ctx: RepairContext, node: ast.AST) -> list[str]:
    names: list[str] = []
    current = ctx.source.parents.get(node)
    while current is not None and current is not ctx.fn:
        if isinstance(current, (ast.For, ast.AsyncFor)):
            names += [n.id for n in ast.walk(current.target) if isinstance(n, ast.Name)]
        current = ctx.source.parents.get(current)
    return names


def _parenthesize(ctx: RepairContext) -> Iterator[Proposal | None]:
    """`round(x) * 100` <-> `round(x * 100)`: an operation on the wrong side of a call."""
    src = ctx.source
    for node in ctx.nodes():
        if not isinstance(node, ast.BinOp):
            continue
        op = src.text[src.span(node.left)[1]:src.span(node.right)[0]].strip()
        left = node.left
        if isinstance(left, ast.Call) and len(left.args) == 1 and not left.keywords and not (
            isinstance(left.args[0], ast.Starred)
        ):
            func = src.segment(left.func)
            inner = src.segment(left.args[0])
            right = src.segment(node.right)
            new = f"{func}({_operand(left.args[0], inner)} {op} {_operand(node.right, right)})"
            yield ctx.proposal(
                src.replace_expr(node, new),
                f"`{src.segment(node)}` -> `{new}`",
                0.35,
                node,
                "parenthesize",
            )
    for node in ctx.nodes():
        if not (isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords):
            continue
        arg = node.args[0]
        if not isinstance(arg, ast.BinOp) or not isinstance(node.func, ast.Name):
            continue
        op = src.text[src.span(arg.left)[1]:src.span(arg.right)[0]].strip()
        func = node.func.id
        new = f"{func}({src.segment(arg.left)}) {op} {_operand(arg.right, src.segment(arg.right))}"
        yield ctx.proposal(
            src.replace_expr(node, new),
            f"`{src.segment(node)}` -> `{new}`",
            0.25,
            node,
            "parenthesize",
        )


def _operand(node: ast.expr, text: str) -> str:
    atomic = (ast.Name, ast.Constant, ast.Call, ast.Attribute, ast.Subscript)
    return text if isinstance(node, atomic) else f"({text})"


def _assign_target(ctx: RepairContext) -> Iterator[Proposal | None]:
    """`max_depth -= 1` -> `depth -= 1`: the value went to the wrong name."""
    src = ctx.source
    locals_ = [n for n in ctx.scope_names if n in ctx.local_names]
    for node in ctx.nodes():
        target: ast.expr
        if isinstance(node, ast.AugAssign):
            target = node.target
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        else:
            continue
        if not isinstance(target, ast.Name):
            continue
        for other in locals_:
            if other == target.id:
                continue
            yield ctx.proposal(
                src.replace(target, other),
                f"assign to `{other}`, not `{target.id}`",
                0.4 if isinstance(node, ast.AugAssign) else 0.25,
                node,
                "target",
            )


def _string_typos(ctx: RepairContext) -> Iterator[Proposal | None]:
    """`"Jupyter"` -> `"Jupiter"`: a literal one slip away from text the inputs hold."""
    if not ctx.texts:
        return
    src = ctx.source
    for node in ctx.nodes():
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if isinstance(src.parents.get(node), ast.Expr) or len(node.value) < 3:
            continue  # a docstring, or too short to tell a slip from another word
        close = difflib.get_close_matches(node.value, ctx.texts, n=3, cutoff=0.75)
        for rank, other in enumerate(c for c in close if c != node.value):
            if other.lower() == node.value.lower():
                continue  # case is meaning (`"Mars"` vs `"mars"`), not a slip
            yield ctx.proposal(
                src.replace(node, repr(other)),
                f"string {node.value!r} -> {other!r} (the spelling the inputs use)",
                0.55 - 0.05 * rank,
                node,
                "typo",
            )


def _after_loop(ctx: RepairContext) -> Iterator[Proposal | None]:
    """What a loop leaves undone: `out.append(seq[i])` in the body becomes
    `out.append(seq[-1])` after it (the last item, which the loop's bound stops short
    of), plain or only when the sequence is not empty."""
    src = ctx.source
    for loop in ctx.nodes():
        if not isinstance(loop, ast.For):
            continue
        block = ctx.block_of(loop)
        if loop not in block:
            continue
        for stmt in loop.body:
            if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
                continue
            call = stmt.value
            if not (isinstance(call.func, ast.Attribute) and call.func.attr in (
                    "append", "add", "extend") and len(call.args) == 1):
                continue
            arg = call.args[0]
            for sub in ast.walk(arg):
                if not (isinstance(sub, ast.Subscript) and isinstance(sub.value, ast.Name)):
                    continue
                seq = sub.value.id
                head = src.segment(call.func)
                text = f"{head}({seq}[-1])"
                for code, prior, what in (
                    (text, 0.3, f"add `{text}` after the loop"),
                    (f"if {seq}:\n    {text}", 0.15, f"add `{text}` after the loop when any"),
                ):
                    yield ctx.proposal(src.insert_after(loop, code), what, prior, loop, "insert")
                break
