"""Production-style crashes healed through the decorator, as a service would see them.

Each case in tests/corpus/ whose oracle lists `recorded` calls (the traffic the function
handled before it broke) runs like this, in its own child process: the buggy module is
imported, its function decorated with `@self_healing` (offline engine, heal mode, the
oracle's examples and properties), the recorded calls are made, then the failing call.

- healed: the failing call returned instead of raising (or breaking its property),
  because a patch went live;
- correct: the live patch agrees with the fixed twin on the failing input and on every
  held-out input of `fresh(mod)` (same value and type, or the same exception type);
- wrong: a patch went live that disagrees with the fixed twin somewhere;
- none: nothing went live (the caller got the original exception, or the wrong result).

Run: `python -m benchmarks.bench_production [--json FILE] [case ...]`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.bench_offline import Case, _outcome_of, _same, load_cases, load_module, resolve

BUDGET_S = 10.0


@dataclass
class Healed:
    case: str
    healed: bool
    correct: bool
    seconds: float
    note: str = ""

    @property
    def verdict(self) -> str:
        if not self.healed:
            return "none"
        return "correct" if self.correct else "wrong"


def production_cases(names: Sequence[str] = ()) -> list[Case]:
    """The cases tagged `dev-prod` (or the named ones)."""
    return [c for c in load_cases(names, production=True) if names or "dev-prod" in c.tags]


def _heal_in_child(case: Case, budget_s: float) -> dict[str, Any]:
    from selfheal import configure, self_healing
    from selfheal.store import open_store

    store = tempfile.mkdtemp(prefix="selfheal-bench-")
    configure(store=store, mode="heal", engine="offline")
    module = load_module(case.path / "buggy.py", f"corpus_buggy_{case.name}")
    fixed_mod = load_module(case.path / "fixed.py", f"corpus_fixed_{case.name}")
    spec = case.oracle.oracle(module)
    func = resolve(module, case.oracle.FUNCTION)
    self_healing(examples=spec.get("examples", ()), properties=spec.get("properties", ()),
                 budget=budget_s)(func)
    for call in spec.get("recorded", ()):
        _outcome_of(func, tuple(call.args))
    failing = spec["failing"]
    started = time.perf_counter()
    got = _outcome_of(func, tuple(failing.args))
    seconds = time.perf_counter() - started
    records = open_store(store).list()
    live = [r for r in records if r.status.value == "live"]
    note = records[0].note if records else ""
    healed = bool(live) and got[0] == "ok"
    correct = False
    if healed:
        fixed = resolve(fixed_mod, case.oracle.FUNCTION)
        fixed_failing = fixed_mod_call(case, fixed_mod)
        correct = _same(_outcome_of(fixed, fixed_failing), got)
        for args_f, args_b in zip(case.oracle.fresh(fixed_mod), case.oracle.fresh(module),
                                  strict=False):
            if not correct:
                break
            correct = _same(_outcome_of(fixed, args_f), _outcome_of(func, args_b))
        if live[0].chosen is not None:
            note = live[0].chosen.description or note
    return {"healed": healed, "correct": correct, "seconds": seconds, "note": note[:200]}


def fixed_mod_call(case: Case, fixed_mod: Any) -> tuple[Any, ...]:
    """The failing input, built with the fixed module's own classes."""
    return tuple(case.oracle.oracle(fixed_mod)["failing"].args)


def run_case(case: Case, budget_s: float = BUDGET_S) -> Healed:
    # A process of its own, as a service is (selfheal does not heal inside its own
    # sandbox children, and each case must start from a fresh interpreter).
    root = Path(__file__).resolve().parent.parent
    try:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_production", "--child", case.name,
             "--budget", str(budget_s)],
            cwd=root, capture_output=True, text=True, timeout=budget_s * 3 + 30, check=False,
        )
    except subprocess.TimeoutExpired:
        return Healed(case.name, False, False, 0.0, "harness: timeout")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return Healed(case.name, False, False, 0.0, f"harness: {done.stderr.strip()[-200:]}")
    value = json.loads(lines[-1])
    return Healed(case.name, bool(value["healed"]), bool(value["correct"]),
                  float(value["seconds"]), str(value["note"]))


def summarize(outcomes: Sequence[Healed]) -> dict[str, float]:
    n = max(len(outcomes), 1)
    return {
        "cases": float(len(outcomes)),
        "correct_pct": 100.0 * sum(o.verdict == "correct" for o in outcomes) / n,
        "wrong_live_pct": 100.0 * sum(o.verdict == "wrong" for o in outcomes) / n,
        "none_pct": 100.0 * sum(o.verdict == "none" for o in outcomes) / n,
        "median_s": statistics.median([o.seconds for o in outcomes]) if outcomes else 0.0,
    }


SMOKE_CASES = ("devprod_sku_number_int", "devprod_theme_missing_section",
               "devprod_tree_leaf_children_none")


def run(smoke: bool) -> list[dict[str, object]]:
    outcomes = [run_case(c) for c in production_cases(SMOKE_CASES if smoke else ())]
    total = summarize(outcomes)
    n = int(total["cases"])
    return [
        {"benchmark": "production crashes healed correctly (development set)",
         "value": round(total["correct_pct"], 1), "unit": "%", "target": ">= 85",
         "note": f"{n} crashes through the decorator; held-out inputs vs the fixed twin"},
        {"benchmark": "production crashes: wrong patch live", "value":
         round(total["wrong_live_pct"], 1), "unit": "%", "target": "<= 3", "note": f"{n} crashes"},
        {"benchmark": "production crashes: median time of the failing call",
         "value": round(total["median_s"] * 1000, 1), "unit": "ms", "target": "",
         "note": "capture, engine, sandbox, swap, retry"},
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("cases", nargs="*")
    parser.add_argument("--json", default=None, help="write per-case outcomes here")
    parser.add_argument("--budget", type=float, default=BUDGET_S)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        (case,) = production_cases([args.child])
        print(json.dumps(_heal_in_child(case, args.budget)))
        return 0
    outcomes = []
    for case in production_cases(args.cases):
        outcome = run_case(case, args.budget)
        outcomes.append(outcome)
        print(f"{outcome.verdict:8s} {outcome.case:40s} {outcome.seconds:6.2f}s {outcome.note}")
    print(json.dumps(summarize(outcomes), indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps([o.__dict__ for o in outcomes], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

__all__ = ["Healed", "production_cases", "run", "run_case", "summarize"]
