"""`allow_guesses`: the contract for patches that invent a value for the failing input.

With `allow_guesses=True` a user opted in: a guard that returns a made-up constant
goes live, and the record says that the opt-in let it. With the default it is refused.
"""

from __future__ import annotations

import importlib
import types
from pathlib import Path

import pytest

from selfheal import self_healing
from selfheal.models import FailureReport, PatchStatus
from selfheal.store import open_store
from tests.failing import raised
from tests.scenarios.verifier import buggy

GUARD = "def ratio(a, b):\n    return a / b if b else 0.0\n"


@pytest.fixture
def mod() -> types.ModuleType:
    return importlib.reload(buggy)


def propose_guard(report: FailureReport) -> list[str]:
    """An engine: a callable from a failure report to candidate sources."""
    assert report.function.qualname == "ratio"
    return [GUARD]


def test_allow_guesses_lets_the_zero_guard_go_live(mod: types.ModuleType,
                                                   store_dir: Path) -> None:
    self_healing(engine=propose_guard, allow_guesses=True)(mod.ratio)
    assert mod.ratio(4, 2) == 2.0  # recorded: the original returned a real value
    assert mod.ratio(1, 0) == 0.0  # healed with the guess
    assert mod.ratio(9, 3) == 3.0
    [record] = open_store(store_dir).list()
    assert record.status is PatchStatus.LIVE
    assert "a guess, live because allow_guesses=True" in record.note
    failing = record.candidates[0].verdict.layers[1]
    assert failing.layer == "failing" and failing.guess
    assert "may swallow the failure" in failing.detail


def test_without_allow_guesses_the_guard_is_only_proposed(mod: types.ModuleType,
                                                          store_dir: Path) -> None:
    self_healing(engine=propose_guard)(mod.ratio)
    assert mod.ratio(4, 2) == 2.0
    error = raised(ZeroDivisionError, mod.ratio, 1, 0)  # a catch-all: pytest.raises expects it
    assert "only a guess verified" in str(error.__notes__)
    [record] = open_store(store_dir).list()
    assert record.status is PatchStatus.VERIFIED  # for a person to review, not live
    assert record.chosen is not None and record.chosen.source == GUARD
    assert mod.ratio(1, 2) == 0.5


def test_a_neutral_value_that_flows_through_is_not_a_guess(store_dir: Path) -> None:
    # `len(tags or [])` answers 0 for a post without tags: computed by the function's own
    # logic from a neutral value, not invented by a new way out of it.
    from tests.scenarios.production import buggy as production

    module = importlib.reload(production)
    fix = "def tag_count(post):\n    return len(post.get(\"tags\") or [])\n"
    self_healing(engine=lambda report: [fix])(module.tag_count)
    assert module.tag_count({"tags": ["a", "b"]}) == 2
    assert module.tag_count({"title": "untagged"}) == 0
    [record] = open_store(store_dir).list()
    assert record.status is PatchStatus.LIVE
    assert "on evidence: recorded 1" in record.note


def test_a_patch_on_evidence_says_so(mod: types.ModuleType, store_dir: Path) -> None:
    fix = "def ratio(a, b):\n    return a / b if b else float('inf')\n"
    self_healing(engine=lambda report: [fix], allow_guesses=True)(mod.ratio)
    assert mod.ratio(4, 2) == 2.0
    assert mod.ratio(1, 0) == float("inf")
    [record] = open_store(store_dir).list()
    assert record.status is PatchStatus.LIVE
    assert "on evidence: recorded 1" in record.note
