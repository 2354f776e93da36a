"""Records are read only as the store's own regular files; `apply` writes only in --root.

Real files, real symlinks and hard links: a record planted from outside the store must
never be listed, loaded or go live, and no record may make `apply` write elsewhere.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from store_factory import RecordFactory

from selfheal.errors import RecordNotFound, RecordTampered, StoreError
from selfheal.models import PatchRecord, PatchStatus
from selfheal.store.approved import approved_patch_for
from selfheal.store.directory import DirectoryStore
from selfheal.store.patchfile import PatchConflict, apply_patch, target_file

MakeRecord = Callable[..., PatchRecord]
S = PatchStatus


@pytest.fixture
def store(tmp_path: Path) -> DirectoryStore:
    return DirectoryStore(tmp_path / "store", signer=None)


def planted(tmp_path: Path, store: DirectoryStore, make_record: MakeRecord) -> PatchRecord:
    """An approved record written outside the store, as a real store would write it."""
    elsewhere = DirectoryStore(tmp_path / "elsewhere", signer=None)
    record = make_record(status=S.VERIFIED)
    elsewhere.save(record)
    record = elsewhere.transition(record.id, S.APPROVED, by="mallory")
    store.save(make_record())  # the store exists, with a record of its own
    return record


def test_a_record_symlinked_from_outside_is_not_listed_loaded_or_used(
        tmp_path: Path, store: DirectoryStore, make_record: MakeRecord) -> None:
    record = planted(tmp_path, store, make_record)
    outside = tmp_path / "elsewhere" / "records" / f"{record.id}.json"
    os.symlink(outside, store.record_path(record.id))
    assert record.id not in [r.id for r in store.list()]
    assert any("symlink" in str(p) for p in store.problems)
    with pytest.raises(StoreError, match="a symlink, not a record file"):
        store.load(record.id)
    assert record.id not in [e.id for e in store.entries()]
    assert approved_patch_for(store, record.report.function) is None


def test_a_hard_linked_record_is_refused(tmp_path: Path, store: DirectoryStore,
                                         make_record: MakeRecord) -> None:
    record = planted(tmp_path, store, make_record)
    os.link(tmp_path / "elsewhere" / "records" / f"{record.id}.json",
            store.record_path(record.id))
    with pytest.raises(StoreError, match="2 hard links"):
        store.load(record.id)
    assert approved_patch_for(store, record.report.function) is None


def test_a_directory_named_like_a_record_is_refused(store: DirectoryStore,
                                                    make_record: MakeRecord) -> None:
    store.save(make_record())
    (store.records_dir / "abcd.json").mkdir()
    with pytest.raises(StoreError, match="not a regular file"):
        store.load("abcd")
    assert len(store.list()) == 1


def test_a_records_directory_that_is_a_symlink_is_refused(
        tmp_path: Path, store: DirectoryStore, make_record: MakeRecord) -> None:
    record = planted(tmp_path, store, make_record)
    shutil.rmtree(store.records_dir)
    os.symlink(tmp_path / "elsewhere" / "records", store.records_dir)
    assert store.list() == []
    with pytest.raises(StoreError, match="symlink"):
        store.load(record.id)
    with pytest.raises(StoreError, match="is a symlink"):
        store.save(make_record())
    assert approved_patch_for(store, record.report.function) is None


def test_a_huge_planted_file_is_refused_unread(store: DirectoryStore,
                                               make_record: MakeRecord) -> None:
    store.save(make_record())
    huge = store.records_dir / "huge.json"
    with huge.open("wb") as fh:
        fh.truncate(64_000_000)  # sparse: costs no disk, would cost 64 MB to read
    with pytest.raises(StoreError, match="over the .*-byte cap"):
        store.load("huge")
    assert len(store.list()) == 1


@pytest.mark.parametrize("bad", ["../records/x", "..", "a/../../b", "x\0y", "/etc/passwd"])
def test_ids_that_could_leave_the_store_are_refused(store: DirectoryStore, bad: str) -> None:
    with pytest.raises(RecordNotFound, match="is not a record id"):
        store.load(bad)
    with pytest.raises(RecordNotFound):
        store.delete(bad)


def test_a_record_whose_id_differs_from_its_file_name_is_skipped(
        store: DirectoryStore, make_record: MakeRecord) -> None:
    record = make_record()
    store.save(record)
    os.rename(store.record_path(record.id), store.record_path("other"))
    with pytest.raises(StoreError, match="holds record"):
        store.load("other")


# --------------------------------------------------------------------------- apply


def test_a_traversal_diff_path_is_refused_before_anything_is_written(
        tmp_path: Path, store: DirectoryStore, project: RecordFactory) -> None:
    victim = tmp_path / "elsewhere" / "victim.py"
    victim.parent.mkdir()
    shutil.copy(project.module_path, victim)
    before = victim.read_text()
    record = project.record(status=S.APPROVED)
    store.save(record)
    path = store.record_path(record.id)
    raw = json.loads(path.read_text())
    raw["diff_path"] = "../elsewhere/victim.py"
    path.write_text(json.dumps(raw))
    with pytest.raises(RecordTampered, match="'..' part"):
        DirectoryStore(store.root).load(record.id)
    # apply_patch checks on its own too, whoever hands it the record.
    hostile = record.model_copy(update={"diff_path": "../elsewhere/victim.py"})
    with pytest.raises(PatchConflict, match="'..' part"):
        apply_patch(hostile, project.project)
    assert victim.read_text() == before


def test_a_symlink_inside_the_root_to_a_file_outside_is_refused(
        tmp_path: Path, project: RecordFactory) -> None:
    victim = tmp_path / "elsewhere" / "victim.py"
    victim.parent.mkdir()
    shutil.copy(project.module_path, victim)
    before = victim.read_text()
    record = project.record()
    project.module_path.unlink()
    os.symlink(victim, project.module_path)
    with pytest.raises(PatchConflict, match="outside the project root"):
        apply_patch(record, project.project)
    assert victim.read_text() == before


def test_a_report_naming_a_file_outside_the_root_is_refused(
        tmp_path: Path, project: RecordFactory) -> None:
    record = project.record()
    other_root = tmp_path / "other_project"
    other_root.mkdir()
    with pytest.raises(PatchConflict, match="outside the project root"):
        target_file(record, other_root)
    before = project.module_path.read_text()
    with pytest.raises(PatchConflict, match="outside the project root"):
        apply_patch(record, other_root)
    assert project.module_path.read_text() == before
    assert target_file(record, project.project) == project.module_path.resolve()
