"""Benchmark of the offline repair engine on the bug corpus in tests/corpus/.

Each case directory holds `buggy.py`, its `fixed.py` twin and `oracle.py`
(`FUNCTION`, `KIND` = "crash" | "wrong", `oracle(mod)` -> failing call, examples and
properties, `fresh(mod)` -> held-out inputs the oracle never shows the engine).

Per bug and in total it reports: repaired (a verified patch that passes the oracle),
generalizes (the patch agrees with the fixed twin on the held-out inputs), candidates
tried (screened by the engine plus verified by the pipeline) and wall time. Targets:
>= 80% repaired, >= 70% generalizing, median <= 2 s per bug, budget 10 s.

Run: `python -m benchmarks.bench_offline [--json FILE] [case ...]`.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import time
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfheal.engines.base import RepairRequest
from selfheal.engines.offline import OfflineEngine, OfflineSession
from selfheal.engines.offline.probe import settle
from selfheal.models import Call
from selfheal.verify.isolate import run_isolated

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"
BUDGET_S = 10.0
# A fixed, quick subset for smoke runs (and for the tests that exercise the harness).
SMOKE_CASES = (
    "attr_typo_method",
    "counter_missing_key",
    "binary_search_loop_bound",
    "gcd_wrong_return",
)


@dataclass
class Case:
    name: str
    path: Path
    kind: str
    tags: tuple[str, ...]
    oracle: types.ModuleType


@dataclass
class Outcome:
    case: str
    kind: str
    repaired: bool
    generalizes: bool
    tried: int
    seconds: float
    screened: int = 0
    description: str = ""
    reason: str = ""
    guess: bool = False
    tags: tuple[str, ...] = field(default_factory=tuple)


class RecordingEngine(OfflineEngine):
    """The offline engine, remembering its sessions so the benchmark can read stats."""

    def __init__(self) -> None:
        super().__init__()
        self.sessions: list[OfflineSession] = []

    def open(self, request: RepairRequest) -> OfflineSession:
        session = super().open(request)
        self.sessions.append(session)
        return session


def load_module(path: Path, name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # inspect.getsource and recursion need a real module
    spec.loader.exec_module(module)
    return module


def load_cases(names: Sequence[str] = (), *, production: bool = False) -> list[Case]:
    """The corpus cases (named ones, or all); crashes tagged `dev-prod` only with
    `production` (they are healed through the decorator, bench_production.py)."""
    cases = []
    for directory in sorted(CORPUS.iterdir()):
        if not (directory / "oracle.py").is_file():
            continue
        if names and directory.name not in names:
            continue
        oracle = load_module(directory / "oracle.py", f"corpus_oracle_{directory.name}")
        tags = tuple(getattr(oracle, "TAGS", ()))
        if "dev-prod" in tags and not (names or production):
            continue
        cases.append(
            Case(
                directory.name,
                directory,
                str(getattr(oracle, "KIND", "wrong")),
                tags,
                oracle,
            )
        )
    return cases


def resolve(module: types.ModuleType, dotted: str) -> Callable[..., Any]:
    obj: Any = module
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj  # type: ignore[no-any-return]


def _outcome_of(func: Callable[..., Any], args: tuple[Any, ...]) -> tuple[str, Any]:
    try:
        return "ok", settle(func(*args))
    except Exception as exc:
        return "raised", type(exc).__name__


def _same(a: tuple[str, Any], b: tuple[str, Any]) -> bool:
    if a[0] != b[0]:
        return False
    x, y = a[1], b[1]
    if type(x) is not type(y):
        return False
    try:
        return bool(x == y)
    except Exception:
        return False


def generalizes(case: Case, patched: Callable[..., Any], timeout_s: float = 20.0) -> bool:
    """Does the patch agree with the fixed twin on the held-out inputs? (in a child)"""

    def work() -> bool:
        fixed_mod = load_module(case.path / "fixed.py", f"corpus_fixed_{case.name}")
        buggy_mod = sys.modules[f"corpus_buggy_{case.name}"]
        fixed = resolve(fixed_mod, case.oracle.FUNCTION)
        # Install the patch on the buggy module's function (in this child only), so
        # recursion and other callers reach the patch, as they would after a swap.
        target = resolve(buggy_mod, case.oracle.FUNCTION)
        code = getattr(patched, "__code__", None)
        if isinstance(target, types.FunctionType) and code is not None:
            target.__code__ = code
            patched_call: Callable[..., Any] = target
        else:
            patched_call = patched
        fresh_fixed = case.oracle.fresh(fixed_mod)
        fresh_buggy = case.oracle.fresh(buggy_mod)
        for args_f, args_b in zip(fresh_fixed, fresh_buggy, strict=False):
            if not _same(_outcome_of(fixed, args_f), _outcome_of(patched_call, args_b)):
                return False
        return True

    result = run_isolated(work, timeout_s=timeout_s)
    return bool(result.ok and result.value is True)


def run_case(case: Case, budget_s: float = BUDGET_S) -> Outcome:
    from selfheal import repair

    module = load_module(case.path / "buggy.py", f"corpus_buggy_{case.name}")
    func = resolve(module, case.oracle.FUNCTION)
    spec = case.oracle.oracle(module)
    engine = RecordingEngine()
    failing = spec.get("failing")
    start = time.perf_counter()
    result = repair(
        func,
        failing=failing if isinstance(failing, Call) else None,
        examples=spec.get("examples", ()),
        properties=spec.get("properties", ()),
        engine=engine,
        budget_s=budget_s,
    )
    seconds = time.perf_counter() - start
    screened = sum(s.stats.screened for s in engine.sessions)
    # Candidates tried: the chosen one's place in the engine's ranked enumeration (every
    # candidate before it was screened and rejected); without a patch, all screened.
    tried = screened
    if result.candidate is not None:
        for session in engine.sessions:
            position = session.stats.positions.get(result.candidate.id)
            if position is not None and position >= 0:
                tried = position + 1
    ok = bool(result.ok and result.function is not None)
    general = ok and result.function is not None and generalizes(case, result.function)
    return Outcome(
        case=case.name,
        kind=case.kind,
        repaired=ok,
        generalizes=general,
        tried=tried,
        seconds=seconds,
        screened=screened,
        description=result.candidate.description if result.candidate else "",
        reason="" if ok else result.report.reason,
        guess=bool(result.candidate and result.candidate.guess),
        tags=case.tags,
    )


def summarize(outcomes: Sequence[Outcome]) -> dict[str, float]:
    n = max(len(outcomes), 1)
    return {
        "cases": float(len(outcomes)),
        "repaired_pct": 100.0 * sum(o.repaired for o in outcomes) / n,
        "generalizes_pct": 100.0 * sum(o.generalizes for o in outcomes) / n,
        "median_s": statistics.median([o.seconds for o in outcomes]) if outcomes else 0.0,
        "p90_s": sorted(o.seconds for o in outcomes)[int(0.9 * (len(outcomes) - 1))]
        if outcomes
        else 0.0,
        "median_tried": statistics.median([o.tried for o in outcomes]) if outcomes else 0.0,
    }


def run(smoke: bool) -> list[dict[str, object]]:
    cases = load_cases(SMOKE_CASES if smoke else ())
    outcomes = [run_case(c) for c in cases]
    rows: list[dict[str, object]] = []
    for o in outcomes:
        rows.append(
            {
                "benchmark": f"offline repair: {o.case}",
                "value": round(o.seconds * 1000, 1),
                "unit": "ms",
                "target": f"<= {BUDGET_S * 1000:.0f}",
                "note": f"{o.kind}; repaired={o.repaired}; generalizes={o.generalizes}; "
                f"tried={o.tried}; {o.description or o.reason}",
            }
        )
    development = [o for o in outcomes if "dev-human" in o.tags]
    if development:
        dev = summarize(development)
        accepted = [o for o in development if o.repaired]
        wrong = sum(not o.generalizes for o in accepted)
        rows.append({
            "benchmark": "offline repair, development set of human bugs: generalizes",
            "value": round(dev["generalizes_pct"], 1),
            "unit": "%",
            "target": ">= 70",
            "note": f"{len(development)} bugs, half their tests given; {wrong} of "
            f"{len(accepted)} accepted patches wrong on the held-out half",
        })
    outcomes = [o for o in outcomes if "dev-human" not in o.tags]
    total = summarize(outcomes)
    rows += [
        {
            "benchmark": "offline repair: repaired",
            "value": round(total["repaired_pct"], 1),
            "unit": "%",
            "target": ">= 80",
            "note": f"{int(total['cases'])} bugs",
        },
        {
            "benchmark": "offline repair: generalizes (fixed twin on held-out inputs)",
            "value": round(total["generalizes_pct"], 1),
            "unit": "%",
            "target": ">= 70",
            "note": f"{int(total['cases'])} bugs",
        },
        {
            "benchmark": "offline repair: median time per bug",
            "value": round(total["median_s"] * 1000, 1),
            "unit": "ms",
            "target": "<= 2000",
            "note": f"p90 {total['p90_s'] * 1000:.0f} ms; median candidates tried "
            f"{total['median_tried']:.0f}",
        },
    ]
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("cases", nargs="*")
    parser.add_argument("--json", default=None, help="write per-bug outcomes here")
    parser.add_argument("--budget", type=float, default=BUDGET_S)
    args = parser.parse_args(argv)
    outcomes = []
    for case in load_cases(args.cases):
        outcome = run_case(case, args.budget)
        outcomes.append(outcome)
        flag = "G" if outcome.generalizes else ("R" if outcome.repaired else "-")
        print(
            f"{flag} {outcome.case:32s} {outcome.kind:5s} {outcome.seconds:6.2f}s "
            f"tried={outcome.tried:5d} {outcome.description or outcome.reason}"
        )
    total = summarize(outcomes)
    print(json.dumps(total, indent=2))
    by_kind: dict[str, list[Outcome]] = {}
    for o in outcomes:
        by_kind.setdefault(o.kind, []).append(o)
    for kind, group in sorted(by_kind.items()):
        print(kind, json.dumps(summarize(group)))
    if args.json:
        Path(args.json).write_text(
            json.dumps([o.__dict__ for o in outcomes], indent=2, default=list)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

__all__ = ["Case", "Outcome", "generalizes", "load_cases", "run", "run_case", "summarize"]
