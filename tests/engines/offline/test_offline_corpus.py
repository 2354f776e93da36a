"""A fixed, fast subset of the bug corpus through the public `selfheal.repair(...)`:
each must be repaired and agree with its fixed twin on inputs the oracle never showed.
The full corpus is a benchmark (benchmarks/bench_offline.py), not a test."""

from __future__ import annotations

import pytest

from benchmarks.bench_offline import load_cases, run_case

SUBSET = (
    "attr_typo_method",  # AttributeError on a method, closest attribute
    "sum_of_strings",  # element-wise conversion
    "dict_changed_during_iteration",  # iterate over a copy
    "fib_unreachable_base",  # recursion without a reachable base case
    "generator_name_typo",  # NameError in a generator
    "async_attr_typo",  # coroutine
    "binary_search_loop_bound",  # wrong result, comparison
    "two_sum_order",  # wrong result, statement move
    "clamp_swapped",  # needs a pair of edits
    "stack_peek",  # method, index constant
)


@pytest.mark.parametrize("name", SUBSET)
def test_corpus_bug_is_repaired_and_generalizes(name: str) -> None:
    (case,) = load_cases([name])
    outcome = run_case(case, budget_s=10.0)
    assert outcome.repaired, outcome.reason
    assert outcome.generalizes, outcome.description
    assert not outcome.guess


def test_a_guess_is_not_accepted_when_no_example_covers_the_failing_input() -> None:
    # A missing header: every edit that stops the crash makes the function return a
    # value nobody asked for (None, or a constant). With no example for the failing
    # input, none of them may be chosen, and the result says why.
    from selfheal import Call, repair
    from tests.engines.offline.conftest import corpus_case

    _case, _module, func = corpus_case("blind_optional_header")
    result = repair(func, failing=Call(({},)), examples=[], budget_s=5.0)
    assert not result.ok
    assert "guess" in result.report.reason
    verified = [o for o in result.report.outcomes if o.verdict.ok]
    assert verified
    # Each is a guess: the engine says so (an invented return), or nothing but the
    # failing input checked it (a neutral guard: `(value or "").split(...)`).
    evidence = ("recorded", "examples", "properties", "checks", "hypothesis")
    assert all(
        o.candidate.guess or not any(x.ran for x in o.verdict.layers if x.layer in evidence)
        for o in verified
    )


def test_the_same_guess_is_accepted_when_an_example_pins_the_failing_input() -> None:
    (case,) = load_cases(["blind_optional_header"])
    outcome = run_case(case, budget_s=10.0)
    assert outcome.repaired
    assert outcome.generalizes
