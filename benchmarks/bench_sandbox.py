"""The verification sandbox: candidate checks per second through the process boundary.

Measured for a trivial one-argument function (`slugify`):

* rejected candidates per second (the common case: most candidates fail a layer), with
  1, 10 and 100 recorded calls, so the cost of the differential layer shows;
* passing candidates per second, with the default confirmation (a pass that follows other
  candidates in the same worker is re-checked in a fresh worker: one fork per pass) and
  without it;
* the parts: the policy compile per candidate (uncached and cached), the start of a worker
  (fork + limits + hooks + handshake), the hypothesis layer per candidate.

Target: >= 500 candidate checks per second on 2 cores (rejected candidates, 10 recorded
calls). Sources are made unique per run so the compile cache does not hide the compile.
"""

from __future__ import annotations

import itertools
import time
import types
from typing import Any, cast

from selfheal.models import Call, Candidate, FunctionRef
from selfheal.verify import Limits, RecordedCall, VerificationPlan
from selfheal.verify.policy import compile_candidate
from selfheal.verify.sandbox import Sandbox

_run_ids = itertools.count()


def slugify(title: str) -> str:
    return "-".join(title.lower().split())


def clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


# mypy types a `def` as a Callable; the plan wants the function object it is.
SLUGIFY = cast(types.FunctionType, slugify)
CLAMP = cast(types.FunctionType, clamp)


def _ref(func: types.FunctionType) -> FunctionRef:
    return FunctionRef(module=__name__, qualname=func.__qualname__, filename=__file__,
                       firstlineno=1, lastlineno=2, source="", source_hash="0")


def _plan(recorded: int, hypothesis: bool = False) -> VerificationPlan:
    calls = tuple(RecordedCall(Call((f"Hello World {i}",)), f"hello-world-{i}")
                  for i in range(recorded))
    return VerificationPlan(function=SLUGIFY, target=_ref(SLUGIFY), failing=Call(("A  B",)),
                            recorded=calls, hypothesis=hypothesis, limits=Limits())


def _sources(n: int, passing: bool) -> list[Candidate]:
    tag = next(_run_ids)
    if passing:
        body = "    return '-'.join(title.lower().split()) + '' * {i}  # r{tag}\n"
    else:
        body = "    return '-'.join(title.lower().split()) + 'x{i}'  # r{tag}\n"
    return [Candidate(source="def slugify(title):\n" + body.format(i=i, tag=tag), engine="bench")
            for i in range(n)]


def _rate(plan: VerificationPlan, candidates: list[Candidate], sandbox: Sandbox,
          expect_ok: bool) -> float:
    started = time.perf_counter()
    outcomes = list(sandbox.verify(plan, candidates))
    elapsed = time.perf_counter() - started
    assert len(outcomes) == len(candidates)
    assert all(o.verdict.ok == expect_ok for o in outcomes), outcomes[0].verdict.reason
    return len(candidates) / elapsed


def run(smoke: bool) -> list[dict[str, object]]:
    n = 40 if smoke else 1000
    n_pass = 10 if smoke else 200
    rows: list[dict[str, Any]] = []
    sandbox = Sandbox()
    for recorded in (1, 10, 100):
        value = _rate(_plan(recorded), _sources(n, passing=False), sandbox, expect_ok=False)
        rows.append({
            "benchmark": f"sandbox: rejected candidates, {recorded} recorded calls",
            "value": round(value), "unit": "/s",
            "target": ">= 500" if recorded == 10 else "",
            "note": f"{n} candidates, one worker per batch (batches 4, 16, 64, 256)",
        })
    value = _rate(_plan(10), _sources(n_pass, passing=True), sandbox, expect_ok=True)
    rows.append({
        "benchmark": "sandbox: passing candidates, confirmed in a fresh worker",
        "value": round(value), "unit": "/s", "target": "",
        "note": "each pass after the first in a worker costs a fork; the heal loop stops "
                "at the first pass",
    })
    # Passing candidates run every recorded call: this is how the differential layer scales.
    unconfirmed = Sandbox(confirm_in_fresh_worker=False)
    for recorded in (1, 10, 100):
        value = _rate(_plan(recorded), _sources(n, passing=True), unconfirmed, expect_ok=True)
        rows.append({
            "benchmark": f"sandbox: passing candidates, {recorded} recorded calls, "
                         "no confirmation",
            "value": round(value), "unit": "/s", "target": "",
            "note": "Sandbox(confirm_in_fresh_worker=False); every recorded call replayed",
        })

    # the parts
    cands = _sources(n, passing=False)
    started = time.perf_counter()
    for c in cands:
        compile_candidate(c.source, SLUGIFY)
    uncached = (time.perf_counter() - started) / n * 1e6
    started = time.perf_counter()
    for c in cands:
        compile_candidate(c.source, SLUGIFY)
    cached = (time.perf_counter() - started) / n * 1e6
    rows.append({"benchmark": "sandbox: policy compile per candidate", "value": round(uncached),
                 "unit": "us", "target": "", "note": f"cached: {cached:.1f} us"})

    starts = 5 if smoke else 40
    one = _sources(starts, passing=False)
    started = time.perf_counter()
    for c in one:
        list(sandbox.verify(_plan(1), [c]))
    per_verify = (time.perf_counter() - started) / starts * 1000
    rows.append({"benchmark": "sandbox: verify() of one candidate (worker start included)",
                 "value": round(per_verify, 2), "unit": "ms", "target": "",
                 "note": "fork + limits + audit hook + handshake + one check"})

    examples = 10 if smoke else 30
    plan = VerificationPlan(function=CLAMP, target=_ref(CLAMP), hypothesis=True,
                            limits=Limits(hypothesis_examples=examples))
    tag = next(_run_ids)
    hyp = [Candidate(source=f"def clamp(value, low, high):\n"
                            f"    return max(low, min(value, high)) + 0 * {i}  # h{tag}\n",
                     engine="bench") for i in range(3 if smoke else 20)]
    value = _rate(plan, hyp, unconfirmed, expect_ok=True)
    rows.append({"benchmark": f"sandbox: hypothesis layer, {examples} examples",
                 "value": round(1000 / value, 1), "unit": "ms", "target": "",
                 "note": f"per candidate over {len(hyp)}; original and candidate run on every "
                         "input; includes Hypothesis's warm-up (about 50 ms) once per worker"})
    return rows


if __name__ == "__main__":
    for row in run(smoke=False):
        print(row)
