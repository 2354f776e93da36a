"""`repair()`: drive the heal loop on demand, without installing anything.

Owns the on-demand flow: find what fails (the given failing call, else the examples and
checks), capture it in a child process, search and verify candidates, and hand back
the patched function, its source and its diff. The original is run only inside a
forked child (it may have side effects); the patch is never installed anywhere. The
function handed back is built as a live patch is: the restricted code that was verified,
under the same guards (their `_`-named functions join the module's namespace) and the
same time budget.
"""

from __future__ import annotations

import time
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from selfheal.budget import Budget
from selfheal.config import Settings, settings_for_module
from selfheal.errors import ConfigurationError, RepairFailed, SelfHealError
from selfheal.function.codegen import CodegenError, compile_like
from selfheal.function.source import FunctionSource, read_function
from selfheal.function.target import function_like, target_of
from selfheal.heal import capture
from selfheal.heal.search import HealInputs, search
from selfheal.heal.swap import restricted_def, time_budget, timed_def
from selfheal.models import (
    Call,
    Candidate,
    CandidateOutcome,
    Example,
    FailureReport,
    Verdict,
)
from selfheal.scrub import safe_repr
from selfheal.store.patchfile import make_diff
from selfheal.verify import Limits, VerificationPlan, watchdog
from selfheal.verify.guards import install_live_guards
from selfheal.verify.isolate import run_isolated
from selfheal.verify.policy import compile_candidate


@dataclass(frozen=True)
class RepairReport:
    """The evidence: what failed, what was tried, what passed, how long it took."""

    failure: FailureReport | None
    verdict: Verdict | None  # of the chosen candidate
    outcomes: tuple[CandidateOutcome, ...] = ()
    reason: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def tried(self) -> int:
        return len(self.outcomes)


@dataclass(frozen=True)
class RepairResult:
    ok: bool
    source: str | None = None
    diff: str = ""
    function: Callable[..., Any] | None = None
    report: RepairReport = field(default_factory=lambda: RepairReport(None, None))
    candidate: Candidate | None = None  # the patch; when not ok, a verified guess if any

    def __bool__(self) -> bool:
        return self.ok


def _original(func: Any) -> tuple[types.FunctionType, types.FunctionType, FunctionSource]:
    """(the original code as a plain function, the live object, its source)."""
    if isinstance(func, (staticmethod, classmethod)):
        func = func.__func__
    if isinstance(func, types.MethodType):
        func = func.__func__
    if not isinstance(func, types.FunctionType):
        raise ConfigurationError(f"repair() needs a Python function; got {func!r}")
    target = target_of(func)
    if target is not None:
        return target.original_function(), func, target.source
    source = read_function(func)
    if source is None:
        raise ConfigurationError(
            f"repair(): no source for {func.__qualname__}; selfheal repairs functions "
            "defined in files"
        )
    return func, func, source


def _probe_failure(
    original: types.FunctionType,
    source: FunctionSource,
    call: Call,
    example: Example | None,
    properties: Sequence[Callable[..., Any]],
    timeout_s: float,
) -> dict[str, Any] | None:
    """Run the original on one input in a child; describe how it fails (None: it doesn't)."""
    ref = source.ref(original)

    def work() -> dict[str, Any] | None:
        # in the child only: the probe of a coroutine needs an event loop
        import asyncio
        import inspect as _inspect

        try:
            result = original(*call.args, **dict(call.kwargs))
            if _inspect.iscoroutine(result):
                result = asyncio.run(result)
            elif _inspect.isgenerator(result):
                result = list(result)
        except Exception as exc:
            report = capture.capture_exception(exc, ref, {original.__code__}, call)
            return {"kind": "exception", "report": report.model_dump(mode="json")}
        if example is not None:
            compare = example.compare or (lambda a, b: a == b)
            if not compare(result, example.expected):
                detail = f"example: expected {safe_repr(example.expected)}, got {safe_repr(result)}"
                report = capture.capture_violation(ref, call, result, None, (), detail)
                report = report.model_copy(update={"property_source": detail})
                return {"kind": "example", "report": report.model_dump(mode="json")}
        for prop in properties:
            ok = False
            try:
                ok = bool(prop(result, *call.args, **dict(call.kwargs)))
            except Exception:
                ok = False
            if not ok:
                report = capture.capture_violation(ref, call, result, prop)
                return {"kind": "property", "report": report.model_dump(mode="json")}
        return None

    outcome = run_isolated(work, timeout_s)
    if not outcome.ok:
        report = FailureReport(
            function=ref, kind="exception", failing_call=capture.describe_call(call)
        )
        return {"kind": "crash", "report": report.model_dump(mode="json"), "error": outcome.error}
    value: dict[str, Any] | None = outcome.value
    return value


def repair(
    func: Callable[..., Any],
    failing: Call | None = None,
    examples: Sequence[Any] = (),
    properties: Sequence[Callable[..., Any]] = (),
    checks: Sequence[Callable[[], Any]] = (),
    engine: Any = "offline",
    budget_s: float = 10.0,
    *,
    allow_guesses: bool = False,
    hypothesis: bool | None = None,
    raise_on_failure: bool = False,
    max_candidates: int | None = None,
) -> RepairResult:
    """Find a verified patch for `func`; nothing is installed.

    Settings apply as they do to a heal of the function's module (`allowed_imports`,
    `check_timeout_s`, `memory_mb`; `hypothesis` unless given here).
    Without `failing`, the first example that raises or returns a wrong value (or the
    first property it breaks on an example input) is the failure to repair; when nothing
    fails, the result is not ok and says so.
    """
    started = time.perf_counter()
    original, live, source = _original(func)
    example_list = tuple(Example.coerce(e) for e in examples)
    props = tuple(properties)
    # A bound method (`Util.make`, `cart.total`) is repaired as its function; the
    # examples are written as the user calls it, so the bound object goes first.
    bound = func.__self__ if isinstance(func, types.MethodType) else None
    if bound is not None:
        example_list, failing, props = _bind(bound, example_list, failing, props)
    settings = settings_for_module(original.__module__)
    limits = _limits(settings)
    probes: list[tuple[Call, Example | None]] = []
    if failing is not None:
        if not isinstance(failing, Call):
            raise ConfigurationError("repair(): failing= takes a Call(args, kwargs)")
        matching = next((e for e in example_list if e.call == failing), None)
        probes.append((failing, matching))
    else:
        probes.extend((e.call, e) for e in example_list)
    found: dict[str, Any] | None = None
    failing_call: Call | None = None
    for call, example in probes:
        found = _probe_failure(original, source, call, example, props, limits.check_timeout_s * 2)
        if found is not None:
            failing_call = call
            break
    # When no example fails, the checks may: the verifier runs them on the candidates.
    if found is None and not (failing is None and checks):
        what = "the failing call" if failing is not None else "no example"
        return RepairResult(
            ok=False,
            report=RepairReport(
                None, None, reason=f"nothing to repair: {what} fails on the original"
            ),
        )
    report = (
        FailureReport.model_validate(found["report"])
        if found is not None
        else FailureReport(
            function=source.ref(original), kind="property", property_source="a check fails"
        )
    )
    kind = (
        "exception" if found is not None and found["kind"] in ("exception", "crash") else "property"
    )
    plan = VerificationPlan(
        function=original,
        live=live,
        target=source.ref(original),
        failing=failing_call if (kind == "exception" or props) else None,
        failing_kind=kind,  # type: ignore[arg-type]
        examples=example_list,
        properties=props,
        checks=tuple(checks),
        hypothesis=settings.hypothesis if hypothesis is None else hypothesis,
        # The same allowances as a heal of the decorated function: without them a
        # function that imports `math` in its body could not be patched at all.
        allowed_imports=settings.allowed_imports,
        limits=limits,
    )
    inputs = HealInputs(
        plan=plan,
        engine=engine,
        budget=Budget(seconds=budget_s, candidates=max_candidates),
        allow_guesses=allow_guesses,
        failing=failing_call,
        # repair() keeps no records and reads none, but the project's words still hold.
        guidance=settings.guidance,
    )
    result = search(report, inputs)
    chosen = result.chosen
    timings = {**result.timings, "total_s": time.perf_counter() - started}
    verdict = next(
        (o.verdict for o in result.outcomes if chosen and o.candidate.id == chosen.id), None
    )
    evidence = RepairReport(report, verdict, tuple(result.outcomes), result.reason, timings)
    if chosen is None:
        if raise_on_failure:
            raise RepairFailed(f"repair({original.__qualname__}): {result.reason}")
        # A guess that verified is handed back for review, never as ok.
        return RepairResult(ok=False, report=evidence, candidate=result.proposal)

    try:
        diff, _path = make_diff(report.function, chosen.source)
    except Exception:
        diff = ""
    patched: Callable[..., Any] | None = _compile_patched(
        original, source, chosen.source, plan.allowed_imports,
        verdict.slowest_call_s if verdict is not None else 0.0)
    if bound is not None and patched is not None:
        patched = types.MethodType(patched, bound)
    return RepairResult(
        ok=True,
        source=chosen.source,
        diff=diff,
        function=patched,
        report=evidence,
        candidate=chosen,
    )


def _limits(settings: Settings) -> Limits:
    """The sandbox limits the settings ask for (as the decorator's heals use them)."""
    return Limits(check_timeout_s=settings.check_timeout_s, memory_mb=settings.memory_mb)


def _bind(
    bound: Any,
    examples: tuple[Example, ...],
    failing: Call | None,
    properties: tuple[Callable[..., Any], ...],
) -> tuple[tuple[Example, ...], Call | None, tuple[Callable[..., Any], ...]]:
    """Examples, failing call and properties of a bound method, as calls of its function."""
    examples = tuple(
        Example((bound, *e.args), e.kwargs, e.expected, e.compare) for e in examples
    )
    if failing is not None:
        failing = Call((bound, *failing.args), failing.kwargs)

    def unbound(prop: Callable[..., Any]) -> Callable[..., Any]:
        def check(result: Any, _self: Any, *args: Any, **kwargs: Any) -> Any:
            return prop(result, *args, **kwargs)

        return check

    return examples, failing, tuple(unbound(p) for p in properties)


def _compile_patched(
    original: types.FunctionType,
    source: FunctionSource,
    patched: str,
    allowed_imports: tuple[str, ...],
    reference_s: float,
) -> types.FunctionType | None:
    """The verified patch as a callable that nothing references, built like a live patch:
    the code that was verified (the RestrictedPython transform, calling the guards, which
    join the module's namespace under their `_` names), timed by the watchdog."""
    compiled, _violations = compile_candidate(patched, original, allowed_imports)
    if compiled is None:
        return None
    key = f"repair:{original.__qualname__}:{compiled.code.co_filename}:{id(compiled)}"
    try:
        node = timed_def(restricted_def(patched, allowed_imports, original.__qualname__), key)
        code = compile_like(source, node, original.__code__,
                            f"<selfheal repair {original.__qualname__}>")
    except (CodegenError, SyntaxError, SelfHealError):
        return None
    install_live_guards(original.__globals__, compiled)
    seconds = time_budget(original.__module__, reference_s)
    watchdog.register(key, watchdog.Budget(seconds, None, f"repair() of {original.__qualname__}"))
    return function_like(original, code, original.__defaults__, original.__kwdefaults__)
