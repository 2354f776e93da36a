"""What the generators of candidate edits look at, and what they produce.

`RepairContext` is built once per failure from the request: the parsed source, the
function node, the names in scope (with a coarse kind guessed from the captured,
redacted locals), the live exception and the localisation. `Proposal` is one candidate
edit set with its prior.

This module owns those shapes and the scope analysis; it must not run user code.
"""

from __future__ import annotations

import ast
import builtins
import re
import types
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from selfheal.engines.offline.localize import Localization
from selfheal.engines.offline.source import Edit, SourceText
from selfheal.models import Call, FailureReport
from selfheal.verify.domain import observed_values


@dataclass(frozen=True)
class Proposal:
    edits: tuple[Edit, ...]
    description: str
    prior: float  # 0..1, how plausible this kind of edit is for this failure
    line: int  # relative line of the edit (for the localisation weight)
    guess: bool = False
    operator: str = ""
    template: bool = False  # keyed to the failure kind (not a blind mutation)


@dataclass
class RepairContext:
    source: SourceText
    fn: ast.FunctionDef | ast.AsyncFunctionDef
    function: types.FunctionType
    report: FailureReport
    exception: BaseException | None
    loc: Localization
    params: list[str] = field(default_factory=list)
    local_names: list[str] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)  # name -> "int" | "str" | "list" ...
    fresh_counter: int = 0
    # Parameter -> the values calls that did not fail passed for it (recorded calls,
    # examples): what types the function is used with. Read, never called.
    samples: dict[str, list[object]] = field(default_factory=dict)
    # Text the inputs and expected results hold (arguments of every call shown to the
    # engine, examples' expected values): spellings a string literal may have meant.
    texts: list[str] = field(default_factory=list)
    # Numbers and strings found only in the failing input: an edit that writes one of
    # them into the function fits the test, not the function (see the search's rank).
    failing_literals: frozenset[object] = frozenset()

    @property
    def name(self) -> str:
        return self.fn.name

    @cached_property
    def source_literals(self) -> frozenset[object]:
        """The numbers (negative ones too) and strings the function's own code holds."""
        found: set[object] = set()
        for node in self.nodes():
            if isinstance(node, ast.Constant) and isinstance(node.value, (int, str)):
                found.add(node.value)
            elif (
                isinstance(node, ast.UnaryOp)
                and isinstance(node.op, ast.USub)
                and isinstance(node.operand, ast.Constant)
                and type(node.operand.value) is int
            ):
                found.add(-node.operand.value)
        return frozenset(found)

    @property
    def scope_names(self) -> list[str]:
        return self.params + [n for n in self.local_names if n not in self.params]

    @property
    def global_names(self) -> list[str]:
        return [n for n in self.function.__globals__ if not n.startswith("__")]

    @property
    def builtin_names(self) -> list[str]:
        return [n for n in dir(builtins) if not n.startswith("_")]

    def line_of(self, node: ast.AST) -> int:
        return int(getattr(node, "lineno", 1))

    def abs_line(self, rel: int) -> int:
        return self.report.function.firstlineno + rel - 1

    def nodes(self) -> Iterator[ast.AST]:
        """Every node of the function's body (not the decorators or the signature)."""
        for stmt in self.fn.body:
            yield from ast.walk(stmt)

    def nodes_on(self, line: int) -> list[ast.AST]:
        return [n for n in self.nodes() if getattr(n, "lineno", None) == line]

    def stmt_at(self, line: int) -> ast.stmt | None:
        """The innermost statement that starts on `line`, or spans it."""
        best: ast.stmt | None = None
        for node in self.nodes():
            if isinstance(node, ast.stmt):
                end = node.end_lineno or node.lineno
                if node.lineno <= line <= end and (best is None or node.lineno >= best.lineno):
                    best = node
        return best

    def enclosing(self, node: ast.AST, kinds: tuple[type, ...]) -> ast.AST | None:
        current = self.source.parents.get(node)
        while current is not None and current is not self.fn:
            if isinstance(current, kinds):
                return current
            current = self.source.parents.get(current)
        return None

    def statement_of(self, node: ast.AST) -> ast.stmt | None:
        current: ast.AST | None = node
        while current is not None and not isinstance(current, ast.stmt):
            current = self.source.parents.get(current)
        return current if isinstance(current, ast.stmt) and current is not self.fn else None

    def block_of(self, stmt: ast.stmt) -> list[ast.stmt]:
        parent = self.source.parents.get(stmt)
        for name in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(parent, name, None)
            if isinstance(block, list) and stmt in block:
                return block
        return [stmt]

    def in_loop(self, node: ast.AST) -> bool:
        loop = self.enclosing(node, (ast.For, ast.While, ast.AsyncFor, ast.FunctionDef))
        return isinstance(loop, (ast.For, ast.While, ast.AsyncFor))

    def fresh(self, base: str = "item") -> str:
        used = {n.id for n in self.nodes() if isinstance(n, ast.Name)} | set(self.params)
        name = base
        while name in used:
            self.fresh_counter += 1
            name = f"{base}{self.fresh_counter}"
        return name

    def proposal(
        self,
        edits: Edit | tuple[Edit, ...] | list[Edit] | None,
        description: str,
        prior: float,
        node: ast.AST,
        operator: str,
        *,
        guess: bool = False,
        template: bool = False,
    ) -> Proposal | None:
        if edits is None:
            return None
        if isinstance(edits, Edit):
            edits = (edits,)
        if not edits:
            return None
        line = self.line_of(node)
        return Proposal(
            tuple(edits),
            f"{description} (line {self.abs_line(line)})",
            prior,
            line,
            guess=guess,
            operator=operator,
            template=template,
        )


def nodes_on_lines(ctx: RepairContext, lines: list[int], kinds: tuple[type, ...]) -> list[ast.AST]:
    """The nodes of these kinds in the statements on `lines` (not in nested blocks)."""
    out: list[ast.AST] = []
    for line in lines:
        stmt = ctx.stmt_at(line)
        roots: list[ast.AST] = [stmt] if stmt is not None else []
        for root in roots:
            for node in ast.walk(root):
                if isinstance(node, kinds) and node not in out:
                    # Only this statement's own expressions, not a nested block's.
                    owner = ctx.statement_of(node)
                    if owner is root or (
                        isinstance(root, (ast.For, ast.While, ast.If))
                        and (
                            node.lineno == line  # type: ignore[attr-defined]
                        )
                    ):
                        out.append(node)
    return out


def build_context(
    source_text: str,
    function: types.FunctionType,
    report: FailureReport,
    exception: BaseException | None,
    loc: Localization,
    calls: Sequence[Call] = (),
    expected: Sequence[object] = (),
    failing: Call | None = None,
) -> RepairContext:
    source = SourceText(source_text)
    fn = next(
        (n for n in source.tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))),
        None,
    )
    if fn is None:
        raise ValueError("the source holds no function definition")
    ctx = RepairContext(source, fn, function, report, exception, loc)
    args = fn.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    if args.vararg:
        every.append(args.vararg)
    if args.kwarg:
        every.append(args.kwarg)
    ctx.params = [a.arg for a in every]
    locals_: list[str] = []
    for node in ctx.nodes():
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            if node.id not in locals_ and node.id not in ctx.params:
                locals_.append(node.id)
        elif isinstance(node, ast.ExceptHandler) and node.name and node.name not in locals_:
            locals_.append(node.name)
    ctx.local_names = locals_
    ctx.kinds = _kinds_from_report(report)
    _kinds_from_annotations(ctx)
    ctx.samples = observed_values(function, calls)
    passing = _literals([*(a for c in calls for a in (*c.args, *c.kwargs.values())), *expected])
    shown = _literals([*failing.args, *failing.kwargs.values()]) if failing is not None else set()
    ctx.texts = sorted(v for v in passing | shown if isinstance(v, str) and 1 < len(v) < 40)
    ctx.failing_literals = frozenset(shown - passing)
    return ctx


def _literals(values: Sequence[object], depth: int = 0) -> set[object]:
    """The ints and short strings inside some values (containers opened two deep)."""
    found: set[object] = set()
    for value in values:
        if isinstance(value, bool):
            continue
        if isinstance(value, int) or (isinstance(value, str) and len(value) < 40):
            found.add(value)
        elif depth < 2 and isinstance(value, (list, tuple, set, frozenset)):
            found |= _literals(list(value)[:50], depth + 1)
        elif depth < 2 and isinstance(value, dict):
            found |= _literals([*list(value)[:50], *list(value.values())[:50]], depth + 1)
    return found


_KIND_PATTERNS = (
    (re.compile(r"^-?\d+$"), "int"),
    (re.compile(r"^-?\d*\.\d*(e-?\d+)?$|^-?inf$|^nan$"), "float"),
    (re.compile(r"^(True|False)$"), "bool"),
    (re.compile(r"^None$"), "None"),
    (re.compile(r"^b?['\"]"), "str"),
    (re.compile(r"^\["), "list"),
    (re.compile(r"^\("), "tuple"),
    (re.compile(r"^\{\}$|^\{[^:]*:"), "dict"),
    (re.compile(r"^\{"), "set"),
    (re.compile(r"^set\("), "set"),
    (re.compile(r"^(deque|defaultdict|Counter|OrderedDict)\("), "container"),
    (re.compile(r"^<?([A-Za-z_][\w.]*)[ (]"), "object"),
)


def _kinds_from_report(report: FailureReport) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for exc in report.chain:
        for frame in exc.frames:
            if not frame.in_target:
                continue
            for name, text in frame.locals.items():
                for pattern, kind in _KIND_PATTERNS:
                    match = pattern.match(text.strip())
                    if match:
                        found = kind
                        if text.startswith(("b'", 'b"')):
                            found = "bytes"
                        elif kind == "object":
                            found = match.group(1)
                        kinds.setdefault(name, found)
                        break
    return kinds


def _kinds_from_annotations(ctx: RepairContext) -> None:
    args = ctx.fn.args
    for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
        ann = arg.annotation
        if isinstance(ann, ast.Name) and ann.id in {"int", "float", "str", "bytes", "bool"}:
            ctx.kinds.setdefault(arg.arg, ann.id)
        elif isinstance(ann, (ast.Subscript, ast.Name)):
            base = ann.value if isinstance(ann, ast.Subscript) else ann
            if isinstance(base, ast.Name) and base.id.lower() in {"list", "dict", "set", "tuple"}:
                ctx.kinds.setdefault(arg.arg, base.id.lower())


__all__ = ["Proposal", "RepairContext", "build_context", "nodes_on_lines"]
