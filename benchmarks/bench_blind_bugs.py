"""Repair the frozen blind set of single-function bugs with `repair()`.

Each bug in benchmarks/blind_bugs/ has a reference implementation, a buggy twin with one
human-style bug and 6-10 unit tests. Three measurements per bug:

1. all tests: `repair(buggy, examples=<every test>)`; repaired = the patch passes every
   test (checked again here, in a forked child, with the patch installed on the buggy
   module so recursion reaches it; results compared in type and value);
2. half the tests: a fixed, seeded half (holding at least one test the bug fails) is
   given, the other half is held out; generalizing = accepted and passes the held-out
   half too; wrong = accepted but fails the held-out half. Bugs with no such split are
   skipped and counted;
3. reference engine: an engine that proposes the reference fix's `def`, given every
   test; every rejection is a verifier defect (its reason is reported verbatim).

Run:

    python -m benchmarks.bench_blind_bugs [--engine offline|anthropic|openai]
        [--modes all,half,reference] [--budget S] [--json FILE] [bug ...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import types
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.blind_sets import (
    FROZEN,
    BugCase,
    failing_tests,
    load_bug_cases,
    resolve,
    split_tests,
)

BUDGET_S = 10.0
ENGINES = ("offline", "anthropic", "openai")
MODES = ("all", "half", "reference")
SMOKE_CASES = ("fizzbuzz", "last_digit", "dot_product", "merge_lists")


@dataclass
class Attempt:
    """One `repair()` call and what its patch does on the tests."""

    accepted: bool = False  # repair() returned ok with a patched function
    passes_given: bool = False
    passes_held_out: bool = False
    seconds: float = 0.0
    description: str = ""  # of the chosen candidate
    reason: str = ""  # why nothing was accepted (repair()'s reason, verbatim)
    rejections: tuple[str, ...] = ()  # per rejected candidate: "[layer] reason", verbatim


@dataclass
class BugOutcome:
    case: str
    label: str
    all_tests: Attempt | None = None
    half: Attempt | None = None
    half_skipped: bool = False
    reference: Attempt | None = None


def _failed_on_patch(
    case: BugCase, patched: Callable[..., Any], indices: Sequence[int]
) -> list[int] | None:
    """Which of the tests `indices` the patch fails (None: the check itself broke)."""
    from selfheal.verify.isolate import run_isolated

    def work() -> list[int]:
        module = case.buggy()
        target = resolve(module, case.function)
        code = getattr(patched, "__code__", None)
        # Installed on the buggy module's own function, as a swap would: recursion and
        # other callers in the module reach the patch.
        if isinstance(target, types.FunctionType) and code is not None:
            target.__code__ = code
            # A repaired function runs restricted code: it reads its guards from its
            # globals, which the module it now runs in must hold too (this is a child).
            guards = getattr(patched, "__globals__", {})
            for name in code.co_names:
                if name in guards and name not in target.__globals__:
                    target.__globals__[name] = guards[name]
            subject: Callable[..., Any] = target
        else:
            subject = patched
        chosen = [case.tests[i] for i in indices]
        return [indices[i] for i in failing_tests(subject, chosen)]

    result = run_isolated(work, timeout_s=60.0)
    return list(result.value) if result.ok else None


def _attempt(
    case: BugCase,
    func: Callable[..., Any],
    given: Sequence[int],
    held_out: Sequence[int],
    engine: Any,
    budget_s: float,
) -> Attempt:
    from selfheal import repair

    started = time.perf_counter()
    result = repair(
        func,
        examples=[case.tests[i] for i in given],
        engine=engine,
        budget_s=budget_s,
    )
    seconds = time.perf_counter() - started
    rejections = tuple(
        f"[{o.verdict.failed_layer or '?'}] {o.verdict.reason}"
        for o in result.report.outcomes
        if not o.verdict.ok
    )
    attempt = Attempt(
        seconds=seconds,
        description=result.candidate.description if result.candidate else "",
        reason="" if result.ok else result.report.reason,
        rejections=rejections,
    )
    if not (result.ok and result.function is not None):
        return attempt
    attempt.accepted = True
    failed = _failed_on_patch(case, result.function, [*given, *held_out])
    if failed is not None:
        attempt.passes_given = not set(failed) & set(given)
        attempt.passes_held_out = not set(failed) & set(held_out)
    return attempt


def reference_engine(source: str) -> Callable[[Any], Iterable[str]]:
    """An engine (a callable, as the API allows) that proposes one source: the reference."""

    def propose(report: Any) -> list[str]:
        return [source]

    return propose


def repair_bug(
    case: BugCase, engine: Any = "offline", budget_s: float = BUDGET_S, modes: Sequence[str] = MODES
) -> BugOutcome:
    func = resolve(case.buggy(), case.function)
    every = list(range(len(case.tests)))
    result = BugOutcome(case.name, case.label)
    if "all" in modes:
        result.all_tests = _attempt(case, func, every, [], engine, budget_s)
    if "half" in modes:
        failed = failing_tests(func, case.tests)
        split = split_tests(case.name, len(case.tests), failed)
        if split is None:
            result.half_skipped = True
        else:
            result.half = _attempt(case, func, split[0], split[1], engine, budget_s)
    if "reference" in modes:
        ref = reference_engine(case.reference_source())
        result.reference = _attempt(case, func, every, [], ref, budget_s)
    return result


# --------------------------------------------------------------------------- totals


def summarize(outcomes: Sequence[BugOutcome]) -> dict[str, float]:
    n = len(outcomes)
    alls = [o.all_tests for o in outcomes if o.all_tests is not None]
    halves = [o.half for o in outcomes if o.half is not None]
    refs = [o.reference for o in outcomes if o.reference is not None]
    accepted = [h for h in halves if h.accepted]
    repaired = sum(a.accepted and a.passes_given for a in alls)
    generalizing = sum(h.passes_given and h.passes_held_out for h in accepted)
    wrong = sum(not h.passes_held_out for h in accepted)

    def pct(part: int, whole: int) -> float:
        return 100.0 * part / whole if whole else 0.0

    def median(attempts: Sequence[Attempt]) -> float:
        return statistics.median(a.seconds for a in attempts) if attempts else 0.0

    return {
        "bugs": float(n),
        "all_runs": float(len(alls)),
        "repaired": float(repaired),
        "repaired_pct": pct(repaired, len(alls)),
        "half_runs": float(len(halves)),
        "half_skipped": float(sum(o.half_skipped for o in outcomes)),
        "half_accepted": float(len(accepted)),
        "generalizing": float(generalizing),
        "generalizing_pct": pct(generalizing, len(halves)),
        "wrong": float(wrong),
        "wrong_of_accepted_pct": pct(wrong, len(accepted)),
        "reference_runs": float(len(refs)),
        "reference_accepted": float(sum(r.accepted for r in refs)),
        "median_all_s": median(alls),
        "median_half_s": median(halves),
    }


def groups(outcomes: Sequence[BugOutcome]) -> dict[str, list[BugOutcome]]:
    rows: dict[str, list[BugOutcome]] = {}
    for o in sorted(outcomes, key=lambda o: o.label):
        rows.setdefault(o.label, []).append(o)
    rows["all"] = list(outcomes)
    return rows


def table(outcomes: Sequence[BugOutcome]) -> str:
    lines = [
        "| label | bugs | repaired (all tests) | generalizing (half) | wrong / accepted (half) "
        "| skipped | reference accepted | median (all) | median (half) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, group in groups(outcomes).items():
        s = summarize(group)
        lines.append(
            f"| {name} | {len(group)} | {s['repaired']:.0f}/{s['all_runs']:.0f} "
            f"({s['repaired_pct']:.1f}%) | {s['generalizing']:.0f}/{s['half_runs']:.0f} "
            f"({s['generalizing_pct']:.1f}%) | {s['wrong']:.0f}/{s['half_accepted']:.0f} "
            f"({s['wrong_of_accepted_pct']:.1f}%) | {s['half_skipped']:.0f} | "
            f"{s['reference_accepted']:.0f}/{s['reference_runs']:.0f} | "
            f"{s['median_all_s'] * 1000:.0f} ms | {s['median_half_s'] * 1000:.0f} ms |"
        )
    return "\n".join(lines)


def rejected_references(outcomes: Sequence[BugOutcome]) -> list[str]:
    """One line per reference fix the verifier refused, with its reasons verbatim."""
    lines = []
    for o in outcomes:
        ref = o.reference
        if ref is not None and not ref.accepted:
            why = "; ".join(ref.rejections) or ref.reason
            lines.append(f"{o.case}: {why}")
    return lines


def measure(
    names: Sequence[str], engine: str, budget_s: float, modes: Sequence[str], verbose: bool
) -> list[BugOutcome]:
    outcomes = []
    for case in load_bug_cases(names):
        o = repair_bug(case, engine, budget_s, modes)
        outcomes.append(o)
        if verbose:
            print(_line(o))
    return outcomes


def _line(o: BugOutcome) -> str:
    def flag(a: Attempt | None, held: bool) -> str:
        if a is None:
            return "."
        if not a.accepted:
            return "-"
        if not a.passes_given:
            return "x"
        return "G" if not held or a.passes_held_out else "W"

    flags = flag(o.all_tests, False) + ("s" if o.half_skipped else flag(o.half, True))
    flags += flag(o.reference, False)
    detail = (o.half or o.all_tests or Attempt()).description
    return f"{flags} {o.case:26s} {o.label:16s} {detail}"


def run(smoke: bool) -> list[dict[str, object]]:
    """Rows for benchmarks/run.py (smoke: a handful of bugs; no number is asserted)."""
    outcomes = measure(SMOKE_CASES if smoke else (), "offline", BUDGET_S, MODES, verbose=False)
    s = summarize(outcomes)
    note = f"{int(s['bugs'])} bugs, frozen {FROZEN}"
    return [
        {
            "benchmark": "blind bugs: repaired given all tests",
            "value": round(s["repaired_pct"], 1),
            "unit": "%",
            "target": "",
            "note": note,
        },
        {
            "benchmark": "blind bugs: generalizing given half the tests",
            "value": round(s["generalizing_pct"], 1),
            "unit": "%",
            "target": ">= 70",
            "note": f"{int(s['half_skipped'])} skipped (no split with a failing test given)",
        },
        {
            "benchmark": "blind bugs: wrong among accepted (half the tests)",
            "value": round(s["wrong_of_accepted_pct"], 1),
            "unit": "%",
            "target": "<= 3",
            "note": f"{int(s['wrong'])} of {int(s['half_accepted'])} accepted",
        },
        {
            "benchmark": "blind bugs: reference fixes the verifier accepts",
            "value": int(s["reference_accepted"]),
            "unit": f"of {int(s['reference_runs'])}",
            "target": "all",
            "note": "a rejection is a verifier defect",
        },
        {
            "benchmark": "blind bugs: median time per bug (half the tests)",
            "value": round(s["median_half_s"] * 1000, 1),
            "unit": "ms",
            "target": "",
            "note": f"all tests: {s['median_all_s'] * 1000:.0f} ms",
        },
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("cases", nargs="*", help="bug names (default: all)")
    parser.add_argument("--engine", choices=ENGINES, default="offline")
    parser.add_argument(
        "--modes", default=",".join(MODES), help="comma-separated: all,half,reference"
    )
    parser.add_argument("--budget", type=float, default=BUDGET_S, help="seconds per repair")
    parser.add_argument("--json", default="", help="write the outcomes and totals here")
    args = parser.parse_args(argv)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = set(modes) - set(MODES)
    if unknown:
        parser.error(f"unknown mode(s) {sorted(unknown)}; choose from {', '.join(MODES)}")
    outcomes = measure(args.cases, args.engine, args.budget, modes, verbose=True)
    print()
    print(table(outcomes))
    rejected = rejected_references(outcomes)
    if "reference" in modes:
        print(f"\nreference fixes rejected by the verifier: {len(rejected)}")
        for line in rejected:
            print(f"  {line}")
    if args.json:
        payload = {
            "set": "blind_bugs",
            "frozen": FROZEN,
            "engine": args.engine,
            "budget_s": args.budget,
            "modes": modes,
            "python": sys.version.split()[0],
            "totals": {name: summarize(group) for name, group in groups(outcomes).items()},
            "rejected_references": rejected,
            "bugs": [asdict(o) for o in outcomes],
        }
        Path(args.json).write_text(json.dumps(payload, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
