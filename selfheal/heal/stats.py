"""The figures of `selfheal stats`, computed from patch records and nothing else.

Definitions (docs/stats.md shows them with an example):

* per engine and per fix kind, `proposed` and `verified` count candidates (every
  candidate a record holds, and those whose verdict passed); `live`, `approved`,
  `rejected` and `rolled_back` count records whose chosen patch reached that status at
  some point of its history (a live patch a person approved later counts in both);
* time to heal: per record that went live, its first `live` change minus the failure's
  capture time;
* MTTR, per failure (fingerprint): its first failure to its first healed call (the
  first `live` change of any of its records); failures never healed are counted apart;
* false fix: a record that went live and was rejected or rolled back after that; the
  false-fix rate is false fixes over records that went live;
* percentiles interpolate linearly between the nearest ranks (p50 of 1, 2, 3, 4 is 2.5).

This module owns those definitions; it must not read a store or print (the command in
`selfheal.commands.stats` does both).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from selfheal.models import PatchRecord, PatchStatus
from selfheal.priors import fix_kind

S = PatchStatus
OUTCOMES = (S.LIVE, S.APPROVED, S.REJECTED, S.ROLLED_BACK)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100), linear between the nearest ranks; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Durations:
    """A sample of durations in seconds, summarised."""

    count: int = 0
    mean: float | None = None
    p50: float | None = None
    p95: float | None = None

    @classmethod
    def of(cls, values: Sequence[float]) -> Durations:
        if not values:
            return cls()
        return cls(len(values), sum(values) / len(values), percentile(values, 50),
                   percentile(values, 95))

    def as_json(self) -> dict[str, Any]:
        return {"count": self.count, "mean": self.mean, "p50": self.p50, "p95": self.p95}


@dataclass
class Row:
    """The outcome counts of one engine or one fix kind."""

    proposed: int = 0
    verified: int = 0
    live: int = 0
    approved: int = 0
    rejected: int = 0
    rolled_back: int = 0
    false_fixes: int = 0
    heal_s: list[float] = field(default_factory=list)

    @property
    def false_fix_rate(self) -> float | None:
        return self.false_fixes / self.live if self.live else None

    def as_json(self) -> dict[str, Any]:
        heal = Durations.of(self.heal_s)
        return {
            "proposed": self.proposed,
            "verified": self.verified,
            "live": self.live,
            "approved": self.approved,
            "rejected": self.rejected,
            "rolled_back": self.rolled_back,
            "false_fixes": self.false_fixes,
            "false_fix_rate": self.false_fix_rate,
            "time_to_heal_s": {"p50": heal.p50, "p95": heal.p95},
        }


@dataclass(frozen=True)
class Day:
    """One day of the trend: failures captured, and how many of them went live."""

    day: date
    failures: int
    healed: int


@dataclass(frozen=True)
class Stats:
    since: datetime | None
    records: int
    failures: int  # distinct fingerprints
    healed_failures: int
    by_engine: dict[str, Row]
    by_kind: dict[str, Row]
    time_to_heal: Durations
    mttr: Durations
    live: int
    false_fixes: int
    days: tuple[Day, ...]

    @property
    def false_fix_rate(self) -> float | None:
        return self.false_fixes / self.live if self.live else None

    def as_json(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "records": self.records,
            "failures": self.failures,
            "healed_failures": self.healed_failures,
            "unhealed_failures": self.failures - self.healed_failures,
            "by_engine": {k: v.as_json() for k, v in self.by_engine.items()},
            "by_kind": {k: v.as_json() for k, v in self.by_kind.items()},
            "time_to_heal_s": self.time_to_heal.as_json(),
            "mttr_s": self.mttr.as_json(),
            "false_fix": {"live": self.live, "false": self.false_fixes,
                          "rate": self.false_fix_rate},
            "daily": [{"day": d.day.isoformat(), "failures": d.failures, "healed": d.healed}
                      for d in self.days],
        }


def _utc(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def first_live(record: PatchRecord) -> datetime | None:
    """When the record's patch first went live, from its history."""
    return next((_utc(c.at) for c in record.history if c.status is S.LIVE), None)


def reached(record: PatchRecord) -> set[PatchStatus]:
    return {c.status for c in record.history} | {record.status}


def is_false_fix(record: PatchRecord) -> bool:
    """Went live, then was rejected or rolled back."""
    went_live = False
    for change in record.history:
        if change.status is S.LIVE:
            went_live = True
        elif went_live and change.status in (S.REJECTED, S.ROLLED_BACK):
            return True
    return False


def compute(records: Iterable[PatchRecord], since: datetime | None = None) -> Stats:
    """Every figure of `selfheal stats` over the records captured at or after `since`."""
    chosen_records = [
        r for r in records if since is None or _utc(r.report.captured_at) >= since
    ]
    by_engine: dict[str, Row] = defaultdict(Row)
    by_kind: dict[str, Row] = defaultdict(Row)
    heal_s: list[float] = []
    first_failure: dict[str, datetime] = {}
    first_healed: dict[str, datetime] = {}
    per_day: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    live = false_fixes = 0
    for record in chosen_records:
        captured = _utc(record.report.captured_at)
        key = record.fingerprint.key
        first_failure[key] = min(captured, first_failure.get(key, captured))
        for outcome in record.candidates:
            for row in (by_engine[outcome.candidate.engine], by_kind[fix_kind(outcome.candidate)]):
                row.proposed += 1
                row.verified += int(outcome.verdict.ok)
        went_live = first_live(record)
        day = per_day[captured.date()]
        day[0] += 1
        day[1] += int(went_live is not None)
        if went_live is not None:
            live += 1
            heal_s.append((went_live - captured).total_seconds())
            first_healed[key] = min(went_live, first_healed.get(key, went_live))
            false_fixes += int(is_false_fix(record))
        if record.chosen is None:
            continue
        statuses = reached(record)
        rows = (by_engine[record.chosen.engine], by_kind[fix_kind(record.chosen)])
        for row in rows:
            row.live += int(S.LIVE in statuses)
            row.approved += int(S.APPROVED in statuses)
            row.rejected += int(S.REJECTED in statuses)
            row.rolled_back += int(S.ROLLED_BACK in statuses)
            row.false_fixes += int(is_false_fix(record))
            if went_live is not None:
                row.heal_s.append((went_live - captured).total_seconds())
    mttr = [(first_healed[k] - first_failure[k]).total_seconds() for k in first_healed]
    return Stats(
        since=since,
        records=len(chosen_records),
        failures=len(first_failure),
        healed_failures=len(first_healed),
        by_engine=dict(sorted(by_engine.items())),
        by_kind=dict(sorted(by_kind.items())),
        time_to_heal=Durations.of(heal_s),
        mttr=Durations.of(mttr),
        live=live,
        false_fixes=false_fixes,
        days=_days(per_day),
    )


def _days(per_day: dict[date, list[int]], most: int = 30) -> tuple[Day, ...]:
    """Every day from the first failure to the last (empty days too: a gap is a trend),
    at most the last `most` of them."""
    if not per_day:
        return ()
    last = max(per_day)
    first = max(min(per_day), last - timedelta(days=most - 1))
    days = []
    current = first
    while current <= last:
        failures, healed = per_day.get(current, [0, 0])
        days.append(Day(current, failures, healed))
        current += timedelta(days=1)
    return tuple(days)
