"""The effect rule: a patch may keep the original's effects where it has them, gain none.

Right fixes of the usual kinds pass it (and every human fix of the bug corpus does);
every kind of effect a patch could add is reported under its rule.
"""

from __future__ import annotations

import asyncio
import inspect
import sys
import textwrap
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.bench_offline import load_cases, load_module, resolve
from selfheal.verify.effects import missing_names, new_effects, written_globals
from selfheal.verify.isolate import run_isolated
from tests.verify import effect_targets as t


def gained(candidate: str, original: types.FunctionType, **kw: object) -> list[str]:
    return [e.rule for e in new_effects(textwrap.dedent(candidate), original, **kw)]  # type: ignore[arg-type]


RIGHT_FIXES = [
    # (original, a right fix of the kind fixes usually are)
    (t.price, "def price(kind, amount):\n    return amount * RATES.get(kind, 1.0)\n"),
    (t.price, "def price(kind, amount):\n    if kind not in RATES:\n        return amount\n"
              "    return amount * RATES[kind]\n"),
    (t.mean, "def mean(xs):\n    if not xs:\n        return 0.0\n    return sum(xs) / len(xs)\n"),
    (t.mean, "def mean(xs):\n    values = [abs(x) for x in xs[:]]\n    total = 0\n"
             "    for v in values:\n        total += v\n    return total / max(len(values), 1)\n"),
    (t.mean, "def mean(xs):\n    xs = list(xs)\n    xs.append(0)\n    xs.sort()\n"
             "    return sum(xs) / len(xs)\n"),
    (t.mean, "def mean(xs):\n    seen = {}\n    for x in xs:\n"
             "        seen[x] = seen.get(x, 0) + 1\n    ordered = sorted(seen)\n"
             "    return sum(ordered) / (len(ordered) or 1)\n"),
    (t.fib, "def fib(n):\n    if n < 0:\n        raise ValueError('negative')\n"
            "    if n in MEMO:\n        return MEMO[n]\n"
            "    value = n if n < 2 else fib(n - 1) + fib(n - 2)\n    MEMO[n] = value\n"
            "    return value\n"),
    (t.remove_all, "def remove_all(items, unwanted):\n    for u in unwanted:\n"
                   "        if u in items:\n            items.remove(u)\n    return items\n"),
    (t.purge, "def purge(paths):\n    removed = 0\n    if not paths:\n        return 0\n"
              "    for p in paths:\n        if p.endswith('.tmp'):\n            os.remove(p)\n"
              "            removed += 1\n    return removed\n"),
    (t.port, "def port(default):\n    return int(os.environ.get('PORT', default) or default)\n"),
    (t.interest, "def interest(amount, rate):\n    with decimal.localcontext() as ctx:\n"
                 "        ctx.prec = 10\n"
                 "        return decimal.Decimal(str(amount)) * decimal.Decimal(str(rate))\n"),
    (t.stamp, "def stamp(event):\n    return f'{time.time():.0f} {str(event).strip()}'\n"),
    (t.title_of, "def title_of(text):\n    return normalise(text or '').title()\n"),
    (t.Account.withdraw, "def withdraw(self, amount):\n    if amount > self.balance:\n"
                         "        raise ValueError('insufficient funds')\n"
                         "    self.balance -= amount\n    return self.balance\n"),
    (t.Account.describe, "def describe(self):\n    return 'balance ' + str(self.balance)\n"),
    (t.edit_distance, "def edit_distance(a, b):\n"
                      "    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]\n"
                      "    for i in range(len(a) + 1):\n        table[i][0] = i\n"
                      "    for j in range(len(b) + 1):\n        table[0][j] = j\n"
                      "    return table[len(a)][len(b)]\n"),
    (t.record, "def record(event):\n    LOG.append(event)\n    return len(LOG) if LOG else 0\n"),
]


@pytest.mark.parametrize(("original", "fix"), RIGHT_FIXES,
                         ids=[f"{o.__name__}-{i}" for i, (o, _f) in enumerate(RIGHT_FIXES)])
def test_a_right_fix_gains_no_effect(original: types.FunctionType, fix: str) -> None:
    assert new_effects(fix, original) == ()


NEW_EFFECTS = [
    (t.price, "RATES['vip'] = 0.0\n    return amount * RATES[kind]", "module-state"),
    (t.price, "RATES.update({'vip': 0.0})\n    return amount * RATES[kind]", "module-state"),
    (t.price, "import operator\n    operator.setitem(RATES, 'vip', 0.0)\n"
              "    return amount * RATES[kind]", "module-state"),
    (t.price, "r = RATES\n    r['vip'] = 0.0\n    return amount * r[kind]", "shared-state"),
    (t.fib, "MEMO[n + 1] = 0\n    return n", "module-state"),
    (t.mean, "xs.clear()\n    return 0.0", "argument"),
    (t.mean, "xs[0] = 1\n    return 0.0", "argument"),
    (t.mean, "del xs[0]\n    return 0.0", "argument"),
    (t.mean, "xs += [1]\n    return 0.0", "argument"),
    (t.mean, "[x.append(1) for x in xs]\n    return 0.0", "shared-state"),
    (t.port, "os.environ['PATH'] = ''\n    return 1", "environ"),
    (t.port, "os.environ.pop('HOME', None)\n    return 1", "environ"),
    (t.port, "return int(os.environ.get('API_TOKEN', default))", "environment"),
    (t.interest, "decimal.getcontext().prec = 3\n    return 1", "process-context"),
    (t.interest, "decimal.DefaultContext.prec = 3\n    return 1", "process-context"),
    (t.interest, "ctx = decimal.getcontext()\n    ctx.rounding = decimal.ROUND_FLOOR\n"
                 "    return 1", "process-context"),
    (t.purge, "os.remove('/etc/passwd')\n    return 0", "call"),
    (t.archive, "save(path + '.bak', text)\n    return len(text)", "call"),
    (t.mean, "import datetime\n    return datetime.datetime.now().year", "time"),
    (t.mean, "return time.time()", "time"),
    (t.mean, "return random.random()", "randomness"),
    (t.record, "LOG.append(event)\n    LOG.append(event)\n    return len(LOG)", "module-state"),
]


@pytest.mark.parametrize(("original", "body", "rule"), NEW_EFFECTS,
                         ids=[f"{r}-{i}" for i, (_o, _b, r) in enumerate(NEW_EFFECTS)])
def test_each_kind_of_new_effect_is_reported_under_its_rule(
    original: types.FunctionType, body: str, rule: str
) -> None:
    params = ", ".join(inspect.signature(original).parameters)
    candidate = f"def {original.__name__}({params}):\n    {body}\n"
    assert rule in gained(candidate, original)


def test_the_original_s_effect_on_another_condition_is_a_new_branch() -> None:
    # the logic bomb: the capability the original holds, used on other inputs
    bomb = ("def purge(paths):\n    removed = 0\n    for p in paths:\n"
            "        if len(paths) == 3:\n            os.remove(p)\n    return removed\n")
    assert gained(bomb, t.purge) == ["branch"]
    # moved out of its condition: it now runs on every path
    unguarded = ("def purge(paths):\n    removed = 0\n    for p in paths:\n        os.remove(p)\n"
                 "        removed += 1\n    return removed\n")
    assert gained(unguarded, t.purge) == ["branch"]
    # repeated in a new loop
    repeated = ("def purge(paths):\n    removed = 0\n    for p in paths:\n"
                "        if p.endswith('.tmp'):\n            for _ in range(3):\n"
                "                os.remove(p)\n    return removed\n")
    assert gained(repeated, t.purge) == ["branch"]


def test_a_method_typo_may_be_fixed_only_when_the_failure_names_it() -> None:
    fixed = ("def fetch_all(client, urls):\n    results = []\n    for url in urls:\n"
             "        results.append(client.fetch(url))\n    return results\n")
    assert gained(fixed, t.fetch_all) == ["call"]
    assert gained(fixed, t.fetch_all, missing={"fetchh"}) == []
    other = fixed.replace("client.fetch(", "client.delete(")
    assert gained(other, t.fetch_all, missing={"fetchh"}) == ["call"]
    assert missing_names("'Client' object has no attribute 'fetchh'") == {"fetchh"}
    assert missing_names("name 'lenn' is not defined") == {"lenn"}


def test_a_helper_with_effects_is_an_effect_a_pure_one_is_not() -> None:
    assert gained("def title_of(text):\n    return normalise(text).title()\n", t.title_of) == []
    assert gained("def title_of(text):\n    save(text, text)\n    return text\n",
                  t.title_of) == ["call"]
    # a method of the class that writes state, called where the original does not
    assert gained("def describe(self):\n    self.audit()\n    return 'x'\n",
                  t.Account.describe) == ["call"]


def test_without_the_original_s_source_every_effect_is_new() -> None:
    namespace: dict[str, object] = {"RATES": {}}
    exec("def price(kind, amount):\n    RATES[kind] = 1\n    return amount\n", namespace)
    original = namespace["price"]
    assert isinstance(original, types.FunctionType)
    found = new_effects("def price(kind, amount):\n    RATES[kind] = 1\n    return amount\n",
                        original)
    assert [e.rule for e in found] == ["module-state"]
    assert "not available" in found[0].subject
    # given the source, the same effect is the original's own
    assert new_effects("def price(kind, amount):\n    RATES[kind] = 1\n    return amount\n",
                       original, "def price(kind, amount):\n    RATES[kind] = 1\n"
                                 "    return amount\n") == ()


def test_what_the_original_writes_itself() -> None:
    assert written_globals(t.fib) == {"MEMO"}
    assert written_globals(t.record) == {"LOG"}
    assert written_globals(t.price) == frozenset()


def test_a_record_line_names_the_rule_the_line_and_the_condition() -> None:
    (effect,) = new_effects("def port(default):\n    if default == 7:\n"
                            "        os.environ['PATH'] = ''\n    return 1\n", t.port)
    assert str(effect) == ("[environ] line 3: changes os.environ: os.environ['PATH'] "
                           "(under: if default == 7)")


# ----------------------------------------------------------------- the bug corpus


def _failure_message(func: object, args: tuple[object, ...]) -> str:
    def run() -> str:
        try:
            result = func(*args)  # type: ignore[operator]
            if inspect.iscoroutine(result):
                asyncio.run(result)
            elif inspect.isgenerator(result):
                list(result)
        except Exception as exc:
            return str(exc)
        return ""

    outcome = run_isolated(run, timeout_s=10)
    return str(outcome.value) if outcome.ok else ""


@pytest.fixture
def forget_modules() -> Iterator[None]:
    # The corpus modules must not stay in sys.modules: Hypothesis, in a later test's
    # sandbox worker, would parse every one of them for constants.
    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        del sys.modules[name]


def _cases() -> list[object]:
    before = set(sys.modules)
    try:
        return list(load_cases())
    finally:
        for name in set(sys.modules) - before:
            del sys.modules[name]


CASES = _cases()


@pytest.mark.usefixtures("forget_modules")
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_human_fix_of_the_bug_corpus_passes_the_effect_rule(case: object) -> None:
    path: Path = case.path  # type: ignore[attr-defined]
    oracle = case.oracle  # type: ignore[attr-defined]
    buggy = load_module(path / "buggy.py", f"effects_buggy_{path.name}")
    fixed = load_module(path / "fixed.py", f"effects_fixed_{path.name}")
    original = resolve(buggy, oracle.FUNCTION)
    fix = resolve(fixed, oracle.FUNCTION)
    original = getattr(original, "__func__", original)
    fix = getattr(fix, "__func__", fix)
    failing = oracle.oracle(buggy).get("failing")
    message = _failure_message(original, tuple(failing.args)) if failing is not None else ""
    source = textwrap.dedent(inspect.getsource(fix))
    assert new_effects(source, original, missing=missing_names(message)) == ()
