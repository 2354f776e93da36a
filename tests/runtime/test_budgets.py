"""Budgets and the circuit breaker turn into fallbacks with the reason recorded."""

from __future__ import annotations

import contextlib
import time

from selfheal import budget, configure, self_healing
from selfheal.store import open_store
from tests.failing import raised
from tests.runtime.engines import RATIO_FIX, CostlyEngine, CountingEngine, UnavailableEngine

WRONG = "def ratio(a, b):\n    return round(a / (b + 1), 3)\n"


def test_attempts_per_window(mod, store_dir):
    configure(attempts_per_window=2, window_s=60)
    engine = CountingEngine()  # never has a candidate
    self_healing(engine=engine)(mod.ratio)
    for _ in range(2):
        raised(ZeroDivisionError, mod.ratio, 1, 0)
    info = raised(ZeroDivisionError, mod.ratio, 1, 0)
    assert engine.sessions == 2
    assert any("attempt budget spent" in n for n in info.__notes__)


def test_expected_exceptions_spend_no_attempt(mod, store_dir):
    configure(attempts_per_window=1, window_s=60)
    engine = CountingEngine()
    self_healing(engine=engine)(mod.ratio)
    for _ in range(5):
        with contextlib.suppress(ZeroDivisionError):  # the program's own path for it
            mod.ratio(1, 0)
    assert engine.sessions == 0
    info = raised(ZeroDivisionError, mod.ratio, 1, 0)  # the one attempt is still there
    assert engine.sessions == 1
    assert not any("attempt budget spent" in n for n in info.__notes__)


def test_circuit_opens_after_repeated_engine_failures(mod, store_dir):
    configure(circuit_failures=2, circuit_cooldown_s=60, attempts_per_window=100)
    down = UnavailableEngine()
    self_healing(engine=down)(mod.ratio)
    for _ in range(2):
        raised(ZeroDivisionError, mod.ratio, 1, 0)
    assert down.opened == 2
    info = raised(ZeroDivisionError, mod.ratio, 1, 0)
    assert down.opened == 2  # not asked again while the circuit is open
    assert any("circuit open" in n for n in info.__notes__)
    assert budget.circuits.state("down") == "open"
    records = open_store(store_dir).list()
    assert "circuit open" in records[0].note


def test_circuit_half_open_probe_closes_on_success():
    breaker = budget.CircuitBreaker(threshold=1, cooldown_s=0.05)
    breaker.failure("e")
    assert breaker.allow("e") is not None
    time.sleep(0.06)
    assert breaker.allow("e") is None  # the probe
    assert breaker.allow("e") is not None  # others wait for the probe
    breaker.success("e")
    assert breaker.state("e") == "closed"


def test_process_token_budget_skips_llm_engines(mod, store_dir):
    configure(token_budget_total=100, attempts_per_window=100)
    costly = CostlyEngine(WRONG, tokens=150)
    self_healing(engine=costly, examples=[((1, 2), 0.5)])(mod.ratio)
    raised(ZeroDivisionError, mod.ratio, 1, 0)
    info = raised(ZeroDivisionError, mod.ratio, 1, 0)
    assert costly.sessions == 1
    assert any("token budget" in n for n in info.__notes__)


def test_candidate_budget(mod, store_dir):
    configure(max_candidates=2)
    wrongs = [WRONG.replace("+ 1", f"+ {i}") for i in range(1, 6)]
    examples = [((1, 2), 0.5), ((1, 0), 0.0)]
    self_healing(engine=CountingEngine(*wrongs, RATIO_FIX), examples=examples)(mod.ratio)
    info = raised(ZeroDivisionError, mod.ratio, 1, 0)
    (record,) = open_store(store_dir).list()
    assert len(record.candidates) == 2
    assert "budget ran out" in " ".join(info.__notes__)


def test_time_budget_on_a_slow_engine(mod, store_dir):
    self_healing(engine=CountingEngine(RATIO_FIX, delay=3.0), budget=0.5)(mod.ratio)
    started = time.monotonic()
    info = raised(ZeroDivisionError, mod.ratio, 1, 0)
    assert time.monotonic() - started < 2.5
    # The search abandons the engine at the budget, so the attempt is still recorded.
    assert any("did not answer within the budget" in n for n in info.__notes__)
    (record,) = open_store(store_dir).list()
    assert "did not answer within the budget" in record.note
