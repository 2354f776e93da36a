"""A live patch that misbehaves later is rolled back and never proposed again."""

from __future__ import annotations

from selfheal import self_healing
from selfheal.entry.decorator import target_of
from selfheal.models import PatchStatus
from selfheal.store import open_store
from tests.failing import raised
from tests.runtime.engines import RATIO_FIX, CountingEngine

# Verifies on the failing input (b == 0) but breaks on negative b later.
FRAGILE = (
    "def ratio(a, b):\n"
    "    if b < 0:\n"
    "        raise ArithmeticError('negative')\n"
    "    return round(a / b, 3) if b else 0.0\n"
)


def test_patch_that_raises_later_is_rolled_back(mod, store_dir):
    engine = CountingEngine(FRAGILE, RATIO_FIX)
    self_healing(engine=engine, examples=[((1, 0), 0.0)])(mod.ratio)
    target = target_of(mod.ratio)
    assert mod.ratio(1, 0) == 0.0
    assert target.patch is not None
    # The original would return -0.5: the patch made it worse.
    info = raised(ArithmeticError, mod.ratio, 1, -2)
    assert any("rolled back" in n for n in info.__notes__)
    assert target.patch is None
    assert mod.ratio(1, -2) == -0.5  # the original again
    store = open_store(store_dir)
    (record,) = store.list()
    assert record.status is PatchStatus.ROLLED_BACK
    assert [h.status for h in record.history][-1] is PatchStatus.ROLLED_BACK
    # The next heal of the same failure skips the rolled-back candidate.
    assert mod.ratio(2, 0) == 0.0
    newest = store.list()[0]
    assert newest.status is PatchStatus.LIVE
    assert newest.chosen.source == RATIO_FIX
    assert all(o.candidate.source != FRAGILE for o in newest.candidates)


def test_patch_that_breaks_a_property_later_is_rolled_back(mod, store_dir):
    sloppy = "def scaled(values, factor):\n    return [v * factor for v in values][:2]\n"
    self_healing(engine=CountingEngine(sloppy), properties=[lambda r, v, f: len(r) == len(v)])(
        mod.scaled
    )
    target = target_of(mod.scaled)
    # Put the patch in place as if an earlier heal had verified it.
    from selfheal.heal import swap
    from selfheal.models import Candidate

    swap.install(target, swap.build_patch(target, Candidate(source=sloppy, engine="test")))
    assert mod.scaled([1, 2, 3], 2) == [2, 4]  # broke the property: rolled back, result kept
    assert target.patch is None
    assert mod.scaled([1, 2, 3], 2) == [2, 4, 6]
