"""Time to heal with the offline engine, from the exception to the healed result.

Each case is a module with one crash bug, written to a temp dir and imported fresh for
every repetition (instrumentation and patches are in place). The time is one call of
the failing function: capture, engine, sandbox verification, swap, store, retry.
Also: the cost of the recording variant (the first calls of a function, while the
recorder collects samples) and the recorder's memory after many calls.
"""

from __future__ import annotations

import importlib.util
import statistics
import sys
import tempfile
import textwrap
import time
import timeit
import tracemalloc
from pathlib import Path
from typing import Any

# Each case: source, function, failing args, expected result, one example (args, result)
# the user declared: the evidence a patch must agree with before it may go live.
CASES: dict[str, tuple[str, str, tuple[Any, ...], Any, tuple[tuple[Any, ...], Any]]] = {
    "attribute typo": (
        """
        from dataclasses import dataclass

        @dataclass
        class Item:
            unit_price: float
            quantity: int

        def total(items):
            return sum(item.price * item.quantity for item in items)
        """,
        "total",
        (),  # args and example built below, with the module's Item
        None,
        ((), None),
    ),
    "name typo": (
        """
        def area(width, height):
            size = width * height
            return sise
        """,
        "area",
        (3, 4),
        12,
        ((2, 5), 10),
    ),
    "str + int": (
        """
        def label(name, count):
            return name + ": " + count
        """,
        "label",
        ("apples", 3),
        "apples: 3",
        (("pears", 1), "pears: 1"),
    ),
    "index off by one": (
        """
        def last(values):
            return values[len(values)]
        """,
        "last",
        ([1, 2, 3],),
        3,
        (([5],), 5),
    ),
    "missing key": (
        """
        def port(config):
            return int(config["prot"])
        """,
        "port",
        ({"port": "8080", "host": "x"},),
        8080,
        (({"port": "1"},), 1),
    ),
}


def _load(source: str, name: str) -> Any:
    directory = Path(tempfile.mkdtemp(prefix="selfheal-heal-"))
    path = directory / f"{name}.py"
    path.write_text(textwrap.dedent(source))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


def _heal_once(case: str, index: int) -> tuple[float, bool]:
    from selfheal import self_healing

    source, func_name, args, expected, example = CASES[case]
    module = _load(source, f"heal_case_{abs(hash(case))}_{index}")
    func = getattr(module, func_name)
    if case == "attribute typo":
        args = ([module.Item(2.0, 3)],)
        expected = 6.0
        example = (([module.Item(1.5, 2)],), 3.0)
    self_healing(examples=[example])(func)
    started = time.perf_counter()
    try:
        ok = func(*args) == expected
    except Exception:
        ok = False
    return time.perf_counter() - started, ok


def _recording_ratio(number: int) -> tuple[float, float]:
    """(steady state with recording on, x bare; cost of one sampled call, us)."""
    from selfheal import configure, self_healing

    module = _load("def f(x):\n    return x + 1\n", "rec_case")
    bare = _load("def f(x):\n    return x + 1\n", "rec_bare")
    configure(record=True, record_calls=16)
    self_healing(module.f)
    started = time.perf_counter()
    for i in range(16):  # distinct inputs: every one is sampled
        module.f(i)
    per_sample_us = (time.perf_counter() - started) / 16 * 1e6
    for _ in range(1000):  # the sampler is full: the lean code is back in place
        module.f(1)
    best_bare = min(timeit.repeat("f(1)", globals={"f": bare.f}, number=number, repeat=5))
    best_rec = min(timeit.repeat("f(1)", globals={"f": module.f}, number=number, repeat=5))
    return best_rec / best_bare, per_sample_us


def _recorder_memory(calls: int) -> tuple[float, int]:
    from selfheal import configure, self_healing
    from selfheal.function.recorder import process_bytes_used

    configure(record=True, record_calls=16)
    module = _load("def g(x, y):\n    return [x] * (y % 7)\n", "mem_case")
    self_healing(module.g)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for i in range(calls):
        module.g(i, i)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (after - before) / 1024, process_bytes_used()


def run(smoke: bool) -> list[dict[str, object]]:
    from selfheal import configure

    configure(store=tempfile.mkdtemp(prefix="selfheal-heal-store-"), hypothesis=False)
    reps = 1 if smoke else 9
    rows: list[dict[str, object]] = []
    all_times: list[float] = []
    for case in CASES:
        times, oks = [], 0
        for i in range(reps):
            seconds, ok = _heal_once(case, i)
            times.append(seconds)
            oks += ok
        all_times.extend(times)
        rows.append(
            {
                "benchmark": f"time to heal, offline: {case}",
                "value": round(statistics.median(times) * 1000, 1),
                "unit": "ms (median)",
                "target": "<= 50",
                "note": f"{oks}/{reps} healed; p95 {_p95(times) * 1000:.0f} ms",
            }
        )
    ordered = sorted(all_times)
    rows.append(
        {
            "benchmark": "time to heal, offline: all cases",
            "value": round(statistics.median(ordered) * 1000, 1),
            "unit": "ms (median)",
            "target": "<= 50",
            "note": f"p95 {_p95(ordered) * 1000:.0f} ms over {len(ordered)} heals",
        }
    )
    ratio, per_sample_us = _recording_ratio(2_000 if smoke else 200_000)
    rows.append(
        {
            "benchmark": "recording on, steady state, trivial f(x)",
            "value": round(ratio, 2),
            "unit": "x bare",
            "target": "<= 2",
            "note": f"the first 16 distinct calls are sampled at {per_sample_us:.0f} us each",
        }
    )
    calls = 20_000 if smoke else 10_000_000
    kib, held = _recorder_memory(calls)
    rows.append(
        {
            "benchmark": f"recorder memory after {calls:,} calls",
            "value": round(kib, 1),
            "unit": "KiB growth",
            "target": "bounded (16 calls, 256 KB per function; 32 MB per process)",
            "note": f"{held} bytes held by all recorders",
        }
    )
    return rows


if __name__ == "__main__":
    for row in run(smoke="--smoke" in sys.argv):
        print(row)
