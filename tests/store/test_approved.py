"""Approved mode: only a patch a person approved for the current source is returned."""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from store_factory import AVERAGE_FIX, RecordFactory, function_ref

from selfheal import config
from selfheal.models import PatchRecord, PatchStatus, StatusChange
from selfheal.store import MemoryStore
from selfheal.store.approved import approved_patch_for, stale_approved
from selfheal.store.directory import DirectoryStore
from tests.failing import raised

MakeRecord = Callable[..., PatchRecord]
S = PatchStatus


def _approved(make_record: MakeRecord, at: datetime, **kw: object) -> PatchRecord:
    history = (StatusChange(status=S.VERIFIED, at=at - timedelta(seconds=5)),
               StatusChange(status=S.APPROVED, at=at, by="alice"))
    return make_record(status=S.APPROVED, history=history, **kw)


@pytest.fixture(params=["directory", "memory"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> DirectoryStore | MemoryStore:
    if request.param == "directory":
        return DirectoryStore(tmp_path / "store")
    return MemoryStore()


def test_newest_matching_approval_wins(any_store: DirectoryStore | MemoryStore,
                                       project: RecordFactory, make_record: MakeRecord) -> None:
    now = datetime.now(timezone.utc)
    older = _approved(make_record, now - timedelta(hours=2))
    newer = _approved(make_record, now - timedelta(hours=1))
    verified = make_record(status=S.VERIFIED)
    rejected = make_record(status=S.REJECTED)
    other_function = _approved(make_record, now, qualname="Stats.ratio")
    for r in (older, newer, verified, rejected, other_function):
        any_store.save(r)
    found = approved_patch_for(any_store, project.ref("average"))
    assert found is not None
    assert found.id == newer.id
    found = approved_patch_for(any_store, project.ref("Stats.ratio"))
    assert found is not None
    assert found.id == other_function.id


def test_live_after_approval_counts_rolled_back_does_not(
    any_store: DirectoryStore | MemoryStore, project: RecordFactory, make_record: MakeRecord
) -> None:
    now = datetime.now(timezone.utc)
    live = _approved(make_record, now)
    live = live.model_copy(update={"status": S.LIVE,
                                   "history": (*live.history, StatusChange(status=S.LIVE))})
    any_store.save(live)
    found = approved_patch_for(any_store, project.ref("average"))
    assert found is not None
    assert found.id == live.id
    any_store.transition(live.id, S.ROLLED_BACK, reason="made things worse")
    assert approved_patch_for(any_store, project.ref("average")) is None
    # live without any approval (heal mode swapped it in) is not an approval
    unapproved = make_record(status=S.LIVE)
    any_store.save(unapproved)
    assert approved_patch_for(any_store, project.ref("average")) is None


def test_stale_approval_is_reported_not_returned(
    any_store: DirectoryStore | MemoryStore, project: RecordFactory, make_record: MakeRecord,
    caplog: pytest.LogCaptureFixture,
) -> None:
    stale = _approved(make_record, datetime.now(timezone.utc))
    any_store.save(stale)
    # the function was edited after the patch was approved
    project.module_path.write_text(project.module_path.read_text().replace(
        "return sum(values) / len(values)", "return sum(values) / len(list(values))"))
    current = project.ref("average")
    assert current.source_hash != stale.report.function.source_hash
    with caplog.at_level(logging.WARNING, "selfheal.store"):
        assert approved_patch_for(any_store, current) is None
    assert f"approved patch {stale.id}" in caplog.text
    assert "stale" in caplog.text
    assert [r.id for r in stale_approved(any_store, current)] == [stale.id]
    caplog.clear()
    with caplog.at_level(logging.WARNING, "selfheal.store"):
        approved_patch_for(any_store, current)
    assert stale.id not in caplog.text  # once per record and process


def test_approved_without_patch_is_ignored(project: RecordFactory,
                                           make_record: MakeRecord) -> None:
    record = _approved(make_record, datetime.now(timezone.utc))
    store = MemoryStore([record.model_copy(update={"chosen": None, "diff": ""})])
    assert approved_patch_for(store, project.ref("average")) is None


def test_broken_store_degrades_to_none(tmp_path: Path, project: RecordFactory,
                                       caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "file").write_text("")
    store = DirectoryStore(tmp_path / "file" / "store")  # cannot exist: parent is a file
    with caplog.at_level(logging.WARNING):
        assert approved_patch_for(store, project.ref("average")) is None


# --------------------------------------------------------------------------- start-up

APPROVED_MODULE = '''\
from selfheal import self_healing


@self_healing(mode="approved")
def average(values):
    return sum(values) / len(values)
'''


@pytest.fixture
def app_module(project: RecordFactory, monkeypatch: pytest.MonkeyPatch,
               tmp_path: Path) -> Iterator[tuple[RecordFactory, Path]]:
    store_dir = tmp_path / "appstore"
    monkeypatch.setenv("SELFHEAL_STORE", str(store_dir))
    monkeypatch.setenv("SELFHEAL_HYPOTHESIS", "false")
    config.reset()
    (project.package / "approved_app.py").write_text(APPROVED_MODULE)
    monkeypatch.syspath_prepend(str(project.project))
    yield project, store_dir
    for name in [m for m in sys.modules if m == "demo_pkg" or m.startswith("demo_pkg.")]:
        del sys.modules[name]
    config.reset()


def _app_record(project: RecordFactory, status: S) -> PatchRecord:
    ref = function_ref(project.package / "approved_app.py", "demo_pkg.approved_app", "average")
    return project.record(ref=ref, fix=AVERAGE_FIX, status=status)


def test_approved_patch_is_live_at_import(app_module: tuple[RecordFactory, Path]) -> None:
    project, store_dir = app_module
    store = DirectoryStore(store_dir)
    record = _app_record(project, S.VERIFIED)
    store.save(record)
    store.transition(record.id, S.APPROVED, by="alice")
    module = importlib.import_module("demo_pkg.approved_app")
    assert module.average(()) == 0.0  # the approved patch, no healing needed
    assert module.average((2, 4)) == 3.0


def test_unapproved_or_stale_patch_is_not_live(app_module: tuple[RecordFactory, Path],
                                               caplog: pytest.LogCaptureFixture) -> None:
    project, store_dir = app_module
    store = DirectoryStore(store_dir)
    verified = _app_record(project, S.VERIFIED)  # verified but nobody approved it
    store.save(verified)
    stale = _app_record(project, S.VERIFIED)
    store.save(stale)
    store.transition(stale.id, S.APPROVED, by="alice")
    app = project.package / "approved_app.py"
    app.write_text(APPROVED_MODULE.replace("len(values)", "len(list(values))"))
    with caplog.at_level(logging.WARNING):
        module = importlib.import_module("demo_pkg.approved_app")
    assert "stale" in caplog.text
    assert stale.id in caplog.text
    raised(ZeroDivisionError, module.average, ())
