"""Fault localisation: which lines of the function are most likely wrong.

Two signals, combined by taking the larger score per line:

* the traceback: the innermost frame of the function under repair scores 1.0, its
  other frames (recursion, callers inside it) a little less;
* the spectrum: line coverage of every probe (failing input, examples, recorded calls)
  on the ORIGINAL function, collected in a forked child, scored with Ochiai
  ``failed(s) / sqrt(total_failed * (failed(s) + passed(s)))``.

Lines no signal reaches keep a small floor so the search still reaches them, later.
Lines are relative to the `def` line (line 1 is the `def`).

This module owns scoring; it runs user code only through `run_isolated`.
"""

from __future__ import annotations

import math
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from selfheal.engines.offline.probe import Probe, coverage, target_codes
from selfheal.models import FailureReport
from selfheal.verify.isolate import can_fork, run_isolated

FLOOR_COVERED = 0.12  # ran in a failing run but no better evidence
FLOOR_OTHER = 0.04


@dataclass
class Localization:
    scores: dict[int, float] = field(default_factory=dict)  # relative line -> [0, 1]
    fault_lines: list[int] = field(default_factory=list)  # traceback lines, innermost first
    failing_covered: set[int] = field(default_factory=set)
    runs: int = 0
    failed_runs: int = 0
    probe_seconds: float = 0.0  # slowest probe on the original

    def score(self, line: int) -> float:
        return self.scores.get(line, FLOOR_OTHER)


def traceback_lines(
    report: FailureReport, exception: BaseException | None, function: types.FunctionType
) -> list[int]:
    """Relative lines of the function's frames, innermost first."""
    first = report.function.firstlineno
    last = report.function.lastlineno
    lines: list[int] = []
    if exception is not None and exception.__traceback__ is not None:
        codes = target_codes(function.__code__)
        tb: types.TracebackType | None = exception.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code in codes and tb.tb_lineno is not None:
                lines.append(tb.tb_lineno - first + 1)
            tb = tb.tb_next
        lines.reverse()
    if not lines:
        for exc in reversed(report.chain):
            frames = [
                f
                for f in exc.frames
                if f.in_target
                or (f.filename == report.function.filename and first <= f.lineno <= last)
            ]
            lines.extend(f.lineno - first + 1 for f in reversed(frames))
            if lines:
                break
    if not lines and report.failing_line is not None:
        lines.append(report.failing_line - first + 1)
    n_lines = last - first + 1
    seen: list[int] = []
    for line in lines:
        if 1 <= line <= max(n_lines, 1) and line not in seen:
            seen.append(line)
    return seen


def localize(
    report: FailureReport,
    exception: BaseException | None,
    function: types.FunctionType,
    probes: Sequence[Probe],
    properties: Sequence[Callable[..., Any]],
    timeout_s: float,
) -> Localization:
    loc = Localization()
    loc.fault_lines = traceback_lines(report, exception, function)
    first = report.function.firstlineno
    if probes and can_fork():
        # The original may loop forever on the failing input: keep each run short.
        per_probe = max(0.1, min(0.5, timeout_s / max(len(probes), 1)))
        result = run_isolated(
            lambda: coverage(function, probes, properties, per_probe),
            timeout_s=timeout_s,
        )
        if result.ok and isinstance(result.value, list):
            _ochiai(loc, result.value, first)
    for rank, line in enumerate(loc.fault_lines):
        loc.scores[line] = max(loc.scores.get(line, 0.0), 1.0 - 0.08 * min(rank, 5))
    for line in loc.failing_covered:
        loc.scores.setdefault(line, FLOOR_COVERED)
    return loc


def _ochiai(loc: Localization, runs: list[dict[str, Any]], first: int) -> None:
    failed_total = 0
    failed: dict[int, int] = {}
    passed: dict[int, int] = {}
    for run in runs:
        lines = {int(x) - first + 1 for x in run.get("lines", [])}
        loc.runs += 1
        if not run.get("timeout"):
            loc.probe_seconds = max(loc.probe_seconds, float(run.get("seconds", 0.0)))
        if run.get("passed"):
            for line in lines:
                passed[line] = passed.get(line, 0) + 1
        else:
            failed_total += 1
            loc.failing_covered |= lines
            for line in lines:
                failed[line] = failed.get(line, 0) + 1
    loc.failed_runs = failed_total
    if not failed_total:
        return
    for line, nf in failed.items():
        score = nf / math.sqrt(failed_total * (nf + passed.get(line, 0)))
        # Ochiai ties are common with few runs; scale below the traceback's 1.0 so an
        # exception's own line stays first, but keep the spectrum's order.
        loc.scores[line] = max(loc.scores.get(line, 0.0), 0.95 * score)


__all__ = ["Localization", "localize", "traceback_lines"]
