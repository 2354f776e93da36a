"""The frozen blind sets are what they claim to be (no engine runs here).

For every crash case: the buggy function handles the calls production made exactly as
the reference does, crashes on each failing input where the reference returns, and the
reference returns on every held-out input and matches its declared examples. For every
bug: the reference passes all its unit tests, the buggy version fails at least one.
And no case file changed since the freeze (the manifests pin them by SHA-256).
"""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.blind_sets import (
    BUGS_DIR,
    CRASHES_DIR,
    FROZEN,
    BugCase,
    CrashCase,
    digest_mismatches,
    failing_tests,
    load_bug_cases,
    load_crash_cases,
    manifest,
    outcome,
    resolve,
    same,
    show,
    split_tests,
)

CRASHES = load_crash_cases()
BUGS = load_bug_cases()


def test_the_sets_are_frozen_as_listed() -> None:
    for directory in (CRASHES_DIR, BUGS_DIR):
        assert manifest(directory)["frozen"] == FROZEN
        assert digest_mismatches(directory) == []


def test_the_sets_have_the_promised_size_and_spread() -> None:
    new = [case for case in CRASHES if not case.well_known]
    assert len(new) >= 45
    assert len([case for case in CRASHES if case.well_known]) == 4
    shapes = Counter(case.shape for case in new)
    assert len(shapes) >= 10 and min(shapes.values()) >= 4, shapes
    assert len(BUGS) >= 110
    labels = Counter(case.label for case in BUGS)
    assert set(labels) == {
        "missing logic",
        "excess logic",
        "value misuse",
        "operator misuse",
        "variable misuse",
        "function misuse",
    }
    assert min(labels.values()) >= 10, labels


@pytest.mark.parametrize("case", CRASHES, ids=lambda case: case.name)
def test_crash_case_is_real(case: CrashCase) -> None:
    buggy_mod, fixed_mod = case.buggy(), case.fixed()
    buggy, fixed = resolve(buggy_mod, case.function), resolve(fixed_mod, case.function)
    seen = zip(case.seen(buggy_mod), case.seen(fixed_mod), strict=True)
    for args_b, args_f in seen:
        got, want = outcome(buggy, args_b), outcome(fixed, args_f)
        assert got[0] == "ok", f"the original must handle {show(args_b)}: {got}"
        assert want[0] == "ok" and same(got[1], want[1]), (show(args_b), got, want)
    failing = zip(case.failing(buggy_mod), case.failing(fixed_mod), strict=True)
    for args_b, args_f in failing:
        assert outcome(buggy, args_b)[0] == "raised", f"{show(args_b)} must crash the original"
        assert outcome(fixed, args_f)[0] == "ok", f"the reference must handle {show(args_f)}"
    held_out = case.held_out(fixed_mod)
    assert len(held_out) >= 2
    for args in held_out:
        assert outcome(fixed, args)[0] == "ok", f"the reference must handle {show(args)}"
    for args, expected in case.examples(fixed_mod):
        status, value = outcome(fixed, args)
        assert status == "ok" and same(value, expected), (show(args), value, expected)


@pytest.mark.parametrize("case", BUGS, ids=lambda case: case.name)
def test_bug_case_is_real(case: BugCase) -> None:
    assert 6 <= len(case.tests) <= 10
    fixed = resolve(case.fixed(), case.function)
    assert failing_tests(fixed, case.tests) == [], "the reference must pass every test"
    failed = failing_tests(resolve(case.buggy(), case.function), case.tests)
    assert failed, "the buggy version must fail at least one test"
    assert compile(case.reference_source(), "<reference>", "exec")
    split = split_tests(case.name, len(case.tests), failed)
    assert split is not None
    given, held = split
    assert set(given) & set(failed)
    assert sorted(given + held) == list(range(len(case.tests)))
    assert len(given) == len(case.tests) // 2


def test_split_is_seeded_and_moves_a_failing_test_into_the_given_half() -> None:
    first = split_tests("some_bug", 8, [7])
    assert first == split_tests("some_bug", 8, [7])
    assert first is not None and 7 in first[0] and len(first[0]) == 4
    assert split_tests("some_bug", 8, []) is None
    assert split_tests("some_bug", 1, [0]) is None


def test_same_compares_type_and_value_element_by_element() -> None:
    assert same([1, (2, "x")], [1, (2, "x")])
    assert not same(2, 2.0)
    assert not same([2], [2.0])
    assert not same({"a": 1}, {"a": True})
    assert not same((1,), [1])
