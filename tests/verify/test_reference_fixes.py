"""The verifier accepts the fix a person would write.

Each function in `tests/scenarios/verifier/buggy.py` once had its reference fix (the
twin in `fixed.py`) rejected by selfheal's own verifier: an import the plan did not
allow, generated inputs where the buggy original is no evidence, `eval` in the
original, a recorded call that contradicts an example. The scripted engine proposes
exactly the reference, so any rejection is the verifier's.
"""

from __future__ import annotations

import importlib
import inspect
import types

import pytest

from selfheal import Example, config, repair, self_healing
from selfheal.engines import ScriptedEngine
from selfheal.models import PatchStatus
from selfheal.store import open_store
from tests.scenarios.verifier import buggy, fixed


@pytest.fixture
def mod() -> types.ModuleType:
    return importlib.reload(buggy)


def reference(name: str) -> str:
    return inspect.getsource(getattr(fixed, name))


def test_repair_allows_the_configured_imports(mod: types.ModuleType) -> None:
    result = repair(mod.distance, examples=[(((0, 0), (3, 4)), 5.0)],
                    engine=ScriptedEngine([reference("distance")]))
    assert result.ok, result.report.reason
    assert result.function is not None and result.function((1, 1), (4, 5)) == 5.0


def test_repair_honours_selfheal_allowed_imports(mod: types.ModuleType,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFHEAL_ALLOWED_IMPORTS", "json")
    config.reset()
    refused = repair(mod.distance, examples=[(((0, 0), (3, 4)), 5.0)],
                     engine=ScriptedEngine([reference("distance")]))
    assert not refused.ok
    assert "import of 'math' is not allowed" in refused.report.reason
    monkeypatch.setenv("SELFHEAL_ALLOWED_IMPORTS", "math")
    config.reset()
    allowed = repair(mod.distance, examples=[(((0, 0), (3, 4)), 5.0)],
                     engine=ScriptedEngine([reference("distance")]))
    assert allowed.ok, allowed.report.reason


def test_a_fix_that_raises_where_the_wrong_original_returned_is_accepted(
        mod: types.ModuleType) -> None:
    # The original returns 0.0 for one value (no step, divided by one); the fix raises
    # ZeroDivisionError there. A generated input where the original is wrong is no
    # evidence against the fix.
    result = repair(mod.mean_gap, examples=[(([1, 3, 7],), 3.0), (([2, 2],), 0.0)],
                    engine=ScriptedEngine([reference("mean_gap")]))
    assert result.ok, result.report.reason
    assert result.report.verdict is not None
    hypothesis_layer = result.report.verdict.layers[-1]
    assert hypothesis_layer.layer == "hypothesis" and hypothesis_layer.ran > 0


def test_a_fix_slower_than_the_wrong_original_on_huge_inputs_is_accepted(
        mod: types.ModuleType) -> None:
    # The buggy loop returns after one step, whatever n; the fix tries every divisor.
    # Generated sizes stay near the ones the user showed, so the fix has time.
    result = repair(mod.is_prime, examples=[((9,), False), ((7,), True), ((10,), False)],
                    engine=ScriptedEngine([reference("is_prime")]))
    assert result.ok, result.report.reason
    assert result.function is not None and [result.function(n) for n in (15, 17)] == [False, True]


def test_eval_in_the_original_does_not_make_the_fix_unverifiable(
        mod: types.ModuleType) -> None:
    result = repair(mod.evaluate, examples=[(("2^3",), 8), (("1+1",), 2)],
                    engine=ScriptedEngine([reference("evaluate")]))
    assert result.ok, result.report.reason
    assert result.function is not None and result.function("3^2") == 9


def test_eval_stays_under_the_policy(mod: types.ModuleType) -> None:
    escape = ("def evaluate(expression: str) -> float:\n"
              "    return eval(\"__import__('os').getpid()\")\n")
    result = repair(mod.evaluate, examples=[(("2^3",), 8)], engine=ScriptedEngine([escape]))
    assert not result.ok
    assert "eval: [restricted]" in result.report.outcomes[0].verdict.reason
    assert "__import__" in result.report.outcomes[0].verdict.reason


def test_a_patch_that_evaluates_goes_live_under_the_guarded_eval(
        mod: types.ModuleType, store_dir: object) -> None:
    def powers_of_two(result: float, expression: str) -> bool:
        return expression != "2^3" or result == 8

    self_healing(engine=ScriptedEngine([reference("evaluate")]), properties=[powers_of_two],
                 examples=[(("2^3",), 8), (("1+1",), 2)])(mod.evaluate)
    assert mod.evaluate("2^3") == 8  # the wrong 6 broke the property: healed
    assert mod.evaluate("3^2") == 9  # the live patch evaluates under the policy
    with pytest.raises(PermissionError, match="invalid variable name"):
        mod.evaluate("__import__('os')")


def test_an_example_wins_over_a_recorded_call_that_contradicts_it(
        mod: types.ModuleType, store_dir: object) -> None:
    # The README's story: the bug answers median([3, 1, 2]) wrongly without raising (the
    # recorder keeps that call), then crashes on [7]. The example says [3, 1, 2] -> 2.
    self_healing(engine=ScriptedEngine([reference("median")]),
                 examples=[Example(args=([3, 1, 2],), expected=2),
                           Example(args=([9, 4],), expected=9)])(mod.median)
    assert mod.median([3, 1, 2]) == 3  # wrong, silently, and recorded
    assert mod.median([7]) == 7  # healed
    assert mod.median([3, 1, 2]) == 2
    [record] = open_store(store_dir).list()  # type: ignore[arg-type]
    assert record.status is PatchStatus.LIVE
    layers = {layer.layer: layer for layer in record.candidates[0].verdict.layers}
    assert "contradicts an example" in layers["recorded"].detail
    assert "[3, 1, 2]" in layers["recorded"].detail
