"""A fix rejected for a failure is skipped in every later heal of it, whatever its text.

In-process twin of tests/cli/test_outcome_feedback.py: scripted engines make the order
of proposals exact, so the search's handling of batches that hold nothing new shows.
"""

from __future__ import annotations

from selfheal import self_healing
from selfheal.engines.base import ScriptedEngine
from selfheal.entry.decorator import target_of
from selfheal.heal import swap
from selfheal.models import PatchStatus
from selfheal.store import open_store
from tests.runtime.engines import RATIO_FIX

GUESS = "def ratio(a, b):\n    if b == 0:\n        return 0.0\n    return round(a / b, 3)\n"
GUESS_AGAIN = (
    "def ratio(a, b):\n"
    '    """Guarded."""\n'
    "    if (b == 0):  # the same guard\n"
    "        return 0.0\n"
    "    return round(a / b,   3)\n"
)


def _reject_the_live_patch(mod, store_dir) -> None:
    target = target_of(mod.ratio)
    assert target.patch is not None
    store = open_store(store_dir)
    store.transition(target.patch.record_id, PatchStatus.REJECTED, by="person", reason="no")
    swap.revert(target)  # what a restart does: the next call runs the original again


def test_the_same_fix_in_other_text_is_skipped_and_the_engine_asked_on(mod, store_dir):
    self_healing(engine=ScriptedEngine(GUESS), examples=[((1, 0), 0.0), ((1, 2), 0.5)])(
        mod.ratio
    )
    assert mod.ratio(1, 0) == 0.0
    _reject_the_live_patch(mod, store_dir)
    # Its first batch holds only the rejected fix: it is dropped, and the next batch asked.
    engine = ScriptedEngine(GUESS_AGAIN, [GUESS, RATIO_FIX], name="other")
    self_healing(engine=engine, examples=[((1, 0), 0.0), ((1, 2), 0.5)])(mod.ratio)
    assert mod.ratio(3, 0) == 0.0
    newest = open_store(store_dir).list()[0]
    assert newest.status is PatchStatus.LIVE
    assert [o.candidate.source for o in newest.candidates] == [RATIO_FIX]
    # The engine heard why its first batch was dropped; nothing ran it.
    first_answer, second_answer = engine.feedback
    assert first_answer == []
    (refused,) = second_answer
    assert refused.candidate.source == GUESS_AGAIN and not refused.verdict.ok
    assert "rejected by a person or rolled back" in refused.verdict.reason


def test_an_engine_that_rewrites_a_rejected_fix_is_not_asked_forever(mod, store_dir):
    self_healing(engine=ScriptedEngine(GUESS), examples=[((1, 0), 0.0), ((1, 2), 0.5)])(
        mod.ratio
    )
    assert mod.ratio(1, 0) == 0.0
    _reject_the_live_patch(mod, store_dir)
    # Ten new texts of the rejected fix, then a good one it never gets to.
    variants = [GUESS_AGAIN.replace("the same guard", f"variant {n}") for n in range(10)]
    engine = ScriptedEngine(*variants, RATIO_FIX)
    self_healing(engine=engine, examples=[((1, 0), 0.0), ((1, 2), 0.5)])(mod.ratio)
    # A catch-all, not `except ZeroDivisionError`: a handled exception is no failure.
    try:
        mod.ratio(3, 0)
    except Exception as exc:
        assert isinstance(exc, ZeroDivisionError)
    else:
        raise AssertionError("the rejected fix, or one after ten repeats of it, went live")
    newest = open_store(store_dir).list()[0]
    assert newest.candidates == ()
    assert len(engine.feedback) == 3  # three batches of refused fixes, then it is done
    assert [o.candidate.source for o in engine.feedback[-1]] == variants[:2]
