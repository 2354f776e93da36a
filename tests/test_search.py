"""The search: which verified candidate is chosen, and what the record says about why."""

from __future__ import annotations

from selfheal.budget import Budget
from selfheal.engines import ScriptedEngine
from selfheal.heal.search import HealInputs, search
from selfheal.models import FailureReport
from tests.verify import targets
from tests.verify.support import plan_for, ref

CLAMP_DIFFERENT = ("def clamp(value, low, high):\n    if value > high:\n        return low\n"
                   "    return max(low, min(value, high))\n")
CLAMP_SAME = ("def clamp(value, low, high):\n"
              "    return min(max(value, low), high) if low <= high else low\n")


def clamp_search(*sources: str) -> tuple[str | None, str]:
    # Inputs are drawn within the magnitudes seen (0..9 here), where `value > high` is
    # rare: enough draws that the disagreement shows whatever Hypothesis's seed data.
    plan = plan_for(targets.clamp, failing=(5, 0, 9), hypothesis=True, hypothesis_examples=300)
    result = search(FailureReport(function=ref(targets.clamp)),
                    HealInputs(plan=plan, engine=ScriptedEngine(list(sources)),
                               budget=Budget(seconds=20), allow_guesses=False))
    return (result.chosen.source if result.chosen else None), result.reason


def test_the_candidate_that_changes_less_of_the_original_wins() -> None:
    chosen, reason = clamp_search(CLAMP_DIFFERENT, CLAMP_SAME)
    assert chosen == CLAMP_SAME
    assert "on evidence: hypothesis" in reason


def test_a_candidate_that_disagrees_on_generated_inputs_is_still_chosen_when_alone() -> None:
    chosen, reason = clamp_search(CLAMP_DIFFERENT)
    assert chosen == CLAMP_DIFFERENT
    assert "generated inputs disagree with the original" in reason
