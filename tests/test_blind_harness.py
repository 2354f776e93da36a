"""The blind-set harnesses classify what they see (scripted engines, not the offline one).

A harness that called every patch correct, or every miss a wrong patch, would make the
frozen sets' numbers meaningless; these tests feed each harness an engine callable whose
answer is known and check the verdict.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

import pytest

from benchmarks import bench_blind_bugs, bench_blind_crashes
from benchmarks.blind_sets import (
    failing_tests,
    load_bug_cases,
    load_crash_cases,
    resolve,
    split_tests,
)
from selfheal import configure
from selfheal.config import reset

PAGE_PARAM_REFERENCE = """def list_page(request):
    params = request["query"]
    page = int(params.get("page", 1))
    size = int(params.get("size", 20))
    start = (page - 1) * size
    return {"start": start, "limit": size}
"""


@pytest.fixture(autouse=True)
def scratch_store() -> Iterator[None]:
    configure(store=tempfile.mkdtemp(prefix="selfheal-blind-harness-"), hypothesis=False)
    yield
    reset()


def test_a_crash_healed_as_the_reference_is_correct() -> None:
    case = load_crash_cases(["web_page_param"])[0]
    outcome = bench_blind_crashes.heal_case(case, lambda report: [PAGE_PARAM_REFERENCE])
    assert outcome.status == bench_blind_crashes.CORRECT, outcome
    assert outcome.disagreements == []


def test_a_crash_healed_another_way_is_wrong_and_says_where() -> None:
    case = load_crash_cases(["web_page_param"])[0]
    other = PAGE_PARAM_REFERENCE.replace('params.get("page", 1)', 'params.get("page", 2)')
    outcome = bench_blind_crashes.heal_case(case, lambda report: [other])
    assert outcome.status == bench_blind_crashes.WRONG, outcome
    assert any("'size': '10'" in line for line in outcome.disagreements)


def test_a_crash_with_no_patch_is_not_healed_with_the_original_exception() -> None:
    case = load_crash_cases(["web_page_param"])[0]
    outcome = bench_blind_crashes.heal_case(case, lambda report: [])
    assert outcome.status == bench_blind_crashes.NOT_HEALED
    assert outcome.exception == "KeyError"
    assert outcome.note.startswith("selfheal:") and "(store" not in outcome.note


def test_the_reference_engine_is_accepted_and_a_wrong_patch_is_caught_on_held_out_tests() -> None:
    case = load_bug_cases(["last_digit"])[0]
    accepted = bench_blind_bugs.repair_bug(case, modes=("reference",))
    assert accepted.reference is not None and accepted.reference.accepted
    assert accepted.reference.passes_given
    # Right on the given half only: the held-out half must expose it.
    func = resolve(case.buggy(), case.function)
    split = split_tests(case.name, len(case.tests), failing_tests(func, case.tests))
    assert split is not None
    given = tuple(case.tests[i][0][0] for i in split[0])
    overfit = f"def last_digit(n):\n    return abs(n) % 10 if n in {given!r} else -1\n"
    outcome = bench_blind_bugs.repair_bug(case, lambda report: [overfit], modes=("half",))
    assert outcome.half is not None and outcome.half.accepted
    assert outcome.half.passes_given and not outcome.half.passes_held_out
