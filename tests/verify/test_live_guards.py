"""The guards outside the sandbox: a patch goes live as the restricted code it was
verified as, and the same rules hold there (a refused operation raises GuardError)."""

from __future__ import annotations

import importlib
import types
from collections.abc import Iterator

import pytest

from selfheal.verify.guards import GuardError, install_live_guards
from selfheal.verify.policy import GUARD_NAMES, compile_candidate
from tests.verify.support import DEFAULT_IMPORTS


@pytest.fixture
def livemod() -> Iterator[types.ModuleType]:
    # a fresh copy of a real module: the guards are installed into its globals
    import tests.verify.livemod as module

    module = importlib.reload(module)
    saved = {name: getattr(module, name).__code__ for name in ("describe", "lookup", "home")}
    yield module
    for name, code in saved.items():
        getattr(module, name).__code__ = code
    # reload re-runs the module in the same namespace: take the guards out first
    for name in [*GUARD_NAMES, "_sh_guard_state_"]:
        module.__dict__.pop(name, None)
    importlib.reload(module)


def go_live(module: types.ModuleType, source: str, name: str = "describe") -> None:
    function = getattr(module, name)
    compiled, violations = compile_candidate(source, function, DEFAULT_IMPORTS)
    assert compiled is not None, violations
    install_live_guards(function.__globals__, compiled)
    function.__code__ = compiled.code


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


# A patch that passed the effect rule may still reach module state through an alias the
# static rule cannot follow; live, the same guards as in the sandbox refuse the write.
STATE_WRITES = [
    ("lookup", "r = RATES\n    r['b'] = 2.0", "cannot modify RATES"),
    ("lookup", "r = RATES\n    r.update(b=2.0)", "cannot call .update() of RATES"),
    ("lookup", "import operator\n    s = operator.setitem\n    s(RATES, 'b', 2.0)",
     "cannot pass to operator.setitem"),
    ("lookup", "r = RATES\n    r |= {'b': 2.0}", "cannot apply |= to RATES"),
    ("home", "e = os.environ\n    e['ZZ_PLANTED'] = '1'", "cannot modify os.environ"),
    ("home", "e = os.environ\n    e.pop('HOME')", "cannot call .pop() of os.environ"),
    ("lookup", "import decimal\n    d = decimal.DefaultContext\n    d.prec = 3",
     "cannot modify decimal.DefaultContext"),
]


@pytest.mark.parametrize(("name", "body", "message"), STATE_WRITES,
                         ids=[m for _n, _b, m in STATE_WRITES])
def test_a_write_to_state_through_an_alias_is_refused_live(
    livemod: types.ModuleType, name: str, body: str, message: str
) -> None:
    import decimal
    import os

    before = (dict(livemod.RATES), dict(os.environ), decimal.DefaultContext.prec)
    params = "key" if name == "lookup" else ""
    tail = "RATES[key]" if name == "lookup" else "os.environ.get('HOME', '')"
    go_live(livemod, f"def {name}({params}):\n    {body}\n    return {tail}\n", name)
    with pytest.raises(GuardError, match=message.replace("(", r"\(").replace(")", r"\)")):
        getattr(livemod, name)(*(["a"] if params else []))
    assert (dict(livemod.RATES), dict(os.environ), decimal.DefaultContext.prec) == before


def test_state_the_original_writes_itself_stays_writable(livemod: types.ModuleType) -> None:
    go_live(livemod, "def lookup(key):\n    SEEN.append(key.strip())\n"
                     "    return RATES.get(key.strip(), 0.0)\n", "lookup")
    assert livemod.lookup(" a ") == 1.0
    assert livemod.SEEN == ["a"]


@pytest.mark.parametrize("expression", ["[0] * 2 ** 30", "'x' * 2 ** 29", "10 ** 10 ** 8",
                                        "1 << 2 ** 30"])
def test_one_operation_cannot_build_a_huge_object(livemod: types.ModuleType,
                                                  expression: str) -> None:
    go_live(livemod, f"def lookup(key):\n    if key == 'boom':\n        x = {expression}\n"
                     "    return RATES[key]\n", "lookup")
    with pytest.raises(GuardError, match="size: "):
        livemod.lookup("boom")
    assert livemod.lookup("a") == 1.0  # and ordinary arithmetic is untouched


def test_ordinary_products_and_powers_still_work(livemod: types.ModuleType) -> None:
    go_live(livemod, "def lookup(key):\n    return len([0] * 1000 + ['x' * 3]) * 2 ** 10 "
                     "+ (1 << 4) + 2.5 ** 2\n", "lookup")
    assert livemod.lookup("a") == 1001 * 1024 + 16 + 6.25
