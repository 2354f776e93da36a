"""The `selfheal stats` command: how well healing is doing, from the store's records.

`selfheal stats [--json] [--since DATE|DURATION]` reads every record through the
PatchStore protocol and prints what `selfheal.heal.stats` computes: outcome counts per engine
and per fix kind, time to heal, MTTR, the false-fix rate, and failures per day as a
small text chart (a trend reads better as bars than as a column of numbers).

This module owns presentation only; the definitions of the figures are `selfheal.heal.stats`'s,
and it must not change a record.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from selfheal.commands.review import parse_since
from selfheal.config import get_settings
from selfheal.heal.stats import Day, Durations, Row, Stats, compute
from selfheal.store import PatchStore, open_store

CHART_WIDTH = 40
_COLUMNS = ("proposed", "verified", "live", "approved", "rejected", "rolled back",
            "false fix", "heal p50", "heal p95")


def seconds(value: float | None) -> str:
    """A duration for people: 350ms, 4.20s, 2.5m, 3.1h, 1.2d; `-` when there is none."""
    if value is None:
        return "-"
    if value < 1:
        return f"{value * 1000:.0f}ms"
    if value < 120:
        return f"{value:.2f}s"
    if value < 7200:
        return f"{value / 60:.1f}m"
    if value < 172800:
        return f"{value / 3600:.1f}h"
    return f"{value / 86400:.1f}d"


def rate(part: int, whole: int) -> str:
    return f"{part}/{whole} {100 * part / whole:.0f}%" if whole else "-"


def _table(title: str, rows: dict[str, Row]) -> list[str]:
    if not rows:
        return [f"{title}: none"]
    cells = [
        [name, str(r.proposed), str(r.verified), str(r.live), str(r.approved), str(r.rejected),
         str(r.rolled_back), rate(r.false_fixes, r.live),
         seconds(Durations.of(r.heal_s).p50), seconds(Durations.of(r.heal_s).p95)]
        for name, r in rows.items()
    ]
    header = [title, *_COLUMNS]
    widths = [max(len(row[i]) for row in [header, *cells]) for i in range(len(header))]

    def line(row: list[str]) -> str:
        first = row[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    return [line(header), *(line(row) for row in cells)]


def chart(days: tuple[Day, ...], width: int = CHART_WIDTH) -> list[str]:
    """Failures per day as bars: `#` for those that went live, `.` for the rest."""
    if not days:
        return []
    most = max(d.failures for d in days) or 1
    scale = min(1.0, width / most)
    out = ["failures per day (# healed, . not healed)"]
    for d in days:
        bar = round(d.failures * scale)
        healed = min(bar, round(d.healed * scale))
        out.append(f"{d.day.isoformat()}  {'#' * healed}{'.' * (bar - healed)}"
                   f"{' ' if bar else ''}{d.failures} ({d.healed} healed)")
    return out


def render(stats: Stats, store: str) -> str:
    since = f" since {stats.since.isoformat()}" if stats.since else ""
    if not stats.records:
        return f"selfheal stats: no records{since} in {store}\n"
    heal, mttr = stats.time_to_heal, stats.mttr
    lines = [
        f"selfheal stats{since}: {stats.records} records, {stats.failures} failures, "
        f"{stats.healed_failures} healed, {stats.failures - stats.healed_failures} never healed",
        "",
        *_table("engine", stats.by_engine),
        "",
        *_table("fix kind", stats.by_kind),
        "",
        f"time to heal (failure to live patch): p50 {seconds(heal.p50)}, "
        f"p95 {seconds(heal.p95)} over {heal.count} patches",
        f"MTTR (first failure to first heal): mean {seconds(mttr.mean)}, "
        f"p50 {seconds(mttr.p50)}, p95 {seconds(mttr.p95)} over {mttr.count} failures",
        f"false-fix rate (rejected or rolled back after going live): "
        f"{rate(stats.false_fixes, stats.live)}",
    ]
    trend = chart(stats.days)
    if trend:
        lines += ["", *trend]
    return "\n".join(lines) + "\n"


def _store(args: argparse.Namespace) -> tuple[PatchStore, str]:
    path = getattr(args, "store", None)
    if path is None:
        path = get_settings().store
    return open_store(Path(path)), str(path)


def _report_problems(store: PatchStore, err: TextIO) -> None:
    for problem in getattr(store, "problems", ()):
        print(f"selfheal: warning: {problem}", file=err)


def cmd_stats(args: argparse.Namespace) -> int:
    since = parse_since(args.since) if args.since else None
    store, where = _store(args)
    stats = compute(store.list(), since)
    if args.json:
        json.dump(stats.as_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render(stats, where))
    _report_problems(store, sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    text = ("How healing is doing: outcomes per engine and fix kind, time to heal, MTTR, "
            "false-fix rate, failures per day.")
    parser: argparse.ArgumentParser = sub.add_parser("stats", help=text, description=text)
    parser.set_defaults(handler=cmd_stats)
    parser.add_argument("--since", help="records captured since: 30m, 2h, 3d, 1w or an ISO date")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")


__all__ = ["chart", "cmd_stats", "rate", "register", "render", "seconds"]
