"""Distinct failures by the hundred thousand leave process and store within their bounds.

Reported: 100,000 distinct failing lines in observe mode grew the process by 45 MB,
linearly (per-fingerprint tables such as the attempt limiter's never forget), and the
store by 577 MB with no retention. `many_failures_worker.py` reproduces it in a process
of its own. The fast case runs in every test run at a smaller scale with small limits;
the full scale of the report (100,000 failures with the default limits) is `heavy`: it
takes many minutes, runs with `pytest --heavy`, and its measurement is in docs/production.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

WORKER = Path(__file__).with_name("many_failures_worker.py")
MB = 1_000_000


def run(tmp_path: Path, functions: int, lines: int, *settings: str,
        timeout: float) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, str(WORKER), str(functions), str(lines), str(tmp_path / "store"),
         *settings],
        capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_distinct_failures_stay_within_small_limits(tmp_path: Path) -> None:
    result = run(tmp_path, 20, 60, "store_max_records=100", "store_max_bytes=2000000",
                 "max_tracked_failures=300", timeout=600)
    assert result["failures"] == 20 * 60
    assert result["tracked_failures"] <= 300
    assert result["records"] <= 100
    assert result["store_bytes"] <= 2 * MB
    assert result["rss_growth_bytes"] < 20 * MB


@pytest.mark.heavy
def test_a_hundred_thousand_distinct_failures_with_the_default_limits(tmp_path: Path) -> None:
    result = run(tmp_path, 100, 1000, timeout=6 * 3600)
    print(json.dumps(result))
    assert result["failures"] == 100_000
    assert result["tracked_failures"] <= 4096
    assert result["records"] <= 1000
    assert result["store_bytes"] <= 100 * MB
    assert result["rss_growth_bytes"] < 20 * MB
