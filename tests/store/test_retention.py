"""Retention and record size: the store stays within its configured limits on its own.

Reported: 100,000 distinct failures grew the store by 577 MB with no retention, and a
50 MB engine answer became a 48.8 MB record. These tests save real records into a real
directory store with small limits and check the limits after every save.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from store_factory import RecordFactory

from selfheal import config
from selfheal.errors import StoreError
from selfheal.heal.outcomes import past_outcomes, records_of
from selfheal.models import Candidate, CandidateOutcome, PatchRecord, PatchStatus, Verdict
from selfheal.store import open_store
from selfheal.store.directory import DirectoryStore
from selfheal.store.integrity import content_problem
from selfheal.store.limits import StoreLimits, fit_record

MakeRecord = Callable[..., PatchRecord]
S = PatchStatus
NO_LIMITS: dict[str, None] = {"max_records": None, "max_bytes": None, "max_age_days": None,
                              "per_failure": None}


def limited(tmp_path: Path, **limits: object) -> DirectoryStore:
    return DirectoryStore(tmp_path / "store", signer=None,
                          limits=StoreLimits(**{**NO_LIMITS, **limits}))  # type: ignore[arg-type]


def runtime_id(record: PatchRecord, n: int) -> str:
    # How the runtime names records: the fingerprint key first (pipeline.new_record_id).
    return f"{record.fingerprint.key[:8]}-{n:08x}"


def stored_bytes(store: DirectoryStore) -> int:
    return sum(p.stat().st_size for d in (store.records_dir, store.patches_dir)
               for p in d.iterdir())


def test_records_per_failure_are_capped_at_every_save(
        tmp_path: Path, make_record: MakeRecord) -> None:
    store = limited(tmp_path, per_failure=5)
    start = datetime.now(timezone.utc) - timedelta(hours=1)
    template = make_record()
    saved = []
    for n in range(14):
        status = S.APPROVED if n in (0, 1) else S.REJECTED if n == 2 else S.VERIFIED
        record = make_record(record_id=runtime_id(template, n), status=status,
                             captured_at=start + timedelta(minutes=n))
        store.save(record)
        saved.append(record.id)
        assert len(store.ids()) <= 5 or n < 5
    kept = set(store.ids())
    # A person's decisions stay; of the rest, the newest.
    assert {saved[0], saved[1], saved[2]} <= kept
    assert kept == {saved[0], saved[1], saved[2], saved[12], saved[13]}


def test_the_record_count_stays_under_the_limit(tmp_path: Path,
                                                make_record: MakeRecord) -> None:
    store = limited(tmp_path, max_records=10)
    for n in range(40):
        store.save(make_record(record_id=f"r{n:04d}"))
        assert len(store.ids()) <= 10
    assert "r0039" in store.ids()
    assert "r0000" not in store.ids()


def test_the_store_size_stays_under_the_limit(tmp_path: Path, make_record: MakeRecord) -> None:
    one = len(make_record(padding=5_000).model_dump_json(indent=1))
    limit = one * 60  # a collection is due every 5 % of the limit: every ~3 records
    store = limited(tmp_path, max_bytes=limit)
    store.durable = False  # what is measured is the policy, not the disk
    for n in range(150):
        store.save(make_record(record_id=f"r{n:04d}", padding=5_000))
        assert stored_bytes(store) <= limit
    assert len(store.ids()) >= 45  # it collects down to 90 %, not to nothing


def test_old_records_go_at_a_process_first_save(tmp_path: Path,
                                                make_record: MakeRecord) -> None:
    old = datetime.now(timezone.utc) - timedelta(days=40)
    writer = DirectoryStore(tmp_path / "store", signer=None)  # no limits: keeps everything
    for n in range(5):
        writer.save(make_record(record_id=f"old{n}", captured_at=old))
    writer.save(make_record(record_id="oldbutapproved", status=S.APPROVED, captured_at=old))
    store = limited(tmp_path, max_age_days=30)
    store.save(make_record(record_id="new"))
    assert sorted(store.ids()) == ["new", "oldbutapproved"]


def test_open_store_applies_the_configured_limits(tmp_path: Path) -> None:
    config.configure(store_max_records=3, store_max_bytes=0, store_max_age_days=7,
                     store_max_per_failure=2, record_max_bytes=50_000)
    store = open_store(tmp_path / "s")
    assert isinstance(store, DirectoryStore)
    assert store.limits == StoreLimits(max_records=3, max_bytes=None, max_age_days=7,
                                       per_failure=2, record_max_bytes=50_000)


# --------------------------------------------------------------------------- record size


def with_rejected(record: PatchRecord, count: int, size: int) -> PatchRecord:
    junk = []
    for n in range(count):
        candidate = Candidate(source=f"def average(values):\n    return {n}\n" + "#" * size,
                              engine="llm")
        junk.append(CandidateOutcome(candidate=candidate, verdict=Verdict(
            candidate_id=candidate.id, ok=False, reason="failing: still raises")))
    return record.model_copy(update={"candidates": (*junk, *record.candidates)})


def test_a_record_over_its_size_limit_keeps_what_decides_and_says_what_it_left_out(
        tmp_path: Path, make_record: MakeRecord) -> None:
    store = DirectoryStore(tmp_path / "store", signer=None,
                           limits=StoreLimits(**NO_LIMITS, record_max_bytes=60_000))  # type: ignore[arg-type]
    big = with_rejected(make_record(), count=200, size=5_000)  # about a megabyte
    assert len(big.model_dump_json(indent=1)) > 1_000_000
    store.save(big)
    assert store.record_path(big.id).stat().st_size <= 60_000
    kept = store.load(big.id)
    assert kept.chosen == big.chosen
    assert kept.diff == big.diff
    assert content_problem(kept) is None
    assert 1 < len(kept.candidates) < len(big.candidates)
    assert f"of {len(big.candidates)} candidates" in kept.note
    assert "left out of the record to keep it under 60000 bytes" in kept.note


def test_a_record_that_cannot_fit_is_refused_not_cut(project: RecordFactory) -> None:
    record = project.record()
    huge = record.model_copy(update={"report": record.report.model_copy(update={
        "function": record.report.function.model_copy(update={
            "source": record.report.function.source + "#" * 200_000})})})
    with pytest.raises(StoreError, match="raise record_max_bytes"):
        fit_record(huge, 100_000)


def test_retention_keeps_what_keeps_a_fix_from_coming_back(
        tmp_path: Path, make_record: MakeRecord) -> None:
    """A rolled-back record, like a rejected one, outlives the per-failure cap: it is
    what excludes its fix from every later heal of the failure."""
    store = limited(tmp_path, per_failure=3)
    start = datetime.now(timezone.utc) - timedelta(hours=1)
    template = make_record()
    undone = [
        make_record(record_id=runtime_id(template, n), status=status,
                    fix=f"def average(values):\n    return {n}.0\n",
                    captured_at=start + timedelta(minutes=n))
        for n, status in enumerate((S.ROLLED_BACK, S.REJECTED))
    ]
    for record in undone:
        store.save(record)
    for n in range(2, 12):  # later heals of the same failure, nothing decided
        store.save(make_record(record_id=runtime_id(template, n), status=S.VERIFIED,
                               captured_at=start + timedelta(minutes=n)))
    assert {r.id for r in undone} <= set(store.ids())
    assert len(store.ids()) == 3
    past = past_outcomes(records_of(store, template.fingerprint))
    for record in undone:
        assert record.chosen is not None
        assert past.excludes(Candidate(source=record.chosen.source, engine="anthropic"))
