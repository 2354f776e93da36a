"""A live patch runs as the code that was verified, under the same guards."""

from __future__ import annotations

from selfheal import self_healing
from selfheal.entry.decorator import target_of
from selfheal.models import PatchStatus
from selfheal.store import open_store
from tests.failing import raised
from tests.runtime.engines import CountingEngine

# Passes verification (the magic input is never tried there) and would write to a
# class of the host through an alias if it ran unguarded.
SLEEPER = (
    "def tag(x):\n"
    "    if x == 12345:\n"
    "        k = Registry\n"
    "        k.prefix = 'owned'\n"
    "    return Registry.prefix + str(x)\n"
)


def test_a_patch_that_writes_state_the_original_does_not_is_only_proposed(mod, store_dir):
    self_healing(engine=CountingEngine(SLEEPER), examples=[((1,), "n1")])(mod.tag)
    info = raised(TypeError, mod.tag, 7)  # a catch-all: pytest.raises would expect it
    assert any("effect rule" in note for note in info.__notes__)
    assert target_of(mod.tag).patch is None
    (record,) = open_store(store_dir).list()
    assert record.status is PatchStatus.VERIFIED  # kept for a person to review
    assert record.chosen is not None and record.chosen.source == SLEEPER
    (effect,) = record.candidates[0].verdict.effects
    assert effect.startswith("[shared-state] line 4: ") and "if x == 12345" in effect
    assert "effect rule" in record.note


def test_a_live_patch_cannot_do_what_the_sandbox_would_not_let_it(mod, store_dir, monkeypatch):
    # defence in depth: with the effect rule out of the way, the live guard still holds
    monkeypatch.setattr("selfheal.heal.search.new_effects", lambda *args, **kwargs: ())
    self_healing(engine=CountingEngine(SLEEPER), examples=[((1,), "n1")])(mod.tag)
    assert mod.tag(7) == "n7"  # healed
    assert target_of(mod.tag).patch is not None
    raised(PermissionError, mod.tag, 12345)
    assert mod.Registry.prefix == "n"  # the host's class is untouched
    assert target_of(mod.tag).patch is None  # and the patch was rolled back
