"""Heal the frozen blind set of production-style crashes through the decorator.

For each case in benchmarks/blind_crashes/ the buggy function is decorated with
`@self_healing(mode="heal", engine=..., examples=...)`, called with the inputs
production handled before the crash (the recorder keeps them), then with the input that
crashes. That call is timed (capture, engine, sandbox, swap, retry) and classified:

- correct: it returned, its result is the reference fix's result, and the live patch
  agrees with the reference on every other failing input and every held-out input
  (type and value; judged in a forked child, so nothing can heal there);
- wrong: it returned, but the result or the live patch disagrees with the reference;
- not healed: the caller got an exception.

The well-known cases (the four crashes named in the issue that asked for this set)
are reported in their own row. Run:

    python -m benchmarks.bench_blind_crashes [--engine offline|anthropic|openai]
        [--budget S] [--json FILE] [case ...]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.blind_sets import (
    FROZEN,
    CrashCase,
    call,
    load_crash_cases,
    outcome,
    resolve,
    same,
    show,
)

BUDGET_S = 10.0
ENGINES = ("offline", "anthropic", "openai")
SMOKE_CASES = ("web_page_param", "json_qty_string", "empty_busiest_hour", "method_cart_add")
CORRECT, WRONG, NOT_HEALED = "correct", "wrong", "not healed"
# The note names the scratch store of this run; results are kept without local paths.
_STORE_IN_NOTE = re.compile(r" \(store [^)]*\)")


@dataclass
class CrashOutcome:
    case: str
    shape: str
    well_known: bool
    status: str
    seconds: float
    exception: str = ""  # what the caller got when not healed
    disagreements: list[str] = field(default_factory=list)
    patch: str = ""  # the live patch's description
    note: str = ""  # what selfheal said on the exception when not healed


def _judge_live(case: CrashCase, buggy_module: Any, live: Any) -> list[str]:
    """Inputs where the live function and the reference differ (run in a child)."""
    from selfheal.verify.isolate import run_isolated

    def work() -> list[str]:
        fixed_module = case.fixed()
        reference = resolve(fixed_module, case.function)
        live_inputs = case.failing(buggy_module)[1:] + case.held_out(buggy_module)
        reference_inputs = case.failing(fixed_module)[1:] + case.held_out(fixed_module)
        found = []
        for args_live, args_ref in zip(live_inputs, reference_inputs, strict=True):
            got, want = outcome(live, args_live), outcome(reference, args_ref)
            if got[0] != want[0] or not same(got[1], want[1]):
                found.append(f"{show(args_ref)}: got {show(got)}, reference {show(want)}")
        return found

    result = run_isolated(work, timeout_s=60.0)
    if not result.ok:
        return [f"judging the live patch failed: {result.error}"]
    return list(result.value)


def _patch_description(func: Any) -> str:
    from selfheal.entry.decorator import target_of

    target = target_of(func)
    patch = target.patch if target is not None else None
    return patch.candidate.description if patch is not None else ""


def heal_case(case: CrashCase, engine: Any = "offline", budget_s: float = BUDGET_S) -> CrashOutcome:
    from selfheal import self_healing

    module = case.buggy()
    func = resolve(module, case.function)
    self_healing(mode="heal", engine=engine, examples=case.examples(module), budget=budget_s)(func)
    for args in case.seen(module):  # production traffic before the crash: recorded
        call(func, args)
    first, *_ = case.failing(module)
    started = time.perf_counter()
    try:
        result = call(func, first)
    except Exception as exc:
        seconds = time.perf_counter() - started
        notes = [n for n in getattr(exc, "__notes__", ()) if n.startswith("selfheal:")]
        return CrashOutcome(
            case.name,
            case.shape,
            case.well_known,
            NOT_HEALED,
            seconds,
            type(exc).__name__,
            note=_STORE_IN_NOTE.sub("", notes[-1]) if notes else "",
        )
    seconds = time.perf_counter() - started
    fixed_module = case.fixed()
    want = outcome(resolve(fixed_module, case.function), case.failing(fixed_module)[0])
    disagreements = []
    if want[0] != "ok" or not same(result, want[1]):
        disagreements.append(
            f"{show(first)} (the healed call): got {show(result)}, reference {show(want)}"
        )
    disagreements += _judge_live(case, module, func)
    return CrashOutcome(
        case.name,
        case.shape,
        case.well_known,
        WRONG if disagreements else CORRECT,
        seconds,
        disagreements=disagreements,
        patch=_patch_description(func),
    )


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[round(q * (len(ordered) - 1))] if ordered else 0.0


def summarize(outcomes: Sequence[CrashOutcome]) -> dict[str, float]:
    n = len(outcomes)
    seconds = [o.seconds for o in outcomes]

    def pct(status: str) -> float:
        return 100.0 * sum(o.status == status for o in outcomes) / n if n else 0.0

    return {
        "cases": float(n),
        "correct_pct": pct(CORRECT),
        "wrong_pct": pct(WRONG),
        "not_healed_pct": pct(NOT_HEALED),
        "median_s": statistics.median(seconds) if seconds else 0.0,
        "p95_s": _percentile(seconds, 0.95),
    }


def groups(outcomes: Sequence[CrashOutcome]) -> dict[str, list[CrashOutcome]]:
    """Rows of the table: each shape of the new cases, then the totals."""
    new = [o for o in outcomes if not o.well_known]
    rows: dict[str, list[CrashOutcome]] = {}
    for o in sorted(new, key=lambda o: o.shape):
        rows.setdefault(o.shape, []).append(o)
    rows["blind (new cases)"] = new
    rows["well-known (public in the issue)"] = [o for o in outcomes if o.well_known]
    rows["all"] = list(outcomes)
    return rows


def table(outcomes: Sequence[CrashOutcome]) -> str:
    lines = [
        "| shape | cases | correct | wrong | not healed | median heal | p95 heal |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, group in groups(outcomes).items():
        if not group:
            continue
        s = summarize(group)
        count = {
            status: sum(o.status == status for o in group)
            for status in (CORRECT, WRONG, NOT_HEALED)
        }
        lines.append(
            f"| {name} | {len(group)} | {count[CORRECT]} ({s['correct_pct']:.0f}%) | "
            f"{count[WRONG]} ({s['wrong_pct']:.0f}%) | {count[NOT_HEALED]} "
            f"({s['not_healed_pct']:.0f}%) | {s['median_s'] * 1000:.0f} ms | "
            f"{s['p95_s'] * 1000:.0f} ms |"
        )
    return "\n".join(lines)


def measure(
    names: Sequence[str], engine: str, budget_s: float, verbose: bool
) -> list[CrashOutcome]:
    from selfheal import configure

    # Records of this run go to a scratch store, never to the working directory's.
    configure(store=tempfile.mkdtemp(prefix="selfheal-blind-crashes-"))
    outcomes = []
    for case in load_crash_cases(names):
        o = heal_case(case, engine, budget_s)
        outcomes.append(o)
        if verbose:
            detail = o.patch or f"{o.exception}: {o.note}"
            print(f"{o.status:10s} {o.case:28s} {o.seconds * 1000:7.0f} ms  {detail}")
            for line in o.disagreements[:3]:
                print(f"{'':12s}{line}")
    return outcomes


def run(smoke: bool) -> list[dict[str, object]]:
    """Rows for benchmarks/run.py (smoke: a handful of cases; no number is asserted)."""
    outcomes = measure(SMOKE_CASES if smoke else (), "offline", BUDGET_S, verbose=False)
    new = summarize([o for o in outcomes if not o.well_known])
    every = summarize(outcomes)
    note = f"{int(new['cases'])} new cases, frozen {FROZEN}"
    return [
        {
            "benchmark": "blind crashes: healed and correct on held-out inputs",
            "value": round(new["correct_pct"], 1),
            "unit": "%",
            "target": ">= 85",
            "note": note,
        },
        {
            "benchmark": "blind crashes: healed but wrong (live patch disagrees)",
            "value": round(new["wrong_pct"], 1),
            "unit": "%",
            "target": "<= 3",
            "note": f"{new['not_healed_pct']:.0f}% not healed",
        },
        {
            "benchmark": "blind crashes: heal time, median",
            "value": round(every["median_s"] * 1000, 1),
            "unit": "ms",
            "target": "",
            "note": f"p95 {every['p95_s'] * 1000:.0f} ms over {int(every['cases'])} cases",
        },
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("cases", nargs="*", help="case names (default: all)")
    parser.add_argument("--engine", choices=ENGINES, default="offline")
    parser.add_argument("--budget", type=float, default=BUDGET_S, help="seconds per heal")
    parser.add_argument("--json", default="", help="write the outcomes and totals here")
    args = parser.parse_args(argv)
    outcomes = measure(args.cases, args.engine, args.budget, verbose=True)
    print()
    print(table(outcomes))
    if args.json:
        payload = {
            "set": "blind_crashes",
            "frozen": FROZEN,
            "engine": args.engine,
            "budget_s": args.budget,
            "python": sys.version.split()[0],
            "totals": {name: summarize(group) for name, group in groups(outcomes).items()},
            "cases": [asdict(o) for o in outcomes],
        }
        Path(args.json).write_text(json.dumps(payload, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
