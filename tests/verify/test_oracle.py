"""The oracle: each layer rejects a wrong patch the layers before it let through.

Candidates come from the scripted engine, as they would in the heal loop.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from hypothesis import given
from hypothesis import strategies as st

from selfheal.engines import ScriptedEngine
from selfheal.engines.base import RepairRequest
from selfheal.models import Candidate, CandidateOutcome, FailureReport
from selfheal.verify import VerificationPlan, verify
from selfheal.verify.sandbox import same_result
from tests.verify import targets
from tests.verify.support import one, plan_for, ref


def scripted(plan: VerificationPlan, *sources: str) -> list[CandidateOutcome]:
    engine = ScriptedEngine(list(sources))
    request = RepairRequest(report=FailureReport(function=ref(plan.function)),
                            function=plan.function)
    session = engine.open(request)
    batch: Sequence[Candidate] = session.next_batch([])
    return list(verify(plan, batch))


def failed_at(outcome: CandidateOutcome) -> str | None:
    return outcome.verdict.failed_layer


CONVERT_RECORDED = [((10.0, "USD"), 11.0), ((2.0,), 2.0)]


def test_failing_layer_rejects_a_patch_that_still_raises() -> None:
    plan = plan_for(targets.convert, failing=(5.0, "GBP"), recorded=CONVERT_RECORDED)
    (outcome,) = scripted(plan, "def convert(amount, currency='EUR'):\n"
                                "    return amount * RATES[currency.upper()]\n")
    assert failed_at(outcome) == "failing"
    assert "KeyError" in outcome.verdict.reason
    assert outcome.verdict.layers[-1].counterexample == "(5.0, 'GBP')"


def test_failing_layer_marks_a_patch_that_may_swallow_the_failure() -> None:
    # The verifier observes (an empty answer where the original always gave a value);
    # the search decides whether that is a guess (tests/test_guesses.py).
    plan = plan_for(targets.convert, failing=(5.0, "GBP"), recorded=CONVERT_RECORDED)
    swallow = ("def convert(amount, currency='EUR'):\n"
               "    try:\n        return amount * RATES[currency]\n"
               "    except KeyError:\n        return None\n")
    (outcome,) = scripted(plan, swallow)
    failing = outcome.verdict.layers[1]
    assert failing.layer == "failing" and failing.passed and failing.guess
    assert "may swallow the failure: returns None" in failing.detail


def test_failing_layer_for_a_broken_property() -> None:
    def non_negative(result: float, amount: float, currency: str = "EUR") -> bool:
        return result >= 0

    plan = plan_for(targets.convert, failing=(-5.0, "EUR"), failing_kind="property",
                    properties=[non_negative], recorded=CONVERT_RECORDED)
    unchanged = "def convert(amount, currency='EUR'):\n    return amount * RATES[currency]\n"
    fixed = "def convert(amount, currency='EUR'):\n    return abs(amount) * RATES[currency]\n"
    bad, good = scripted(plan, unchanged, fixed)
    assert failed_at(bad) == "failing"
    assert "property non_negative is false" in bad.verdict.reason
    assert good.verdict.ok, good.verdict.reason


def test_recorded_layer_rejects_a_patch_that_changes_handled_calls() -> None:
    plan = plan_for(targets.convert, failing=(5.0, "GBP"), recorded=CONVERT_RECORDED)
    wrong = ("def convert(amount, currency='EUR'):\n"
             "    return amount * RATES.get(currency, 1.0) + 1\n")
    right = ("def convert(amount, currency='EUR'):\n"
             "    return amount * RATES.get(currency, 1.0)\n")
    bad, good = scripted(plan, wrong, right)
    assert failed_at(bad) == "recorded"
    assert "returns 11.0 where the original returned 2.0" in bad.verdict.reason \
        or "returns 12.0" in bad.verdict.reason
    assert bad.verdict.layers[-1].ran >= 1
    assert good.verdict.ok, good.verdict.reason


def test_examples_layer_rejects_a_patch_that_contradicts_an_example() -> None:
    plan = plan_for(targets.average, failing=([],), recorded=[(([1, 2, 3],), 2.0)],
                    examples=[(([],), 0.0)])
    wrong = ("def average(values):\n    if not values:\n        return None\n"
             "    return sum(values) / len(values)\n")
    (outcome,) = scripted(plan, wrong)
    assert failed_at(outcome) == "examples"
    assert "the example expects 0.0" in outcome.verdict.reason


def test_properties_layer_rejects_a_patch_that_breaks_a_property() -> None:
    def non_negative(result: float, amount: float, currency: str = "EUR") -> bool:
        return result >= 0

    plan = plan_for(targets.convert, failing=(5.0, "GBP"), recorded=CONVERT_RECORDED,
                    properties=[non_negative])
    wrong = ("def convert(amount, currency='EUR'):\n"
             "    return amount * RATES.get(currency, -1.0)\n")
    (outcome,) = scripted(plan, wrong)
    assert failed_at(outcome) == "properties"
    assert outcome.verdict.layers[-1].counterexample == "(5.0, 'GBP')"


def test_checks_layer_rejects_a_patch_a_user_test_catches() -> None:
    def test_euro_is_identity() -> None:
        assert targets.convert(7.0) == 7.0

    @given(st.floats(min_value=0, max_value=1e6))
    def test_usd_is_more(amount: float) -> None:
        assert targets.convert(amount, "USD") >= amount

    # A Hypothesis check runs a hundred examples: on a loaded machine that can take
    # longer than the default check and candidate timeouts (the candidate's, 5 s, kills
    # the worker first), which is not what this test is about.
    plan = plan_for(targets.convert, failing=(5.0, "GBP"), recorded=[((10.0, "USD"), 11.0)],
                    checks=[test_euro_is_identity, test_usd_is_more], check_timeout_s=15.0,
                    candidate_timeout_s=30.0)
    breaks_euro = ("def convert(amount, currency='EUR'):\n"
                   "    if currency == 'EUR':\n        return amount * 2\n"
                   "    return amount * RATES.get(currency, 1.0)\n")
    breaks_usd = ("def convert(amount, currency='EUR'):\n"
                  "    if amount > 100:\n        return 0.5\n"
                  "    return amount * RATES.get(currency, 1.0)\n")
    good = "def convert(amount, currency='EUR'):\n    return amount * RATES.get(currency, 1.0)\n"
    euro, usd, fine = scripted(plan, breaks_euro, breaks_usd, good)
    assert failed_at(euro) == "checks"
    assert "test_euro_is_identity" in euro.verdict.reason
    assert failed_at(usd) == "checks"
    assert "test_usd_is_more" in usd.verdict.reason
    assert fine.verdict.ok, fine.verdict.reason


def test_hypothesis_layer_counts_where_a_patch_disagrees_with_the_original() -> None:
    # The original is the buggy code: differing from it is a lower rank, not a rejection.
    plan = plan_for(targets.clamp, hypothesis=True, hypothesis_examples=50)
    wrong = ("def clamp(value, low, high):\n    if value > high:\n        return low\n"
             "    return max(low, min(value, high))\n")
    same = ("def clamp(value, low, high):\n"
            "    return min(max(value, low), high) if low <= high else low\n")
    bad, good = scripted(plan, wrong, same)
    assert bad.verdict.ok, bad.verdict.reason
    generated = bad.verdict.layers[-1]
    assert generated.layer == "hypothesis" and generated.disagreed > 0
    assert generated.counterexample
    assert "where the original returned" in generated.detail
    assert good.verdict.ok, good.verdict.reason
    assert good.verdict.layers[-1].ran > 0 and good.verdict.layers[-1].disagreed == 0


def test_hypothesis_layer_rejects_a_patch_that_breaks_a_property_the_original_keeps() -> None:
    def within(result: int, value: int, low: int, high: int) -> bool:
        return low > high or low <= result <= high

    plan = plan_for(targets.clamp, hypothesis=True, hypothesis_examples=50,
                    properties=[within])
    wrong = "def clamp(value, low, high):\n    return max(low, value)\n"
    (bad,) = scripted(plan, wrong)
    assert failed_at(bad) == "hypothesis"
    assert "property within is false" in bad.verdict.reason


def test_hypothesis_layer_is_reproducible() -> None:
    plan = plan_for(targets.clamp, hypothesis=True, hypothesis_examples=50)
    wrong = ("def clamp(value, low, high):\n    if value > high:\n        return low\n"
             "    return max(low, min(value, high))\n")
    first = one(plan, wrong).verdict.layers[-1]
    second = one(plan, wrong).verdict.layers[-1]
    assert first.counterexample == second.counterexample


def test_hypothesis_layer_without_type_hints_says_why() -> None:
    plan = plan_for(targets.shout, failing=None, recorded=[(("a",), "A!")], hypothesis=True)
    outcome = one(plan, "def shout(text):\n    return text.upper() + '!'\n")
    assert outcome.verdict.ok, outcome.verdict.reason
    layer = outcome.verdict.layers[-1]
    assert layer.layer == "hypothesis"
    assert layer.ran == 0
    assert "no type hint" in layer.detail


def test_generators_are_compared_as_lists() -> None:
    plan = plan_for(targets.count_up, recorded=[((3,), [0, 1, 2])])
    bad = one(plan, "def count_up(n):\n    yield from range(1, n + 1)\n")
    assert failed_at(bad) == "recorded"


def test_coroutines_run_to_completion() -> None:
    plan = plan_for(targets.fetch_double, recorded=[((2,), 4)], hypothesis=True,
                    hypothesis_examples=10)
    good = one(plan, "async def fetch_double(x):\n    return x + x\n")
    assert good.verdict.ok, good.verdict.reason
    bad = one(plan, "async def fetch_double(x):\n    return x * 3\n")
    assert failed_at(bad) == "recorded"


def test_same_result_rules() -> None:
    nan = float("nan")
    assert same_result(nan, float("nan"))
    assert same_result([1.0, nan], [1.0, float("nan")])
    assert same_result({"a": nan}, {"a": float("nan")})
    assert not same_result(3, 3.0)
    assert same_result(3, 3.0, strict_type=False)
    assert not same_result([1, 2], (1, 2))

    class Point:  # identity equality: copies compare by their attributes
        def __init__(self, x: int) -> None:
            self.x = x

    assert same_result(Point(1), Point(1))
    assert not same_result(Point(1), Point(2))


def test_async_generators_are_collected() -> None:
    plan = plan_for(targets.ticks, recorded=[((3,), [0, 10, 20])])
    good = one(plan, "async def ticks(n):\n    for i in range(n):\n        yield i * 10\n")
    assert good.verdict.ok, good.verdict.reason
    bad = one(plan, "async def ticks(n):\n    for i in range(n):\n        yield i\n")
    assert failed_at(bad) == "recorded"


def test_an_example_may_bring_its_own_comparison() -> None:
    from selfheal.models import Example

    def close(actual: float, expected: float) -> bool:
        return abs(actual - expected) < 1e-6

    base = plan_for(targets.mean_price, failing=([],), recorded=[(([1.0, 2.0],), 1.5)])
    plan = dataclasses.replace(base, examples=(
        Example(([0.1, 0.2],), expected=0.15, compare=close),
        Example(([],), expected=0.0),
    ))
    fix = ("def mean_price(prices):\n    if not prices:\n        return 0.0\n"
           "    return sum(prices) / len(prices)\n")
    assert one(plan, fix).verdict.ok
    # without the tolerance, 0.30000000000000004 / 2 is not 0.15
    strict = dataclasses.replace(plan, examples=(Example(([0.1, 0.2],), expected=0.15),
                                                 Example(([],), expected=0.0)))
    assert failed_at(one(strict, fix)) == "examples"


def test_hypothesis_layer_does_not_hold_a_fix_to_a_wrong_original() -> None:
    # a broken property: where the original is wrong, the fix must differ from it
    def non_negative(result: int, x: int) -> bool:
        return result >= 0

    plan = plan_for(targets.absolute, failing=(-3,), failing_kind="property",
                    properties=[non_negative], recorded=[((4,), 4)], hypothesis=True,
                    hypothesis_examples=50)
    good = one(plan, "def absolute(x):\n    return abs(x)\n")
    assert good.verdict.ok, good.verdict.reason
    assert "results not compared" in good.verdict.layers[-1].detail
    assert good.verdict.layers[-1].ran > 0
    # A new failure where the original returned is a disagreement: ranked lower (the
    # search prefers a candidate without), never a rejection.
    crashes = one(plan, "def absolute(x):\n    if x > 5:\n        raise ValueError(x)\n"
                        "    return abs(x)\n")
    assert crashes.verdict.ok, crashes.verdict.reason
    assert crashes.verdict.layers[-1].disagreed > 0
    assert "raises ValueError" in crashes.verdict.layers[-1].detail


def test_hypothesis_layer_checks_properties_where_the_original_satisfies_them() -> None:
    def non_negative(result: int, x: int) -> bool:
        return result >= 0

    plan = plan_for(targets.absolute, failing=(-3,), failing_kind="property",
                    properties=[non_negative], recorded=[((4,), 4)], hypothesis=True,
                    hypothesis_examples=50)
    # right on the recorded and failing inputs, negative for some larger inputs
    wrong = one(plan, "def absolute(x):\n    if x > 5:\n        return -x\n    return abs(x)\n")
    assert failed_at(wrong) == "hypothesis"
    assert "property non_negative is false" in wrong.verdict.reason


def test_examples_the_original_gets_wrong_switch_off_result_comparison() -> None:
    plan = plan_for(targets.bounded, examples=[((5, 0, 10), 5), ((-5, 0, 10), 0),
                                               ((50, 0, 10), 10)],
                    hypothesis=True, hypothesis_examples=50)
    fix = "def bounded(value, low, high):\n    return max(low, min(value, high))\n"
    outcome = one(plan, fix)
    assert outcome.verdict.ok, outcome.verdict.reason
    assert "results not compared" in outcome.verdict.layers[-1].detail


def test_recorded_results_that_break_a_property_are_not_kept() -> None:
    def non_negative(result: int, x: int) -> bool:
        return result >= 0

    plan = plan_for(targets.absolute, failing=(-3,), failing_kind="property",
                    properties=[non_negative], recorded=[((4,), 4), ((-7,), -7)])
    outcome = one(plan, "def absolute(x):\n    return abs(x)\n")
    assert outcome.verdict.ok, outcome.verdict.reason
    recorded = outcome.verdict.layers[2]
    assert recorded.layer == "recorded"
    assert "1 recorded results break a property" in recorded.detail
    keeps_bug = one(plan, "def absolute(x):\n    return x if x != -3 else 3\n")
    assert failed_at(keeps_bug) == "properties"


def test_same_result_for_element_wise_equality() -> None:
    class Vector:
        """Like a NumPy array: == is element-wise and truth is ambiguous."""

        __hash__ = None  # type: ignore[assignment]

        def __init__(self, *items: int) -> None:
            self.items = items
            self.shape = (len(items),)

        def __eq__(self, other: object) -> Mask:  # type: ignore[override]
            assert isinstance(other, Vector)
            return Mask([a == b for a, b in zip(self.items, other.items)])

    class Mask:
        def __init__(self, flags: list[bool]) -> None:
            self.flags = flags

        def __bool__(self) -> bool:
            raise ValueError("ambiguous")

        def all(self) -> bool:
            return all(self.flags)

    assert same_result(Vector(1, 2), Vector(1, 2))
    assert not same_result(Vector(1, 2), Vector(1, 3))
    assert not same_result(Vector(1, 2), Vector(1, 2, 3))
