"""Does a candidate invent a result? A static comparison with the original's source.

A fix that returns an empty or `None` value on the failing input is one of two things.
It *invents* the value when it adds a way out of the function that yields a constant:
an early `return 0`, an `except ...:` that swallows the failure, a `return x if ok else
None`, `return max(xs, default=None)`. Or it *computes* the value: `len(tags or [])`
and `d.get(k, 0) + 1` feed a neutral value into the function's own logic, which then
answers 0. The first is a guess (nothing says the failing input should give that
value); the second is a type-directed guard, the edit a person makes for a None or a
missing key. The verifier observes the empty result; this module tells the two apart
for the search's guess rule (and the offline engine marks its own guesses with it).

This module owns that count; it runs nothing.
"""

from __future__ import annotations

import ast

__all__ = ["adds_invented_exit", "invented_exits"]


def _names_free(node: ast.AST | None) -> bool:
    """A literal, or an expression that reads no name at all (`";"[0].strip()`)."""
    return node is not None and not any(isinstance(n, ast.Name) for n in ast.walk(node))


def _parsed(source: str | ast.AST) -> ast.AST | None:
    if isinstance(source, ast.AST):
        return source
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _constant_result(value: ast.expr | None) -> bool:
    """Can this returned expression give a value that depends on nothing?"""
    if value is None:
        return False  # a bare `return`: a procedure ends, nothing is invented
    if _names_free(value):
        return True
    if isinstance(value, ast.IfExp):
        return _constant_result(value.body) or _constant_result(value.orelse)
    if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
        return _names_free(value.values[-1])
    if isinstance(value, ast.Call):
        return any(k.arg == "default" and _names_free(k.value) for k in value.keywords) or (
            isinstance(value.func, ast.Name)
            and value.func.id == "next"
            and len(value.args) == 2
            and _names_free(value.args[1])
        )
    return False


def invented_exits(source: str | ast.AST) -> int:
    """How many ways out of the function (nested functions included) can yield a value
    invented on the spot: constant-valued `return`/`yield`s and exception handlers."""
    tree = _parsed(source)
    if tree is None:
        return 0
    return sum(
        1
        for node in ast.walk(tree)
        if isinstance(node, ast.ExceptHandler)
        or (isinstance(node, (ast.Return, ast.Yield)) and _constant_result(node.value))
    )


def adds_invented_exit(original: str | ast.AST, candidate: str | ast.AST) -> bool:
    """Does the candidate have more invented exits than the original?"""
    return invented_exits(candidate) > invented_exits(original)
