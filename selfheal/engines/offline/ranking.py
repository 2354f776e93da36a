"""Ranked enumeration of candidate sources: singles first, then pairs, then guesses.

The rank of a proposal is its prior (how often that edit fixes this kind of failure)
times the localisation score of the line it edits, with a boost for templates keyed
to the failure kind and for the operators a failure kind points at (bounds for an
IndexError, base cases for a RecursionError). Ties go to the smaller edit.
Candidates are deduplicated by their normalised AST, and the original itself never
comes back as a candidate.

This module owns ordering and deduplication; it must not run code.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from selfheal.engines.offline.additions import additions
from selfheal.engines.offline.context import Proposal, RepairContext
from selfheal.engines.offline.mutations import mutations
from selfheal.engines.offline.source import apply_edits, disjoint, normalized
from selfheal.engines.offline.templates import templates
from selfheal.priors import KindPriors

MAX_SINGLES = 8000
PAIR_POOL = 45

# Operators a failure kind points at, and how much more likely they become.
KIND_BOOSTS: dict[str, dict[str, float]] = {
    "IndexError": {"offset": 1.4, "range": 1.4, "compare": 1.3, "slice": 1.3},
    "ZeroDivisionError": {"offset": 1.3, "range": 1.3, "constant": 1.2, "compare": 1.2},
    "RecursionError": {"compare": 1.3, "offset": 1.3, "constant": 1.2},
    "KeyError": {"name": 1.2, "constant": 1.2},
    "TypeError": {"unwrap": 1.3, "swap-args": 1.2, "drop-arg": 1.5},
}


@dataclass(frozen=True)
class Ranked:
    proposal: Proposal
    rank: float
    source: str
    tree: ast.Module | None = field(default=None, compare=False, repr=False)


def rank_of(ctx: RepairContext, proposal: Proposal, kind: str) -> float:
    weight = ctx.loc.score(proposal.line)
    if proposal.operator != "typo" and _fits_the_test(ctx, proposal):
        weight *= 0.2
    if proposal.template:
        weight = max(weight, 0.8) * 1.5
    weight *= KIND_BOOSTS.get(kind, {}).get(proposal.operator, 1.0)
    if kind == "RecursionError" and _near_base_case(ctx, proposal):
        weight *= 1.5
    return proposal.prior * weight


_LITERAL = re.compile(r"-?\d+|'[^'\\]{0,40}'|" + r'"[^"\\]{0,40}"')


def _fits_the_test(ctx: RepairContext, proposal: Proposal) -> bool:
    """Does the edit write into the function a number or string that only the failing
    input holds (a constant taken from the test: `if n == 37: return ...`)? Such an edit
    fits the test rather than the function: it ranks far down. The small numbers every
    function uses (-2 to 2) and one-character strings are not evidence of that."""
    if not ctx.failing_literals:
        return False
    present = ctx.source_literals
    for edit in proposal.edits:
        for token in _LITERAL.findall(edit.replacement):
            try:
                value = ast.literal_eval(token)
            except (ValueError, SyntaxError):
                continue
            common = (isinstance(value, int) and abs(value) <= 2) or (
                isinstance(value, str) and len(value) <= 1)
            if not common and value not in present and value in ctx.failing_literals:
                return True
    return False


def _near_base_case(ctx: RepairContext, proposal: Proposal) -> bool:
    for node in ctx.nodes():
        if isinstance(node, ast.If) and node.test.lineno == proposal.line:
            return True
        if (
            isinstance(node, ast.Call)
            and getattr(node, "lineno", 0) == proposal.line
            and (
                (isinstance(node.func, ast.Name) and node.func.id == ctx.name)
                or (isinstance(node.func, ast.Attribute) and node.func.attr == ctx.name)
            )
        ):
            return True
    return False


def kind_of(proposal: Proposal) -> str:
    """The fix kind a candidate from this proposal carries (`Candidate.kind`)."""
    return proposal.operator or "template"


def failure_kind(ctx: RepairContext) -> str:
    if ctx.exception is not None:
        return type(ctx.exception).__name__
    exc = ctx.report.exception
    return exc.type.rsplit(".", 1)[-1] if exc is not None else ""


class CandidateSearch:
    """Yields candidate sources in rank order: singles, pairs of singles, guesses."""

    def __init__(self, ctx: RepairContext) -> None:
        self.ctx = ctx
        self.kind = failure_kind(ctx)
        self._seen: set[str] = set()
        original = normalized(ctx.source.text)
        if original is not None:
            self._seen.add(original)
        proposals: list[Proposal] = []
        for generator in (templates(ctx), mutations(ctx), additions(ctx)):
            try:
                for proposal in generator:
                    if proposal is not None:
                        proposals.append(proposal)
            except Exception:  # a generator bug must cost candidates, not the search
                continue
        scored = [(rank_of(ctx, p, self.kind), p) for p in proposals]
        scored.sort(key=lambda item: (-item[0], _size(item[1])))
        self.singles = [(r, p) for r, p in scored if not p.guess][:MAX_SINGLES]
        self.guesses = [(r, p) for r, p in scored if p.guess]
        self.generated = len(proposals)
        self._literal_returns = literal_returns(ctx.source.text)
        self._depends = depends_on_inputs(ctx.source.text)

    def weigh(self, priors: KindPriors) -> None:
        """Rank again with the project's decisions per fix kind (`selfheal.priors`);
        called before the first candidate is taken."""
        if not priors.counts:
            return

        def ranked(items: list[tuple[float, Proposal]]) -> list[tuple[float, Proposal]]:
            out = [(rank * priors.weight(kind_of(p)), p) for rank, p in items]
            out.sort(key=lambda item: (-item[0], _size(item[1])))
            return out

        self.singles = ranked(self.singles)
        self.guesses = ranked(self.guesses)

    def _materialize(self, proposal: Proposal, rank: float) -> Ranked | None:
        try:
            source = apply_edits(self.ctx.source.text, proposal.edits)
        except Exception:
            return None
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        key = ast.dump(tree)
        if key in self._seen:
            return None
        self._seen.add(key)
        return Ranked(proposal, rank, source, tree)

    def invented(self, ranked: Ranked) -> Ranked | None:
        """The guess version of `ranked` when its only effect is an invented value: a
        `return <literal>` the original did not have, or results that no longer depend
        on the inputs, however the edit was produced. None for a real edit.

        Costly on long functions, so the engine asks only about candidates that passed
        screening."""
        code = ranked.tree if ranked.tree is not None else ranked.source
        if invents_literal(self._literal_returns, code) or (
            self._depends and not depends_on_inputs(code)
        ):
            return Ranked(replace(ranked.proposal, guess=True), ranked.rank * 0.01, ranked.source)
        return None

    def singles_iter(self) -> Iterator[Ranked]:
        for rank, proposal in self.singles:
            ranked = self._materialize(proposal, rank)
            if ranked is not None:
                yield ranked

    def guesses_iter(self) -> Iterator[Ranked]:
        for rank, proposal in self.guesses:
            ranked = self._materialize(proposal, rank * 0.01)
            if ranked is not None:
                yield ranked

    def pairs_iter(self) -> Iterator[Ranked]:
        pool = [(r, p) for r, p in self.singles if not p.guess][:PAIR_POOL]
        pairs: list[tuple[float, Proposal]] = []
        for i, (ra, a) in enumerate(pool):
            for rb, b in pool[i + 1 :]:
                edits = a.edits + b.edits
                if not disjoint(edits):
                    continue
                combined = Proposal(
                    edits,
                    f"{a.description}; {b.description}",
                    a.prior * b.prior,
                    a.line,
                    operator=f"{a.operator}+{b.operator}",
                )
                pairs.append((ra * rb, combined))
        pairs.sort(key=lambda item: -item[0])
        for rank, proposal in pairs:
            ranked = self._materialize(proposal, rank)
            if ranked is not None:
                yield ranked


def _is_literal(node: ast.AST | None) -> bool:
    if node is None or isinstance(node, ast.Constant):
        return True
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return all(_is_literal(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(
            _is_literal(k) and _is_literal(v) for k, v in zip(node.keys, node.values, strict=False)
        )
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return _is_literal(node.operand)
    return False


def _constant_valued(node: ast.AST | None) -> bool:
    """A literal, or an expression that reads no name at all (`";"[0].strip()`)."""
    if _is_literal(node):
        return True
    return node is not None and not any(isinstance(n, ast.Name) for n in ast.walk(node))


def _parsed(source: str | ast.Module) -> ast.Module | None:
    if isinstance(source, ast.Module):
        return source
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        return None


def literal_returns(source: str | ast.Module) -> int:
    """How many `return`/`yield` statements of a source give a constant value."""
    tree = _parsed(source)
    if tree is None:
        return 0
    return sum(
        1
        for node in ast.walk(tree)
        if isinstance(node, (ast.Return, ast.Yield))
        and _constant_valued(node.value)
        and not (isinstance(node, ast.Return) and node.value is None)
    )


def invents_literal(original_count: int, source: str | ast.Module) -> bool:
    return literal_returns(source) > original_count


def depends_on_inputs(source: str | ast.Module) -> bool:
    """Does any return/yield value read a name that derives from a parameter?

    Flow-insensitive: a name is tainted when an assignment, loop or `with` binds it from
    a tainted expression, or a method call on it takes a tainted argument. A candidate
    whose results no longer depend on the inputs only returns an invented value."""
    tree = _parsed(source)
    if tree is None or not tree.body:
        return True
    fn = tree.body[0]
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return True
    args = fn.args
    tainted = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
    tainted |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}

    def names(node: ast.AST | None) -> frozenset[str]:
        if node is None:
            return frozenset()
        return frozenset(n.id for n in ast.walk(node) if isinstance(n, ast.Name))

    # (names read, names bound) per binding construct, computed once: the fixpoint
    # below is then set arithmetic, linear in the function per round.
    flows: list[tuple[frozenset[str], frozenset[str]]] = []
    outputs: list[frozenset[str]] = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign):
            flows.append((names(node.value), frozenset().union(*map(names, node.targets))))
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.NamedExpr)):
            flows.append((names(node.value), names(node.target)))
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            flows.append((names(node.iter), names(node.target)))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
        ):
            read = frozenset().union(
                *(names(a) for a in [*node.args, *(k.value for k in node.keywords)])
            )
            flows.append((read, frozenset({node.func.value.id})))
        elif isinstance(node, (ast.Return, ast.Yield, ast.YieldFrom)) and node.value is not None:
            outputs.append(names(node.value))
    if not outputs:
        return True  # a procedure: its effect is on its arguments
    changed = True
    while changed:
        changed = False
        for read, bound in flows:
            if read & tainted and not bound <= tainted:
                tainted |= bound
                changed = True
    return any(out & tainted for out in outputs)


def _size(proposal: Proposal) -> int:
    return sum(abs(len(e.replacement) - (e.end - e.start)) + 1 for e in proposal.edits)


__all__ = ["CandidateSearch", "Ranked", "failure_kind", "kind_of", "rank_of"]
