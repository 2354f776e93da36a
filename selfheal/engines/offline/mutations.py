"""Generic mutation operators, in the spirit of GenProg, PraPR and TBar.

Each operator walks the function and yields `Proposal`s: one small textual edit each,
with a prior saying how often that kind of edit is the fix of a one-line bug. The
search multiplies the prior by the localisation score of the edited line, so the
same operator is tried early near the fault and late elsewhere.

Operators: operator replacement (arithmetic, bitwise, comparison, boolean,
augmented), constant perturbation, variable and attribute replacement by in-scope
names of a compatible kind, argument and operand swaps, replacement among builtins
and methods of the same shape, wrapping and unwrapping calls, index and slice
offsets, range bounds, strengthening, weakening and negating conditions, and
statement deletion, insertion (copies of the function's own statements), moves and
a missing `return`.

This module owns those operators; it must not run code or decide ranks beyond priors.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from selfheal.engines.offline.context import Proposal, RepairContext
from selfheal.engines.offline.source import Edit

BINOP_TEXT: dict[type, str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.MatMult: "@",
}
ARITH = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)
BITS = (ast.BitAnd, ast.BitOr, ast.BitXor, ast.LShift, ast.RShift)
# Replacements that are common slips get a higher prior than the rest of the family.
CLOSE_BINOPS = {
    (ast.Div, ast.FloorDiv),
    (ast.FloorDiv, ast.Div),
    (ast.Add, ast.Sub),
    (ast.Sub, ast.Add),
    (ast.Mult, ast.Pow),
    (ast.Mult, ast.Add),
    (ast.Add, ast.Mult),
    (ast.Mod, ast.FloorDiv),
    (ast.FloorDiv, ast.Mod),
    (ast.BitXor, ast.BitAnd),
    (ast.BitAnd, ast.BitXor),
    (ast.BitOr, ast.BitAnd),
    (ast.BitAnd, ast.BitOr),
    (ast.LShift, ast.RShift),
    (ast.RShift, ast.LShift),
}
CMP_TEXT: dict[type, str] = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}
ORDER_CMPS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)
CLOSE_CMPS = {
    (ast.Lt, ast.LtE),
    (ast.LtE, ast.Lt),
    (ast.Gt, ast.GtE),
    (ast.GtE, ast.Gt),
    (ast.Lt, ast.Gt),
    (ast.Gt, ast.Lt),
    (ast.LtE, ast.GtE),
    (ast.GtE, ast.LtE),
    (ast.Eq, ast.NotEq),
    (ast.NotEq, ast.Eq),
}

# Builtins and methods that take the same arguments and are easily confused.
SAME_SHAPE_FUNCS: dict[str, tuple[str, ...]] = {
    "min": ("max",),
    "max": ("min",),
    "any": ("all",),
    "all": ("any",),
    "floor": ("ceil",),
    "ceil": ("floor",),
    "int": ("round", "float"),
    "round": ("int",),
    "float": ("int",),
    "sorted": ("reversed", "list"),
    "reversed": ("sorted",),
    "list": ("sorted", "set"),
    "set": ("list", "sorted"),
    "heappush": ("heappushpop",),
    "bisect_left": ("bisect_right",),
    "bisect_right": ("bisect_left",),
    "bisect": ("bisect_left",),
}
SAME_SHAPE_METHODS: dict[str, tuple[str, ...]] = {
    "append": ("add", "extend", "appendleft"),
    "add": ("append",),
    "extend": ("append", "update"),
    "update": ("extend",),
    "appendleft": ("append",),
    "pop": ("popleft",),
    "popleft": ("pop",),
    "lower": ("upper", "casefold"),
    "upper": ("lower",),
    "startswith": ("endswith",),
    "endswith": ("startswith",),
    "strip": ("lstrip", "rstrip"),
    "lstrip": ("strip", "rstrip"),
    "rstrip": ("strip", "lstrip"),
    "find": ("rfind", "index"),
    "rfind": ("find",),
    "index": ("find", "rindex"),
    "rindex": ("index",),
    "split": ("rsplit", "splitlines"),
    "rsplit": ("split",),
    "keys": ("values", "items"),
    "values": ("keys", "items"),
    "items": ("keys", "values"),
    "remove": ("discard",),
    "discard": ("remove",),
    "isdigit": ("isnumeric", "isalpha", "isalnum"),
    "isalpha": ("isalnum", "isdigit"),
    "isalnum": ("isalpha",),
    "isupper": ("islower",),
    "islower": ("isupper",),
    "sort": ("reverse",),
    "get": ("setdefault", "pop"),
    "insert": ("append",),
}


SEPARATORS = ("-", "_", " ", ",", ", ", ";", ":", "/", ".", "", "\n", "\t", "|", "=")


def mutations(ctx: RepairContext) -> Iterator[Proposal | None]:
    for operator in (
        _operators,
        _constants,
        _names,
        _attributes,
        _calls,
        _subscripts,
        _conditions,
        _statements,
        _idioms,
    ):
        # An operator's blind spot must not cost the others their proposals.
        try:
            yield from operator(ctx)
        except Exception:
            continue


# --------------------------------------------------------------------------- idioms


def _idioms(ctx: RepairContext) -> Iterator[Proposal | None]:
    """Edits that add a little code of a well-known shape, built from the function's
    own names: a visited set that is tested but never filled, a running extremum, a
    base case that returns the input, a loop over the rest of a sequence."""
    src = ctx.source
    params = ctx.params
    # Membership tested against a set/list that nothing ever adds to.
    tested: dict[str, list[ast.expr]] = {}
    mutated: set[str] = set()
    for node in ctx.nodes():
        if isinstance(node, ast.Compare) and any(
            isinstance(o, (ast.In, ast.NotIn)) for o in node.ops
        ):
            for right in node.comparators:
                if isinstance(right, ast.Name):
                    tested.setdefault(right.id, []).append(node.left)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.attr in {"add", "append", "update", "extend", "setdefault", "insert"}
        ):
            mutated.add(node.func.value.id)
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                    mutated.add(target.value.id)
    statements = [n for n in ctx.nodes() if isinstance(n, ast.stmt) and src.starts_line(n)]
    for container, probes in tested.items():
        if container in mutated or container in params:
            continue
        kind = ctx.kinds.get(container)
        method = "append" if kind == "list" else "add"
        for probe in {src.segment(p) for p in probes if isinstance(p, ast.Name)}:
            for stmt in statements:
                if isinstance(stmt, (ast.Return, ast.Break, ast.Continue)):
                    continue
                yield ctx.proposal(
                    src.insert_after(stmt, f"{container}.{method}({probe})")
                    if not isinstance(stmt, (ast.If, ast.For, ast.While, ast.With, ast.Try))
                    else src.insert_before(stmt, f"{container}.{method}({probe})"),
                    f"record `{probe}` in `{container}` (it is tested but never filled)",
                    0.3,
                    stmt,
                    "insert",
                )
    for node in ctx.nodes():
        # A running extremum: `best = x` -> `best = max(best, x)`.
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and ctx.in_loop(node)
        ):
            name = node.targets[0].id
            value = src.segment(node.value)
            for func in ("max", "min"):
                if func in value:
                    continue
                yield ctx.proposal(
                    src.replace(node.value, f"{func}({name}, {value})"),
                    f"keep the {func}imum: `{name} = {func}({name}, {value})`",
                    0.25,
                    node,
                    "extremum",
                )
            yield ctx.proposal(
                src.replace(node.value, f"max(0, {value})"),
                f"clamp at zero: `{name} = max(0, {value})`",
                0.15,
                node,
                "extremum",
            )
        # An empty result where the input (or a list holding it) belongs.
        if (
            isinstance(node, ast.Return)
            and isinstance(node.value, (ast.List, ast.Tuple))
            and not node.value.elts
        ):
            for option in [*(f"[{p}]" for p in params), "[[]]"]:
                yield ctx.proposal(
                    src.replace(node.value, option),
                    f"return `{option}` instead of an empty list",
                    0.2,
                    node,
                    "return",
                )
        # `return True` where a count should be checked: `return depth == 0`.
        if (
            isinstance(node, ast.Return)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, bool)
        ):
            for name in ctx.local_names:
                if ctx.kinds.get(name) not in (None, "int"):
                    continue
                new = f"{name} == 0" if node.value.value else f"{name} != 0"
                yield ctx.proposal(
                    src.replace(node.value, new), f"return `{new}`", 0.12, node, "return"
                )
        # `while True` that should stop when a worklist runs dry.
        if (
            isinstance(node, ast.While)
            and isinstance(node.test, ast.Constant)
            and node.test.value is True
        ):
            for name in ctx.scope_names:
                yield ctx.proposal(
                    src.replace(node.test, name),
                    f"`while True` -> `while {name}`",
                    0.25,
                    node,
                    "condition",
                )
        # Loop over the rest: `for x in xs` -> `for x in xs[k:]`.
        if isinstance(node, ast.For) and isinstance(node.iter, ast.Name):
            text = node.iter.id
            for start in ["1", *[p for p in params if ctx.kinds.get(p) in (None, "int")]]:
                if start == text:
                    continue
                yield ctx.proposal(
                    src.replace(node.iter, f"{text}[{start}:]"),
                    f"iterate over `{text}[{start}:]`",
                    0.15,
                    node,
                    "slice",
                )
        # Guard a condition with an emptiness test of a parameter.
        if isinstance(node, ast.If) and not isinstance(node.test, ast.BoolOp):
            text = src.segment(node.test)
            for p in params:
                yield ctx.proposal(
                    src.replace(node.test, f"{_paren(node.test, text)} or not {p}"),
                    f"also when `{p}` is empty: `{text} or not {p}`",
                    0.1,
                    node,
                    "weaken",
                )


# --------------------------------------------------------------------------- operators


def _between(ctx: RepairContext, left: ast.AST, right: ast.AST, old: str, new: str) -> Edit | None:
    src = ctx.source
    start = src.span(left)[1]
    end = src.span(right)[0]
    gap = src.text[start:end]
    index = gap.find(old)
    if index < 0:
        return None
    return Edit(start + index, start + index + len(old), new)


def _operators(ctx: RepairContext) -> Iterator[Proposal | None]:
    for node in ctx.nodes():
        if isinstance(node, ast.BinOp) and type(node.op) in BINOP_TEXT:
            old = BINOP_TEXT[type(node.op)]
            family = ARITH if isinstance(node.op, ARITH) else BITS
            right_value = _int_value(node.right)
            for op in family:
                if isinstance(node.op, op):
                    continue
                if _identity(op, right_value):
                    continue  # `x * 1`, `x + 0`: the drop-operand operator says it plainly
                close = (type(node.op), op) in CLOSE_BINOPS
                edit = _between(ctx, node.left, node.right, old, BINOP_TEXT[op])
                yield ctx.proposal(
                    edit, f"`{old}` -> `{BINOP_TEXT[op]}`", 0.7 if close else 0.4, node, "binop"
                )
            if isinstance(node.op, (ast.Sub, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.Add)):
                # `+` is not commutative for strings and lists (prepend vs append).
                a, b = ctx.source.segment(node.left), ctx.source.segment(node.right)
                yield ctx.proposal(
                    [ctx.source.replace_expr(node.left, b), ctx.source.replace_expr(node.right, a)],
                    f"swap the operands of `{ctx.source.segment(node)}`",
                    0.25 if isinstance(node.op, ast.Add) else 0.35,
                    node,
                    "swap",
                )
            # Drop one operand: `x + 1` -> `x` (an extra offset) and the like.
            if isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Div)):
                for keep in (node.left, node.right):
                    if keep is node.right and isinstance(node.op, (ast.Sub, ast.Div, ast.FloorDiv)):
                        continue
                    text = ctx.source.segment(keep)
                    yield ctx.proposal(
                        ctx.source.replace_expr(node, text),
                        f"`{ctx.source.segment(node)}` -> `{text}`",
                        0.45,
                        node,
                        "drop-operand",
                    )
        elif isinstance(node, ast.AugAssign) and type(node.op) in BINOP_TEXT:
            old = BINOP_TEXT[type(node.op)] + "="
            family = ARITH if isinstance(node.op, ARITH) else BITS
            for op in family:
                if isinstance(node.op, op):
                    continue
                close = (type(node.op), op) in CLOSE_BINOPS
                new = BINOP_TEXT[op] + "="
                edit = _between(ctx, node.target, node.value, old, new)
                yield ctx.proposal(
                    edit, f"`{old}` -> `{new}`", 0.65 if close else 0.35, node, "augassign"
                )
            edit = _between(ctx, node.target, node.value, old, "=")
            yield ctx.proposal(edit, f"`{old}` -> `=`", 0.35, node, "augassign")
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for i, cmp in enumerate(node.ops):
                old = CMP_TEXT[type(cmp)]
                cmp_family: tuple[type[ast.cmpop], ...]
                if isinstance(cmp, ORDER_CMPS):
                    cmp_family = ORDER_CMPS
                elif isinstance(cmp, (ast.Is, ast.IsNot)):
                    cmp_family = (ast.Is, ast.IsNot, ast.Eq, ast.NotEq)
                else:
                    cmp_family = (ast.In, ast.NotIn)
                for new_op in cmp_family:
                    if isinstance(cmp, new_op):
                        continue
                    close = (type(cmp), new_op) in CLOSE_CMPS or len(cmp_family) < len(ORDER_CMPS)
                    edit = _between(ctx, operands[i], operands[i + 1], old, CMP_TEXT[new_op])
                    yield ctx.proposal(
                        edit,
                        f"`{old}` -> `{CMP_TEXT[new_op]}`",
                        0.75 if close else 0.4,
                        node,
                        "compare",
                    )
        elif isinstance(node, ast.BoolOp):
            old = "and" if isinstance(node.op, ast.And) else "or"
            new = "or" if old == "and" else "and"
            edits = []
            for left, right in zip(node.values, node.values[1:], strict=False):
                edit = _between(ctx, left, right, old, new)
                if edit is None:
                    break
                edits.append(edit)
            else:
                yield ctx.proposal(edits, f"`{old}` -> `{new}`", 0.45, node, "boolop")
            for i, value in enumerate(node.values):
                rest = [ctx.source.segment(v) for j, v in enumerate(node.values) if j != i]
                joined = f" {old} ".join(rest)
                yield ctx.proposal(
                    ctx.source.replace_expr(node, joined),
                    f"drop the condition `{ctx.source.segment(value)}`",
                    0.4,
                    node,
                    "weaken",
                )
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub, ast.Invert)):
            if isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
                continue  # a negative literal: constant perturbation handles it
            text = ctx.source.segment(node.operand)
            yield ctx.proposal(
                ctx.source.replace_expr(node, text),
                f"`{ctx.source.segment(node)}` -> `{text}`",
                0.5 if isinstance(node.op, ast.Not) else 0.35,
                node,
                "unary",
            )


def _identity(op: type, right: int | None) -> bool:
    if right == 1:
        return op in (ast.Mult, ast.Div, ast.FloorDiv, ast.Pow)
    if right == 0:
        return op in (ast.Add, ast.Sub, ast.BitOr, ast.BitXor, ast.LShift, ast.RShift)
    return False


# --------------------------------------------------------------------------- constants


def _int_value(node: ast.AST) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and type(node.operand.value) is int
    ):
        return -node.operand.value
    return None


def _constants(ctx: RepairContext) -> Iterator[Proposal | None]:
    ints: list[int] = []
    strings: list[str] = []
    for node in ctx.nodes():
        value = _int_value(node)
        if value is not None and value not in ints:
            ints.append(value)
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value not in strings
            and len(node.value) < 40
        ):
            strings.append(node.value)
    for node in ctx.nodes():
        parent = ctx.source.parents.get(node)
        if (
            isinstance(parent, ast.UnaryOp)
            and isinstance(parent.op, ast.USub)
            and _int_value(parent) is not None
        ):
            continue
        if isinstance(parent, ast.JoinedStr):
            continue
        value = _int_value(node)
        if value is not None:
            options: list[tuple[int, float]] = [(value + 1, 0.6), (value - 1, 0.6)]
            options += [(v, 0.3) for v in (0, 1, -1)]
            options += [(v, 0.25) for v in ints[:6]]
            seen = {value}
            for new, prior in options:
                if new in seen:
                    continue
                seen.add(new)
                if (
                    new == 0
                    and isinstance(parent, ast.BinOp)
                    and isinstance(parent.op, (ast.Add, ast.Sub))
                    and parent.right is node
                ):
                    continue  # `x - 0` is `x`: the drop-operand operator proposes that
                yield ctx.proposal(
                    ctx.source.replace_expr(node, str(new)),  # type: ignore[arg-type]
                    f"constant {value} -> {new}",
                    prior,
                    node,
                    "constant",
                )
            # A constant where a variable belongs (`dp[0][j] = 0` -> `= j`).
            loops = _loop_variables(ctx, node)
            for name in ctx.scope_names:
                kind = ctx.kinds.get(name)
                if kind not in (None, "int"):
                    continue
                yield ctx.proposal(
                    ctx.source.replace_expr(node, name),  # type: ignore[arg-type]
                    f"constant {value} -> `{name}`",
                    0.35 if name in loops else 0.15,
                    node,
                    "constant-name",
                )
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            yield ctx.proposal(
                ctx.source.replace(node, str(not node.value)),
                f"constant {node.value} -> {not node.value}",
                0.5,
                node,
                "constant",
            )
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if isinstance(parent, ast.Expr):
                continue  # a docstring
            others = [s for s in strings[:8] if s != node.value]
            if node.value in SEPARATORS:
                # A wrong separator or delimiter is a classic one-character slip.
                others += [s for s in SEPARATORS if s != node.value and s not in others]
            for other in others:
                yield ctx.proposal(
                    ctx.source.replace(node, repr(other)),
                    f"string {node.value!r} -> {other!r}",
                    0.25 if other in SEPARATORS else 0.2,
                    node,
                    "constant",
                )


def _loop_variables(ctx: RepairContext, node: ast.AST) -> set[str]:
    """Names bound by the `for` loops and comprehensions around `node`."""
    names: set[str] = set()
    current = ctx.source.parents.get(node)
    while current is not None and current is not ctx.fn:
        targets: list[ast.expr] = []
        if isinstance(current, (ast.For, ast.AsyncFor)):
            targets = [current.target]
        elif isinstance(current, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            targets = [g.target for g in current.generators]
        for target in targets:
            names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
        current = ctx.source.parents.get(current)
    return names


# --------------------------------------------------------------------------- names


def _kind_compatible(ctx: RepairContext, a: str, b: str) -> bool:
    ka, kb = ctx.kinds.get(a), ctx.kinds.get(b)
    if ka is None or kb is None:
        return True
    numeric = {"int", "float", "bool"}
    return ka == kb or (ka in numeric and kb in numeric)


def _names(ctx: RepairContext) -> Iterator[Proposal | None]:
    pool = ctx.scope_names
    for node in ctx.nodes():
        if not isinstance(node, ast.Name) or not isinstance(node.ctx, ast.Load):
            continue
        parent = ctx.source.parents.get(node)
        if isinstance(parent, ast.Call) and parent.func is node:
            continue
        if node.id not in pool:
            continue
        guarded = _guarding_names(ctx, node)
        for other in pool:
            if other == node.id:
                continue
            compatible = _kind_compatible(ctx, node.id, other)
            prior = 0.5 if compatible else 0.2
            if node.id in guarded and other in guarded:
                # `if x > hi: return x`: the branch meant the name its test compares with.
                prior += 0.1
            yield ctx.proposal(
                ctx.source.replace(node, other),
                f"`{node.id}` -> `{other}`",
                prior,
                node,
                "name",
            )


def _guarding_names(ctx: RepairContext, node: ast.AST) -> set[str]:
    """Names the test of the innermost `if` around `node` reads (not in the test itself)."""
    branch = ctx.enclosing(node, (ast.If,))
    if not isinstance(branch, ast.If) or any(node is n for n in ast.walk(branch.test)):
        return set()
    return {n.id for n in ast.walk(branch.test) if isinstance(n, ast.Name)}


def _attributes(ctx: RepairContext) -> Iterator[Proposal | None]:
    attrs: list[str] = []
    for node in ctx.nodes():
        if isinstance(node, ast.Attribute) and node.attr not in attrs:
            attrs.append(node.attr)
    for node in ctx.nodes():
        if not isinstance(node, ast.Attribute):
            continue
        parent = ctx.source.parents.get(node)
        is_method = isinstance(parent, ast.Call) and parent.func is node
        value_end = ctx.source.span(node.value)[1]
        end = ctx.source.span(node)[1]
        tail = ctx.source.text[value_end:end]
        index = tail.rfind(node.attr)
        if index < 0:
            continue
        start = value_end + index

        def rename(
            new: str, prior: float, op: str, node: ast.Attribute = node, start: int = start
        ) -> Proposal | None:
            return ctx.proposal(
                Edit(start, start + len(node.attr), new),
                f"`.{node.attr}` -> `.{new}`",
                prior,
                node,
                op,
            )

        if is_method:
            for new in SAME_SHAPE_METHODS.get(node.attr, ()):
                yield rename(new, 0.5, "method")
        else:
            for other in attrs:
                if other != node.attr:
                    yield rename(other, 0.35, "attribute")


# --------------------------------------------------------------------------- calls


def _calls(ctx: RepairContext) -> Iterator[Proposal | None]:
    src = ctx.source
    for node in ctx.nodes():
        if isinstance(node, ast.Call):
            func = node.func
            fname = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            if isinstance(func, ast.Name):
                for other in SAME_SHAPE_FUNCS.get(func.id, ()):
                    yield ctx.proposal(
                        src.replace(func, other), f"`{func.id}` -> `{other}`", 0.55, node, "builtin"
                    )
            positional = [a for a in node.args if not isinstance(a, ast.Starred)]
            if len(positional) == len(node.args) and len(node.args) >= 2:
                for i in range(len(node.args) - 1):
                    for j in range(i + 1, len(node.args)):
                        a, b = node.args[i], node.args[j]
                        if src.segment(a) == src.segment(b):
                            continue
                        yield ctx.proposal(
                            [src.replace(a, src.segment(b)), src.replace(b, src.segment(a))],
                            f"swap the arguments `{src.segment(a)}` and `{src.segment(b)}`",
                            # Argument order slips are the classic bug of recursive calls.
                            (0.45 if j == i + 1 else 0.4) * (1.3 if fname == ctx.name else 1.0),
                            node,
                            "swap-args",
                        )
            # Unwrap: f(x) -> x.
            if (
                len(node.args) == 1
                and not node.keywords
                and not isinstance(node.args[0], ast.Starred)
            ):
                inner = src.segment(node.args[0])
                yield ctx.proposal(
                    src.replace_expr(node, inner),
                    f"unwrap `{src.segment(node)}` -> `{inner}`",
                    0.35,
                    node,
                    "unwrap",
                )
            if isinstance(func, ast.Attribute) and fname == "insert" and len(node.args) == 2:
                # `out.insert(0, v)` where the order meant `out.append(v)`.
                value = src.segment(node.args[1])
                owner = src.segment(func.value)
                yield ctx.proposal(
                    src.replace(node, f"{owner}.append({value})"),
                    f"`{src.segment(node)}` -> `{owner}.append({value})`",
                    0.5,
                    node,
                    "method",
                )
            if isinstance(func, ast.Attribute) and fname == "pop":
                if not node.args:
                    end = src.span(node)[1]
                    yield ctx.proposal(
                        Edit(end - 1, end - 1, "0"), "`.pop()` -> `.pop(0)`", 0.5, node, "pop"
                    )
                elif len(node.args) == 1 and _int_value(node.args[0]) == 0:
                    start, end = src.span(node.args[0])
                    yield ctx.proposal(
                        Edit(start, end, ""), "`.pop(0)` -> `.pop()`", 0.5, node, "pop"
                    )
            if fname == "range":
                yield from _range(ctx, node)
            elif fname == "len" and _int_value(node) is None:
                parent = src.parents.get(node)
                if not (
                    isinstance(parent, ast.BinOp) and isinstance(parent.op, (ast.Add, ast.Sub))
                ):
                    yield from _offsets(ctx, node, 0.3, "length")
            else:
                recursive = fname == ctx.name
                # `max(best, prev)` -> `max(best, prev + 1)`: the classic DP slip.
                extremum = fname in {"max", "min"}
                kinds: tuple[type, ...] = (ast.Name, ast.BinOp)
                if extremum:
                    kinds = (ast.Name, ast.BinOp, ast.Subscript)
                for arg in node.args:
                    if isinstance(arg, kinds) and _int_value(arg) is None:
                        prior = 0.35 if recursive or extremum else 0.15
                        yield from _offsets(ctx, arg, prior, "argument")
                    if recursive and isinstance(arg, ast.Name):
                        # Recursion on the rest of a sequence: `f(xs)` -> `f(xs[1:])`.
                        yield ctx.proposal(
                            src.replace(arg, f"{arg.id}[1:]"),
                            f"recurse on `{arg.id}[1:]`",
                            0.3,
                            node,
                            "argument",
                        )
            # Delete one argument (arity mistakes, an extra offset argument).
            if len(node.args) >= 2 and fname != "range":
                for i, arg in enumerate(node.args):
                    rest = [src.segment(a) for j, a in enumerate(node.args) if j != i]
                    head = src.segment(func)
                    kw = [src.segment(k) for k in node.keywords]
                    yield ctx.proposal(
                        src.replace(node, f"{head}({', '.join(rest + kw)})"),
                        f"drop the argument `{src.segment(arg)}`",
                        0.2,
                        node,
                        "drop-arg",
                    )
        # Wrap an argument: order and copies (`join(words)` -> `join(reversed(words))`).
        if (
            isinstance(node, ast.Call)
            and len(node.args) == 1
            and isinstance(node.args[0], (ast.Name, ast.Attribute))
        ):
            arg = node.args[0]
            text = src.segment(arg)
            for wrapper in ("reversed", "sorted", "list", "set"):
                yield ctx.proposal(
                    src.replace(arg, f"{wrapper}({text})"),
                    f"pass `{wrapper}({text})`",
                    0.2,
                    node,
                    "wrap",
                )
        # Wrap: iteration order and copies.
        if isinstance(node, (ast.For, ast.comprehension)):
            it = node.iter
            text = src.segment(it)
            for wrapper, prior in (("sorted", 0.25), ("reversed", 0.25), ("list", 0.25)):
                yield ctx.proposal(
                    src.replace(it, f"{wrapper}({text})"),
                    f"iterate over `{wrapper}({text})`",
                    prior,
                    it,
                    "wrap",
                )
        if isinstance(node, ast.Return) and node.value is not None:
            text = src.segment(node.value)
            for wrapper in ("abs", "int", "list", "sorted", "len"):
                yield ctx.proposal(
                    src.replace(node.value, f"{wrapper}({text})"),
                    f"return `{wrapper}({text})`",
                    0.15,
                    node,
                    "wrap",
                )


def _plus(ctx: RepairContext, node: ast.expr, delta: int) -> str:
    text = ctx.source.segment(node)
    value = _int_value(node)
    if value is not None:
        return str(value + delta)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        offset = _int_value(node.right)
        if offset is not None:
            total = offset + delta if isinstance(node.op, ast.Add) else -offset + delta
            base = ctx.source.segment(node.left)
            if total == 0:
                return base
            return f"{base} + {total}" if total > 0 else f"{base} - {-total}"
    if not isinstance(node, (ast.Name, ast.Call, ast.Attribute, ast.Subscript, ast.BinOp)):
        text = f"({text})"
    return f"{text} + {delta}" if delta > 0 else f"{text} - {-delta}"


def _offsets(
    ctx: RepairContext, node: ast.expr, prior: float, what: str
) -> Iterator[Proposal | None]:
    for delta in (1, -1):
        new = _plus(ctx, node, delta)
        yield ctx.proposal(
            ctx.source.replace_expr(node, new),
            f"{what} `{ctx.source.segment(node)}` -> `{new}`",
            prior,
            node,
            "offset",
        )


def _range(ctx: RepairContext, node: ast.Call) -> Iterator[Proposal | None]:
    src = ctx.source
    for arg in node.args:
        yield from _offsets(ctx, arg, 0.65, "range bound")
    if len(node.args) == 1:
        stop = src.segment(node.args[0])
        for start in ("1", "0"):
            yield ctx.proposal(
                src.replace(node.args[0], f"{start}, {stop}"),
                f"range starts at {start}",
                0.35,
                node,
                "range",
            )
    if len(node.args) == 2:
        a, b = (src.segment(x) for x in node.args)
        yield ctx.proposal(
            src.replace(node, f"{src.segment(node.func)}({b} - 1, {a} - 1, -1)"),
            "reverse the range",
            0.2,
            node,
            "range",
        )


# --------------------------------------------------------------------------- subscripts


def _subscripts(ctx: RepairContext) -> Iterator[Proposal | None]:
    src = ctx.source
    for node in ctx.nodes():
        if isinstance(node, ast.Subscript):
            index = node.slice
            if isinstance(index, ast.Slice):
                lower, upper = index.lower, index.upper
                if lower is not None and upper is not None:
                    low = src.segment(lower)
                    upper_dump = {ast.dump(n) for n in ast.walk(upper)}
                    if ast.dump(lower) not in upper_dump:
                        # A length where an end index belongs: `xs[i:n]` -> `xs[i:i + n]`.
                        new = f"{low} + {src.segment(upper)}"
                        yield ctx.proposal(
                            src.replace_expr(upper, new),
                            f"slice end `{src.segment(upper)}` -> `{new}`",
                            0.45,
                            node,
                            "slice",
                        )
                for bound in (index.lower, index.upper):
                    if bound is None:
                        continue
                    yield from _offsets(ctx, bound, 0.55, "slice bound")
                    start, end = src.span(bound)
                    yield ctx.proposal(
                        Edit(start, end, ""),
                        f"drop the slice bound `{src.segment(bound)}`",
                        0.3,
                        node,
                        "slice",
                    )
            elif isinstance(index, ast.Tuple):
                for element in index.elts:
                    if _int_value(element) is None and not isinstance(element, ast.Slice):
                        yield from _offsets(ctx, element, 0.45, "index")
            elif (
                not (isinstance(index, ast.Constant) and isinstance(index.value, str))
                and _int_value(index) is None
            ):
                yield from _offsets(ctx, index, 0.5, "index")
        elif isinstance(node, ast.BinOp) and isinstance(
            node.op, (ast.Mult, ast.FloorDiv, ast.Mod, ast.Pow)
        ):
            # `number * size` -> `(number - 1) * size`: 1-based vs 0-based counts.
            for operand in (node.left, node.right):
                if isinstance(operand, ast.Name):
                    yield from _offsets(ctx, operand, 0.2, "operand")
        elif isinstance(node, ast.Compare) and len(node.ops) == 1:
            if isinstance(node.ops[0], (ast.Lt, ast.LtE, ast.Gt, ast.GtE)):
                right = node.comparators[0]
                if _int_value(right) is None:
                    yield from _offsets(ctx, right, 0.35, "bound")
                if _int_value(node.left) is None:
                    yield from _offsets(ctx, node.left, 0.25, "bound")
        elif isinstance(node, ast.Return) and node.value is not None:
            if not isinstance(node.value, (ast.Tuple, ast.List, ast.Dict, ast.Constant)):
                yield from _offsets(ctx, node.value, 0.3, "result")
        elif isinstance(node, (ast.Assign, ast.AugAssign)) and not isinstance(
            node.value, (ast.List, ast.Dict, ast.Tuple, ast.Constant)
        ):
            yield from _offsets(ctx, node.value, 0.2, "value")


# --------------------------------------------------------------------------- conditions


def _conditions(ctx: RepairContext) -> Iterator[Proposal | None]:
    src = ctx.source
    tests: list[ast.expr] = []
    for node in ctx.nodes():
        if isinstance(node, (ast.If, ast.While, ast.IfExp)):
            tests.append(node.test)
    for node in ctx.nodes():
        if not isinstance(node, (ast.If, ast.While, ast.IfExp)):
            continue
        test = node.test
        text = src.segment(test)
        if not (isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)):
            inner = (
                f"({text})" if isinstance(test, (ast.BoolOp, ast.IfExp, ast.NamedExpr)) else text
            )
            yield ctx.proposal(
                src.replace(test, f"not {inner}"), f"negate `{text}`", 0.4, node, "negate"
            )
        for other in tests:
            if other is test:
                continue
            other_text = src.segment(other)
            if other_text == text:
                continue
            for joiner, prior in (("and", 0.15), ("or", 0.12)):
                new = f"{_paren(test, text)} {joiner} {_paren(other, other_text)}"
                yield ctx.proposal(
                    src.replace(test, new),
                    f"condition `{text}` {joiner} `{other_text}`",
                    prior,
                    node,
                    "strengthen" if joiner == "and" else "weaken",
                )


def _paren_for_sum(node: ast.expr, text: str) -> str:
    """`text` as the right operand of `+`/`-`."""
    atomic = (ast.Name, ast.Constant, ast.Call, ast.Attribute, ast.Subscript, ast.List, ast.Dict)
    if isinstance(node, atomic) or (
        isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div, ast.FloorDiv))
    ):
        return text
    return f"({text})"


def _paren(node: ast.expr, text: str) -> str:
    return f"({text})" if isinstance(node, (ast.BoolOp, ast.IfExp, ast.NamedExpr)) else text


# --------------------------------------------------------------------------- statements


SIMPLE = (ast.Expr, ast.Assign, ast.AugAssign, ast.Return, ast.Break, ast.Continue, ast.AnnAssign)


def _statements(ctx: RepairContext) -> Iterator[Proposal | None]:
    src = ctx.source
    statements = [n for n in ctx.nodes() if isinstance(n, ast.stmt)]
    for stmt in statements:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # docstring
        block = ctx.block_of(stmt)
        yield ctx.proposal(
            src.delete(stmt, block),
            f"delete `{src.segment(stmt).splitlines()[0]}`",
            0.3,
            stmt,
            "delete",
            # Without its `return` the function returns None: an invented value.
            guess=isinstance(stmt, ast.Return) and stmt.value is not None,
        )
        index = block.index(stmt) if stmt in block else -1
        if 0 <= index < len(block) - 1:
            nxt = block[index + 1]
            if src.owns_lines(stmt) and src.owns_lines(nxt):
                a, b = src.whole_lines(stmt), src.whole_lines(nxt)
                start = src.line_start(stmt.lineno)
                end = start + len(a) + len(b)
                if src.text[start:end] == a + b and a.endswith("\n") and b.endswith("\n"):
                    yield ctx.proposal(
                        Edit(start, end, b + a),
                        f"move `{src.segment(stmt).splitlines()[0]}` after the next statement",
                        0.3,
                        stmt,
                        "move",
                    )
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], (ast.Name, ast.Subscript, ast.Attribute))
        ):
            assigned = stmt.targets[0]
            target_text = src.segment(assigned)
            value_text = src.segment(stmt.value)
            for op in ("+", "-"):
                if isinstance(assigned, ast.Name):
                    edit = _between(ctx, assigned, stmt.value, "=", f"{op}=")
                else:
                    # Spelled out for attributes and items: the restricted policy of the
                    # sandbox refuses augmented assignment to them.
                    new = f"{target_text} {op} {_paren_for_sum(stmt.value, value_text)}"
                    edit = src.replace(stmt.value, new)
                yield ctx.proposal(edit, f"`=` -> `{op}=`", 0.3, stmt, "augassign")
        if isinstance(stmt, (ast.Break, ast.Continue)):
            other = "continue" if isinstance(stmt, ast.Break) else "break"
            yield ctx.proposal(
                src.replace(stmt, other), f"`{src.segment(stmt)}` -> `{other}`", 0.45, stmt, "jump"
            )
    # Insert copies of the function's own simple statements near the fault.
    donors = [
        s
        for s in statements
        if isinstance(s, SIMPLE)
        and src.owns_lines(s)
        and (s.end_lineno or s.lineno) == s.lineno
        and not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
    ]
    targets = sorted(
        (s for s in statements if src.starts_line(s)),
        key=lambda s: -ctx.loc.score(s.lineno),
    )[:6]
    # What a loop leaves undone is fixed right after it (a final flush, a last append).
    for stmt in statements:
        if isinstance(stmt, (ast.For, ast.While)):
            block = ctx.block_of(stmt)
            index = block.index(stmt) if stmt in block else -1
            if 0 <= index < len(block) - 1 and src.starts_line(block[index + 1]):
                following = block[index + 1]
                if following in targets:
                    targets.remove(following)
                targets.insert(min(2, len(targets)), following)
    for target in targets:
        for donor in donors:
            if donor is target:
                continue
            text = src.dedented(donor)
            yield ctx.proposal(
                src.insert_before(target, text),
                f"insert `{text}` before line {ctx.abs_line(target.lineno)}",
                0.2,
                target,
                "insert",
            )
            if isinstance(target, (ast.Return, ast.Break, ast.Continue, ast.Raise)):
                continue
            if not isinstance(target, (ast.If, ast.For, ast.While, ast.With, ast.Try)):
                yield ctx.proposal(
                    src.insert_after(target, text),
                    f"insert `{text}` after line {ctx.abs_line(target.lineno)}",
                    0.2,
                    target,
                    "insert",
                )
    # Small `if` blocks too (a flush after a loop: `if buf: out.append(buf)`).
    if_blocks = [
        s
        for s in statements
        if isinstance(s, ast.If)
        and not s.orelse
        and src.owns_lines(s)
        and (s.end_lineno or s.lineno) - s.lineno <= 3
    ]
    for target in targets[:4]:
        for if_block in if_blocks:
            if if_block is target or ctx.enclosing(target, (ast.If,)) is if_block:
                continue
            text = src.dedented(if_block)
            yield ctx.proposal(
                src.insert_before(target, text),
                f"insert a copy of the `if {src.segment(if_block.test)}` block before line "
                f"{ctx.abs_line(target.lineno)}",
                0.15,
                target,
                "insert",
            )
    # The same, with one name of the copy replaced (`seen.add(start)` -> `seen.add(node)`).
    for target in targets[:3]:
        for donor in donors:
            if not isinstance(donor, (ast.Expr, ast.AugAssign, ast.Assign)):
                continue
            for name_node in ast.walk(donor):
                if not isinstance(name_node, ast.Name) or not isinstance(name_node.ctx, ast.Load):
                    continue
                if name_node.id not in ctx.scope_names:
                    continue
                d_start, d_end = src.span(donor)
                n_start, n_end = src.span(name_node)
                for other in ctx.scope_names:
                    if other == name_node.id:
                        continue
                    text = src.text[d_start:n_start] + other + src.text[n_end:d_end]
                    yield ctx.proposal(
                        src.insert_before(target, text),
                        f"insert `{text}` before line {ctx.abs_line(target.lineno)}",
                        0.1,
                        target,
                        "insert",
                    )
                    if not isinstance(
                        target,
                        (
                            ast.Return,
                            ast.Break,
                            ast.Continue,
                            ast.Raise,
                            ast.If,
                            ast.For,
                            ast.While,
                            ast.With,
                            ast.Try,
                        ),
                    ):
                        yield ctx.proposal(
                            src.insert_after(target, text),
                            f"insert `{text}` after line {ctx.abs_line(target.lineno)}",
                            0.1,
                            target,
                            "insert",
                        )
    # A missing `return` at the end of the function.
    has_value_return = any(
        isinstance(n, ast.Return) and n.value is not None
        for n in ctx.nodes()
        if ctx.enclosing(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) is None
    )
    last = ctx.fn.body[-1]
    if not isinstance(last, (ast.Return, ast.Raise)) and not _is_generator(ctx):
        for name in reversed(ctx.scope_names):
            yield ctx.proposal(
                src.insert_after(last, f"return {name}"),
                f"add `return {name}` at the end",
                0.2 if has_value_return else 0.5,
                last,
                "return",
            )


def _is_generator(ctx: RepairContext) -> bool:
    return any(
        isinstance(n, (ast.Yield, ast.YieldFrom))
        and ctx.enclosing(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) is None
        for n in ctx.nodes()
    )


__all__ = ["mutations"]
