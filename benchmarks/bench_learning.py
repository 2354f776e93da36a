"""Learning from outcomes: similar failures heal with fewer rounds once a project decided.

A replayed sequence of failures: functions of one project that all fail the same way (a
record in a loop lacks a field: KeyError), each in its own module, healed in turn by the
offline engine in `heal` mode. A reviewer with a house rule ("a record without the
field is skipped explicitly, not read as zero") looks at every live fix: a `guard` fix
is approved, any other kind is rejected and rolled out (the next call fails again, and
heals again without that fix). A function is done when a fix of its is approved.

Measured twice on the same sequence:
- without learning: every function starts from an empty store (nothing the reviewer
  said about earlier functions is known), so each one repeats the engine's default;
- with learning: one store for the project: rejected and approved fix kinds weigh the
  offline ranking (`selfheal.priors`), and fixes never come back for their failure.
Per function after the first: heals until the approved fix, candidates verified on the
way, time spent healing (the failing calls, exception to healed result, summed over
rounds; a reviewer's own time is not in it), and fixes the reviewer had to reject.

Also the cost of the LLM side of learning: retrieving the approved fixes of similar
failures from a store of many approved records, and the prompt characters they add.
The LLM's own gain depends on the model, so it is not claimed here.

Decisions take effect at once here (`forget_learning`), as a review minutes later would
see them (the reading of a store is cached for 30 s).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import logging
import statistics
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

APPROVED_KIND = "guard"
MAX_ROUNDS = 5

# (source, function, failing args, examples): each fails with a KeyError on a record
# that lacks the field; each has several fixes that pass every check.
SEQUENCE: list[tuple[str, str, tuple[Any, ...], list[Any]]] = [
    ("""
     def total(d, key):
         result = 0
         for k in d:
             result += d[k][key]
         return result
     """, "total", ({"a": {"x": 1}, "b": {}}, "x"),
     [(({"a": {"x": 1}}, "x"), 1), (({"a": {"x": 2}, "b": {"x": 3}}, "x"), 5)]),
    ("""
     def sum_field(rows, name):
         acc = 0
         for row in rows:
             acc += row[name]
         return acc
     """, "sum_field", ([{"n": 4}, {}], "n"),
     [(([{"n": 4}], "n"), 4), (([{"n": 1}, {"n": 2}], "n"), 3)]),
    ("""
     def stock_value(items):
         value = 0.0
         for item in items:
             value += item["price"] * item["qty"]
         return value
     """, "stock_value", ([{"price": 2.0, "qty": 3}, {"price": 1.0}],),
     [(([{"price": 2.0, "qty": 3}],), 6.0),
      (([{"price": 1.0, "qty": 1}, {"price": 0.5, "qty": 4}],), 3.0)]),
    ("""
     def total_minutes(sessions):
         minutes = 0
         for s in sessions.values():
             minutes += s["minutes"]
         return minutes
     """, "total_minutes", ({"a": {"minutes": 5}, "b": {"id": 2}},),
     [(({"a": {"minutes": 5}},), 5), (({"a": {"minutes": 1}, "b": {"minutes": 2}},), 3)]),
    ("""
     def count_active(users):
         n = 0
         for user in users:
             if user["active"]:
                 n += 1
         return n
     """, "count_active", ([{"active": True}, {"name": "x"}],),
     [(([{"active": True}, {"active": False}],), 1),
      (([{"active": True}, {"active": True}],), 2)]),
]


@dataclass
class Healed:
    """What it took one function to reach a fix the reviewer approved."""

    function: str
    rounds: int = 0  # heals (each one a failing call that healed, or did not)
    candidates: int = 0  # verified by the pipeline, over all rounds
    seconds: float = 0.0  # in the failing calls, over all rounds
    rejected: int = 0
    approved: bool = False
    kinds: list[str] = field(default_factory=list)


def _module(directory: Path, name: str, source: str) -> Any:
    path = directory / f"{name}.py"
    path.write_text(textwrap.dedent(source))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _heal_until_approved(directory: Path, index: int, store: str) -> Healed:
    from selfheal import config, self_healing
    from selfheal.function.target import target_of
    from selfheal.heal import swap
    from selfheal.heal.outcomes import forget_learning
    from selfheal.models import PatchStatus
    from selfheal.priors import fix_kind
    from selfheal.store import open_store

    source, name, args, examples = SEQUENCE[index]
    module = _module(directory, f"learn_{Path(store).name}_{index}", source)
    outcome = Healed(function=name)
    records = open_store(store)
    for _ in range(MAX_ROUNDS):
        self_healing(mode="heal", examples=examples)(getattr(module, name))
        started = time.perf_counter()
        try:
            getattr(module, name)(*args)
        except Exception as exc:  # nothing verified: the original error, as a caller sees it
            outcome.kinds.append(f"({type(exc).__name__})")
        outcome.seconds += time.perf_counter() - started
        outcome.rounds += 1
        record = records.list()[0]
        outcome.candidates += len(record.candidates)
        if record.status is not PatchStatus.LIVE or record.chosen is None:
            break
        kind = fix_kind(record.chosen)
        outcome.kinds.append(kind)
        if kind == APPROVED_KIND:
            records.transition(record.id, PatchStatus.APPROVED, by="reviewer")
            outcome.approved = True
        else:
            records.transition(record.id, PatchStatus.REJECTED, by="reviewer",
                               reason="house rule: skip a record without the field")
            outcome.rejected += 1
            target = target_of(getattr(module, name))
            if target is not None:
                swap.revert(target)  # rolled out: the next call runs the original
        forget_learning(config.get_settings().store)
        if outcome.approved:
            break
    return outcome


def _sequence(count: int, learning: bool) -> list[Healed]:
    from selfheal import config
    from selfheal.heal.outcomes import forget_learning

    directory = Path(tempfile.mkdtemp(prefix="selfheal-learning-"))
    results = []
    for index in range(count):
        store = str(directory / ("project" if learning else f"fresh{index}"))
        config.configure(store=store)
        forget_learning()
        results.append(_heal_until_approved(directory, index, store))
    return results


def _request(directory: Path) -> Any:
    """A repair request for a real KeyError of a function like those of the sequence."""
    from selfheal.engines.base import RepairRequest
    from selfheal.function.source import read_function
    from selfheal.heal.capture import capture_exception
    from selfheal.models import Call

    module = _module(directory, "learn_prompt_target", """
        def sum_minutes(sessions):
            minutes = 0
            for s in sessions:
                minutes += s["minutes"]
            return minutes
        """)
    func = module.sum_minutes
    source = read_function(func)
    assert source is not None
    call = Call(([{"minutes": 1}, {}],), {})
    try:
        func(*call.args)
    except KeyError as exc:
        report = capture_exception(exc, source.ref(func), {func.__code__}, call)
        return RepairRequest(report=report, function=func, exception=exc, failing=call)
    raise AssertionError("sum_minutes did not fail")


def _retrieval(approved: int) -> tuple[float, int, int]:
    """Median ms to rank `approved` approved fixes against a failure, the examples found,
    and the prompt characters they add."""
    from selfheal.engines.prompt import build_prompt
    from selfheal.priors import (
        ApprovedFix,
        failing_source_line,
        failure_type,
        similar_fixes,
    )

    fixes = []
    for n in range(approved):
        name = f"field{n % 17}"
        before = (f"def total_{n}(rows):\n    acc = 0\n    for row in rows:\n"
                  f"        acc += row[{name!r}]\n    return acc\n")
        failure = "KeyError"
        if n % 3 == 0:  # other code, another failure
            before = f"def label_{n}(name, count):\n    return name + ': ' + count\n"
            failure = "TypeError"
        after = before.replace("        acc +=", f"        if {name!r} not in row:\n"
                               "            continue\n        acc +=")
        line = before.splitlines()[-2].strip()
        fixes.append(ApprovedFix(record_id=f"r{n}", qualname=f"f{n}", failure=failure,
                                 message=repr(name), line=line, before=before, after=after,
                                 kind="guard"))
    request = _request(Path(tempfile.mkdtemp(prefix="selfheal-learning-prompt-")))
    report = request.report
    ref = report.function
    exc = report.exception
    times = []
    found: tuple[Any, ...] = ()
    for _ in range(5):
        started = time.perf_counter()
        found = similar_fixes(
            fixes, failure=failure_type(exc.type if exc else None, report.kind),
            source=ref.source,
            line=failing_source_line(ref.source, ref.firstlineno, report.failing_line),
            limit=3)
        times.append(time.perf_counter() - started)
    plain = build_prompt(request)
    shown = build_prompt(dataclasses.replace(request, similar_fixes=found))
    return statistics.median(times) * 1000, len(found), len(shown.context) - len(plain.context)


def run(smoke: bool) -> list[dict[str, object]]:
    logging.getLogger("selfheal").setLevel(logging.ERROR)  # one line per heal otherwise
    from selfheal import configure

    configure(hypothesis=False)
    count = 2 if smoke else len(SEQUENCE)
    reps = 1 if smoke else 3
    runs = [(_sequence(count, learning=False), _sequence(count, learning=True))
            for _ in range(reps)]
    before, after = runs[-1]
    later_before, later_after = before[1:], after[1:]

    def mean(values: list[float]) -> float:
        return statistics.fmean(values) if values else 0.0

    # Rounds and candidates are the same in every repetition; the time is the median one.
    def seconds(which: int) -> float:
        return statistics.median(mean([r.seconds for r in run[which][1:]]) for run in runs)

    def kinds(results: list[Healed]) -> str:
        return "; ".join(f"{r.function}: {' > '.join(r.kinds) or 'none'}" for r in results)

    rounds = (mean([r.rounds for r in later_before]), mean([r.rounds for r in later_after]))
    cands = (mean([r.candidates for r in later_before]),
             mean([r.candidates for r in later_after]))
    secs = (seconds(0), seconds(1))
    undone = (sum(r.rejected for r in later_before), sum(r.rejected for r in later_after))
    approved = sum(r.approved for r in after)
    n = len(later_after)
    retrieval_ms, examples, added = _retrieval(50 if smoke else 500)
    return [
        {"benchmark": f"heals until an approved fix, per later similar failure ({n})",
         "value": rounds[1], "unit": "heals",
         "target": f"< without learning ({rounds[0]:.2f})",
         "note": f"with learning: {kinds(later_after)}; without: {kinds(later_before)}"},
        {"benchmark": "candidates verified until the approved fix, per later failure",
         "value": cands[1], "unit": "candidates",
         "target": f"< without learning ({cands[0]:.2f})",
         "note": f"{approved} of {len(after)} functions reached an approved fix"},
        {"benchmark": "time healing until the approved fix, per later failure",
         "value": secs[1] * 1000, "unit": "ms",
         "target": f"< without learning ({secs[0] * 1000:.0f} ms)",
         "note": "failing calls only (exception to healed result), summed over rounds; "
                 f"median of {reps} runs"},
        {"benchmark": "fixes the reviewer rejected, later failures",
         "value": undone[1], "unit": "fixes", "target": f"< without learning ({undone[0]})",
         "note": f"first function: {after[0].rejected} rejected in both runs "
                 "(nothing learnt yet)"},
        {"benchmark": "similar approved fixes for an LLM prompt: ranking "
                      f"{50 if smoke else 500} approved records",
         "value": retrieval_ms, "unit": "ms", "target": "< 20 ms",
         "note": f"{examples} examples shown; {added} prompt characters added "
                 "(bounded by prompt_examples and approved_fix_chars)"},
    ]


if __name__ == "__main__":
    HERE = Path(__file__).resolve().parent
    if str(HERE.parent) not in sys.path:
        sys.path.insert(0, str(HERE.parent))
    for row in run("--smoke" in sys.argv):
        print(row)
