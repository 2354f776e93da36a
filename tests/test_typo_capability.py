"""Least capability allows exactly the fix of a misspelt global, nothing more."""

from __future__ import annotations

import importlib

from selfheal import Call, repair
from selfheal.engines import ScriptedEngine
from selfheal.verify.policy import compile_candidate
from tests.scenarios.typo_global import buggy


def candidate(body: str) -> str:
    return f"def vat(category, amount):\n    {body}\n"


def test_the_close_spelling_of_an_unresolved_name_is_allowed():
    mod = importlib.reload(buggy)
    ok, violations = compile_candidate(
        candidate("return round(amount * REDUCED_RATES[category], 2)"), mod.vat
    )
    assert ok is not None, violations


def test_other_new_globals_are_still_refused():
    mod = importlib.reload(buggy)
    for body in (
        "return round(amount * STANDARD_RATES[category], 2)",  # defined, but not a near miss
        "delete_everything(); return 0.0",
        "return os.getcwd()",
    ):
        compiled, violations = compile_candidate(candidate(body), mod.vat)
        assert compiled is None, body
        assert any(v.rule in ("least-capability", "restricted") for v in violations), violations


def test_repair_fixes_the_misspelt_constant():
    mod = importlib.reload(buggy)
    right = candidate("return round(amount * REDUCED_RATES[category], 2)")
    wrong = candidate("return round(amount * STANDARD_RATES[category], 2)")
    result = repair(
        mod.vat,
        failing=Call(("books", 100.0)),
        examples=[(("food", 10.0), 0.7)],
        engine=ScriptedEngine([wrong, right]),
    )
    assert result.ok, result.report.reason
    assert result.source == right
    assert result.function("books", 200.0) == 14.0


def test_the_offline_engine_finds_it():
    mod = importlib.reload(buggy)
    result = repair(mod.vat, failing=Call(("books", 100.0)), examples=[(("food", 10.0), 0.7)])
    assert result.ok, result.report.reason
    assert "REDUCED_RATES[category]" in result.source
