"""The guards outside the sandbox: a patch goes live as the restricted code it was
verified as, and the same rules hold there (a refused operation raises GuardError)."""

from __future__ import annotations

import importlib
import types
from collections.abc import Iterator

import pytest

from selfheal.verify.guards import GuardError, install_live_guards
from selfheal.verify.policy import GUARD_NAMES, compile_candidate


@pytest.fixture
def livemod() -> Iterator[types.ModuleType]:
    # a fresh copy of a real module: the guards are installed into its globals
    import tests.verify.livemod as module

    module = importlib.reload(module)
    saved = module.describe.__code__
    yield module
    module.describe.__code__ = saved
    # reload re-runs the module in the same namespace: take the guards out first
    for name in [*GUARD_NAMES, "_sh_guard_state_"]:
        module.__dict__.pop(name, None)
    importlib.reload(module)


def go_live(module: types.ModuleType, source: str) -> None:
    compiled, violations = compile_candidate(source, module.describe)
    assert compiled is not None, violations
    install_live_guards(module.describe.__globals__, compiled)
    module.describe.__code__ = compiled.code


def test_a_verified_patch_runs_live_as_restricted_code(livemod: types.ModuleType) -> None:
    go_live(livemod,
            "def describe(thing):\n    return f'thing of size {getattr(thing, \"size\")}!'\n")
    assert livemod.describe(livemod.Thing()) == "thing of size 1!"
    install_live_guards(livemod.describe.__globals__,
                        compile_candidate("def describe(thing):\n    return 'x'\n",
                                          livemod.describe)[0])  # type: ignore[arg-type]
    assert livemod.describe(livemod.Thing()) == "thing of size 1!"  # idempotent


def test_monkeypatching_through_an_alias_is_refused_live(livemod: types.ModuleType) -> None:
    # the static policy cannot follow `kind = Thing`; the live write guard can
    go_live(livemod, "def describe(thing):\n    kind = Thing\n    kind.size = 99\n"
                     "    return 'patched'\n")
    with pytest.raises(GuardError, match="cannot modify a type"):
        livemod.describe(livemod.Thing())
    assert livemod.Thing.size == 1


def test_a_guard_error_is_an_ordinary_exception(livemod: types.ModuleType) -> None:
    go_live(livemod, "def describe(thing):\n    kind = Thing\n    try:\n"
                     "        kind.size = 99\n    except Exception:\n        return 'caught'\n"
                     "    return 'patched'\n")
    # in the live process nothing happened, so catching it is harmless
    assert livemod.describe(livemod.Thing()) == "caught"
    assert livemod.Thing.size == 1
