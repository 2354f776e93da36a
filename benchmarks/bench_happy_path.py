"""Happy-path cost of `@self_healing`, side by side with the alternatives, as ratios.

Cases: (a) a trivial one-argument function, (b) a function of about 1 us, (c) an async
function (one await of a completed coroutine), (d) a method, (e) keyword arguments.
Each is measured bare, decorated, as a `functools.wraps` closure and as a
`wrapt.FunctionWrapper`, interleaved in one run; the table shows min-of-repeats ratios.
"""

from __future__ import annotations

import functools
import importlib.util
import sys
import tempfile
import textwrap
import timeit
from pathlib import Path
from typing import Any

import wrapt

SOURCE = textwrap.dedent(
    """
    def trivial(x):
        return x + 1

    def microsecond(n):
        total = 0
        for i in range(n):
            total += i * i
        return total

    async def coro(x):
        return x + 1

    class Account:
        def __init__(self):
            self.balance = 10

        def deposit(self, amount):
            return self.balance + amount

    def keywords(a, *, scale=2, offset=0):
        return a * scale + offset
    """
)


def _module(name: str) -> Any:
    """Each variant gets its own copy of the functions, from a real file."""
    directory = Path(tempfile.mkdtemp(prefix="selfheal-bench-"))
    path = directory / f"{name}.py"
    path.write_text(SOURCE)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _closure(func: Any) -> Any:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Exception:
            raise

    return wrapper


def _wrapt(func: Any) -> Any:
    def wrapper(wrapped: Any, instance: Any, args: Any, kwargs: Any) -> Any:
        return wrapped(*args, **kwargs)

    return wrapt.FunctionWrapper(func, wrapper)


def _variants() -> dict[str, Any]:
    from selfheal import configure, self_healing

    # Steady state: the recorder has its samples and the lean code is in place.
    configure(record=False, store=tempfile.mkdtemp(prefix="selfheal-bench-store-"))
    bare = _module("bench_bare")
    healed = _module("bench_healed")
    for name in ("trivial", "microsecond", "coro", "keywords"):
        self_healing(getattr(healed, name))
    self_healing(healed.Account.deposit)
    closure = _module("bench_closure")
    wrapped = _module("bench_wrapt")
    for mod, deco in ((closure, _closure), (wrapped, _wrapt)):
        for name in ("trivial", "microsecond", "coro", "keywords"):
            setattr(mod, name, deco(getattr(mod, name)))
        mod.Account.deposit = deco(mod.Account.__dict__["deposit"])
    return {"bare": bare, "self_healing": healed, "functools.wraps": closure, "wrapt": wrapped}


CASES = {
    "trivial f(x)": ("f.trivial(1)", 1.0),
    "~1 us function": ("f.microsecond(40)", 0.05),
    "async (awaited)": ("run(f.coro(1))", 1.0),
    "method": ("acct.deposit(5)", 1.0),
    "keyword args": ("f.keywords(3, scale=4, offset=1)", 1.0),
}


def _drive(coro: Any) -> Any:
    # Drive a coroutine that never suspends without an event loop: what the await
    # costs, not what asyncio's scheduler costs.
    try:
        coro.send(None)
    except StopIteration as stop:
        return stop.value
    raise RuntimeError("coroutine suspended")


def run(smoke: bool) -> list[dict[str, object]]:
    variants = _variants()
    number = 2_000 if smoke else 200_000
    repeat = 2 if smoke else 7
    rows: list[dict[str, object]] = []
    for case, (stmt, scale) in CASES.items():
        best: dict[str, float] = {}
        for _ in range(repeat):  # interleave variants so drift hits all alike
            for label, mod in variants.items():
                env = {"f": mod, "acct": mod.Account(), "run": _drive}
                t = timeit.timeit(stmt, globals=env, number=max(1, int(number * scale)))
                best[label] = min(best.get(label, float("inf")), t)
        for label in ("self_healing", "functools.wraps", "wrapt"):
            ratio = best[label] / best["bare"]
            target = ""
            if label == "self_healing":
                target = (
                    "<= 1.5 (stretch 1.1)"
                    if case == "trivial f(x)"
                    else ("<= 1.05" if case == "~1 us function" else "")
                )
            rows.append(
                {
                    "benchmark": f"{case}: {label}",
                    "value": round(ratio, 3),
                    "unit": "x bare",
                    "target": target,
                    "note": f"bare {best['bare'] / max(1, int(number * scale)) * 1e9:.0f} ns/call",
                }
            )
    return rows


if __name__ == "__main__":
    for row in run(smoke="--smoke" in sys.argv):
        print(row)
