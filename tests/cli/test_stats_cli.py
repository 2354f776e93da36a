"""`selfheal stats` against a real store holding records with known outcomes.

Five records about four failures, written through the directory store as real files,
each with candidates of known engines and fix kinds and a history with known times.
Every figure below was worked out by hand from the table in `_known_store`'s docstring;
the text and the JSON output must both say exactly that.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from cli_harness import Env

from selfheal.commands.stats import chart, seconds
from selfheal.heal.stats import Day, percentile
from selfheal.models import (
    Candidate,
    CandidateOutcome,
    ExceptionReport,
    FailureReport,
    Fingerprint,
    PatchRecord,
    PatchStatus,
    StatusChange,
    Verdict,
)

S = PatchStatus
T0 = datetime(2026, 11, 28, 10, 0, tzinfo=timezone.utc)
SEC = timedelta(seconds=1)


def _candidate(n: int, engine: str, kind: str, ok: bool, rationale: str = "") -> CandidateOutcome:
    candidate = Candidate(source=f"def f(x):\n    return x + {n}\n", engine=engine, kind=kind,
                          rationale=rationale)
    reason = "" if ok else "failing: still raises"
    return CandidateOutcome(candidate=candidate,
                            verdict=Verdict(candidate_id=candidate.id, ok=ok, reason=reason))


def _record(env: Env, record_id: str, qualname: str, exc: str, captured: datetime,
            outcomes: tuple[CandidateOutcome, ...], chosen: int | None,
            steps: tuple[tuple[PatchStatus, timedelta], ...]) -> PatchRecord:
    ref = env.factory.ref(qualname)
    report = FailureReport(
        function=ref, chain=(ExceptionReport(type=exc, message="boom"),),
        failing_line=ref.lastlineno, captured_at=captured,
    )
    history = tuple(StatusChange(status=s, at=captured + after) for s, after in steps)
    record = PatchRecord(
        id=record_id, fingerprint=Fingerprint.of(report), status=history[-1].status,
        mode="heal", report=report, candidates=outcomes,
        chosen=outcomes[chosen].candidate if chosen is not None else None, history=history,
    )
    env.store.save(record)
    return record


def _known_store(env: Env) -> None:
    """The records (A..D are four failures; times after each record's capture):

    R1 A 11-28 10:00  offline return x, offline guard x        proposed only
    R2 A 11-28 10:10  offline guard ok (chosen)                live +4s, approved +1h
    R3 B 11-29 10:00  anthropic - ok (chosen), offline typo ok  live +30s, rolled back +2h
    R4 C 11-29 11:00  offline mapping ok (chosen), offline guard x (old record: the kind is
                      only in the rationale)                   verified, rejected +1d
    R5 D 12-01 10:00  anthropic - ok (chosen)                  live +90s, rejected +1h
    """
    zero = timedelta(0)
    _record(env, "r1", "average", "builtins.ZeroDivisionError", T0,
            (_candidate(1, "offline", "return", False), _candidate(2, "offline", "guard", False)),
            None, ((S.PROPOSED, zero),))
    _record(env, "r2", "average", "builtins.ZeroDivisionError", T0 + timedelta(minutes=10),
            (_candidate(3, "offline", "guard", True),), 0,
            ((S.PROPOSED, zero), (S.VERIFIED, 3 * SEC), (S.LIVE, 4 * SEC),
             (S.APPROVED, timedelta(hours=1))))
    _record(env, "r3", "Stats.ratio", "builtins.ZeroDivisionError", T0 + timedelta(days=1),
            (_candidate(4, "anthropic", "", True), _candidate(5, "offline", "typo", True)), 0,
            ((S.PROPOSED, zero), (S.VERIFIED, 29 * SEC), (S.LIVE, 30 * SEC),
             (S.ROLLED_BACK, timedelta(hours=2))))
    _record(env, "r4", "helper", "builtins.TypeError", T0 + timedelta(days=1, hours=1),
            (_candidate(6, "offline", "mapping", True),
             _candidate(7, "offline", "", False, "line score 1.00; operator guard; prior 0.50")),
            0, ((S.PROPOSED, zero), (S.VERIFIED, SEC), (S.REJECTED, timedelta(days=1))))
    _record(env, "r5", "average", "builtins.TypeError", T0 + timedelta(days=3),
            (_candidate(8, "anthropic", "", True),), 0,
            ((S.PROPOSED, zero), (S.VERIFIED, 89 * SEC), (S.LIVE, 90 * SEC),
             (S.REJECTED, timedelta(hours=1))))


EXPECTED_TEXT = """\
selfheal stats: 5 records, 4 failures, 3 healed, 1 never healed

engine     proposed  verified  live  approved  rejected  rolled back  false fix  heal p50  heal p95
anthropic         2         2     2         0         1            1   2/2 100%    60.00s    87.00s
offline           6         3     1         1         1            0     0/1 0%     4.00s     4.00s

fix kind    proposed  verified  live  approved  rejected  rolled back  false fix  heal p50  heal p95
guard              3         1     1         1         0            0     0/1 0%     4.00s     4.00s
mapping            1         1     0         0         1            0          -         -         -
return             1         0     0         0         0            0          -         -         -
typo               1         1     0         0         0            0          -         -         -
unlabelled         2         2     2         0         1            1   2/2 100%    60.00s    87.00s

time to heal (failure to live patch): p50 30.00s, p95 84.00s over 3 patches
MTTR (first failure to first heal): mean 4.0m, p50 90.00s, p95 9.2m over 3 failures
false-fix rate (rejected or rolled back after going live): 2/3 67%

failures per day (# healed, . not healed)
2026-11-28  #. 2 (1 healed)
2026-11-29  #. 2 (1 healed)
2026-11-30  0 (0 healed)
2026-12-01  # 1 (1 healed)
"""


def _row(proposed: int, verified: int, live: int, approved: int, rejected: int,
         rolled_back: int, false_fixes: int, p50: float | None = None,
         p95: float | None = None) -> dict[str, Any]:
    return {
        "proposed": proposed, "verified": verified, "live": live, "approved": approved,
        "rejected": rejected, "rolled_back": rolled_back, "false_fixes": false_fixes,
        "false_fix_rate": false_fixes / live if live else None,
        "time_to_heal_s": {"p50": p50, "p95": p95},
    }


EXPECTED_JSON: dict[str, Any] = {
    "since": None,
    "records": 5,
    "failures": 4,
    "healed_failures": 3,
    "unhealed_failures": 1,
    "by_engine": {
        "anthropic": _row(2, 2, 2, 0, 1, 1, 2, 60.0, 87.0),
        "offline": _row(6, 3, 1, 1, 1, 0, 0, 4.0, 4.0),
    },
    "by_kind": {
        "guard": _row(3, 1, 1, 1, 0, 0, 0, 4.0, 4.0),
        "mapping": _row(1, 1, 0, 0, 1, 0, 0),
        "return": _row(1, 0, 0, 0, 0, 0, 0),
        "typo": _row(1, 1, 0, 0, 0, 0, 0),
        "unlabelled": _row(2, 2, 2, 0, 1, 1, 2, 60.0, 87.0),
    },
    # Heals of 4s, 30s, 90s; failures healed after 604s (A), 30s (B) and 90s (D).
    "time_to_heal_s": {"count": 3, "mean": 124 / 3, "p50": 30.0, "p95": 84.0},
    "mttr_s": {"count": 3, "mean": 724 / 3, "p50": 90.0, "p95": 552.6},
    "false_fix": {"live": 3, "false": 2, "rate": 2 / 3},
    "daily": [
        {"day": "2026-11-28", "failures": 2, "healed": 1},
        {"day": "2026-11-29", "failures": 2, "healed": 1},
        {"day": "2026-11-30", "failures": 0, "healed": 0},
        {"day": "2026-12-01", "failures": 1, "healed": 1},
    ],
}


def _rounded(value: Any) -> Any:
    """Floats to 9 places, so 30 + 60 * 0.95 equals 87.0 however the sum rounds."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def test_every_figure_in_the_text_output(env: Env) -> None:
    _known_store(env)
    result = env.run("stats")
    assert result.code == 0, result.err
    assert result.out == EXPECTED_TEXT
    assert result.err == ""


def test_every_figure_in_the_json_output(env: Env) -> None:
    _known_store(env)
    result = env.run("stats", "--json")
    assert result.code == 0, result.err
    assert _rounded(json.loads(result.out)) == _rounded(EXPECTED_JSON)


def test_since_keeps_only_records_captured_from_then(env: Env) -> None:
    _known_store(env)
    # From 11-29 on: R3, R4, R5. Failure A (R1, R2) is gone, with its 604s MTTR.
    data = json.loads(env.run("stats", "--json", "--since", "2026-11-29").out)
    assert data["since"] == "2026-11-29T00:00:00+00:00"
    assert (data["records"], data["failures"], data["healed_failures"]) == (3, 3, 2)
    assert data["by_engine"]["offline"] == _row(3, 2, 0, 0, 1, 0, 0)
    assert data["by_engine"]["anthropic"] == _row(2, 2, 2, 0, 1, 1, 2, 60.0, 87.0)
    assert set(data["by_kind"]) == {"guard", "mapping", "typo", "unlabelled"}
    assert _rounded(data["time_to_heal_s"]) == {"count": 2, "mean": 60.0, "p50": 60.0,
                                                "p95": 87.0}
    assert _rounded(data["mttr_s"]) == {"count": 2, "mean": 60.0, "p50": 60.0, "p95": 87.0}
    assert data["false_fix"] == {"live": 2, "false": 2, "rate": 1.0}
    assert [d["day"] for d in data["daily"]] == ["2026-11-29", "2026-11-30", "2026-12-01"]
    text = env.run("stats", "--since", "2026-11-29").out
    assert text.startswith("selfheal stats since 2026-11-29T00:00:00+00:00: 3 records, "
                           "3 failures, 2 healed, 1 never healed\n")
    assert "offline           3         2     0         0         1            0          -" in text
    assert "false-fix rate (rejected or rolled back after going live): 2/2 100%" in text
    # A duration reaches back from now: everything here is older than a minute.
    assert "no records since" in env.run("stats", "--since", "1m").out


def test_bad_since_is_a_usage_error_naming_the_forms(env: Env) -> None:
    result = env.run("stats", "--since", "last tuesday")
    assert result.code == 2
    assert "give a duration (30m, 2h, 3d, 1w) or an ISO date" in result.err


def test_empty_store_says_so(env: Env) -> None:
    result = env.run("stats")
    assert result.code == 0
    assert result.out == f"selfheal stats: no records in {env.store.root}\n"
    data = json.loads(env.run("stats", "--json").out)
    assert data["records"] == 0 and data["by_engine"] == {} and data["daily"] == []
    assert data["mttr_s"] == {"count": 0, "mean": None, "p50": None, "p95": None}


def test_a_corrupt_record_is_reported_and_the_rest_counted(env: Env) -> None:
    _known_store(env)
    (env.store.records_dir / "broken.json").write_text("{not json")
    result = env.run("stats", "--json")
    assert result.code == 0
    assert json.loads(result.out)["records"] == 5
    assert "broken.json" in result.err


def test_stats_in_a_real_process(env: Env) -> None:
    _known_store(env)
    done = subprocess.run(
        [sys.executable, "-m", "selfheal.cli", "--store", str(env.store.root), "stats"],
        cwd=env.root, capture_output=True, text=True, check=False, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == EXPECTED_TEXT


def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([], 50) is None
    assert percentile([7.0], 95) == 7.0
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5
    assert percentile([1.0, 2.0, 3.0, 4.0], 95) == pytest.approx(3.85)
    assert percentile([1.0, 2.0, 3.0, 4.0], 100) == 4.0


def test_durations_read_in_the_unit_that_fits() -> None:
    assert [seconds(v) for v in (None, 0.35, 4.2, 150.0, 3 * 3600.0, 3 * 86400.0)] == [
        "-", "350ms", "4.20s", "2.5m", "3.0h", "3.0d"]


def test_chart_scales_long_bars_to_the_width() -> None:
    days = (Day(T0.date(), 80, 20), Day(T0.date() + timedelta(days=1), 8, 8))
    lines = chart(days, width=40)
    assert lines[1] == "2026-11-28  " + "#" * 10 + "." * 30 + " 80 (20 healed)"
    assert lines[2] == "2026-11-29  ####" + " 8 (8 healed)"


def test_the_docs_show_this_output() -> None:
    docs = Path(__file__).parents[2] / "docs" / "stats.md"
    assert f"$ selfheal stats\n{EXPECTED_TEXT}```" in docs.read_text()
