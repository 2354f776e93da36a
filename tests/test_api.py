"""The public API: names, `repair()` on demand."""

from __future__ import annotations

import importlib

import pytest

import selfheal
from selfheal import Call, Example, repair, self_healing
from selfheal.engines import ScriptedEngine
from selfheal.errors import ConfigurationError, RepairFailed
from tests.failing import raised
from tests.scenarios.offbyone import buggy as offbyone_buggy

FIX = "def last_word(text):\n    words = text.split()\n    return words[len(words) - 1]\n"


def test_public_names_are_pinned():
    assert selfheal.__all__ == sorted(selfheal.__all__)
    assert set(selfheal.__all__) == {
        "Call",
        "Example",
        "RepairResult",
        "configure",
        "install",
        "repair",
        "self_healing",
        "skip",
        "uninstall",
    }
    for name in selfheal.__all__:
        assert getattr(selfheal, name) is not None


@pytest.fixture
def mod():
    return importlib.reload(offbyone_buggy)


def test_repair_with_a_failing_call(mod):
    original_code = mod.last_word.__code__
    result = repair(
        mod.last_word,
        failing=Call(("a b c",)),
        examples=[(("x",), "x")],
        engine=ScriptedEngine([FIX]),
    )
    assert result.ok and bool(result)
    assert result.source == FIX
    assert result.function("x y") == "y"
    assert mod.last_word.__code__ is original_code  # nothing installed
    raised(IndexError, mod.last_word, "x y")
    assert result.diff.startswith("--- a/") and "+    return words[len(words) - 1]" in result.diff
    assert result.report.verdict is not None and result.report.verdict.ok
    assert result.report.failure.exception.type == "builtins.IndexError"
    assert result.report.tried == 1


def test_a_patch_nothing_but_the_failing_call_checks_is_not_ok(mod):
    result = repair(mod.last_word, failing=Call(("a b c",)), engine=ScriptedEngine([FIX]))
    assert not result.ok
    assert "only a guess" in result.report.reason
    assert result.candidate is not None and result.candidate.source == FIX
    assert repair(
        mod.last_word, failing=Call(("a b c",)), engine=ScriptedEngine([FIX]), allow_guesses=True
    ).ok


def test_repair_finds_the_failing_example_itself(mod):
    examples = [Example(args=("one",), expected="one"), (("a b",), "b")]
    result = repair(mod.last_word, examples=examples, engine=ScriptedEngine([FIX]))
    assert result.ok
    assert result.report.failure.failing_call.args == ("'one'",)


def test_repair_with_the_offline_engine(mod):
    result = repair(mod.last_word, examples=[(("a b",), "b"), (("z",), "z")])
    assert result.ok, result.report.reason
    assert result.function("p q r") == "r"


def test_nothing_to_repair_says_so(mod):
    result = repair(mod.unit_price, examples=[((10, 4), 2.5)])
    assert not result.ok
    assert "nothing to repair" in result.report.reason


def test_no_verified_patch_can_raise(mod):
    wrong = "def last_word(text):\n    return text\n"
    with pytest.raises(RepairFailed, match="no candidate verified"):
        repair(
            mod.last_word,
            examples=[(("a b",), "b")],
            engine=ScriptedEngine([wrong]),
            raise_on_failure=True,
        )


def test_repair_of_a_decorated_function_uses_the_original(mod, store_dir):
    self_healing(mode="observe")(mod.last_word)
    result = repair(
        mod.last_word,
        failing=Call(("a b",)),
        examples=[(("q",), "q")],
        engine=ScriptedEngine([FIX]),
    )
    assert result.ok and result.function("k l") == "l"


def test_bad_arguments():
    with pytest.raises(ConfigurationError, match="Python function"):
        repair(len, failing=Call(([],)))
    with pytest.raises(ConfigurationError, match="not an example"):
        repair(offbyone_buggy.last_word, examples=[42])


class Pricing:
    rate = 2

    @classmethod
    def scaled(cls, value):
        return value * cls.rte

    def doubled(self, value):
        return value * self.rte


def test_repair_of_bound_methods_takes_examples_as_the_user_calls_them():
    fix_cls = "def scaled(cls, value):\n    return value * cls.rate\n"
    result = repair(
        Pricing.scaled, examples=[((3,), 6)], engine=ScriptedEngine([fix_cls])
    )
    assert result.ok, result.report.reason
    assert result.function(5) == 10  # bound to the class, like Pricing.scaled
    fix_self = "def doubled(self, value):\n    return value * self.rate\n"
    instance = Pricing()
    result = repair(instance.doubled, examples=[((4,), 8)], engine=ScriptedEngine([fix_self]))
    assert result.ok, result.report.reason
    assert result.function(1) == 2


def test_repair_function_is_the_restricted_code_under_the_live_guards(mod, capfd):
    # Verified (the trigger is never tried), free of effects (print is collected), and
    # then asked to print megabytes and to build an 8 GiB list.
    sneaky = (
        "def last_word(text):\n"
        "    words = text.split()\n"
        "    if text == 'trigger':\n"
        "        print('x' * 1000000)\n"
        "    if text == 'bomb':\n"
        "        words = words * 2 ** 30\n"
        "    return words[len(words) - 1]\n"
    )
    result = repair(mod.last_word, failing=Call(("a b c",)), examples=[(("x",), "x")],
                    engine=ScriptedEngine([sneaky]))
    assert result.ok, result.report.reason
    patched = result.function
    assert patched is not None
    # the code that was verified: attribute reads and products go through the guards
    assert {"_getattr_", "_sh_mul_", "_print_"} <= set(patched.__code__.co_names)
    capfd.readouterr()
    assert patched("trigger") == "trigger"
    out, err = capfd.readouterr()
    assert out == "" and err == ""  # collected by the restricted print, never written
    with pytest.raises(PermissionError, match="size: "):
        patched("bomb")
    assert patched("p q") == "q"


def test_repair_refuses_a_patch_that_gains_an_effect():
    from tests.scenarios.runtime import buggy

    clears = (
        "def scaled(values, factor):\n"
        "    if values is None:\n"
        "        return []\n"
        "    out = [v * factor for v in values]\n"
        "    values.clear()\n"
        "    return out\n"
    )
    result = repair(buggy.scaled, failing=Call((None, 2)),
                    examples=[(([1, 2], 2), [2, 4]), ((None, 2), [])],
                    engine=ScriptedEngine([clears]))
    assert not result.ok
    assert result.function is None
    assert result.candidate is not None and result.candidate.source == clears  # for review
    assert "effect rule" in result.report.reason
    assert "[argument] line 5: writes an argument of the caller: values.clear()" in (
        result.report.reason)
