"""Fix templates keyed by the failure kind: exception type, message and failing node.

Templates read the live exception (`AttributeError.name/obj`, `NameError.name`,
`KeyError.args`), the redacted report (suggestions, locals' reprs) and the nodes on
the failing line, and propose the edits people make for that kind of crash:
closest names for typos, conversions between str/bytes/int/float (element-wise for
containers), None and empty-value handling, mapping misses, iterating over a copy,
unpacking arity, integer division, off-by-one boosts and guards.

A template that makes the function return a value it invented for the failing input
(an early `return <literal>`, an `except: return <literal>`, a `.get()` that yields
None where a value was read) is marked `guess=True`: the search tries it last and the
pipeline never swaps it in unless an example or property covers the failing input or
the user allowed guesses.

This module owns those templates; it must not run user code (it reads `dir()` of the
object an AttributeError names, which runs no user code for ordinary objects).
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Iterator

from selfheal.engines.offline.context import Proposal, RepairContext
from selfheal.engines.offline.context import nodes_on_lines as _on_lines
from selfheal.engines.offline.neutral import neutral_guards
from selfheal.engines.offline.source import Edit

# Names people carry over from other languages or from Python 2.
ATTRIBUTE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "push": ("append",),
    "add": ("append",),
    "append": ("add",),
    "iteritems": ("items",),
    "itervalues": ("values",),
    "iterkeys": ("keys",),
    "toUpperCase": ("upper",),
    "toLowerCase": ("lower",),
    "toupper": ("upper",),
    "tolower": ("lower",),
    "trim": ("strip",),
    "startsWith": ("startswith",),
    "endsWith": ("endswith",),
    "contains": ("__contains__",),
    "indexOf": ("index", "find"),
    "put": ("update",),
    "remove": ("pop", "discard"),
    "removeFirst": ("popleft",),
    "addAll": ("extend",),
    "substring": (),
}
LENGTH_NAMES = {"length", "size", "len", "count", "lenght", "Length", "Count", "Size"}


def templates(ctx: RepairContext) -> Iterator[Proposal | None]:
    exc = ctx.exception
    kind = ""
    message = ""
    if exc is not None:
        kind = type(exc).__name__
        message = str(exc)
    elif ctx.report.exception is not None:
        kind = ctx.report.exception.type.rsplit(".", 1)[-1]
        message = ctx.report.exception.message
    lines = ctx.loc.fault_lines[:3]
    chosen: list[Iterator[Proposal | None]] = []
    if kind == "UnboundLocalError":
        chosen.append(_unbound(ctx, message))
    elif kind == "NameError":
        chosen.append(_name_error(ctx, message))
    elif kind == "AttributeError":
        chosen.append(_attribute_error(ctx, message, lines))
    elif kind == "KeyError":
        chosen.append(_key_error(ctx, lines))
    elif kind == "TypeError":
        chosen.append(_type_error(ctx, message, lines))
    elif kind == "ValueError":
        chosen.append(_value_error(ctx, message, lines))
    elif kind == "IndexError":
        chosen.append(_index_error(ctx, message, lines))
    elif kind == "ZeroDivisionError":
        chosen.append(_zero_division(ctx, lines))
    elif kind == "RuntimeError" and "changed size during iteration" in message:
        chosen.append(_iterate_copy(ctx, lines))
    elif kind == "StopIteration":
        chosen.append(_stop_iteration(ctx, lines))
    if kind in {"AttributeError", "TypeError"} and "NoneType" in message:
        chosen.append(_none_handling(ctx, lines))
    chosen.append(neutral_guards(ctx))
    if kind and lines:
        chosen.append(_skip_in_loop(ctx, lines, kind))
    for generator in chosen:
        # One template's blind spot (a node without positions...) must not cost the
        # others their proposals.
        try:
            yield from generator
        except Exception:
            continue


def _suggestions(ctx: RepairContext) -> list[str]:
    exc = ctx.report.exception
    return list(exc.suggestions) if exc is not None else []


def _closest(word: str, pool: list[str], n: int = 4) -> list[str]:
    pool = [p for p in dict.fromkeys(pool) if p != word]
    found = difflib.get_close_matches(word, pool, n=n, cutoff=0.6)
    lowered = [p for p in pool if p.lower() == word.lower() or p.replace("_", "") == word]
    return list(dict.fromkeys(lowered + found))


# --------------------------------------------------------------------------- names


def _name_error(ctx: RepairContext, message: str) -> Iterator[Proposal | None]:
    name = getattr(ctx.exception, "name", None)
    if not name:
        match = re.search(r"name '(\w+)' is not defined", message)
        name = match.group(1) if match else None
    if not name:
        return
    pool = ctx.scope_names + ctx.global_names + ctx.builtin_names
    options = [s for s in _suggestions(ctx) if s != name] + _closest(name, pool)
    uses = [
        n
        for n in ctx.nodes()
        if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
    ]
    for rank, other in enumerate(dict.fromkeys(options)):
        if not uses:
            break
        edits = [ctx.source.replace(n, other) for n in uses]
        yield ctx.proposal(
            edits,
            f"undefined name `{name}` -> `{other}`",
            1.0 - 0.05 * rank,
            uses[0],
            "typo",
            template=True,
        )


def _unbound(ctx: RepairContext, message: str) -> Iterator[Proposal | None]:
    match = re.search(r"variable '(\w+)'", message)
    name = getattr(ctx.exception, "name", None) or (match.group(1) if match else None)
    if not name:
        return
    first = ctx.fn.body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and len(ctx.fn.body) > 1
    ):
        first = ctx.fn.body[1]
    for value, prior in (("0", 0.6), ("[]", 0.5), ("None", 0.45), ('""', 0.4), ("{}", 0.35)):
        yield ctx.proposal(
            ctx.source.insert_before(first, f"{name} = {value}"),
            f"initialise `{name} = {value}` before its first use",
            prior,
            first,
            "init",
            template=True,
        )
    # Move the first assignment of the name to the top of its block's first use.
    for node in ctx.nodes():
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            text = ctx.source.dedented(node)
            block = ctx.block_of(node)
            deleted = ctx.source.delete(node, block)
            inserted = ctx.source.insert_before(first, text)
            if deleted and inserted:
                yield ctx.proposal(
                    (inserted, deleted),
                    f"move `{text}` to the top",
                    0.55,
                    node,
                    "move",
                    template=True,
                )
            break


# --------------------------------------------------------------------------- attributes


def _attribute_error(
    ctx: RepairContext, message: str, lines: list[int]
) -> Iterator[Proposal | None]:
    exc = ctx.exception
    name = getattr(exc, "name", None)
    if not name:
        match = re.search(r"has no attribute '(\w+)'", message)
        name = match.group(1) if match else None
    if not name:
        return
    obj = getattr(exc, "obj", None) if exc is not None else None
    if exc is None:
        # No live exception (the failure was reproduced in a child): a stand-in of the
        # type the message names is enough to pick conversions.
        named = re.search(r"'(\w+)' object has no attribute", message)
        samples: dict[str, object] = {
            "int": 0,
            "str": "",
            "bytes": b"",
            "float": 0.0,
            "list": [],
            "dict": {},
            "tuple": (),
            "set": set(),
        }
        if named:
            obj = samples.get(named.group(1))
    nodes = [n for n in _on_lines(ctx, lines, (ast.Attribute,)) if n.attr == name]  # type: ignore[attr-defined]
    if not nodes:
        nodes = [n for n in ctx.nodes() if isinstance(n, ast.Attribute) and n.attr == name]
    if obj is None and "NoneType" in message:
        return  # None handling below
    try:
        pool = [a for a in dir(obj) if not a.startswith("__")] if obj is not None else []
    except Exception:
        pool = []
    options = [s for s in _suggestions(ctx) if s != name] + _closest(name, pool)
    options += [s for s in ATTRIBUTE_SYNONYMS.get(name, ()) if not pool or s in pool]
    for node in nodes:
        assert isinstance(node, ast.Attribute)
        node_options = _parallel_first(ctx, node, list(dict.fromkeys(options)))
        value = ctx.source.segment(node.value)
        value_end = ctx.source.span(node.value)[1]
        end = ctx.source.span(node)[1]
        start = value_end + ctx.source.text[value_end:end].rfind(name)
        for rank, other in enumerate(node_options):
            yield ctx.proposal(
                Edit(start, start + len(name), other),
                f"attribute `.{name}` -> `.{other}`",
                1.0 - 0.05 * rank,
                node,
                "typo",
                template=True,
            )
        parent = ctx.source.parents.get(node)
        call = parent if isinstance(parent, ast.Call) and parent.func is node else None
        whole = call if call is not None and not call.args else node
        if name in LENGTH_NAMES:
            yield ctx.proposal(
                ctx.source.replace_expr(whole, f"len({value})"),
                f"`{ctx.source.segment(whole)}` -> `len({value})`",
                0.9,
                node,
                "length",
                template=True,
            )
        if name == "has_key" and call is not None and len(call.args) == 1:
            key = ctx.source.segment(call.args[0])
            yield ctx.proposal(
                ctx.source.replace_expr(call, f"{key} in {value}"),
                f"`.has_key({key})` -> `{key} in {value}`",
                0.95,
                node,
                "typo",
                template=True,
            )
        if isinstance(obj, dict) and call is None:
            yield ctx.proposal(
                ctx.source.replace(node, f"{value}[{name!r}]"),
                f"`{value}.{name}` -> `{value}[{name!r}]` (a mapping, not an object)",
                0.85,
                node,
                "mapping",
                template=True,
            )
        # The method belongs to another type: convert the value first.
        for target, conv in _conversions(obj, value):
            if hasattr(target, name):
                # `str([...])` is the list's repr: hardly ever the text that was meant.
                container = isinstance(obj, (list, tuple, dict, set)) and target is str
                yield ctx.proposal(
                    ctx.source.replace_expr(node.value, conv),
                    f"convert `{value}` to {target.__name__} before `.{name}`",
                    0.2 if container else 0.7,
                    node,
                    "convert",
                    template=True,
                )


def _parallel_first(ctx: RepairContext, node: ast.Attribute, options: list[str]) -> list[str]:
    """Prefer the attribute the parallel operand uses: in `a.y - b.z`, `z` -> `y`."""
    parent = ctx.source.parents.get(node)
    while isinstance(parent, (ast.Call, ast.UnaryOp)) and parent is not None:
        parent = ctx.source.parents.get(parent)
    siblings: list[ast.AST] = []
    if isinstance(parent, ast.BinOp):
        siblings = [parent.left, parent.right]
    elif isinstance(parent, ast.Compare):
        siblings = [parent.left, *parent.comparators]
    base = ast.dump(node.value)
    parallel: set[str] = set()  # the same attribute of another object: `a.y - b.y`
    same_object: set[str] = set()  # another attribute of this object: `x.price * x.qty`
    for sibling in siblings:
        for n in ast.walk(sibling):
            if isinstance(n, ast.Attribute) and n is not node:
                (same_object if ast.dump(n.value) == base else parallel).add(n.attr)
    # `item.price * item.quantity` is not `item.quantity * item.quantity`: an attribute
    # the other operand already reads from the same object goes last, not first.
    return sorted(
        options, key=lambda o: 0 if o in parallel - same_object else 2 if o in same_object else 1
    )


def _conversions(obj: object, value: str) -> list[tuple[type, str]]:
    """Ways to turn `value` (whose live object is `obj`) into another builtin type."""
    if obj is None:
        return []
    out: list[tuple[type, str]] = []
    for target in (str, bytes, int, float, list):
        if isinstance(obj, target):
            continue
        if target is bytes:
            if isinstance(obj, str):
                out.append((bytes, f"{value}.encode()"))
            continue
        if target is str and isinstance(obj, bytes):
            out.append((str, f"{value}.decode()"))
            continue
        out.append((target, f"{target.__name__}({value})"))
    return out


# --------------------------------------------------------------------------- mappings


def _key_error(ctx: RepairContext, lines: list[int]) -> Iterator[Proposal | None]:
    exc = ctx.exception
    key = exc.args[0] if exc is not None and exc.args else None
    if exc is None and ctx.report.exception is not None:
        try:
            key = ast.literal_eval(ctx.report.exception.message)
        except (ValueError, SyntaxError):
            key = None
    src = ctx.source
    subs = [
        n
        for n in _on_lines(ctx, lines, (ast.Subscript,))
        if not isinstance(n.slice, ast.Slice)  # type: ignore[attr-defined]
    ]
    strings = [
        n.value for n in ctx.nodes() if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]
    keys_seen = _suggestions(ctx) + _keys_in_locals(ctx) + strings
    for node in subs:
        assert isinstance(node, ast.Subscript)
        value = src.segment(node.value)
        index = src.segment(node.slice)
        parent = src.parents.get(node)
        if isinstance(key, str):
            for rank, other in enumerate(_closest(key, keys_seen)):
                if isinstance(node.slice, ast.Constant):
                    yield ctx.proposal(
                        src.replace(node.slice, repr(other)),
                        f"key {key!r} -> {other!r}",
                        0.95 - 0.05 * rank,
                        node,
                        "typo",
                        template=True,
                    )
        if isinstance(node.ctx, ast.Store) and isinstance(parent, ast.AugAssign):
            op = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.BitOr: "|"}.get(type(parent.op))
            if op is not None:
                rhs = src.segment(parent.value)
                for default, prior in (("0", 0.9), ("1", 0.6), ('""', 0.5), ("[]", 0.5)):
                    if (op == "*" and default != "1") or (op != "*" and default == "1"):
                        continue
                    yield ctx.proposal(
                        src.replace(
                            parent, f"{value}[{index}] = {value}.get({index}, {default}) {op} {rhs}"
                        ),
                        f"start a missing key at {default}",
                        prior,
                        node,
                        "mapping",
                        template=True,
                    )
            continue
        if isinstance(parent, ast.Attribute) and isinstance(src.parents.get(parent), ast.Call):
            method = parent.attr
            empty = {"append": "[]", "extend": "[]", "add": "set()", "update": "{}"}.get(method)
            if empty:
                yield ctx.proposal(
                    src.replace(node, f"{value}.setdefault({index}, {empty})"),
                    f"create the missing entry with `setdefault({index}, {empty})`",
                    0.9,
                    node,
                    "mapping",
                    template=True,
                )
        if isinstance(parent, ast.Delete):
            yield ctx.proposal(
                src.replace(parent, f"{value}.pop({index}, None)"),
                f"`del {value}[{index}]` -> `{value}.pop({index}, None)`",
                0.7,
                node,
                "mapping",
                template=True,
            )
            continue
        stmt = ctx.statement_of(node)
        if (
            isinstance(node.ctx, ast.Load)
            and isinstance(parent, ast.BinOp)
            and isinstance(stmt, ast.Assign)
            and any(src.segment(t) == src.segment(node) for t in stmt.targets)
        ):
            # `d[k] = d[k] + v`: an accumulator whose first value is the identity.
            identity = "1" if isinstance(parent.op, ast.Mult) else "0"
            yield ctx.proposal(
                src.replace(node, f"{value}.get({index}, {identity})"),
                f"start a missing key at {identity}",
                0.9,
                node,
                "mapping",
                template=True,
            )
        if isinstance(node.ctx, ast.Load):
            yield ctx.proposal(
                src.replace(node, f"{value}.get({index})"),
                f"`{value}[{index}]` -> `{value}.get({index})`",
                0.3,
                node,
                "mapping",
                guess=True,
                template=True,
            )
            comp = ctx.enclosing(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp))
            if isinstance(comp, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
                generator = comp.generators[-1]
                last = generator.ifs[-1] if generator.ifs else generator.iter
                end = src.span(last)[1]
                yield ctx.proposal(
                    Edit(end, end, f" if {index} in {value}"),
                    f"skip items whose key is missing from `{value}`",
                    0.5,
                    node,
                    "guard",
                    template=True,
                )
            stmt = ctx.statement_of(node)
            if stmt is not None and ctx.in_loop(stmt):
                yield ctx.proposal(
                    src.insert_before(stmt, f"if {index} not in {value}:\n    continue"),
                    f"skip items whose key is missing from `{value}`",
                    0.45,
                    node,
                    "guard",
                    template=True,
                )
    for node in _on_lines(ctx, lines, (ast.Call,)):
        assert isinstance(node, ast.Call)
        if (
            isinstance(node.func, ast.Attribute)
            and node.func.attr == "remove"
            and len(node.args) == 1
        ):
            start = src.span(node.func.value)[1]
            edit = Edit(start, src.span(node.func)[1], ".discard")
            yield ctx.proposal(edit, "`.remove` -> `.discard`", 0.8, node, "mapping", template=True)
        if isinstance(node.func, ast.Attribute) and node.func.attr == "pop" and len(node.args) == 1:
            end = src.span(node)[1]
            yield ctx.proposal(
                Edit(end - 1, end - 1, ", None"),
                "`.pop(k)` -> `.pop(k, None)`",
                0.5,
                node,
                "mapping",
                template=True,
            )


def _keys_in_locals(ctx: RepairContext) -> list[str]:
    keys: list[str] = []
    for exc in ctx.report.chain:
        for frame in exc.frames:
            for text in frame.locals.values():
                keys.extend(re.findall(r"'([^'\\]{1,40})':", text))
    return keys


# --------------------------------------------------------------------------- types


_CONVERTERS = {
    "str": "str({})",
    "int": "int({})",
    "float": "float({})",
    "list": "list({})",
    "tuple": "tuple({})",
}


def _type_error(ctx: RepairContext, message: str, lines: list[int]) -> Iterator[Proposal | None]:
    src = ctx.source
    types_named = re.findall(r"'(\w+)'", message)
    binops = _on_lines(ctx, lines, (ast.BinOp, ast.AugAssign))
    if (
        "unsupported operand" in message
        or "can only concatenate" in message
        or ("can't multiply sequence" in message)
        or "must be str, not" in message
    ):
        for node in binops:
            assert isinstance(node, (ast.BinOp, ast.AugAssign))
            sides = [node.left, node.right] if isinstance(node, ast.BinOp) else [node.value]
            for side in sides:
                text = src.segment(side)
                # Convert a variable before converting a whole sub-expression.
                leaf = isinstance(side, (ast.Name, ast.Attribute, ast.Subscript, ast.Call))
                for conv, base in (("str", 0.8), ("int", 0.8), ("float", 0.7)):
                    unnamed = types_named and conv not in types_named
                    prior = base - 0.3 if unnamed and "concatenate" not in message else base
                    prior = prior if leaf else prior - 0.25
                    yield ctx.proposal(
                        src.replace_expr(side, _CONVERTERS[conv].format(text)),
                        f"convert `{text}` with {conv}()",
                        prior,
                        node,
                        "convert",
                        template=True,
                    )
                if "can only concatenate list" in message:
                    yield ctx.proposal(
                        src.replace(side, f"[{text}]"),
                        f"wrap `{text}` in a list",
                        0.8,
                        node,
                        "convert",
                        template=True,
                    )
    if "not supported between instances" in message:
        for node in _on_lines(ctx, lines, (ast.Compare,)):
            assert isinstance(node, ast.Compare)
            for side in [node.left, *node.comparators]:
                text = src.segment(side)
                for conv in ("int", "float", "str"):
                    yield ctx.proposal(
                        src.replace_expr(side, _CONVERTERS[conv].format(text)),
                        f"compare `{text}` as {conv}",
                        0.75,
                        node,
                        "convert",
                        template=True,
                    )
    # Element-wise conversion where a container of the wrong element type is consumed.
    if (
        "sequence item" in message
        or "unsupported operand" in message
        or ("not supported between" in message)
    ):
        for node in _on_lines(ctx, lines, (ast.Call,)):
            assert isinstance(node, ast.Call)
            fname = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else (node.func.id if isinstance(node.func, ast.Name) else "")
            )
            if fname not in {"join", "sum", "max", "min", "sorted", "set", "mean", "fsum"}:
                continue
            for arg in node.args[:1]:
                text = src.segment(arg)
                item = ctx.fresh()
                convs = ("str",) if fname == "join" else ("int", "float")
                for conv in convs:
                    yield ctx.proposal(
                        src.replace(arg, f"{conv}({item}) for {item} in {text}")
                        if len(node.args) == 1 and not node.keywords
                        else src.replace(arg, f"[{conv}({item}) for {item} in {text}]"),
                        f"convert each item of `{text}` with {conv}()",
                        0.85,
                        node,
                        "convert",
                        template=True,
                    )
    if (
        "bytes-like object is required" in message
        or "can't concat str to bytes" in message
        or "must be encoded" in message
    ):
        yield from _wrap_on_lines(ctx, lines, "{}.encode()", "encode `{}`", 0.8)
        # Or the receiver is the bytes that should have been text.
        for node in _on_lines(ctx, lines, (ast.Call,)):
            assert isinstance(node, ast.Call)
            if isinstance(node.func, ast.Attribute):
                text = src.segment(node.func.value)
                yield ctx.proposal(
                    src.replace_expr(node.func.value, f"{text}.decode()"),
                    f"decode `{text}` first",
                    0.75,
                    node,
                    "convert",
                    template=True,
                )
    if (
        "must be str, not bytes" in message
        or "expected str instance, bytes" in message
        or "can't concat bytes" in message
        or "not 'bytes'" in message
    ):
        yield from _wrap_on_lines(ctx, lines, "{}.decode()", "decode `{}`", 0.8)
    if "unhashable type" in message:
        yield from _wrap_on_lines(ctx, lines, "tuple({})", "use `tuple({})` as the key", 0.75)
        yield from _hash_everywhere(ctx, lines)
    if "cannot unpack non-iterable" in message:
        yield from _value_error(ctx, "not enough values to unpack", lines)
    if "cannot be interpreted as an integer" in message or "indices must be integers" in message:
        for node in binops:
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
                start = src.span(node.left)[1]
                gap = src.text[start : src.span(node.right)[0]]
                index = gap.find("/")
                if index >= 0:
                    yield ctx.proposal(
                        Edit(start + index, start + index + 1, "//"),
                        "true division `/` -> integer division `//`",
                        0.95,
                        node,
                        "division",
                        template=True,
                    )
        yield from _wrap_on_lines(ctx, lines, "int({})", "convert `{}` to int", 0.7)
    if "is not iterable" in message and "NoneType" not in message:
        for node in _on_lines(ctx, lines, (ast.For, ast.comprehension)):
            it = node.iter  # type: ignore[attr-defined]
            text = src.segment(it)
            for new, prior in ((f"range({text})", 0.85), (f"str({text})", 0.4)):
                yield ctx.proposal(
                    src.replace(it, new),
                    f"iterate over `{new}`",
                    prior,
                    it,
                    "convert",
                    template=True,
                )
    if "object is not subscriptable" in message and "NoneType" not in message:
        for node in _on_lines(ctx, lines, (ast.Subscript,)):
            assert isinstance(node, ast.Subscript)
            text = src.segment(node.value)
            for new, prior in ((f"list({text})", 0.8), (f"{text}()", 0.5), (f"str({text})", 0.4)):
                yield ctx.proposal(
                    src.replace_expr(node.value, new),
                    f"`{text}` -> `{new}`",
                    prior,
                    node,
                    "convert",
                    template=True,
                )
    if "object is not callable" in message:
        for node in _on_lines(ctx, lines, (ast.Call,)):
            assert isinstance(node, ast.Call)
            func = src.segment(node.func)
            if not node.args and not node.keywords:
                yield ctx.proposal(
                    src.replace(node, func),
                    f"`{func}()` -> `{func}`",
                    0.8,
                    node,
                    "call",
                    template=True,
                )
            elif len(node.args) == 1 and not node.keywords:
                arg_text = src.segment(node.args[0])
                yield ctx.proposal(
                    src.replace(node, f"{func}[{arg_text}]"),
                    f"`{func}({arg_text})` -> `{func}[{arg_text}]`",
                    0.8,
                    node,
                    "call",
                    template=True,
                )
    if "has no len()" in message:
        for node in _on_lines(ctx, lines, (ast.Call,)):
            assert isinstance(node, ast.Call)
            if isinstance(node.func, ast.Name) and node.func.id == "len" and len(node.args) == 1:
                text = src.segment(node.args[0])
                for new in (f"list({text})", f"str({text})"):
                    yield ctx.proposal(
                        src.replace(node.args[0], new),
                        f"`len({text})` -> `len({new})`",
                        0.75,
                        node,
                        "convert",
                        template=True,
                    )
    if "positional argument" in message or "unexpected keyword" in message:
        for node in _on_lines(ctx, lines, (ast.Call,)):
            assert isinstance(node, ast.Call)
            for kw in node.keywords:
                if kw.arg and f"'{kw.arg}'" in message:
                    yield ctx.proposal(
                        _drop_item(ctx, node, kw),
                        f"drop the keyword `{kw.arg}`",
                        0.6,
                        node,
                        "arity",
                        template=True,
                    )
            for arg in node.args:
                yield ctx.proposal(
                    _drop_item(ctx, node, arg),
                    f"drop the argument `{src.segment(arg)}`",
                    0.55,
                    node,
                    "arity",
                    template=True,
                )
    if "string indices must be integers" in message:
        for node in _on_lines(ctx, lines, (ast.For,)):
            assert isinstance(node, ast.For)
            text = src.segment(node.iter)
            yield ctx.proposal(
                src.replace(node.iter, f"{text}.values()"),
                f"iterate over `{text}.values()`",
                0.6,
                node,
                "convert",
                template=True,
            )


def _hash_everywhere(ctx: RepairContext, lines: list[int]) -> Iterator[Proposal | None]:
    """`tuple(x)` wherever `x` is hashed in the function (membership, set/dict keys):
    fixing only the failing line would fail again on the next use."""
    src = ctx.source
    names = {
        src.segment(n)
        for n in _on_lines(ctx, lines, (ast.Name, ast.Attribute, ast.Subscript))
        if not isinstance(getattr(n, "ctx", None), ast.Store)
    }
    for text in sorted(names):
        edits = []
        for node in ctx.nodes():
            if not isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)):
                continue
            if src.segment(node) != text or isinstance(getattr(node, "ctx", None), ast.Store):
                continue
            parent = src.parents.get(node)
            hashed = (
                (
                    isinstance(parent, ast.Compare)
                    and parent.left is node
                    and any(isinstance(op, (ast.In, ast.NotIn)) for op in parent.ops)
                )
                or (
                    isinstance(parent, ast.Call)
                    and isinstance(parent.func, ast.Attribute)
                    and parent.func.attr in {"add", "discard", "remove", "get", "setdefault", "pop"}
                    and parent.args
                    and parent.args[0] is node
                )
                or (isinstance(parent, ast.Subscript) and parent.slice is node)
            )
            if hashed:
                edits.append(src.replace(node, f"tuple({text})"))
        if len(edits) > 1:
            yield ctx.proposal(
                edits,
                f"use `tuple({text})` wherever `{text}` is hashed",
                0.85,
                ctx.fn.body[0],
                "convert",
                template=True,
            )


def _drop_item(ctx: RepairContext, call: ast.Call, item: ast.AST) -> Edit:
    src = ctx.source
    parts = [src.segment(a) for a in call.args if a is not item]
    parts += [src.segment(k) for k in call.keywords if k is not item]
    return src.replace(call, f"{src.segment(call.func)}({', '.join(parts)})")


def _wrap_on_lines(
    ctx: RepairContext, lines: list[int], pattern: str, what: str, prior: float
) -> Iterator[Proposal | None]:
    for node in _on_lines(ctx, lines, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)):
        parent = ctx.source.parents.get(node)
        if isinstance(parent, ast.Call) and parent.func is node:
            continue
        if isinstance(parent, ast.Attribute):
            continue
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            continue
        if isinstance(node, ast.Name) and node.id in ctx.builtin_names:
            continue
        text = ctx.source.segment(node)
        yield ctx.proposal(
            ctx.source.replace_expr(node, pattern.format(text)),  # type: ignore[arg-type]
            what.format(text),
            prior,
            node,
            "convert",
            template=True,
        )


# --------------------------------------------------------------------------- values


def _value_error(ctx: RepairContext, message: str, lines: list[int]) -> Iterator[Proposal | None]:
    src = ctx.source
    if "values to unpack" in message:
        for node in _on_lines(ctx, lines, (ast.For, ast.comprehension, ast.Assign)):
            if isinstance(node, (ast.For, ast.comprehension)):
                text = src.segment(node.iter)
                for new, prior in (
                    (f"{text}.items()", 0.85),
                    (f"enumerate({text})", 0.8),
                    (f"zip({text})", 0.3),
                ):
                    yield ctx.proposal(
                        src.replace(node.iter, new),
                        f"iterate over `{new}`",
                        prior,
                        node.iter,
                        "unpack",
                        template=True,
                    )
            value = node.iter if isinstance(node, (ast.For, ast.comprehension)) else node.value  # type: ignore[attr-defined]
            for call in ast.walk(value):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr in {"split", "rsplit"}
                    and len(call.args) == 1
                    and "too many" in message
                ):
                    end = src.span(call)[1]
                    yield ctx.proposal(
                        Edit(end - 1, end - 1, ", 1"),
                        "split at most once",
                        0.85,
                        call,
                        "unpack",
                        template=True,
                    )
            target = (
                node.target if isinstance(node, (ast.For, ast.comprehension)) else node.targets[0]  # type: ignore[attr-defined]
            )
            if isinstance(target, ast.Tuple) and "too many" in message:
                last = target.elts[-1]
                end = src.span(last)[1]
                rest = ctx.fresh("_rest")
                yield ctx.proposal(
                    Edit(end, end, f", *{rest}"),
                    "ignore the extra values",
                    0.35,
                    node,
                    "unpack",
                    template=True,
                )
    if "invalid literal for int()" in message or "could not convert string to float" in message:
        literal = re.search(r": '(.*)'$", message)
        text_value = literal.group(1) if literal else ""
        for node in _on_lines(ctx, lines, (ast.Call,)):
            assert isinstance(node, ast.Call)
            if not (isinstance(node.func, ast.Name) and node.func.id in {"int", "float"}):
                continue
            if len(node.args) != 1:
                continue
            arg = src.segment(node.args[0])
            options = []
            if node.func.id == "int" and re.fullmatch(r"\s*-?\d*\.\d*\s*", text_value or "x"):
                options.append((f"float({arg})", 0.85))
            options.append((f"{arg}.strip()", 0.8 if text_value != text_value.strip() else 0.5))
            if "," in text_value:
                options.append((f"{arg}.replace(',', '')", 0.75))
            for new, prior in options:
                yield ctx.proposal(
                    src.replace(node.args[0], new),
                    f"parse `{new}`",
                    prior,
                    node,
                    "convert",
                    template=True,
                )
    if "not in list" in message or "substring not found" in message:
        for node in _on_lines(ctx, lines, (ast.Call,)):
            assert isinstance(node, ast.Call)
            if isinstance(node.func, ast.Attribute) and node.func.attr in {"remove", "index"}:
                stmt = ctx.statement_of(node)
                if stmt is None or len(node.args) != 1:
                    continue
                arg = src.segment(node.args[0])
                value = src.segment(node.func.value)
                if node.func.attr == "index" and "substring" in message:
                    start = src.span(node.func.value)[1]
                    yield ctx.proposal(
                        Edit(start, src.span(node.func)[1], ".find"),
                        "`.index` -> `.find`",
                        0.6,
                        node,
                        "convert",
                        template=True,
                    )
                if isinstance(stmt, ast.Expr):
                    yield ctx.proposal(
                        src.wrap(stmt, f"if {arg} in {value}:"),
                        f"only when `{arg}` is in `{value}`",
                        0.75,
                        node,
                        "guard",
                        template=True,
                    )
    if "arg is an empty sequence" in message or "empty sequence" in message:
        for node in _on_lines(ctx, lines, (ast.Call,)):
            assert isinstance(node, ast.Call)
            if (
                isinstance(node.func, ast.Name)
                and node.func.id in {"max", "min"}
                and len(node.args) == 1
            ):
                end = src.span(node)[1]
                yield ctx.proposal(
                    Edit(end - 1, end - 1, ", default=None"),
                    f"`{node.func.id}` of nothing is None",
                    0.3,
                    node,
                    "empty",
                    guess=True,
                    template=True,
                )


# --------------------------------------------------------------------------- indices


def _index_error(ctx: RepairContext, message: str, lines: list[int]) -> Iterator[Proposal | None]:
    src = ctx.source
    for node in _on_lines(ctx, lines, (ast.Subscript,)):
        assert isinstance(node, ast.Subscript)
        if isinstance(node.slice, ast.Slice) or not isinstance(node.ctx, ast.Load):
            continue
        stmt = ctx.statement_of(node)
        value = src.segment(node.value)
        index = src.segment(node.slice)
        if (
            stmt is not None
            and ctx.in_loop(stmt)
            and isinstance(stmt, (ast.Assign, ast.AugAssign, ast.Expr))
        ):
            yield ctx.proposal(
                src.wrap(stmt, f"if {index} < len({value}):"),
                f"only when `{index}` is inside `{value}`",
                0.35,
                node,
                "guard",
                template=True,
            )
    if "pop from empty" in message:
        for node in _on_lines(ctx, lines, (ast.Call,)):
            stmt = ctx.statement_of(node)
            assert isinstance(node, ast.Call)
            if isinstance(node.func, ast.Attribute) and node.func.attr in {"pop", "popleft"}:
                value = src.segment(node.func.value)
                if isinstance(stmt, ast.Expr):
                    yield ctx.proposal(
                        src.wrap(stmt, f"if {value}:"),
                        f"pop only when `{value}` is not empty",
                        0.6,
                        node,
                        "guard",
                        template=True,
                    )
    yield from _empty_guard(ctx, lines)


def _empty_guard(ctx: RepairContext, lines: list[int]) -> Iterator[Proposal | None]:
    # `xs[0]` on an empty input: an early return of an empty value is a guess.
    first = ctx.fn.body[0]
    for param in ctx.params[:3]:
        for value in ("None", "[]", "0"):
            yield ctx.proposal(
                ctx.source.insert_before(first, f"if not {param}:\n    return {value}"),
                f"return {value} when `{param}` is empty",
                0.05,
                first,
                "empty",
                guess=True,
                template=True,
            )


def _zero_division(ctx: RepairContext, lines: list[int]) -> Iterator[Proposal | None]:
    src = ctx.source
    for node in _on_lines(ctx, lines, (ast.BinOp,)):
        assert isinstance(node, ast.BinOp)
        if not isinstance(node.op, (ast.Div, ast.FloorDiv, ast.Mod)):
            continue
        denominator = src.segment(node.right)
        whole = src.segment(node)
        yield ctx.proposal(
            src.replace_expr(node, f"{whole} if {denominator} else 0"),
            f"`{whole}` is 0 when `{denominator}` is 0",
            0.2,
            node,
            "zero",
            guess=True,
            template=True,
        )
        stmt = ctx.statement_of(node)
        if stmt is not None and ctx.in_loop(stmt):
            yield ctx.proposal(
                src.insert_before(stmt, f"if not {denominator}:\n    continue"),
                f"skip when `{denominator}` is 0",
                0.35,
                node,
                "zero",
                template=True,
            )
        if stmt is not None and not ctx.in_loop(stmt):
            for value in ("0", "None", "0.0"):
                yield ctx.proposal(
                    src.insert_before(stmt, f"if not {denominator}:\n    return {value}"),
                    f"return {value} when `{denominator}` is 0",
                    0.1,
                    node,
                    "zero",
                    guess=True,
                    template=True,
                )


def _iterate_copy(ctx: RepairContext, lines: list[int]) -> Iterator[Proposal | None]:
    src = ctx.source
    loops = list(_on_lines(ctx, lines, (ast.For, ast.comprehension)))
    if not loops:
        loops = [n for n in ctx.nodes() if isinstance(n, ast.For)]
    for node in loops:
        it = node.iter  # type: ignore[attr-defined]
        text = src.segment(it)
        yield ctx.proposal(
            src.replace(it, f"list({text})"),
            f"iterate over a copy: `list({text})`",
            0.95,
            it,
            "copy",
            template=True,
        )


def _stop_iteration(ctx: RepairContext, lines: list[int]) -> Iterator[Proposal | None]:
    src = ctx.source
    for node in _on_lines(ctx, lines, (ast.Call,)):
        assert isinstance(node, ast.Call)
        if isinstance(node.func, ast.Name) and node.func.id == "next" and len(node.args) == 1:
            end = src.span(node)[1]
            yield ctx.proposal(
                Edit(end - 1, end - 1, ", None"),
                "`next(it)` -> `next(it, None)`",
                0.4,
                node,
                "empty",
                guess=True,
                template=True,
            )


# --------------------------------------------------------------------------- None


def _none_handling(ctx: RepairContext, lines: list[int]) -> Iterator[Proposal | None]:
    src = ctx.source
    candidates: list[ast.expr] = []
    for node in _on_lines(
        ctx, lines, (ast.Attribute, ast.Subscript, ast.For, ast.comprehension, ast.Call)
    ):
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            candidates.append(node.value)
        elif isinstance(node, (ast.For, ast.comprehension)):
            candidates.append(node.iter)
        elif isinstance(node, ast.Call):
            candidates.extend(a for a in node.args if isinstance(a, (ast.Name, ast.Attribute)))
    for node in _on_lines(ctx, lines, (ast.Compare,)):
        assert isinstance(node, ast.Compare)
        for op, right in zip(node.ops, node.comparators, strict=False):
            if isinstance(op, (ast.In, ast.NotIn)):
                candidates.append(right)
    seen: set[str] = set()
    for value in candidates:
        text = src.segment(value)
        if text in seen or isinstance(value, ast.Constant):
            continue
        seen.add(text)
        stmt = ctx.statement_of(value)
        if stmt is None:
            continue
        simple = isinstance(value, (ast.Name, ast.Attribute))
        parent = src.parents.get(value)
        membership = isinstance(parent, ast.Compare) and value in parent.comparators
        if (
            isinstance(parent, (ast.For, ast.comprehension)) and parent.iter is value
        ) or membership:
            yield ctx.proposal(
                src.replace_expr(value, f"{text} or []"),
                f"treat a None `{text}` as empty",
                0.55,
                value,
                "none",
                template=True,
            )
        if simple and ctx.in_loop(stmt) and not isinstance(stmt, (ast.For, ast.While)):
            yield ctx.proposal(
                src.insert_before(stmt, f"if {text} is None:\n    continue"),
                f"skip items where `{text}` is None",
                0.6,
                value,
                "none",
                template=True,
            )
        if simple and isinstance(stmt, (ast.Assign, ast.AugAssign, ast.Expr)):
            yield ctx.proposal(
                src.wrap(stmt, f"if {text} is not None:"),
                f"only when `{text}` is not None",
                0.4,
                value,
                "none",
                template=True,
            )
        if simple:
            top = stmt
            yield ctx.proposal(
                src.insert_before(top, f"if {text} is None:\n    return None"),
                f"return None when `{text}` is None",
                0.08,
                value,
                "none",
                guess=True,
                template=True,
            )


def _skip_in_loop(ctx: RepairContext, lines: list[int], kind: str) -> Iterator[Proposal | None]:
    """`try: <stmt> except <Kind>: continue` around the failing statement inside a loop:
    skipping a bad record is a real choice for batch code, so it ranks low."""
    stmt = ctx.stmt_at(lines[0])
    if stmt is None or not ctx.in_loop(stmt) or isinstance(stmt, (ast.For, ast.While)):
        return
    if not kind or kind in {"RecursionError", "UnboundLocalError"}:
        return
    yield ctx.proposal(
        ctx.source.wrap(stmt, "try:", f"except {kind}:\n    continue"),
        f"skip items that raise {kind}",
        0.12,
        stmt,
        "skip",
        template=True,
    )


__all__ = ["templates"]
