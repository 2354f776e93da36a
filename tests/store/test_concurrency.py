"""Several processes writing one store at once, and writers killed with SIGKILL mid-write."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from selfheal.models import PatchRecord, PatchStatus
from selfheal.store.directory import DirectoryStore

WORKER = Path(__file__).with_name("store_worker.py")
MakeRecord = Callable[..., PatchRecord]


def _template(tmp_path: Path, make_record: MakeRecord) -> Path:
    path = tmp_path / "template.json"
    path.write_text(make_record(status=PatchStatus.VERIFIED).model_dump_json())
    return path


def test_writers_in_several_processes_lose_nothing(tmp_path: Path,
                                                   make_record: MakeRecord) -> None:
    store = DirectoryStore(tmp_path / "store")
    template = _template(tmp_path, make_record)
    shared = make_record(record_id="shared", status=PatchStatus.VERIFIED)
    store.save(shared)
    store.transition("shared", PatchStatus.APPROVED, reason="start")
    workers, per_worker, flips = 4, 15, 10
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), "writer", str(store.root), str(template), f"w{n}",
             str(per_worker), str(flips), "shared"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for n in range(workers)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err
        assert out.strip() == str(flips)
    ids = {r.id for r in store.list()}
    assert ids == {"shared"} | {f"w{n}-{i}" for n in range(workers) for i in range(per_worker)}
    assert store.problems == []
    # No lost update: every flip of every process is in the shared record's history,
    # and consecutive entries alternate as the lifecycle demands.
    history = store.load("shared").history
    flips_seen = [c for c in history if c.by.startswith("w")]
    assert len(flips_seen) == workers * flips
    statuses = [c.status for c in history[len(shared.history):]]
    assert all(a is not b for a, b in zip(statuses, statuses[1:]))
    # the index agrees with the records
    entries = {e.id: e for e in store.entries()}
    assert set(entries) == ids
    final = store.load("shared").status.value
    assert entries["shared"].status == final


def test_threads_share_a_store_object(tmp_path: Path, make_record: MakeRecord) -> None:
    store = DirectoryStore(tmp_path / "store", durable=False)
    record = make_record(record_id="t", status=PatchStatus.APPROVED)
    store.save(record)
    errors: list[BaseException] = []

    def flip() -> None:
        try:
            for _ in range(10):
                while True:
                    current = store.load("t").status
                    to = (PatchStatus.REJECTED if current is PatchStatus.APPROVED
                          else PatchStatus.APPROVED)
                    try:
                        store.transition("t", to)
                        break
                    except Exception as exc:  # IllegalTransition: lost the race, retry
                        if type(exc).__name__ != "IllegalTransition":
                            raise
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=flip) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.load("t").history) == len(record.history) + 40


def _assert_consistent(store_dir: Path) -> None:
    store = DirectoryStore(store_dir)  # a fresh reader: no cache from the writer's side
    records = store.list()
    assert store.problems == [], [str(p) for p in store.problems]
    ids = store.ids()
    assert sorted(r.id for r in records) == ids
    for record in records:
        assert store.load(record.id) == record
        # every history is a legal walk of the lifecycle
        statuses = [c.status for c in record.history]
        assert all(a is not b for a, b in zip(statuses[1:], statuses[2:]))
    assert {e.id for e in store.entries()} == set(ids)


def test_kill_9_mid_write_leaves_store_readable(tmp_path: Path,
                                                make_record: MakeRecord) -> None:
    store_dir = tmp_path / "store"
    template = _template(tmp_path, make_record)
    rng = random.Random(7)
    kills = 0
    for _round in range(8):
        proc = subprocess.Popen(
            [sys.executable, str(WORKER), "churn", str(store_dir), str(template)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.02, 0.15))  # somewhere in the middle of a write
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        proc.stdout.close()
        assert proc.stderr is not None
        err = proc.stderr.read()
        proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL, err
        kills += 1
        _assert_consistent(store_dir)
    assert kills == 8
    # the killed writers' locks were released by the kernel: we can write at once
    store = DirectoryStore(store_dir, lock_timeout_s=2)
    record = make_record(record_id="after", status=PatchStatus.VERIFIED)
    store.save(record)
    store.transition("after", PatchStatus.APPROVED)
    # whatever temp files the killed writers left are never taken for records, and
    # gc removes them once they are old enough to be nobody's
    temps = [p for p in (store_dir / "records").iterdir() if p.name.endswith(".tmp")]
    old = time.time() - 7200
    for p in temps:
        os.utime(p, (old, old))
    report = store.gc(max_records=None, max_age_days=None, max_bytes=None)
    assert report.removed == []
    assert not [p for p in (store_dir / "records").iterdir() if p.name.endswith(".tmp")]
    _assert_consistent(store_dir)


@pytest.mark.slow
def test_kill_9_many_rounds(tmp_path: Path, make_record: MakeRecord) -> None:
    """The same as above with many more kills (the fast test covers the behaviour)."""
    store_dir = tmp_path / "store"
    template = _template(tmp_path, make_record)
    for n in range(60):
        proc = subprocess.Popen(
            [sys.executable, str(WORKER), "churn", str(store_dir), str(template)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        assert proc.stdout is not None
        proc.stdout.readline()
        time.sleep(0.005 * (n % 20))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        proc.stdout.close()
        _assert_consistent(store_dir)
