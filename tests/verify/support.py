"""Helpers for the sandbox tests: build plans around the real functions in `targets`."""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from selfheal.models import Call, Candidate, CandidateOutcome, Example, FunctionRef
from selfheal.verify import Limits, RecordedCall, VerificationPlan
from selfheal.verify.sandbox import Sandbox

DEFAULT_IMPORTS = ("math", "re", "string", "itertools", "functools", "operator", "collections",
                   "decimal", "fractions", "statistics", "datetime", "json", "heapq", "bisect")


def ref(func: types.FunctionType) -> FunctionRef:
    code = func.__code__
    return FunctionRef(module=func.__module__, qualname=func.__qualname__,
                       filename=code.co_filename, firstlineno=code.co_firstlineno,
                       lastlineno=code.co_firstlineno, source="", source_hash="0")


def plan_for(
    func: types.FunctionType,
    failing: tuple[Any, ...] | None = None,
    recorded: Iterable[tuple[tuple[Any, ...], Any]] = (),
    examples: Iterable[tuple[tuple[Any, ...], Any]] = (),
    properties: Sequence[Callable[..., Any]] = (),
    checks: Sequence[Callable[[], Any]] = (),
    failing_kind: str = "exception",
    hypothesis: bool = False,
    live: types.FunctionType | None = None,
    **limits: Any,
) -> VerificationPlan:
    return VerificationPlan(
        function=func,
        target=ref(func),
        live=live,
        failing=Call(failing) if failing is not None else None,
        failing_kind=failing_kind,  # type: ignore[arg-type]
        recorded=tuple(RecordedCall(Call(args), result) for args, result in recorded),
        examples=tuple(Example(args, expected=expected) for args, expected in examples),
        properties=tuple(properties),
        checks=tuple(checks),
        hypothesis=hypothesis,
        allowed_imports=DEFAULT_IMPORTS,
        limits=Limits(**limits),
    )


def run(plan: VerificationPlan, *sources: str, sandbox: Sandbox | None = None
        ) -> list[CandidateOutcome]:
    candidates = [Candidate(source=s, engine="test") for s in sources]
    return list((sandbox or Sandbox()).verify(plan, candidates))


def one(plan: VerificationPlan, source: str) -> CandidateOutcome:
    (outcome,) = run(plan, source)
    return outcome


def plain_copy(func: types.FunctionType) -> types.FunctionType:
    """What the pipeline passes as `plan.function`: an uninstrumented copy."""
    copy = types.FunctionType(func.__code__, func.__globals__, func.__name__,
                              func.__defaults__, func.__closure__)
    copy.__kwdefaults__ = func.__kwdefaults__
    copy.__qualname__ = func.__qualname__
    return copy
