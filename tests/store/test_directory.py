"""The directory store on a real filesystem: layout, modes, prefixes, bad files, retention."""

from __future__ import annotations

import json
import logging
import os
import stat
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from store_factory import RecordFactory

from selfheal.errors import IllegalTransition, RecordNotFound, StoreError
from selfheal.models import PatchRecord, PatchStatus
from selfheal.store import open_store
from selfheal.store.base import PatchStore
from selfheal.store.directory import DirectoryStore

MakeRecord = Callable[..., PatchRecord]


@pytest.fixture
def store(tmp_path: Path) -> DirectoryStore:
    return DirectoryStore(tmp_path / "store")


def test_open_store_gives_a_directory_store(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s")
    assert isinstance(store, DirectoryStore)
    assert isinstance(store, PatchStore)


def test_empty_or_missing_store_lists_nothing(store: DirectoryStore) -> None:
    assert store.list() == []
    assert store.entries() == []
    assert not store.root.exists()  # reading never creates the store
    with pytest.raises(RecordNotFound):
        store.load("abc")


def test_save_load_round_trip_layout_and_modes(store: DirectoryStore,
                                               make_record: MakeRecord) -> None:
    record = make_record()
    store.save(record)
    assert store.load(record.id) == record
    record_file = store.root / "records" / f"{record.id}.json"
    patch_file = store.root / "patches" / f"{record.id}.patch"
    assert json.loads(record_file.read_text())["id"] == record.id
    assert patch_file.read_text() == record.diff
    assert stat.S_IMODE(record_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700
    assert stat.S_IMODE((store.root / "records").stat().st_mode) == 0o700
    # a second store object (another process) reads the same thing
    assert DirectoryStore(store.root).load(record.id) == record


def test_list_is_newest_first(store: DirectoryStore, make_record: MakeRecord) -> None:
    now = datetime.now(timezone.utc)
    old = make_record(captured_at=now - timedelta(days=2))
    new = make_record(captured_at=now)
    mid = make_record(captured_at=now - timedelta(days=1))
    for r in (old, new, mid):
        store.save(r)
    assert [r.id for r in store.list()] == [new.id, mid.id, old.id]
    assert [e.id for e in store.entries()] == [new.id, mid.id, old.id]


def test_load_by_unique_prefix(store: DirectoryStore, make_record: MakeRecord) -> None:
    a = make_record(record_id="abc123")
    b = make_record(record_id="abd456")
    store.save(a)
    store.save(b)
    assert store.load("abc").id == "abc123"
    assert store.load("abd4").id == "abd456"
    with pytest.raises(RecordNotFound, match="matches 2 records"):
        store.load("ab")
    with pytest.raises(RecordNotFound, match="no record 'zz'"):
        store.load("zz")


@pytest.mark.parametrize("bad", ["../etc/passwd", "a/b", "", ".hidden", "x" * 200])
def test_ids_that_are_not_file_names_are_refused(store: DirectoryStore, bad: str) -> None:
    with pytest.raises(RecordNotFound):
        store.load(bad)


def test_transition_appends_history_and_persists(store: DirectoryStore,
                                                 make_record: MakeRecord) -> None:
    record = make_record(status=PatchStatus.VERIFIED)
    store.save(record)
    new = store.transition(record.id[:6], PatchStatus.APPROVED, by="alice", reason="looks right")
    assert new.status is PatchStatus.APPROVED
    assert new.history[:-1] == record.history
    assert (new.history[-1].status, new.history[-1].by, new.history[-1].reason) == (
        PatchStatus.APPROVED, "alice", "looks right")
    assert DirectoryStore(store.root).load(record.id) == new
    entry = next(e for e in store.entries() if e.id == record.id)
    assert entry.status == "approved"
    assert entry.approved


def test_illegal_transition_is_an_error_and_changes_nothing(store: DirectoryStore,
                                                            make_record: MakeRecord) -> None:
    record = make_record(status=PatchStatus.PROPOSED)
    store.save(record)
    with pytest.raises(IllegalTransition, match="is proposed; it cannot become approved"):
        store.transition(record.id, PatchStatus.APPROVED)
    assert store.load(record.id) == record


def test_saving_a_record_without_diff_removes_its_patch(store: DirectoryStore,
                                                        make_record: MakeRecord) -> None:
    record = make_record()
    store.save(record)
    store.save(record.model_copy(update={"diff": "", "chosen": None}))
    assert not store.patch_path(record.id).exists()


def test_delete(store: DirectoryStore, make_record: MakeRecord) -> None:
    record = make_record()
    store.save(record)
    assert store.delete(record.id) is True
    assert store.delete(record.id) is False
    assert store.list() == []
    assert not store.patch_path(record.id).exists()
    assert store.entries() == []


# --------------------------------------------------------------------------- bad files


def test_corrupt_and_foreign_files_are_reported_and_skipped(
    store: DirectoryStore, make_record: MakeRecord, caplog: pytest.LogCaptureFixture
) -> None:
    good = make_record()
    store.save(good)
    records = store.root / "records"
    (records / "garbage.json").write_bytes(b"{not json at all")
    (records / "truncated.json").write_text(good.model_dump_json()[:200])
    (records / "foreign.json").write_text(json.dumps({"hello": "world"}))
    (records / "README.txt").write_text("notes a person left here")
    newer = json.loads(good.model_dump_json())
    newer.update(id="newer", version=99)
    (records / "newer.json").write_text(json.dumps(newer))
    misnamed = json.loads(good.model_dump_json())
    (records / "misnamed.json").write_text(json.dumps(misnamed))  # holds good.id
    invalid = json.loads(good.model_dump_json())
    invalid.update(id="invalid", status="exploded")
    (records / "invalid.json").write_text(json.dumps(invalid))
    (records / "binary.json").write_bytes(b"\xff\xfe\x00garbage")
    # a temp file of a writer that was killed is neither a record nor a problem
    (records / f".{good.id}.json.abc.tmp").write_text("{half a rec")

    with caplog.at_level(logging.WARNING, "selfheal.store"):
        listed = store.list()
    assert [r.id for r in listed] == [good.id]
    reasons = {p.path.name: p.reason for p in store.problems}
    assert set(reasons) == {"garbage.json", "truncated.json", "foreign.json", "README.txt",
                            "newer.json", "misnamed.json", "invalid.json", "binary.json"}
    assert "corrupt" in reasons["garbage.json"]
    assert "foreign" in reasons["foreign.json"]
    assert "foreign" in reasons["README.txt"]
    assert "newer selfheal" in reasons["newer.json"]
    assert "holds record" in reasons["misnamed.json"]
    assert "status" in reasons["invalid.json"]
    assert "garbage.json" in caplog.text
    # reported once per file content, not on every listing
    caplog.clear()
    with caplog.at_level(logging.WARNING, "selfheal.store"):
        store.list()
    assert caplog.text == ""
    # entries (the index) skip them too; loading one by id is a clean StoreError
    assert [e.id for e in store.entries()] == [good.id]
    with pytest.raises(StoreError, match="unreadable"):
        store.load("garbage")


def test_a_store_path_that_is_a_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "records").write_text("oops")
    store = DirectoryStore(tmp_path / "store")
    assert store.list() == []
    assert any("not a directory" in p.reason for p in store.problems)


def test_index_repairs_itself(store: DirectoryStore, make_record: MakeRecord,
                              project: RecordFactory) -> None:
    a, b = make_record(), make_record()
    store.save(a)
    store.save(b)
    # a corrupt index is rebuilt from the records
    store.index_path.write_text("{{{")
    assert {e.id for e in DirectoryStore(store.root).entries()} == {a.id, b.id}
    assert index_ids(store) == {a.id, b.id}
    # a record written without its index update (writer killed in between) is picked up
    c = make_record(status=PatchStatus.APPROVED)
    tmp_store = DirectoryStore(store.root)
    tmp_store._write(c)  # the record file only, as if killed before the index update
    assert {e.id for e in store.entries()} == {a.id, b.id, c.id}
    # a record file changed behind the index's back (same id) is re-read
    store.record_path(a.id).write_text(
        a.model_copy(update={"status": PatchStatus.REJECTED}).model_dump_json())
    os.utime(store.record_path(a.id), ns=(time.time_ns(), time.time_ns() + 10_000_000))
    assert next(e for e in store.entries() if e.id == a.id).status == "rejected"
    # a record removed behind its back disappears from the index
    store.record_path(b.id).unlink()
    assert {e.id for e in store.entries()} == {a.id, c.id}
    assert index_ids(store) == {a.id, c.id}


def index_ids(store: DirectoryStore) -> set[str]:
    return {e["id"] for e in json.loads(store.index_path.read_text())["entries"]}


def test_index_journal_takes_saves_and_survives_torn_lines(
    store: DirectoryStore, make_record: MakeRecord
) -> None:
    a, b = make_record(), make_record()
    store.save(a)
    store.save(b)
    store.transition(b.id, PatchStatus.APPROVED)
    lines = [json.loads(line) for line in store.journal_path.read_text().splitlines()]
    # one line per write, O(1): the snapshot is not rewritten by saves
    assert [(e["id"], e["status"]) for e in lines] == [
        (a.id, "verified"), (b.id, "verified"), (b.id, "approved")]
    assert not store.index_path.exists()
    # a line torn by a killed writer is skipped, the rest of the journal still counts
    with store.journal_path.open("a") as fh:
        fh.write('{"id": "half-a-li')
    fresh = DirectoryStore(store.root)
    index = fresh._read_index()
    assert set(index) == {a.id, b.id}
    assert index[b.id].status == "approved"
    assert {e.id: e.status for e in fresh.entries()} == {a.id: "verified", b.id: "approved"}
    # entries taken from the journal are valid: nothing had to be re-parsed
    assert fresh._cache == {}


# --------------------------------------------------------------------------- retention


def _aged(make_record: MakeRecord, days: float, status: PatchStatus = PatchStatus.VERIFIED,
          padding: int = 0) -> PatchRecord:
    when = datetime.now(timezone.utc) - timedelta(days=days)
    from selfheal.models import StatusChange

    return make_record(status=status, captured_at=when, padding=padding,
                       history=(StatusChange(status=status, at=when),))


def test_gc_by_age_keeps_approved_and_live(store: DirectoryStore,
                                           make_record: MakeRecord) -> None:
    old = _aged(make_record, 40)
    old_approved = _aged(make_record, 40, PatchStatus.APPROVED)
    old_live = _aged(make_record, 40, PatchStatus.LIVE)
    young = _aged(make_record, 1)
    for r in (old, old_approved, old_live, young):
        store.save(r)
    report = store.gc(max_age_days=30)
    assert report.removed == [old.id]
    assert report.kept == 3
    assert {r.id for r in store.list()} == {old_approved.id, old_live.id, young.id}
    assert not store.patch_path(old.id).exists()


def test_gc_by_count_removes_oldest_first(store: DirectoryStore,
                                          make_record: MakeRecord) -> None:
    records = [_aged(make_record, days) for days in (5, 4, 3, 2, 1)]
    for r in records:
        store.save(r)
    report = store.gc(max_records=2)
    assert sorted(report.removed) == sorted(r.id for r in records[:3])
    assert {r.id for r in store.list()} == {records[3].id, records[4].id}


def test_gc_by_bytes(store: DirectoryStore, make_record: MakeRecord) -> None:
    big = [_aged(make_record, days, padding=20_000) for days in (3, 2, 1)]
    for r in big:
        store.save(r)
    sizes = {e.id: e.size for e in store.entries()}
    assert all(size > 20_000 for size in sizes.values())
    budget = sizes[big[2].id] + 100
    report = store.gc(max_bytes=budget)
    assert sorted(report.removed) == sorted([big[0].id, big[1].id])
    assert report.kept_bytes <= budget


def test_gc_dry_run_removes_nothing(store: DirectoryStore, make_record: MakeRecord) -> None:
    records = [_aged(make_record, days) for days in (3, 2, 1)]
    for r in records:
        store.save(r)
    report = store.gc(max_records=1, dry_run=True)
    assert len(report.removed) == 2
    assert report.dry_run
    assert len(store.list()) == 3


def test_gc_sweeps_stale_temp_files_and_orphans(store: DirectoryStore,
                                                make_record: MakeRecord) -> None:
    record = make_record()
    store.save(record)
    stale = store.root / "records" / ".x.json.1.tmp"
    fresh = store.root / "records" / ".y.json.2.tmp"
    stale.write_text("half")
    fresh.write_text("half")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    orphan_patch = store.root / "patches" / "gone.patch"
    orphan_patch.write_text("--- a/x\n")
    orphan_lock = store.root / "locks" / "gone.lock"
    orphan_lock.write_text("")
    report = store.gc()
    assert report.removed == []
    assert report.temp_files == 1
    assert not stale.exists()
    assert fresh.exists()
    assert not orphan_patch.exists()
    assert not orphan_lock.exists()
    assert report.orphans == 2
    assert store.load(record.id) == record


def test_locks_survive_removal_by_gc(store: DirectoryStore, make_record: MakeRecord) -> None:
    # gc unlinks a lock file while holding it; a later locker must get a fresh lock file.
    record = make_record()
    store.save(record)
    with store._locked(record.id, remove_after=True):
        pass
    assert not (store.locks_dir / f"{record.id}.lock").exists()
    store.transition(record.id, PatchStatus.APPROVED)
    assert store.load(record.id).status is PatchStatus.APPROVED


def test_lock_timeout_is_a_store_error(tmp_path: Path, make_record: MakeRecord) -> None:
    store = DirectoryStore(tmp_path / "s", lock_timeout_s=0.05)
    record = make_record()
    store.save(record)
    other = DirectoryStore(tmp_path / "s", lock_timeout_s=0.05)
    with store._locked(record.id), pytest.raises(StoreError, match="timed out"):
        other.transition(record.id, PatchStatus.APPROVED)


def test_write_failures_are_store_errors(tmp_path: Path, make_record: MakeRecord) -> None:
    (tmp_path / "file").write_text("")
    store = DirectoryStore(tmp_path / "file" / "store")  # its parent is a regular file
    with pytest.raises(StoreError, match="cannot save record"):
        store.save(make_record())
    assert store.list() == []
