"""The process boundary: hangs, crashes, exits and memory exhaustion fail a candidate,
never the parent; the parent's state is never touched; no worker outlives verify()."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

from selfheal.verify.sandbox import Sandbox
from tests.verify import targets
from tests.verify.support import one, plain_copy, plan_for, run

GOOD = ("def average(values):\n    if not values:\n        return 0.0\n"
        "    return sum(values) / len(values)\n")


def average_plan(**limits: object):  # type: ignore[no-untyped-def]
    return plan_for(targets.average, failing=([],), recorded=[(([1, 2, 3],), 2.0)],
                    examples=[(([],), 0.0)], **limits)


def assert_no_children() -> None:
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_a_correct_fix_passes_every_layer() -> None:
    outcome = one(average_plan(), GOOD)
    assert outcome.verdict.ok, outcome.verdict.reason
    assert [x.layer for x in outcome.verdict.layers] == [
        "policy", "failing", "recorded", "examples", "properties", "checks", "hypothesis"]
    assert outcome.verdict.candidate_id == outcome.candidate.id
    assert_no_children()


def test_a_hang_is_a_timeout_and_the_next_candidate_still_runs() -> None:
    plan = average_plan(check_timeout_s=0.2, candidate_timeout_s=3.0)
    hang = "def average(values):\n    while True:\n        pass\n"
    first, second = run(plan, hang, GOOD)
    assert not first.verdict.ok
    assert "timeout" in first.verdict.reason
    assert first.verdict.failed_layer == "failing"
    assert second.verdict.ok
    assert_no_children()


def test_a_hang_that_swallows_the_timer_is_killed_by_the_parent() -> None:
    plan = average_plan(check_timeout_s=0.1, candidate_timeout_s=0.8)
    stubborn = (
        "def average(values):\n"
        "    while True:\n"
        "        try:\n"
        "            while True:\n"
        "                pass\n"
        "        except:\n"
        "            pass\n"
    )
    first, second = run(plan, stubborn, GOOD)
    assert not first.verdict.ok
    assert "worker killed" in first.verdict.reason
    assert second.verdict.ok  # a fresh worker took over
    assert_no_children()


def test_a_crashing_worker_fails_the_candidate_and_a_new_worker_continues() -> None:
    plan = plan_for(targets.crashy, failing=(5,), recorded=[((1,), 3)])
    crash = "def crashy(x):\n    return hard_crash(True) + segfault(x < -100) + x\n"
    fine = "def crashy(x):\n    return hard_crash(x < 0) + segfault(x < -100) + x\n"
    first, second = run(plan, crash, fine)
    assert not first.verdict.ok
    assert "crashed (SIGABRT)" in first.verdict.reason
    assert second.verdict.ok, second.verdict.reason
    assert_no_children()


def test_a_segfault_is_a_crash_not_a_hang() -> None:
    plan = plan_for(targets.crashy, failing=(5,), recorded=[((1,), 3)])
    outcome = one(plan, "def crashy(x):\n    return segfault(True) + hard_crash(x < 0) + x\n")
    assert not outcome.verdict.ok
    assert "crashed (SIGSEGV)" in outcome.verdict.reason
    assert_no_children()


def test_an_exiting_worker_fails_the_candidate() -> None:
    plan = plan_for(targets.exits, failing=(5,), recorded=[((1,), 1)])
    outcome = one(plan, "def exits(x):\n    return hard_exit(0)\n")
    assert not outcome.verdict.ok
    assert "exited (status 0)" in outcome.verdict.reason


def test_memory_exhaustion_fails_even_when_the_candidate_catches_it() -> None:
    plan = average_plan(memory_mb=200)
    greedy = (
        "def average(values):\n"
        "    hoard = []\n"
        "    try:\n"
        "        while True:\n"
        "            hoard.append('x' * 10_000_000)\n"
        "    except Exception:\n"
        "        hoard = []\n"
        "    if not values:\n"
        "        return 0.0\n"
        "    return sum(values) / len(values)\n"
    )
    outcome = one(plan, greedy)
    assert not outcome.verdict.ok
    assert "MemoryError" in outcome.verdict.reason


def test_runaway_recursion_is_a_resource_failure() -> None:
    plan = plan_for(targets.factorial, failing=(-1,), recorded=[((3,), 6)])
    outcome = one(plan, "def factorial(n):\n    try:\n        return factorial(n + 1)\n"
                        "    except Exception:\n        return 1\n")
    assert not outcome.verdict.ok
    assert "RecursionError" in outcome.verdict.reason, outcome.verdict.reason


def test_the_candidate_is_installed_on_the_live_function_so_recursion_reaches_it() -> None:
    # factorial(-1) recurses forever in the original: only a fix that sees its own
    # recursive calls can pass
    plan = plan_for(targets.factorial, failing=(-1,), recorded=[((3,), 6), ((0,), 1)],
                    examples=[((-1,), 1)])
    fix = "def factorial(n):\n    if n <= 0:\n        return 1\n    return n * factorial(n - 1)\n"
    outcome = one(plan, fix)
    assert outcome.verdict.ok, outcome.verdict.reason


def test_a_separate_live_object_receives_the_candidate() -> None:
    # the pipeline passes a plain copy as `function` and the public object as `live`
    checks = [lambda: targets.factorial(-2) == 1 or (_ for _ in ()).throw(AssertionError())]
    plan = plan_for(plain_copy(targets.factorial), failing=(-1,), recorded=[((3,), 6)],
                    examples=[((-1,), 1)], live=targets.factorial, checks=checks)
    fix = "def factorial(n):\n    if n <= 0:\n        return 1\n    return n * factorial(n - 1)\n"
    outcome = one(plan, fix)
    assert outcome.verdict.ok, outcome.verdict.reason


def test_the_parent_is_never_mutated() -> None:
    code_before = targets.record.__code__
    log_before = list(targets.AUDIT_LOG)
    rates_before = dict(targets.RATES)
    plan = plan_for(targets.record, failing=("boot",), recorded=[(("a",), 1)])
    mutator = (
        "def record(event):\n"
        "    AUDIT_LOG.append(event)\n"
        "    AUDIT_LOG.extend(['x'] * 50)\n"
        "    return len(AUDIT_LOG)\n"
    )
    outcomes = run(plan, mutator)
    assert outcomes[0].verdict.layers[1].ran == 1  # it did run
    plan2 = plan_for(targets.convert, failing=(1.0, "GBP"), recorded=[((1.0, "USD"), 1.1)])
    run(plan2, "def convert(amount, currency='EUR'):\n    RATES['GBP'] = 9.0\n"
               "    RATES.clear()\n    return amount\n")
    assert targets.record.__code__ is code_before
    assert log_before == targets.AUDIT_LOG
    assert rates_before == targets.RATES
    assert "_getattr_" not in vars(targets)  # guards were injected only in the worker


def test_stopping_early_kills_the_worker() -> None:
    plan = average_plan()
    iterator = Sandbox().verify(plan, [])  # empty: nothing to do, nothing forked
    assert list(iterator) == []
    from selfheal.models import Candidate

    candidates = [Candidate(source=GOOD, engine="t")] + [
        Candidate(source=GOOD.replace("0.0", f"0.0 + {i} * 0"), engine="t") for i in range(20)
    ]
    iterator = Sandbox().verify(plan, candidates)
    first = next(iterator)
    assert first.verdict.ok
    iterator.close()  # type: ignore[attr-defined]
    assert_no_children()
    iterator = Sandbox().verify(plan, candidates)
    next(iterator)
    del iterator
    gc.collect()
    assert_no_children()


def test_a_pass_after_other_candidates_is_confirmed_in_a_fresh_worker() -> None:
    # the first candidate poisons module state in the worker (the hit counter); the
    # second would pass only in the poisoned worker, so its pass must not count
    plan = plan_for(targets.bump, failing=(1,), recorded=[((2,), 2)])
    poison = "def bump(x):\n    hits[0] = -1000\n    return hits[0] + x + 'no'\n"
    relies = "def bump(x):\n    if hits[0] < 0:\n        return 2\n    return hits[0] + x + 'no'\n"
    first, second = run(plan, poison, relies)
    assert not first.verdict.ok
    assert not second.verdict.ok
    unconfirmed = run(plan, poison, relies, sandbox=Sandbox(confirm_in_fresh_worker=False))
    assert unconfirmed[1].verdict.ok  # why the confirmation exists


def test_file_writes_are_blocked_and_nothing_is_written(tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text('{"a": 1}')
    plan = plan_for(targets.load_settings, failing=(str(settings),),
                    recorded=[((str(settings),), {"a": 1})])
    writer = (
        "def load_settings(path):\n"
        "    try:\n"
        "        Path(path).write_text('{}')\n"
        "    except Exception:\n"
        "        pass\n"
        "    return json.loads(Path(path).read_text())\n"
    )
    outcome = one(plan, writer)
    assert not outcome.verdict.ok
    assert "open for writing" in outcome.verdict.reason
    assert settings.read_text() == '{"a": 1}'


def test_a_high_numbered_result_pipe_works() -> None:
    # servers hold many descriptors; select() cannot wait on one above 1024
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1100:
        pytest.fail(f"cannot raise the descriptor limit above 1100 here (hard limit {hard})")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    fillers = []
    try:
        while True:
            fd = os.open(os.devnull, os.O_RDONLY)
            fillers.append(fd)
            if fd > 1030:
                break
        assert one(average_plan(), GOOD).verdict.ok
    finally:
        for fd in fillers:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_outcomes_come_in_order_across_batches_and_workers() -> None:
    from selfheal.models import Candidate

    plan = average_plan()
    sources = []
    for i in range(300):
        if i % 7 == 0:
            sources.append(f"def average(values):\n    return values.__len__() + {i}\n")  # policy
        elif i % 5 == 0:
            sources.append(GOOD.replace("0.0", f"0.0 + 0 * {i}"))  # passes
        else:
            sources.append(f"def average(values):\n    return {i}.0\n")  # fails a layer
    candidates = [Candidate(source=s, engine="t") for s in sources]
    outcomes = list(Sandbox(max_batch=64).verify(plan, candidates))
    assert [o.candidate.id for o in outcomes] == [c.id for c in candidates]
    for i, outcome in enumerate(outcomes):
        if i % 7 == 0:
            assert outcome.verdict.failed_layer == "policy"
        elif i % 5 == 0:
            assert outcome.verdict.ok, outcome.verdict.reason
        else:
            assert not outcome.verdict.ok
            assert outcome.verdict.failed_layer in ("failing", "recorded", "examples")
    assert_no_children()


def test_nothing_is_forked_until_the_first_outcome_is_asked_for() -> None:
    from selfheal.models import Candidate

    iterator = Sandbox().verify(average_plan(), [Candidate(source=GOOD, engine="t")])
    assert_no_children()
    assert next(iterator).verdict.ok
    assert list(iterator) == []
    assert_no_children()


def test_a_coroutine_that_never_finishes_times_out_and_the_loop_recovers() -> None:
    plan = plan_for(targets.fetch_double, recorded=[((2,), 4)], check_timeout_s=0.3)
    stuck = "async def fetch_double(x):\n    await asyncio.sleep(100)\n    return x + x\n"
    quick = "async def fetch_double(x):\n    await asyncio.sleep(0)\n    return x + x\n"
    stuck_outcome, fine = run(plan, stuck, quick, sandbox=Sandbox(confirm_in_fresh_worker=False))
    assert "timeout" in stuck_outcome.verdict.reason
    assert fine.verdict.ok, fine.verdict.reason  # same worker, same event loop
