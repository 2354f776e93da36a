"""Type-directed guards: the edit people make for the crashes production has most.

A None where a value was read, a missing key, an empty sequence, bytes where text was
expected (or the reverse), a number where a string was, a container of another shape.
The guard puts the *neutral value of the type the failing expression needs* in place of
the bad one and lets the function compute the rest: `len(x or [])`, `(s or "").strip()`,
`d.get(k, 0) + 1`, `max(xs, default=0)`, decode only when the value is bytes,
`.items()` only when the value is a mapping. The needed type comes from how the
expression is used (the method called on it, the operator it meets, the builtin it is
passed to) and, where they exist, from the values the recorded calls passed (a
parameter that was always a list is guarded with `[]`, a field that was always text
with `""`). Smallest edit first: an inline guard before a statement at the top.

A guard that returns its neutral value straight out of the function
(`return max(xs, default=None)`) invents the result and is marked a guess; the rest
are edits the evidence rule then judges like any other.

This module owns those proposals; it must not run user code (it reads recorded
arguments, which are data, and never calls a property or a method on them).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence

from selfheal.engines.offline.context import Proposal, RepairContext, nodes_on_lines
from selfheal.engines.offline.source import Edit

__all__ = ["neutral_guards"]

_NEUTRAL: dict[type, str] = {
    str: '""',
    bytes: 'b""',
    list: "[]",
    tuple: "()",
    dict: "{}",
    set: "set()",
    frozenset: "frozenset()",
    int: "0",
    float: "0.0",
    bool: "False",
}
# Where a method exists on several types, the likelier first.
_METHOD_OWNERS = (str, list, dict, set, bytes, tuple)
# Builtins and methods that iterate their argument: None there needs an empty container.
_ITERATING = {
    "len", "sorted", "set", "list", "tuple", "sum", "min", "max", "any", "all", "enumerate",
    "zip", "join", "extend", "frozenset", "reversed", "filter", "map", "Counter",
}
_MAPPING_TAKERS = {"update", "dict"}
# Parsers whose argument may be missing: the neutral input they would be given.
_PARSED_NEUTRAL = {"int": "0", "float": "0", "round": "0", "Decimal": '"0"', "loads": '"{}"'}


def neutral_guards(ctx: RepairContext) -> Iterator[Proposal | None]:
    exc = ctx.exception
    if exc is not None:
        kind, message = type(exc).__name__, str(exc)
    elif ctx.report.exception is not None:
        kind = ctx.report.exception.type.rsplit(".", 1)[-1]
        message = ctx.report.exception.message
    else:
        return
    lines = ctx.loc.fault_lines[:3]
    if not lines:
        return
    generators: list[Iterator[Proposal | None]] = []
    if kind == "AttributeError":
        generators.append(_attribute(ctx, lines, message))
    elif kind == "TypeError":
        generators.append(_type(ctx, lines, message))
    elif kind == "KeyError":
        generators.append(_missing_key(ctx, lines))
    elif kind == "ValueError":
        generators.append(_value(ctx, lines, message))
    elif kind == "IndexError" and "string index out of range" in message:
        generators.append(_string_index(ctx, lines))
    elif kind == "IndexError":
        generators.append(_empty_item(ctx, lines))
    for generator in generators:
        try:
            yield from generator
        except Exception:  # a blind spot of one rule must not cost the others
            continue


def _guard(ctx: RepairContext, edits: Edit | tuple[Edit, ...] | None, what: str, prior: float,
           node: ast.AST, *, guess: bool = False) -> Proposal | None:
    """A proposal of this module: a template of the `neutral` operator."""
    return ctx.proposal(edits, what, prior, node, "neutral", template=True, guess=guess)


def _only_for(text: str, kind: str, converted: str) -> str:
    """`converted` where `text` is a `kind`, else `text` itself (parenthesised)."""
    return f"({converted} if isinstance({text}, {kind}) else {text})"


# --------------------------------------------------------------------------- what is needed


def _sample_types(ctx: RepairContext, node: ast.expr) -> list[type]:
    """The types `node` had on the recorded calls, where it is a parameter or a field of
    one (`p`, `p["k"]`, `p.get("k")`, `p["a"]["b"]`); builtin containers only."""
    path: list[str] = []
    current: ast.expr = node
    while True:
        if isinstance(current, ast.Subscript) and isinstance(current.slice, ast.Constant):
            path.append(str(current.slice.value))
            current = current.value
        elif (
            isinstance(current, ast.Call)
            and isinstance(current.func, ast.Attribute)
            and current.func.attr == "get"
            and current.args
            and isinstance(current.args[0], ast.Constant)
        ):
            path.append(str(current.args[0].value))
            current = current.func.value
        else:
            break
    if not isinstance(current, ast.Name):
        return []
    found: list[type] = []
    for sample in _values_of(ctx, current.id):
        value = sample
        for key in reversed(path):
            value = value.get(key) if isinstance(value, dict) else None
        if value is not None and type(value) in _NEUTRAL and type(value) not in found:
            found.append(type(value))
    return found


def _values_of(ctx: RepairContext, name: str, depth: int = 0) -> list[object]:
    """What `name` held on the recorded calls: a parameter's values, or the items of
    what a loop or comprehension binding `name` iterates (`for u in users`)."""
    if name in ctx.samples:
        return list(ctx.samples[name])
    loop = _loop_binding(ctx, name)
    if loop is None or depth > 2 or not isinstance(loop.iter, ast.Name):
        return []
    items: list[object] = []
    for container in _values_of(ctx, loop.iter.id, depth + 1):
        if isinstance(container, (list, tuple, set, frozenset)):
            items.extend(list(container)[:20])
    return items


def _needed(ctx: RepairContext, node: ast.expr) -> list[str]:
    """Neutral values for `node`, best first, from how its value is used."""
    learned = [_NEUTRAL[t] for t in _sample_types(ctx, node)]
    parent = ctx.source.parents.get(node)
    used: list[str] = []
    if isinstance(parent, ast.Attribute) and parent.value is node:
        used = [_NEUTRAL[t] for t in _METHOD_OWNERS if hasattr(t, parent.attr)]
    elif isinstance(parent, ast.Call) and node in parent.args:
        name = _call_name(parent)
        if name in _MAPPING_TAKERS:
            used = ["{}"]
        elif name in _ITERATING:
            used = ["[]"]
    elif isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and parent.iter is node:
        used = ["[]"]
    elif isinstance(parent, ast.Compare):
        if node in parent.comparators and any(
            isinstance(op, (ast.In, ast.NotIn)) for op in parent.ops
        ):
            used = ["[]"]
        else:
            used = _like(ctx, [parent.left, *parent.comparators], node)
    elif isinstance(parent, ast.BinOp):
        used = _like(ctx, [parent.left, parent.right], node)
    elif isinstance(parent, ast.AugAssign):
        used = ["0"]
    elif isinstance(parent, ast.FormattedValue):
        used = ['""']
    elif isinstance(parent, ast.Subscript) and parent.value is node:
        used = ["{}"] if isinstance(parent.slice, ast.Constant) and isinstance(
            parent.slice.value, str) else []
    # What the recorded calls show wins where it fits the use.
    ordered = [v for v in learned if not used or v in used] + used + learned
    return list(dict.fromkeys(ordered))


def _like(ctx: RepairContext, operands: Sequence[ast.expr], node: ast.expr) -> list[str]:
    """The neutral value of the type the other operands have."""
    for other in operands:
        if other is node:
            continue
        if isinstance(other, ast.Constant) and type(other.value) in _NEUTRAL:
            return [_NEUTRAL[type(other.value)]]
        if isinstance(other, ast.JoinedStr):
            return ['""']
        kind = ctx.kinds.get(other.id) if isinstance(other, ast.Name) else None
        if kind in ("int", "float", "str", "list"):
            return [{"int": "0", "float": "0.0", "str": '""', "list": "[]"}[kind]]
        learned = _sample_types(ctx, other)
        if learned:
            return [_NEUTRAL[learned[0]]]
    return ["0"]


def _call_name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return ""


def _simple(node: ast.AST) -> bool:
    """Cheap to evaluate twice and free of side effects: a name, attribute or item."""
    if isinstance(node, ast.Name):
        return True
    if isinstance(node, ast.Attribute):
        return _simple(node.value)
    if isinstance(node, ast.Subscript):
        return _simple(node.value) and isinstance(node.slice, (ast.Constant, ast.Name))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return (
            node.func.attr == "get"
            and _simple(node.func.value)
            and all(isinstance(a, (ast.Constant, ast.Name)) for a in node.args)
        )
    return False


def _or_neutral(ctx: RepairContext, node: ast.expr,
                neutrals: Sequence[str] = ()) -> Iterator[Proposal | None]:
    """`node or <neutral>` (and `.get(k, <neutral>)` for a `.get(k)`), best neutral first."""
    text = ctx.source.segment(node)
    if (
        isinstance(node, ast.Call)
        and _call_name(node) == "get"
        and len(node.args) == 2
        and isinstance(node.func, ast.Attribute)
    ):
        # `.get(k, default)` whose value is None: the default never applied.
        default = ctx.source.segment(node.args[1])
        key = ctx.source.segment(node.args[0])
        owner = ctx.source.segment(node.func.value)
        yield _guard(
            ctx,
            ctx.source.replace_expr(node, f"{owner}.get({key}) or {default}"),
            f"fall back to `{default}` when `{owner}[{key}]` is None too",
            0.92,
            node,
        )
    for rank, neutral in enumerate(neutrals or _needed(ctx, node)):
        step = 0.08 * rank
        yield _guard(
            ctx,
            ctx.source.replace_expr(node, f"{text} or {neutral}"),
            f"treat a None `{text}` as `{neutral}`",
            0.9 - step,
            node,
        )
        if isinstance(node, ast.Call) and _call_name(node) == "get" and len(node.args) == 1:
            end = ctx.source.span(node)[1]
            yield _guard(
                ctx,
                Edit(end - 1, end - 1, f", {neutral}"),
                f"`{text}` defaults to `{neutral}`",
                0.88 - step,
                node,
            )
        if isinstance(node, ast.Name) and node.id in ctx.params:
            first = _first_statement(ctx)
            guard = f"if {node.id} is None:\n    {node.id} = {neutral}"
            yield _guard(
                ctx,
                ctx.source.insert_before(first, guard),
                f"start with `{node.id} = {neutral}` when it is None",
                0.6 - step,
                node,
            )


def _first_statement(ctx: RepairContext) -> ast.stmt:
    first = ctx.fn.body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
        and len(ctx.fn.body) > 1
    ):
        first = ctx.fn.body[1]
    return first


# --------------------------------------------------------------------------- by failure


_NONE_ATTRIBUTE = re.compile(r"'NoneType' object has no attribute '(\w+)'")
_TYPE_ATTRIBUTE = re.compile(r"'(\w+)' object has no attribute '(\w+)'")


def _attribute(ctx: RepairContext, lines: list[int], message: str) -> Iterator[Proposal | None]:
    none = _NONE_ATTRIBUTE.search(message)
    typed = _TYPE_ATTRIBUTE.search(message)
    name = none.group(1) if none else (typed.group(2) if typed else "")
    if not name:
        return
    for node in nodes_on_lines(ctx, lines, (ast.Attribute,)):
        assert isinstance(node, ast.Attribute)
        if node.attr != name:
            continue
        value = node.value
        if none:
            yield from _skip_none_element(ctx, value)
            yield from _or_neutral(ctx, value)
            continue
        assert typed is not None
        owner = typed.group(1)
        yield from _convert_only_when(ctx, node, owner, name)


def _skip_none_element(ctx: RepairContext, value: ast.expr) -> Iterator[Proposal | None]:
    """A None element of a comprehension is an item that is not there: skip it
    (`", ".join(x.strip() for x in xs)` -> `... for x in xs if x is not None`)."""
    comp = ctx.enclosing(value, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp))
    if not isinstance(comp, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
        return
    bound = {n.id for g in comp.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
    if not _simple(value) or not ({n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
                                  & bound):
        return
    text = ctx.source.segment(value)
    generator = comp.generators[-1]
    last = generator.ifs[-1] if generator.ifs else generator.iter
    end = ctx.source.span(last)[1]
    yield _guard(
        ctx,
        Edit(end, end, f" if {text} is not None"),
        f"skip the items where `{text}` is None",
        0.91,
        value,
    )


def _convert_only_when(ctx: RepairContext, node: ast.Attribute, owner: str,
                       name: str) -> Iterator[Proposal | None]:
    """A method of another type: convert only values of the type that lacks it, so the
    calls that worked keep working (`s.decode()` on a str, `d.items()` on a list of
    pairs, `n.zfill(3)` on an int)."""
    src = ctx.source
    value = node.value
    text = src.segment(value)
    call = src.parents.get(node)
    if name in ("decode", "encode") and owner in ("str", "bytes") and isinstance(call, ast.Call):
        if not _simple(value):
            return
        want = "bytes" if name == "decode" else "str"
        whole = src.segment(call)
        yield _guard(
            ctx,
            src.replace_expr(call, _only_for(text, want, whole)),
            f"`.{name}` only when `{text}` is {want}",
            0.92,
            node,
        )
        if isinstance(value, ast.Name) and value.id in ctx.params:
            first = _first_statement(ctx)
            insert = src.insert_before(
                first, f"if isinstance({text}, {want}):\n    {text} = {whole}")
            if insert is not None:
                yield _guard(
                    ctx,
                    (insert, src.replace_expr(call, text)),
                    f"`.{name}` `{text}` first, only when it is {want}",
                    0.7,
                    node,
                )
        return
    if owner in ("list", "tuple") and name in ("split", "splitlines", "rsplit") and isinstance(
            call, ast.Call) and _simple(value):
        # Already the list the split would make: split only text.
        whole = src.segment(call)
        yield _guard(
            ctx,
            src.replace_expr(call, _only_for(text, "str", whole)),
            f"`{text}` may already be split: `.{name}` only text",
            0.92,
            node,
        )
    if owner in ("list", "tuple") and hasattr(dict, name) and not hasattr(list, name):
        yield _guard(
            ctx,
            src.replace_expr(value, f"dict({text})"),
            f"read the pairs `{text}` as a mapping",
            0.85,
            node,
        )
    if owner in ("int", "float") and hasattr(str, name):
        yield _guard(
            ctx,
            src.replace_expr(value, f"str({text})"),
            f"`{text}` as text before `.{name}`",
            0.85,
            node,
        )


_OPERAND = re.compile(r"'(\w+)' and '(\w+)'")


def _type(ctx: RepairContext, lines: list[int], message: str) -> Iterator[Proposal | None]:
    src = ctx.source
    if "NoneType" in message and (
        "not iterable" in message or "has no len()" in message or "cannot unpack" in message
    ):
        for node in _consumers(ctx, lines):
            yield from _or_neutral(ctx, node)
    if "NoneType" in message and (
        "unsupported operand" in message
        or "not supported between" in message
        or "can only concatenate" in message
    ):
        operands = _OPERAND.search(message)
        none_first = bool(operands and operands.group(1) == "NoneType")
        for operation in nodes_on_lines(ctx, lines, (ast.BinOp, ast.Compare, ast.AugAssign)):
            sides: list[ast.expr]
            if isinstance(operation, ast.BinOp):
                sides = [operation.right, operation.left]
                if none_first:
                    sides.reverse()
            elif isinstance(operation, ast.Compare):
                sides = [*operation.comparators, operation.left]
            else:
                assert isinstance(operation, ast.AugAssign)
                sides = [operation.value]
            for side in sides:
                if isinstance(side, ast.Constant):
                    continue
                yield from _or_neutral(ctx, side)
        # None items consumed by sum()/max()/sorted(): drop them where they are made, or
        # give the element its neutral value (`sum(t.get("m") for t in ts)`).
        yield from _filter_none(ctx, lines)
        for call in nodes_on_lines(ctx, lines, (ast.Call,)):
            assert isinstance(call, ast.Call)
            if _call_name(call) in ("sum", "max", "min", "sorted") and call.args and isinstance(
                    call.args[0], (ast.GeneratorExp, ast.ListComp)):
                element = call.args[0].elt
                if _simple(element):
                    yield from _or_neutral(ctx, element, ["0"])
    if "NoneType" in message and ("argument must be" in message or "JSON object must be" in
                                  message or "__round__" in message):
        # A missing number or document: its neutral value, where it is parsed.
        for call in nodes_on_lines(ctx, lines, (ast.Call,)):
            assert isinstance(call, ast.Call)
            neutral = _PARSED_NEUTRAL.get(_call_name(call))
            if neutral is None or not call.args or not _simple(call.args[0]):
                continue
            yield from _or_neutral(ctx, call.args[0], [neutral])
    mixed = "'decimal.Decimal' and 'float'" in message or "'float' and 'decimal.Decimal'" in (
        message)
    if mixed and "Decimal" in ctx.function.__globals__:
        # Money in Decimal met a float: the float becomes a Decimal through its text.
        for operation in nodes_on_lines(ctx, lines, (ast.BinOp,)):
            assert isinstance(operation, ast.BinOp)
            for side in (operation.left, operation.right):
                text = src.segment(side)
                if isinstance(side, ast.Constant) and isinstance(side.value, float):
                    new = f"Decimal({str(side.value)!r})"
                elif _simple(side):
                    new = f"Decimal(str({text}))"
                else:
                    continue
                yield _guard(ctx, src.replace_expr(side, new),
                             f"`{text}` as a Decimal", 0.85, operation)
    if "NoneType" not in message and (
        "can only concatenate str" in message
        or re.search(r"unsupported operand type\(s\) for [-+*/]+: '(int|float|str)' and "
                     r"'(int|float|str)'", message)
    ):
        # Two values read from data, one of them text: both have the type the recorded
        # calls show (`int(p["score"]) + int(p.get("bonus", 0))`).
        for operation in nodes_on_lines(ctx, lines, (ast.BinOp,)):
            assert isinstance(operation, ast.BinOp)
            left, right = operation.left, operation.right
            if isinstance(left, ast.Constant) or isinstance(right, ast.Constant):
                continue
            learned = _sample_types(ctx, left) + _sample_types(ctx, right)
            numeric = [t for t in learned if t in (int, float)]
            if not numeric:
                continue
            conv = "float" if float in numeric else "int"
            op = _op_text(ctx, operation)
            new = f"{conv}({src.segment(left)}) {op} {conv}({src.segment(right)})"
            yield _guard(
                ctx,
                src.replace_expr(operation, new),
                f"both operands as {conv}, as the recorded calls had them",
                0.82,
                operation,
            )
    if "sequence item" in message and "NoneType found" in message:
        yield from _filter_none(ctx, lines)
    if "sequence item" in message and "bytes found" in message:
        yield from _each(ctx, lines, "join", "({x}.decode() if isinstance({x}, bytes) else {x})",
                         "decode the bytes items")
    if "unhashable type: 'list'" in message or "unhashable type: 'dict'" in message:
        wrapper = "tuple" if "'list'" in message else "frozenset"
        yield from _each(ctx, lines, "set", wrapper + "({x})", f"hash each item as a {wrapper}")
    if "must be str or None, not bytes" in message or "a bytes-like object is required" in message:
        # The receiver has the other type than the argument: convert it, only then.
        for call in nodes_on_lines(ctx, lines, (ast.Call,)):
            assert isinstance(call, ast.Call)
            if not isinstance(call.func, ast.Attribute) or not _simple(call.func.value):
                continue
            receiver = src.segment(call.func.value)
            if "not bytes" in message:
                new = _only_for(receiver, "str", f"{receiver}.encode()")
            else:
                new = _only_for(receiver, "bytes", f"{receiver}.decode()")
            yield _guard(
                ctx,
                src.replace_expr(call.func.value, new),
                f"convert `{receiver}` only when it has the other type",
                0.85,
                call,
            )
    if "a bytes-like object is required, not 'str'" in message:
        for compare in nodes_on_lines(ctx, lines, (ast.Compare,)):
            assert isinstance(compare, ast.Compare)
            for cmp, right in zip(compare.ops, compare.comparators, strict=False):
                if not isinstance(cmp, (ast.In, ast.NotIn)) or not _simple(right):
                    continue
                text = src.segment(right)
                yield _guard(
                    ctx,
                    src.replace_expr(right, _only_for(text, "bytes", f"{text}.decode()")),
                    f"decode `{text}` only when it is bytes",
                    0.9,
                    compare,
                )
    if "string indices must be integers" in message:
        # Iterating one mapping where a list of mappings was expected.
        for item in nodes_on_lines(ctx, lines, (ast.Subscript,)):
            assert isinstance(item, ast.Subscript)
            if not isinstance(item.value, ast.Name):
                continue
            loop = _loop_binding(ctx, item.value.id)
            if loop is None or not _simple(loop.iter):
                continue
            text = src.segment(loop.iter)
            for new, what, prior in (
                (_only_for(text, "dict", f"[{text}]"), "a single mapping", 0.85),
                (_only_for(text, "dict", f"{text}.values()"), "the values of a mapping", 0.7),
            ):
                yield _guard(
                    ctx,
                    src.replace_expr(loop.iter, new),
                    f"iterate over {what} too",
                    prior,
                    item,
                )


def _op_text(ctx: RepairContext, operation: ast.BinOp) -> str:
    src = ctx.source
    return src.text[src.span(operation.left)[1]:src.span(operation.right)[0]].strip()


def _consumers(ctx: RepairContext, lines: list[int]) -> list[ast.expr]:
    """Expressions on the failing lines that are iterated or measured."""
    found: list[ast.expr] = []
    for node in nodes_on_lines(ctx, lines, (ast.For, ast.comprehension, ast.Call, ast.Compare,
                                            ast.Assign)):
        if isinstance(node, (ast.For, ast.comprehension)):
            found.append(node.iter)
        elif isinstance(node, ast.Call) and _call_name(node) in (_ITERATING | _MAPPING_TAKERS):
            found.extend(a for a in node.args[:1] if not isinstance(a, (ast.Constant,
                                                                         ast.GeneratorExp)))
        elif isinstance(node, ast.Compare):
            found.extend(c for op, c in zip(node.ops, node.comparators, strict=False)
                         if isinstance(op, (ast.In, ast.NotIn)))
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple):
            found.append(node.value)
    return [n for n in found if _simple(n)]


def _loop_binding(ctx: RepairContext, name: str) -> ast.For | ast.comprehension | None:
    for node in ctx.nodes():
        if isinstance(node, (ast.For, ast.comprehension)) and isinstance(node.target, ast.Name) \
                and node.target.id == name:
            return node
    return None


def _filter_none(ctx: RepairContext, lines: list[int]) -> Iterator[Proposal | None]:
    """`[f(r) for r in rs]` -> `[f(r) for r in rs if f(r) is not None]`, where the failing
    line consumes that comprehension (directly or through the name it is bound to)."""
    src = ctx.source
    consumed: set[str] = set()
    comprehensions: list[ast.ListComp | ast.GeneratorExp | ast.SetComp] = []
    for node in nodes_on_lines(ctx, lines, (ast.Call,)):
        assert isinstance(node, ast.Call)
        for arg in node.args[:1]:
            if isinstance(arg, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
                comprehensions.append(arg)
            elif isinstance(arg, ast.Name):
                consumed.add(arg.id)
        if isinstance(node.func, ast.Attribute) and node.func.attr == "join" and node.args:
            arg = node.args[0]
            if isinstance(arg, (ast.ListComp, ast.GeneratorExp)):
                comprehensions.append(arg)
    for node in ctx.nodes():
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id in consumed
            and isinstance(node.value, (ast.ListComp, ast.GeneratorExp, ast.SetComp))
        ):
            comprehensions.append(node.value)
    for comp in comprehensions:
        element = src.segment(comp.elt)
        generator = comp.generators[-1]
        inner = comp.elt
        # `label.strip()` for a None label: test the value the method is called on.
        while isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute):
            inner = inner.func.value
        tested = src.segment(inner) if _simple(inner) else element
        last = generator.ifs[-1] if generator.ifs else generator.iter
        end = src.span(last)[1]
        yield _guard(
            ctx,
            Edit(end, end, f" if {tested} is not None"),
            f"skip the items where `{tested}` is None",
            0.88,
            comp,
        )


def _each(ctx: RepairContext, lines: list[int], consumer: str, pattern: str,
          what: str) -> Iterator[Proposal | None]:
    """Convert each item where `consumer` (join, set) takes an iterable."""
    src = ctx.source
    for node in nodes_on_lines(ctx, lines, (ast.Call,)):
        assert isinstance(node, ast.Call)
        if _call_name(node) != consumer or len(node.args) != 1 or node.keywords:
            continue
        arg = node.args[0]
        if isinstance(arg, (ast.GeneratorExp, ast.ListComp)):
            item = src.segment(arg.elt)
            yield _guard(
                ctx,
                src.replace(arg.elt, pattern.format(x=f"({item})" if not _simple(arg.elt)
                                                    else item)),
                what,
                0.88,
                node,
            )
            continue
        name = ctx.fresh()
        text = src.segment(arg)
        yield _guard(
            ctx,
            src.replace(arg, f"{pattern.format(x=name)} for {name} in {text}"),
            what,
            0.9,
            node,
        )


def _missing_key(ctx: RepairContext, lines: list[int]) -> Iterator[Proposal | None]:
    """`d[k]` for a missing key: `.get(k)` where an `or` supplies the fallback, else
    `.get(k, <neutral>)` with the neutral value its use needs."""
    src = ctx.source
    missing = ctx.exception.args[0] if ctx.exception is not None and ctx.exception.args else None
    for node in nodes_on_lines(ctx, lines, (ast.Subscript,)):
        assert isinstance(node, ast.Subscript)
        if not isinstance(node.ctx, ast.Load) or isinstance(node.slice, ast.Slice):
            continue
        owner = src.segment(node.value)
        key = src.segment(node.slice)
        # A key of another type than the mapping's keys (`levels[7]` of {"7": ...}).
        key_types = _key_types(ctx, node.value)
        if missing is not None and key_types and type(missing) not in key_types:
            for wanted in key_types:
                if wanted in (str, int) and not isinstance(node.slice, ast.Constant):
                    yield _guard(
                        ctx,
                        src.replace(node.slice, f"{wanted.__name__}({key})"),
                        f"look `{key}` up as {wanted.__name__}, as the mapping's keys are",
                        0.93,
                        node,
                    )
        parent = src.parents.get(node)
        truth = _truth_context(ctx, node)
        if truth or (isinstance(parent, ast.BoolOp) and isinstance(parent.op, ast.Or) and (
            parent.values[0] is node
        )):
            yield _guard(
                ctx,
                src.replace(node, f"{owner}.get({key})"),
                f"`{owner}[{key}]` may be missing: "
                + ("only its truth is read" if truth else "the `or` falls back"),
                0.92,
                node,
            )
            continue
        for rank, neutral in enumerate(_needed(ctx, node)):
            yield _guard(
                ctx,
                src.replace(node, f"{owner}.get({key}, {neutral})"),
                f"a missing `{owner}[{key}]` is `{neutral}`",
                0.86 - 0.08 * rank,
                node,
            )


def _truth_context(ctx: RepairContext, node: ast.expr) -> bool:
    """Is only the truth of `node` used (an `if`, a filter, `not`, `and`)? Then a missing
    value reads as None, which is false, like the empty values it stands for."""
    parent = ctx.source.parents.get(node)
    if isinstance(parent, (ast.If, ast.While, ast.IfExp)) and parent.test is node:
        return True
    if isinstance(parent, ast.comprehension) and node in parent.ifs:
        return True
    if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
        return True
    if isinstance(parent, ast.BoolOp) and isinstance(parent.op, ast.And):
        return _truth_context(ctx, parent)
    return False


def _simple_iterable(node: ast.expr) -> bool:
    """A value whose emptiness can be tested again: `xs`, `d.items()`, `d.values()`."""
    if _simple(node):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("items", "values", "keys")
        and not node.args
        and _simple(node.func.value)
    )


def _key_types(ctx: RepairContext, node: ast.expr) -> list[type]:
    """The types of the keys of the mapping `node` was on the recorded calls."""
    if not isinstance(node, ast.Name):
        return []
    found: list[type] = []
    for value in ctx.samples.get(node.id, []):
        if isinstance(value, dict):
            for key in list(value)[:20]:
                if type(key) not in found:
                    found.append(type(key))
    return found


def _value(ctx: RepairContext, lines: list[int], message: str) -> Iterator[Proposal | None]:
    src = ctx.source
    if "empty sequence" in message or "iterable argument is empty" in message:
        for node in nodes_on_lines(ctx, lines, (ast.Call,)):
            assert isinstance(node, ast.Call)
            if _call_name(node) not in ("max", "min") or len(node.args) != 1:
                continue
            if any(k.arg == "default" for k in node.keywords):
                continue
            parent = src.parents.get(node)
            arithmetic = isinstance(parent, (ast.BinOp, ast.Compare, ast.AugAssign))
            returned = isinstance(parent, ast.Return)
            arg = node.args[0]
            arg_text = src.segment(arg)
            if isinstance(arg, ast.GeneratorExp) and src.text[src.span(arg)[0] - 1] != "(":
                arg_text = f"({arg_text})"
            rest = "".join(f", {src.segment(k)}" for k in node.keywords)
            for default, prior in (("0", 0.9 if arithmetic else 0.4), ("None", 0.5)):
                new = f"{src.segment(node.func)}({arg_text}{rest}, default={default})"
                yield _guard(
                    ctx,
                    src.replace(node, new),
                    f"`{_call_name(node)}` of nothing is {default}",
                    prior,
                    node,
                    guess=returned or (default == "None" and not arithmetic),
                )
    if "Unknown format code" in message and "of type 'str'" in message:
        # A number that arrived as text, formatted as a number.
        for call in nodes_on_lines(ctx, lines, (ast.Call,)):
            assert isinstance(call, ast.Call)
            if _call_name(call) != "format":
                continue
            for arg in call.args:
                if isinstance(arg, ast.Constant):
                    continue
                text = src.segment(arg)
                for conv, prior in (("float", 0.9), ("int", 0.7)):
                    yield _guard(
                        ctx,
                        src.replace_expr(arg, f"{conv}({text})"),
                        f"format `{text}` as a number: `{conv}({text})`",
                        prior,
                        call,
                    )
        for value in nodes_on_lines(ctx, lines, (ast.FormattedValue,)):
            assert isinstance(value, ast.FormattedValue)
            text = src.segment(value.value)
            yield _guard(
                ctx,
                src.replace_expr(value.value, f"float({text})"),
                f"format `{text}` as a number: `float({text})`",
                0.9,
                value,
            )
    if re.search(r"invalid literal for int\(\) with base \d+: ''", message) or (
        "could not convert string to float: ''" in message
    ):
        # An empty item (a trailing separator): skip it where the items are parsed.
        for call in nodes_on_lines(ctx, lines, (ast.Call,)):
            assert isinstance(call, ast.Call)
            if _call_name(call) not in ("int", "float") or len(call.args) != 1:
                continue
            item = call.args[0]
            comp = ctx.enclosing(call, (ast.ListComp, ast.GeneratorExp, ast.SetComp))
            if _simple(item) and comp is None:
                # An empty field is the number 0 (a blank CSV cell, an empty form value);
                # in a comprehension it is an item to skip (below).
                yield from _or_neutral(ctx, item, ["0"])
            if isinstance(comp, (ast.ListComp, ast.GeneratorExp, ast.SetComp)) and _simple(item):
                text = src.segment(item)
                generator = comp.generators[-1]
                last = generator.ifs[-1] if generator.ifs else generator.iter
                end = src.span(last)[1]
                for test, prior in ((text, 0.9), (f"{text}.strip()", 0.8)):
                    yield _guard(
                        ctx,
                        Edit(end, end, f" if {test}"),
                        f"skip empty items (`if {test}`)",
                        prior,
                        call,
                    )
    if "empty sequence" in message:
        for call in nodes_on_lines(ctx, lines, (ast.Call,)):
            assert isinstance(call, ast.Call)
            if _call_name(call) not in ("max", "min") or not call.args:
                continue
            stmt = ctx.statement_of(call)
            arg = call.args[0]
            if stmt is None or not _simple_iterable(arg):
                continue
            empty = src.segment(arg)
            guard = src.insert_before(stmt, f"if not {empty}:\n    return None")
            yield _guard(
                ctx,
                guard,
                f"return None when `{empty}` is empty",
                0.4,
                call,
                guess=True,
            )
    if "values to unpack" in message:
        for node in nodes_on_lines(ctx, lines, (ast.For, ast.comprehension)):
            it = node.iter  # type: ignore[attr-defined]
            if not _simple(it):
                continue
            text = src.segment(it)
            # Guarded only where the recorded calls passed another shape (else plain
            # `.items()`, a template of its own, is the smaller edit).
            other_shapes = [t for t in _sample_types(ctx, it) if t is not dict]
            yield _guard(
                ctx,
                src.replace_expr(it, _only_for(text, "dict", f"{text}.items()")),
                f"iterate over the pairs of `{text}` when it is a mapping",
                0.9 if other_shapes else 0.5,
                it,
            )


def _string_index(ctx: RepairContext, lines: list[int]) -> Iterator[Proposal | None]:
    """`s[0]` on an empty string -> `s[:1]`: the slice is empty where the index fails."""
    src = ctx.source
    for node in nodes_on_lines(ctx, lines, (ast.Subscript,)):
        assert isinstance(node, ast.Subscript)
        index = node.slice
        if not isinstance(node.ctx, ast.Load) or not isinstance(index, (ast.Constant,
                                                                       ast.UnaryOp)):
            continue
        try:
            value = ast.literal_eval(index)
        except ValueError:
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        new = f"{value}:{value + 1}" if value >= 0 and value != -1 else (
            "-1:" if value == -1 else f"{value}:{value + 1}")
        if value == 0:
            new = ":1"
        yield _guard(
            ctx,
            src.replace(index, new),
            f"`[{value}]` -> `[{new}]`: empty where the text is too short",
            0.88,
            node,
        )


def _empty_item(ctx: RepairContext, lines: list[int]) -> Iterator[Proposal | None]:
    """`xs[0]` of an empty list -> `xs[0] if xs else None`: an invented value, a guess
    unless an example says what an empty input gives."""
    src = ctx.source
    for node in nodes_on_lines(ctx, lines, (ast.Subscript,)):
        assert isinstance(node, ast.Subscript)
        if not isinstance(node.ctx, ast.Load) or not _simple(node.value):
            continue
        try:
            index = ast.literal_eval(node.slice)
        except ValueError:
            continue
        if index not in (0, -1):
            continue
        owner = src.segment(node.value)
        whole = src.segment(node)
        yield _guard(
            ctx,
            src.replace_expr(node, f"({whole} if {owner} else None)"),
            f"`{whole}` is None when `{owner}` is empty",
            0.5,
            node,
            guess=True,
        )
