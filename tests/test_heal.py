"""The whole loop end to end: capture, engine, sandbox, swap, retry, store.

Engines here are scripted (their candidates are fixed text) so each test pins one
behaviour of the loop; the offline engine has its own tests, and the quickstart test
runs it end to end.
"""

from __future__ import annotations

import asyncio
import importlib
import shutil
import subprocess
import traceback
from pathlib import Path

import pytest

from selfheal import Example, configure, self_healing
from selfheal.engines import ScriptedEngine
from selfheal.models import PatchStatus
from selfheal.store import open_store
from tests.failing import raised
from tests.scenarios.asyncio_case import buggy as async_buggy
from tests.scenarios.methods import buggy as methods_buggy
from tests.scenarios.offbyone import buggy as offbyone_buggy
from tests.scenarios.recursion import buggy as recursion_buggy
from tests.scenarios.typo import buggy as typo_buggy

TOTAL_FIXED = """def total(items, discount=0.0):
    subtotal = 0.0
    for item in items:
        subtotal += item.unit_price * item.quantity
    return round(subtotal * (1 - discount), 2)
"""
TOTAL_WRONG = """def total(items, discount=0.0):
    subtotal = 0.0
    for item in items:
        subtotal += item.unit_price
    return round(subtotal * (1 - discount), 2)
"""


@pytest.fixture
def typo():
    return importlib.reload(typo_buggy)


def records(store_dir: Path):
    return open_store(store_dir).list()


def example(typo):
    """One input with its right answer: the evidence a patch must agree with."""
    return [Example(args=([typo.Item("x", 2.0, 5)],), expected=10.0)]


def test_crash_is_healed_and_the_call_returns_the_right_value(typo, store_dir):
    engine = ScriptedEngine([TOTAL_FIXED])
    self_healing(engine=engine, examples=example(typo))(typo.total)
    items = [typo.Item("a", 2.0, 3), typo.Item("b", 1.5, 2)]
    assert typo.total(items) == 9.0
    # Later calls run the patch without healing again.
    assert typo.total(items, 0.5) == 4.5
    assert len(engine.requests) == 1
    (record,) = records(store_dir)
    assert record.status is PatchStatus.LIVE
    assert record.chosen is not None and "unit_price" in record.chosen.source
    assert record.report.exception.type == "builtins.AttributeError"
    assert record.report.failing_line is not None
    assert [layer.layer for layer in record.candidates[0].verdict.layers][0] == "policy"


def test_a_patch_checked_by_nothing_but_the_failing_input_is_only_proposed(typo, store_dir):
    # No example, no recorded success, no type hints: "it no longer raises" is all
    # verification could establish, which is what a wrong patch establishes too.
    self_healing(engine=ScriptedEngine([TOTAL_FIXED]))(typo.total)
    instrumented = typo.total.__code__
    info = raised(AttributeError, typo.total, [typo.Item("a", 2.0, 3)])
    assert typo.total.__code__ is instrumented
    assert any("only a guess verified" in n for n in info.__notes__)
    (record,) = records(store_dir)
    assert record.status is PatchStatus.VERIFIED  # a person can approve it
    assert record.chosen is not None and record.diff
    # With allow_guesses, the same patch goes live.
    fresh = importlib.reload(typo_buggy)
    self_healing(engine=ScriptedEngine([TOTAL_FIXED]), allow_guesses=True)(fresh.total)
    assert fresh.total([fresh.Item("a", 2.0, 3)]) == 6.0


def test_a_candidate_breaking_an_example_is_rejected(typo, store_dir):
    engine = ScriptedEngine([TOTAL_WRONG, TOTAL_FIXED])
    examples = [Example(args=([typo.Item("x", 2.0, 5)],), expected=10.0)]
    self_healing(engine=engine, examples=examples)(typo.total)
    assert typo.total([typo.Item("a", 1.0, 4)]) == 4.0
    (record,) = records(store_dir)
    first, second = record.candidates
    assert not first.verdict.ok and first.verdict.failed_layer == "examples"
    assert second.verdict.ok


def test_a_candidate_breaking_a_recorded_call_is_rejected(store_dir):
    mod = importlib.reload(offbyone_buggy)
    wrong = "def unit_price(total, count):\n    return round(total / (count + 1), 2)\n"
    right = "def unit_price(total, count):\n    return round(total / count, 2) if count else 0.0\n"
    # The example says what a zero count gives: without it, a fix returning 0.0 for
    # the failing input would be an invented value and is refused.
    examples = [Example(args=(5, 0), expected=0.0)]
    self_healing(engine=ScriptedEngine([wrong, right]), examples=examples)(mod.unit_price)
    assert mod.unit_price(10, 4) == 2.5  # recorded
    assert mod.unit_price(9, 3) == 3.0  # recorded
    assert mod.unit_price(5, 0) == 0.0  # healed
    (record,) = records(store_dir)
    first, second = record.candidates
    assert first.verdict.failed_layer == "recorded"
    recorded = next(x for x in first.verdict.layers if x.layer == "recorded")
    assert not recorded.passed and recorded.counterexample
    assert second.verdict.ok


def test_hanging_candidate_is_killed_by_the_timeout(typo, store_dir):
    hang = TOTAL_FIXED.replace("subtotal = 0.0", "subtotal = 0.0\n    while True:\n        pass")
    engine = ScriptedEngine([hang, TOTAL_FIXED])
    configure(check_timeout_s=0.5)
    self_healing(engine=engine, examples=example(typo))(typo.total)
    assert typo.total([typo.Item("a", 1.0, 2)]) == 2.0
    (record,) = records(store_dir)
    hung = record.candidates[0].verdict
    assert (
        not hung.ok
        and "timeout" in (hung.reason + " ".join(x.detail for x in hung.layers)).lower()
    )


def test_original_exception_and_traceback_reach_the_caller_when_nothing_verifies(typo, store_dir):
    items = [typo.Item("a", 2.0, 3)]
    try:
        typo.total(items)
    except AttributeError as exc:
        bare = [(f.filename, f.lineno, f.name) for f in traceback.extract_tb(exc.__traceback__)]
    engine = ScriptedEngine([TOTAL_WRONG.replace("def total", "def totally")])
    self_healing(engine=engine, examples=example(typo))(typo.total)
    info = raised(AttributeError, typo.total, items)
    got = [(f.filename, f.lineno, f.name) for f in traceback.extract_tb(info.__traceback__)]
    assert got[1:] == bare[1:]
    assert any("no candidate verified" in n for n in info.__notes__)
    assert any("selfheal show" in n for n in info.__notes__)


def test_fallback_value_and_callable(typo, store_dir):
    self_healing(engine=ScriptedEngine(), fallback=-1.0)(typo.total)
    assert typo.total([typo.Item("a", 1.0, 1)]) == -1.0
    typo2 = importlib.reload(typo_buggy)
    seen = []

    def fallback(exc, items, discount=0.0):
        seen.append((type(exc), len(items), discount))
        return 0.0

    self_healing(engine=ScriptedEngine(), fallback=fallback)(typo2.total)
    assert typo2.total([typo2.Item("a", 1.0, 1)], discount=0.1) == 0.0
    assert seen == [(AttributeError, 1, 0.1)]


@pytest.mark.parametrize("mode", ["observe", "propose"])
def test_observe_and_propose_never_swap(typo, store_dir, mode):
    engine = ScriptedEngine([TOTAL_FIXED])
    self_healing(engine=engine, mode=mode, examples=example(typo))(typo.total)
    instrumented = typo.total.__code__
    raised(AttributeError, typo.total, [typo.Item("a", 1.0, 1)])
    assert typo.total.__code__ is instrumented
    (record,) = records(store_dir)
    if mode == "observe":
        assert engine.requests == [] and record.status is PatchStatus.PROPOSED
    else:
        assert record.status is PatchStatus.VERIFIED and record.diff


def test_stored_diff_applies_with_git_to_a_copy_of_the_file(typo, store_dir, tmp_path):
    if shutil.which("git") is None:
        pytest.fail("git is required for this test")
    self_healing(engine=ScriptedEngine([TOTAL_FIXED]), examples=example(typo))(typo.total)
    typo.total([typo.Item("a", 1.0, 1)])
    (record,) = records(store_dir)
    source = Path(typo.__file__)
    copy = tmp_path / "repo" / record.diff_path
    copy.parent.mkdir(parents=True)
    shutil.copy(source, copy)
    patch = tmp_path / "fix.patch"
    patch.write_text(record.diff)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path / "repo", check=True)
    subprocess.run(["git", "apply", "--check", str(patch)], cwd=tmp_path / "repo", check=True)
    subprocess.run(["git", "apply", str(patch)], cwd=tmp_path / "repo", check=True)
    assert "item.unit_price * item.quantity" in copy.read_text()


def test_methods_instance_class_and_static(store_dir):
    mod = importlib.reload(methods_buggy)
    fixes = {
        "gross": "def gross(self):\n    return sum(self.prices) * (1 + self.tax)\n",
        "empty_total": "def empty_total(cls):\n    return 0.0\n",
        "halve": "def halve(value):\n    return value / 2\n",
    }
    self_healing(engine=ScriptedEngine([fixes["gross"]]), examples=[((mod.Cart([4.0]),), 5.0)])(
        mod.Cart.gross
    )
    self_healing(engine=ScriptedEngine([fixes["halve"]]), examples=[((3,), 1.5)])(
        mod.Cart.__dict__["halve"]
    )
    self_healing(engine=ScriptedEngine([fixes["empty_total"]]), allow_guesses=True)(
        mod.Cart.__dict__["empty_total"]
    )
    assert mod.Cart([2.0, 2.0]).gross() == 5.0
    assert mod.Cart.halve(9) == 4.5
    assert mod.Cart.empty_total() == 0.0
    assert mod.Cart([4.0]).gross() == 5.0  # the patch is bound like the original


def test_async_function_is_healed_without_blocking_the_loop(store_dir):
    mod = importlib.reload(async_buggy)
    fix = (
        "async def average_latency(samples):\n"
        "    await asyncio.sleep(0)\n"
        "    return sum(samples) / len(samples)\n"
    )
    self_healing(engine=ScriptedEngine([fix]), examples=[(([2.0, 4.0],), 3.0)])(mod.average_latency)

    async def main():
        ticks = 0

        async def ticker():
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.001)

        task = asyncio.create_task(ticker())
        value = await mod.average_latency([1.0, 2.0, 6.0])
        task.cancel()
        return value, ticks

    value, ticks = asyncio.run(main())
    assert value == 3.0
    assert ticks > 1  # the event loop kept running while the heal ran in a thread


def test_recursive_calls_go_to_the_patch(store_dir):
    mod = importlib.reload(recursion_buggy)
    fix = (
        "def total(tree):\n"
        "    if not isinstance(tree, list):\n"
        "        return tree\n"
        "    return sum(total(child) for child in tree)\n"
    )
    engine = ScriptedEngine([fix])
    self_healing(engine=engine, examples=[(([1, [2]],), 3)])(mod.total)
    assert mod.total([1, [2, 3], [[4]]]) == 10
    assert len(engine.requests) == 1  # one heal; every later leaf ran the patch


def test_last_word_index(store_dir):
    mod = importlib.reload(offbyone_buggy)
    fix = "def last_word(text):\n    words = text.split()\n    return words[len(words) - 1]\n"
    self_healing(engine=ScriptedEngine([fix]), examples=[(("a b",), "b")])(mod.last_word)
    assert mod.last_word("the quick fox") == "fox"


def test_a_healed_record_replays_offline_from_its_stored_inputs(store_dir, capsys):
    from selfheal.cli import main

    mod = importlib.reload(offbyone_buggy)
    right = "def unit_price(total, count):\n    return round(total / count, 2) if count else 0.0\n"
    examples = [Example(args=(5, 0), expected=0.0)]
    self_healing(engine=ScriptedEngine([right]), examples=examples)(mod.unit_price)
    assert mod.unit_price(10, 4) == 2.5
    assert mod.unit_price(3, 0) == 0.0
    (record,) = records(store_dir)
    kinds = sorted(i.role for i in record.inputs)
    assert kinds == ["example", "failing", "recorded"]
    assert main(["--store", str(store_dir), "replay", record.id]) == 0
    assert "holds" in capsys.readouterr().out.lower()


_WORKER = """
import sys
from selfheal import Example, configure, self_healing
from selfheal.engines import ScriptedEngine
from tests.scenarios.offbyone import buggy

configure(store=sys.argv[1])
right = "def unit_price(total, count):\\n    return round(total / count, 2) if count else 0.0\\n"
self_healing(engine=ScriptedEngine([right]), examples=[Example(args=(5, 0), expected=0.0)])(
    buggy.unit_price
)
assert buggy.unit_price(3, 0) == 0.0
"""


def test_a_patch_live_in_another_process_is_tried_first(store_dir):
    import os
    import sys

    # Another worker of the same service heals the failure (a real, separate process).
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", _WORKER, str(store_dir)],
        cwd=root, env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    (record,) = records(store_dir)
    assert record.status is PatchStatus.LIVE
    # This process has an engine with nothing to offer: the stored patch heals it.
    mod = importlib.reload(offbyone_buggy)
    engine = ScriptedEngine()
    self_healing(engine=engine, examples=[Example(args=(5, 0), expected=0.0)])(mod.unit_price)
    assert mod.unit_price(8, 0) == 0.0
    newest = records(store_dir)[0]
    assert newest.status is PatchStatus.LIVE
    assert newest.chosen.source == record.chosen.source
    assert engine.requests == []  # no engine was asked
