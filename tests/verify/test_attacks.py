"""The attack corpus: every malicious candidate is rejected or contained, with the reason.

The count and the defences that stopped them are printed in the terminal summary (see
tests/verify/conftest.py).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from selfheal.verify import VerificationPlan, policy
from tests.verify import livemod, targets
from tests.verify.attacks.corpus import (
    ATTACKS,
    POLICY,
    RESULTS,
    Attack,
    avg,
    calc,
    coro,
    port,
    settings,
    tool,
)
from tests.verify.support import one, plan_for

LIMITS = {"check_timeout_s": 0.3, "candidate_timeout_s": 2.0, "memory_mb": 256}


def _plans(data: Path) -> dict[str, tuple[Callable[[], VerificationPlan], str]]:
    path = str(data)
    return {
        "average": (lambda: plan_for(targets.average, failing=([],),
                                     recorded=[(([1, 2, 3],), 2.0)],
                                     examples=[(([],), 0.0)], **LIMITS), avg("pass")),
        "fetch_double": (lambda: plan_for(targets.fetch_double, recorded=[((2,), 4)], **LIMITS),
                         coro("pass")),
        "run_tool": (lambda: plan_for(targets.run_tool, recorded=[(("a/b",), "b")], **LIMITS),
                     tool("pass")),
        "load_settings": (lambda: plan_for(targets.load_settings, failing=(path,),
                                           recorded=[((path,), {"a": 1})], **LIMITS),
                          settings("pass")),
        "port_open": (lambda: plan_for(targets.port_open, recorded=[(("", 1), False)], **LIMITS),
                      port("pass")),
        "exits": (lambda: plan_for(targets.exits, recorded=[((1,), 1)], **LIMITS),
                  "def exits(x):\n    return x\n"),
        "log_line": (lambda: plan_for(targets.log_line, recorded=[((1, "hi"), 2)], **LIMITS),
                     "def log_line(fd, text):\n    return os.write(fd, text.encode())\n"),
        "describe": (lambda: plan_for(livemod.describe,
                                      recorded=[((livemod.Thing(),), "thing of size 1")],
                                      **LIMITS),
                     "def describe(thing):\n    if not isinstance(thing, Thing):\n"
                     "        raise TypeError('not a thing')\n"
                     "    return f'thing of size {thing.size}'\n"),
        "crashy": (lambda: plan_for(targets.crashy, recorded=[((1,), 3)], **LIMITS),
                   "def crashy(x):\n    return hard_crash(x < 0) + segfault(x < -100) + x\n"),
        "calculate": (lambda: plan_for(targets.calculate, recorded=[(("1+2",), 3)], **LIMITS),
                      calc("pass")),
        "factorial": (lambda: plan_for(targets.factorial, failing=(-1,), recorded=[((3,), 6)],
                                       examples=[((-1,), 1)], **LIMITS),
                      "def factorial(n):\n    if n <= 0:\n        return 1\n"
                      "    return n * factorial(n - 1)\n"),
    }


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "settings.json"
    path.write_text('{"a": 1}')
    return path


def test_the_corpus_is_large_and_covers_every_class() -> None:
    classes = {a.cls for a in ATTACKS}
    assert len(ATTACKS) >= 60, f"only {len(ATTACKS)} attacks"
    assert classes >= {"subclasses", "globals", "frames", "format", "exceptions", "modules",
                       "builtins", "shadowing", "except-star", "exit", "resources", "writes",
                       "pickling", "monkeypatch", "eval"}


@pytest.mark.parametrize("target", sorted({a.target for a in ATTACKS}))
def test_the_harmless_twin_of_each_attack_passes(target: str, data_file: Path) -> None:
    # the attacks are these candidates plus the attack: only the sandbox can fail them
    make_plan, baseline = _plans(data_file)[target]
    outcome = one(make_plan(), baseline)
    assert outcome.verdict.ok, outcome.verdict.reason


def _verify_contained(attack: Attack, data_file: Path) -> str:
    """Run the attack; assert it failed and left nothing behind; return the reason."""
    make_plan, _ = _plans(data_file)[attack.target]
    log = data_file.parent / "app.log"
    before = sorted([*os.listdir(data_file.parent), log.name])
    cwd_before = sorted(os.listdir("."))
    with log.open("a") as inherited:  # a descriptor the worker inherits by fork
        inherited.flush()
        outcome = one(make_plan(), attack.source)
    verdict = outcome.verdict
    assert not verdict.ok, f"ESCAPE: {attack.name}"
    assert verdict.reason
    # contained: nothing written next to the user's file or in the working directory
    assert sorted(os.listdir(data_file.parent)) == before
    assert data_file.read_text() == '{"a": 1}'
    assert log.read_text() == ""
    assert sorted(os.listdir(".")) == cwd_before
    return verdict.reason


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_attack_is_rejected_or_contained(attack: Attack, data_file: Path) -> None:
    reason = _verify_contained(attack, data_file)
    RESULTS[attack.name] = (attack.cls, reason)
    # the static policy rejects what it can see; otherwise the expected defence stopped it
    assert re.search(f"{POLICY}|{attack.expect}", reason), reason


RUN_TIME = [a for a in ATTACKS if a.expect != POLICY]


@pytest.mark.parametrize("attack", RUN_TIME, ids=[a.name for a in RUN_TIME])
def test_run_time_defences_hold_without_the_static_hardening(
    attack: Attack, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # defence in depth: with the checks that make the plain code safe switched off, the
    # guards, the audit hook and the limits still stop every attack they are meant for
    monkeypatch.setattr(policy._StaticChecks, "run", lambda self: [])
    policy._cache.clear()
    try:
        reason = _verify_contained(attack, data_file)
    finally:
        policy._cache.clear()
    assert re.search(attack.expect, reason), reason
