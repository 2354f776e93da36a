"""The hypothesis layer: a candidate against the original on generated inputs.

What a disagreement on a generated input means, decided here:

* Where the original raised or ran out of its (short) time, it is no evidence: the
  input is skipped, whatever the candidate does there.
* Inputs are drawn only from the recorded domain (`domain.strategy_for`): sizes and
  magnitudes near those of the inputs people used, so the original's answer there is
  worth comparing with and any reasonable fix finishes in time.
* Where the original returned, a candidate that raises, runs much longer than the
  original did, or (when the failure is a crash, so the original is otherwise trusted)
  returns something else *disagrees*. A disagreement never rejects: the original is the
  buggy code, and the right fix must differ from it somewhere. It is counted
  (`LayerResult.disagreed`) so the search prefers, among verified candidates, the one
  that changes the least of what the original did.
* What does reject: a declared property that holds for the original's result on an
  input and fails for the candidate's (properties are declared truth), and any
  sandbox violation.

Runs inside the sandbox worker only (it is handed the worker); it must not start
processes or install anything itself.
"""

from __future__ import annotations

import time
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from selfheal.models import Call
from selfheal.verify.describe import describe_call, describe_exc
from selfheal.verify.domain import observed_values, strategy_for
from selfheal.verify.guards import GuardState, SandboxViolation
from selfheal.verify.plan import VerificationPlan

__all__ = ["Finding", "LayerLike", "WorkerLike", "check_generated"]

# A candidate may take this many times what the original needed on a generated input
# (plus a floor for scheduling noise) before it counts as disagreeing by running long.
_SLOWER_FACTOR = 20
_SLOWER_FLOOR_S = 0.05
# The original itself gets this long per generated input; beyond, it is no evidence.
_ORIGINAL_LIMIT_S = 0.25
_DETAIL_LIMIT = 300


class LayerLike(Protocol):
    ran: int
    detail: str
    disagreed: int
    counterexample: str | None

    def fail(self, detail: str, counterexample: str | None = None) -> Any: ...


class WorkerLike(Protocol):
    """What this layer needs of the sandbox worker."""

    plan: VerificationPlan
    state: GuardState
    target: types.FunctionType
    timeout_prefix: str

    def invoke(self, func: Callable[..., Any], call: Call | None = None,
               materialize: bool = True, timeout_s: float | None = None,
               ) -> tuple[bool, Any, BaseException | None]: ...

    def call_original(self, call: Call, candidate_code: types.CodeType,
                      timeout_s: float | None = None) -> tuple[bool, Any]: ...

    def holds_quietly(self, prop: Callable[..., Any], call: Call, value: Any) -> bool: ...

    def original_misses_an_example(self, candidate_code: types.CodeType) -> bool: ...

    def same_result(self, expected: Any, actual: Any) -> bool: ...

    # A candidate's result and exceptions are shown without running its methods.
    def show(self, value: Any, limit: int) -> str: ...

    def describe_exc(self, exc: BaseException) -> str: ...


class _Stop(Exception):
    """Ends the probe at the first rejection."""


@dataclass
class Finding:
    """What the probe saw, input by input."""

    agreed: int = 0
    untrusted: int = 0  # the original raised or ran out of time: no evidence
    disagreements: list[tuple[str, str]] = field(default_factory=list)  # (what, where)
    rejection: tuple[str, str] | None = None

    def disagree(self, what: str, call: Call) -> None:
        self.disagreements.append((what, describe_call(call)))

    def reject(self, what: str, call: Call) -> None:
        if self.rejection is None:  # Hypothesis may replay the input: keep the first
            self.rejection = (what, describe_call(call))
        raise _Stop()


def _inputs(plan: VerificationPlan) -> Iterable[Call]:
    yield from (r.call for r in plan.recorded)
    yield from (e.call for e in plan.examples)
    if plan.failing is not None:
        yield plan.failing


def check_generated(worker: WorkerLike, layer: LayerLike, candidate_code: types.CodeType,
                    ) -> None:
    """Run the hypothesis layer for the candidate installed on `worker.target`."""
    plan = worker.plan
    if not plan.hypothesis:
        layer.detail = "hypothesis layer disabled in the plan"
        return
    strategy, why = strategy_for(plan.function, observed_values(plan.function, _inputs(plan)))
    if strategy is None:
        layer.detail = why
        return
    # start-up: Hypothesis costs ~60 ms to import; only this layer needs it
    from hypothesis import HealthCheck, Phase, Verbosity, given, settings
    from hypothesis.errors import HypothesisException

    limits = plan.limits
    state = worker.state
    budget_end = time.perf_counter() + limits.hypothesis_deadline_s
    found = Finding()
    # The original is trusted to be right where it returns only when the failure is a
    # crash; when it gives wrong results, only "no new failure" is compared.
    trusted = plan.failing_kind == "exception" and not worker.original_misses_an_example(
        candidate_code)

    @settings(max_examples=max(1, limits.hypothesis_examples), deadline=None,
              derandomize=True, database=None, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck), verbosity=Verbosity.quiet)
    @given(strategy)
    def probe(kwargs: dict[str, Any]) -> None:
        if time.perf_counter() > budget_end:
            return
        call = Call((), kwargs)
        started = time.perf_counter()
        ref_ok, expected = worker.call_original(call, candidate_code,
                                                timeout_s=_ORIGINAL_LIMIT_S)
        took = time.perf_counter() - started
        if not ref_ok:
            found.untrusted += 1
            return
        held = [p for p in plan.properties if worker.holds_quietly(p, call, expected)]
        if len(held) < len(plan.properties) and not trusted:
            found.untrusted += 1  # the original is wrong on this input: nothing to keep
            return
        saved = state.violation
        ok, value, exc = worker.invoke(worker.target, call,
                                       timeout_s=max(_SLOWER_FLOOR_S, _SLOWER_FACTOR * took))
        if state.violation and state.violation != saved:
            if not state.violation.startswith(worker.timeout_prefix):
                found.reject(state.violation, call)
            state.violation = saved  # slower than the original: a disagreement
            found.disagree(f"runs over {max(_SLOWER_FLOOR_S, _SLOWER_FACTOR * took):.2f}s "
                           f"where the original returned in {took:.3f}s", call)
            return
        if not ok:
            assert exc is not None
            found.disagree(f"raises {worker.describe_exc(exc)} where the original returned "
                           f"{worker.show(expected, 80)}", call)
            return
        for prop in held:
            if not worker.holds_quietly(prop, call, value):
                name = getattr(prop, "__name__", "property")
                found.reject(f"property {name} is false for {worker.show(value, 80)} "
                             "(it holds for the original)", call)
        if trusted and not worker.same_result(expected, value):
            found.disagree(f"returns {worker.show(value, 80)} where the original returned "
                           f"{worker.show(expected, 80)}", call)
            return
        found.agreed += 1

    try:
        probe()
    except SandboxViolation:
        pass
    except _Stop:
        pass
    except HypothesisException as exc:
        if found.rejection is None and not state.violation:
            layer.detail = f"hypothesis could not draw inputs: {describe_exc(exc)}"
            return
    except Exception as exc:
        if found.rejection is None and not state.violation:
            # fail closed: an error of the layer itself is not evidence for the candidate
            layer.fail(f"the hypothesis layer failed: {describe_exc(exc)}")
            return
    if found.rejection is not None:
        layer.fail(*found.rejection)
        return
    if state.violation:
        layer.fail(state.violation)
        return
    layer.ran = found.agreed
    layer.disagreed = len(found.disagreements)
    if trusted:
        text = f"{found.agreed} inputs agree with the original"
    else:
        text = (f"{found.agreed} inputs without a new failure; results not compared (the "
                "original gives wrong results)")
    if found.disagreements:
        what, where = found.disagreements[0]
        text += (f"; {len(found.disagreements)} disagree (ranked lower, not rejected), "
                 f"first: {what}")
        layer.counterexample = where
    text += f"; {found.untrusted} skipped (the original raised, ran long or broke a property)"
    layer.detail = text[:_DETAIL_LIMIT]
