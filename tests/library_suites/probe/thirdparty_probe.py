"""A pytest plugin for the third-party harness: every test's outcome, and its records.

Loaded with `-p thirdparty_probe` in a library's own test run (bare or under selfheal).
At the end of the session it writes JSON to `$THIRDPARTY_PROBE_OUT`:

* `outcomes`: node id -> one word (passed, failed, error, skipped, xfailed, xpassed),
  followed by the counts of its subtests' outcomes when it has subtests;
* `records`: node id -> the ids of the patch records that appeared in `$SELFHEAL_STORE`
  while that test ran (`<session>` for those stored outside any test).

It must not change what it observes: no fixtures, no hooks that alter collection or
reports, standard library only; the one setting it changes, in every run alike, is
Hypothesis's per-example deadline (a timing check; see `_no_deadlines`).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any


class _Probe:
    def __init__(self, out: Path, store: Path | None) -> None:
        self.out = out
        self.records_dir = store / "records" if store is not None else None
        self.main: dict[str, list[str]] = {}
        self.subtests: dict[str, Counter[str]] = {}
        self.records: dict[str, list[str]] = {}
        self.seen = self._stored()

    def _stored(self) -> set[str]:
        if self.records_dir is None or not self.records_dir.is_dir():
            return set()
        return {p.stem for p in self.records_dir.glob("*.json")}

    def _attribute(self, test: str) -> None:
        now = self._stored()
        new = sorted(now - self.seen)
        self.seen = now
        if new:
            self.records.setdefault(test, []).extend(new)

    def pytest_runtest_logreport(self, report: Any) -> None:
        word = _word(report)
        if getattr(report, "context", None) is not None:  # a subtest's report
            self.subtests.setdefault(report.nodeid, Counter())[word] += 1
        else:
            self.main.setdefault(report.nodeid, []).append(word)

    def pytest_collectreport(self, report: Any) -> None:
        if report.failed:
            self.main.setdefault(f"collect:{report.nodeid}", []).append("error")

    def pytest_runtest_logfinish(self, nodeid: str, location: Any) -> None:
        self._attribute(nodeid)

    def pytest_sessionfinish(self, session: Any, exitstatus: Any) -> None:
        self._attribute("<session>")
        outcomes = {}
        for nodeid, words in self.main.items():
            outcome = _combine(words)
            counts = self.subtests.get(nodeid)
            if counts:
                outcome += (
                    " [subtests: " + ", ".join(f"{n} {w}" for w, n in sorted(counts.items())) + "]"
                )
            outcomes[nodeid] = outcome
        document = {"outcomes": outcomes, "records": self.records}
        self.out.write_text(json.dumps(document, indent=1, sort_keys=True), encoding="utf-8")


def _word(report: Any) -> str:
    if hasattr(report, "wasxfail"):
        return "xfailed" if report.skipped else "xpassed"
    if report.failed:
        return "failed" if report.when == "call" else "error"
    return "skipped" if report.skipped else "passed"


def _combine(words: list[str]) -> str:
    for word in ("error", "failed", "xpassed", "xfailed", "skipped"):
        if word in words:
            return word
    return "passed"


def _no_deadlines() -> None:
    """Hypothesis's per-example deadline off, in all three runs alike.

    A deadline is a timing check, not behaviour: on a shared machine an example that
    takes 200 ms once fails the bare run too. The outcomes compared are behaviour; the
    wall time is measured apart (benchmarks/bench_thirdparty.py).
    """
    try:
        from hypothesis import settings
    except ImportError:
        return
    settings.register_profile("thirdparty-probe", deadline=None)
    settings.load_profile("thirdparty-probe")


def pytest_configure(config: Any) -> None:
    out = os.environ.get("THIRDPARTY_PROBE_OUT")
    if not out:
        return
    _no_deadlines()
    store = os.environ.get("SELFHEAL_STORE")
    config.pluginmanager.register(_Probe(Path(out), Path(store) if store else None), "probe")
