"""Wall time of libraries' own test suites, bare and under `selfheal run -m pytest`.

The suites of tests/library_suites/harness.py (pinned sdists, downloaded once), with the
library's modules included. Per suite: bare, observe, bare, observe (interleaved, the
first of each also warms whatever cache there is), then heal once; the best of each
counts. Smoke mode runs the smallest suite once each way.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the harness lives with the tests that use it

from tests.library_suites import harness  # noqa: E402

SMOKE_SUITE = "toolz"


def run(smoke: bool) -> list[dict[str, object]]:
    suites = [harness.SUITES_BY_NAME[SMOKE_SUITE]] if smoke else list(harness.SUITES)
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="selfheal-bench-suites-") as tmp:
        for suite in suites:
            scratch = Path(tmp) / suite.name
            project = harness.prepare(suite, scratch)
            work = scratch / "work"
            times: dict[str, list[float]] = {"bare": [], "observe": [], "heal": []}
            order = ["bare", "observe"] if smoke else ["bare", "observe", "bare", "observe", "heal"]
            tests = 0
            for way in order:
                result = harness.run(suite, project, way, work)  # type: ignore[arg-type]
                times[way].append(result.seconds)
                tests = max(tests, len(result.outcomes))
            bare = min(times["bare"])
            observe = min(times["observe"])
            note = f"{tests} tests; bare {bare:.1f} s, observe {observe:.1f} s"
            rows.append({"benchmark": f"suite {suite.requirement}: observe / bare",
                         "value": observe / bare, "unit": "x wall time", "target": "<= 1.3",
                         "note": note})  # fmt: skip
            if times["heal"]:
                heal = min(times["heal"])
                rows.append({"benchmark": f"suite {suite.requirement}: heal / bare",
                             "value": heal / bare, "unit": "x wall time", "target": "",
                             "note": f"heal {heal:.1f} s"})  # fmt: skip
    return rows
