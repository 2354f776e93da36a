"""Record integrity: one content per record, approvals bound to it, HMAC-signed on demand.

Every test edits real record files the way a person (or an attacker with write access
to the store) would: through the JSON on disk, never through the models.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from store_factory import AVERAGE_FIX, RecordFactory, forge

from selfheal.errors import RecordTampered
from selfheal.models import PatchRecord, PatchStatus
from selfheal.store import MemoryStore
from selfheal.store.approved import approved_patch_for
from selfheal.store.directory import DirectoryStore
from selfheal.store.integrity import (
    approval_change,
    approval_problem,
    content_hash,
    content_problem,
)
from selfheal.store.patchfile import PatchConflict, function_after_diff
from selfheal.store.signing import Signer, SigningKeyError, load_signer

MakeRecord = Callable[..., PatchRecord]
S = PatchStatus
KEY = b"0123456789abcdef0123456789abcdef"
EVIL = AVERAGE_FIX.replace("return 0.0", "return 4242")


@pytest.fixture
def store(tmp_path: Path) -> DirectoryStore:
    return DirectoryStore(tmp_path / "store", signer=None)


def edit(store: DirectoryStore, record_id: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = store.record_path(record_id)
    raw = json.loads(path.read_text())
    change(raw)
    path.write_text(json.dumps(raw, indent=1))


def approved(store: DirectoryStore, make_record: MakeRecord) -> PatchRecord:
    record = make_record(status=S.VERIFIED)
    store.save(record)
    return store.transition(record.id, S.APPROVED, by="alice", reason="checked")


# --------------------------------------------------------------------------- one content


def test_a_fresh_record_holds_together_and_its_diff_gives_its_source(
        make_record: MakeRecord) -> None:
    record = make_record()
    assert content_problem(record) is None
    after = function_after_diff(record.report.function, record.diff, record.diff_path)
    assert after.strip() == AVERAGE_FIX.strip()


def test_editing_the_chosen_source_is_refused_on_load(
        store: DirectoryStore, make_record: MakeRecord) -> None:
    # The reported attack: `show` and `diff` displayed the reviewed diff while approved
    # mode ran, and `apply` wrote, the edited source.
    record = approved(store, make_record)
    edit(store, record.id, lambda raw: raw["chosen"].update(source=EVIL))
    fresh = DirectoryStore(store.root)
    with pytest.raises(RecordTampered, match="edited outside selfheal"):
        fresh.load(record.id)
    assert fresh.list() == []
    assert any("edited outside selfheal" in str(p) for p in fresh.problems)


def test_editing_the_diff_alone_is_refused_too(store: DirectoryStore,
                                               make_record: MakeRecord) -> None:
    record = approved(store, make_record)
    edit(store, record.id, lambda raw: raw.update(
        diff=raw["diff"].replace("+        return 0.0", "+        return 0.5")))
    with pytest.raises(RecordTampered, match="diff shows other code"):
        DirectoryStore(store.root).load(record.id)


@pytest.mark.parametrize(("what", "change", "message"), [
    ("original source", lambda raw: raw["report"]["function"].update(
        source=raw["report"]["function"]["source"].replace("sum", "max")),
     "does not match its hash"),
    ("diff path", lambda raw: raw.update(diff_path="../elsewhere/victim.py"),
     "'..' part"),
    ("absolute diff path", lambda raw: raw.update(diff_path="/etc/passwd"),
     "not a relative"),
    ("chosen not verified", lambda raw: [o["verdict"].update(ok=False)
                                         for o in raw["candidates"]],
     "not one of its verified candidates"),
    ("diff without patch", lambda raw: raw.update(chosen=None), "a diff but no chosen"),
    ("second file in the diff", lambda raw: raw.update(
        diff=raw["diff"] + "--- a/other.py\n+++ b/other.py\n@@ -1 +1 @@\n-a\n+b\n"),
     "not a hunk header"),
])
def test_every_part_of_the_content_is_checked(
        store: DirectoryStore, make_record: MakeRecord, what: str,
        change: Callable[[dict[str, Any]], None], message: str) -> None:
    record = make_record()
    store.save(record)
    edit(store, record.id, change)
    with pytest.raises(RecordTampered, match=message):
        DirectoryStore(store.root).load(record.id)


def test_a_diff_that_also_edits_other_lines_of_the_file_is_refused(
        project: RecordFactory) -> None:
    record = project.record()
    ref = record.report.function
    # Add a hunk far from the function: an import appended at the end of the file.
    lines = project.module_path.read_text().splitlines(keepends=True)
    n = len(lines)
    extra = (f"@@ -{n},1 +{n},2 @@\n {lines[-1]}+import os; os.system('id')\n")
    with pytest.raises(PatchConflict, match="outside the function"):
        function_after_diff(ref, record.diff + extra, record.diff_path)


# --------------------------------------------------------------------------- approvals


def test_an_approval_records_the_content_hash_and_the_approver(
        store: DirectoryStore, make_record: MakeRecord) -> None:
    record = approved(store, make_record)
    change = record.history[-1]
    assert (change.status, change.by) == (S.APPROVED, "alice")
    assert change.content_hash == content_hash(record)
    assert change.signature == ""
    assert approval_problem(record, None) is None
    assert approved_patch_for(store, record.report.function) == record


def test_a_consistent_edit_after_approval_shows_as_a_changed_content(
        store: DirectoryStore, project: RecordFactory, make_record: MakeRecord,
        caplog: pytest.LogCaptureFixture) -> None:
    record = approved(store, make_record)
    edit(store, record.id, lambda raw: forge(raw, EVIL, project.project))
    loaded = DirectoryStore(store.root).load(record.id)  # holds together: it is shown
    assert "4242" in loaded.diff
    problem = approval_problem(loaded, None)
    assert problem is not None
    assert "content changed after alice approved it" in problem
    with caplog.at_level(logging.WARNING):
        assert approved_patch_for(DirectoryStore(store.root), record.report.function) is None
    assert f"approved patch {record.id}" in caplog.text
    assert "is refused" in caplog.text


def test_approving_what_changed_since_it_was_shown_is_refused(
        store: DirectoryStore, project: RecordFactory, make_record: MakeRecord) -> None:
    record = make_record(status=S.VERIFIED)
    store.save(record)
    shown = content_hash(store.load(record.id))
    edit(store, record.id, lambda raw: forge(raw, EVIL, project.project))
    with pytest.raises(RecordTampered, match="changed since it was read"):
        DirectoryStore(store.root).transition(record.id, S.APPROVED, by="alice",
                                              expect_content=shown)
    assert DirectoryStore(store.root).load(record.id).status is S.VERIFIED


def test_without_a_key_a_forger_who_recomputes_the_hash_is_not_caught(
        store: DirectoryStore, project: RecordFactory, make_record: MakeRecord) -> None:
    # Documented limit: the content hash alone catches edits of approved content, not a
    # forged approval. A signing key is what catches that (next tests).
    record = approved(store, make_record)

    edit(store, record.id, lambda raw: forge(raw, EVIL, project.project, rehash=True))
    assert approval_problem(DirectoryStore(store.root).load(record.id), None) is None


def test_signed_approvals_catch_a_forger_who_recomputes_the_hash(
        tmp_path: Path, project: RecordFactory, make_record: MakeRecord) -> None:
    signer = Signer.from_key(KEY)
    store = DirectoryStore(tmp_path / "store", signer=signer)
    record = approved(store, make_record)
    assert record.history[-1].signature.startswith(f"hmac-sha256:{signer.key_id}:")
    assert approval_problem(record, signer) is None

    edit(store, record.id, lambda raw: forge(raw, EVIL, project.project, rehash=True))
    problem = approval_problem(store.load(record.id), signer)
    assert problem is not None
    assert "signature is invalid" in problem
    assert "has changed since" in problem
    assert approved_patch_for(store, record.report.function) is None


def test_a_key_makes_unsigned_or_foreign_signed_approvals_fail(
        make_record: MakeRecord) -> None:
    mine, theirs = Signer.from_key(KEY), Signer.from_key(KEY[::-1])
    record = make_record(status=S.VERIFIED)
    unsigned = record.model_copy(update={"status": S.APPROVED, "history": (
        *record.history, approval_change(record, "mallory"))})
    assert "not signed" in str(approval_problem(unsigned, mine))
    foreign = record.model_copy(update={"status": S.APPROVED, "history": (
        *record.history, approval_change(record, "mallory", signer=theirs))})
    assert f"not with the configured key {mine.key_id}" in str(approval_problem(foreign, mine))
    # A signed approval where no key is configured cannot be checked: not trusted.
    assert "no signing key is configured here" in str(approval_problem(foreign, None))


def test_approvals_without_a_content_hash_must_be_given_again(
        make_record: MakeRecord) -> None:
    record = make_record(status=S.VERIFIED)
    legacy = record.model_copy(update={"status": S.APPROVED, "history": (
        *record.history, approval_change(record, "alice").model_copy(
            update={"content_hash": ""}))})
    assert "records no content hash" in str(approval_problem(legacy, None))


def test_the_memory_store_binds_approvals_the_same_way(make_record: MakeRecord) -> None:
    signer = Signer.from_key(KEY)
    record = make_record(status=S.VERIFIED)
    store = MemoryStore([record], signer=signer)
    new = store.transition(record.id, S.APPROVED, by="bob")
    assert approval_problem(new, signer) is None
    assert approved_patch_for(store, record.report.function) == new


# --------------------------------------------------------------------------- the key


def test_the_key_comes_from_the_environment_or_a_file_outside_the_store(
        tmp_path: Path) -> None:
    assert load_signer(environ={}) is None
    inline = load_signer(environ={"SELFHEAL_SIGNING_KEY": KEY.decode()})
    key_file = tmp_path / "key"
    key_file.write_bytes(KEY + b"\n")
    from_file = load_signer(environ={"SELFHEAL_SIGNING_KEY_FILE": str(key_file)},
                            store_root=tmp_path / "store")
    from_setting = load_signer(key_file, environ={})
    assert inline is not None and from_file is not None and from_setting is not None
    assert inline.key_id == from_file.key_id == from_setting.key_id
    assert KEY.decode() not in repr(inline)


@pytest.mark.parametrize(("environ", "message"), [
    ({"SELFHEAL_SIGNING_KEY": "short"}, "use at least 16"),
    ({"SELFHEAL_SIGNING_KEY": KEY.decode(), "SELFHEAL_SIGNING_KEY_FILE": "/k"}, "only one"),
    ({"SELFHEAL_SIGNING_KEY_FILE": "/nonexistent/key"}, "cannot read the signing key file"),
])
def test_unusable_keys_are_refused_with_the_fix(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SigningKeyError, match=message):
        load_signer(environ=environ)


def test_a_key_file_inside_the_store_is_refused(tmp_path: Path, make_record: MakeRecord,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    store_dir = tmp_path / "store"
    (store_dir / "keys").mkdir(parents=True)
    (store_dir / "keys" / "approval.key").write_bytes(KEY)
    monkeypatch.setenv("SELFHEAL_SIGNING_KEY_FILE", str(store_dir / "keys" / "approval.key"))
    store = DirectoryStore(store_dir)
    record = make_record(status=S.VERIFIED)
    store.save(record)  # saving never needs the key
    with pytest.raises(SigningKeyError, match="inside the patch store"):
        store.transition(record.id, S.APPROVED, by="alice")
    assert store.load(record.id).status is S.VERIFIED
