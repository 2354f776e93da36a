"""A huge engine answer costs the caller nothing: the original exception within wait_s + 1 s.

Reported: with budget_s=2 and wait_s=2, one candidate of 1M lines returned the caller's
exception after 11.5 s, 5M lines after 124 s and +10.5 GB, and a 50 MB junk answer was
stored as a 48.8 MB record. Each case runs in a process of its own (`answer_worker.py`)
that measures how long the failing call took and how far its peak memory rose.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from selfheal.store.directory import DirectoryStore

WORKER = Path(__file__).with_name("answer_worker.py")
WAIT_S = 2.0  # the worker's wait_s (and budget_s)
MB = 1_000_000


@pytest.mark.parametrize(("kind", "size", "why"), [
    ("callable", 1_000_000, "characters, over the"),
    ("callable", 5_000_000, "characters, over the"),
    ("engine", 5_000_000, "characters, over the"),
    ("junk", 50_000_000, "characters, over the"),
    ("endless", 0, "20 tried"),
], ids=["1M-lines", "5M-lines", "5M-lines-engine-object", "50MB-junk", "endless-answer"])
def test_a_huge_answer_returns_the_original_exception_at_once(
        tmp_path: Path, kind: str, size: int, why: str) -> None:
    store = tmp_path / "store"
    done = subprocess.run([sys.executable, str(WORKER), kind, str(size), str(store)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["raised"] == "ZeroDivisionError"
    assert outcome["waited_s"] < WAIT_S + 1
    assert outcome["peak_growth_bytes"] < 100 * MB
    (note,) = outcome["notes"]
    assert why in note
    # The attempt is a record, and a small one whatever the answer's size.
    (record,) = DirectoryStore(store).list()
    assert record.id in note
    assert why in record.note
    assert DirectoryStore(store).record_path(record.id).stat().st_size < 100_000
