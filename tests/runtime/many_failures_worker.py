"""One process meets FUNCTIONS x LINES distinct failures in observe mode; prints JSON.

Run as `python many_failures_worker.py FUNCTIONS LINES STORE [KEY=VALUE ...]`, the pairs
being settings (`store_max_records=100`). It writes a module whose functions fail with a
KeyError at a different line for every input (so every call is a distinct failure
fingerprint), instruments it with the import hook, calls every function once to set it
up, and then measures the rest: how far the process's memory grew, and how large the
attempt limiter's table, the store's record count and its size ended.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path

FUNCTIONS, LINES, STORE = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
SETTINGS = dict(arg.split("=", 1) for arg in sys.argv[4:])

module_dir = STORE.parent / "failing_module"
module_dir.mkdir(parents=True, exist_ok=True)
with (module_dir / "manyfail.py").open("w") as fh:
    for f in range(FUNCTIONS):
        fh.write(f"def f{f}(n):\n")
        for line in range(LINES):
            # An implicit KeyError (not a `raise`): a failure, one line per input.
            fh.write(f"    if n == {line}:\n        return {{}}[n]\n")
        fh.write("    return n\n\n")
sys.path.insert(0, str(module_dir))

import selfheal  # noqa: E402
from selfheal import budget  # noqa: E402

selfheal.configure(store=str(STORE), mode="observe", **SETTINGS)
selfheal.install(["manyfail"])
import manyfail  # noqa: E402

functions = [getattr(manyfail, f"f{f}") for f in range(FUNCTIONS)]


def rss() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise LookupError("VmRSS")


def fail(function: object, n: int) -> int:
    try:
        function(n)  # type: ignore[operator]
    except Exception as exc:  # a catch-all: the program does not expect the KeyError
        assert isinstance(exc, KeyError), exc
        return 1
    return 0


failures = sum(fail(function, 0) for function in functions)  # sets every function up
gc.collect()
base = rss()
started = time.monotonic()
for n in range(1, LINES):
    for function in functions:
        failures += fail(function, n)
gc.collect()
records = list((STORE / "records").iterdir())
size = sum(p.stat().st_size for d in ("records", "patches") for p in (STORE / d).iterdir())
print(json.dumps({
    "failures": failures,
    "seconds": time.monotonic() - started,
    "rss_growth_bytes": rss() - base,
    "tracked_failures": len(budget.attempts),
    "records": len(records),
    "store_bytes": size,
}))
