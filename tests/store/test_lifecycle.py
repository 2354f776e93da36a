"""The patch lifecycle: every pair of statuses, on the directory store and its memory twin."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from selfheal.errors import IllegalTransition, RecordNotFound
from selfheal.models import PatchRecord, PatchStatus, StatusChange
from selfheal.store import MemoryStore
from selfheal.store.base import TRANSITIONS, PatchStore, check_transition, transitioned
from selfheal.store.directory import DirectoryStore

S = PatchStatus
MakeRecord = Callable[..., PatchRecord]
PAIRS = [(a, b) for a in S for b in S]


def test_the_lifecycle_is_the_documented_one() -> None:
    # the runtime's path
    assert S.VERIFIED in TRANSITIONS[S.PROPOSED]
    assert S.LIVE in TRANSITIONS[S.VERIFIED]
    assert S.ROLLED_BACK in TRANSITIONS[S.LIVE]
    # a person's decisions
    assert {S.APPROVED, S.REJECTED} <= TRANSITIONS[S.VERIFIED]
    assert S.APPLIED in TRANSITIONS[S.APPROVED]
    # nothing unverified can be approved or go live; applied is final
    assert S.APPROVED not in TRANSITIONS[S.PROPOSED]
    assert S.LIVE not in TRANSITIONS[S.PROPOSED]
    assert TRANSITIONS[S.APPLIED] == frozenset()
    assert set(TRANSITIONS) == set(S)
    for source, targets in TRANSITIONS.items():
        assert source not in targets  # no self loops: history entries are real changes


@pytest.mark.parametrize(("start", "to"), PAIRS, ids=[f"{a.value}->{b.value}" for a, b in PAIRS])
def test_every_pair_on_both_stores(start: PatchStatus, to: PatchStatus, tmp_path: Path,
                                   make_record: MakeRecord) -> None:
    record = make_record(status=start, history=(StatusChange(status=start),))
    stores: list[PatchStore] = [MemoryStore(), DirectoryStore(tmp_path / "d", durable=False)]
    for store in stores:
        store.save(record)
        if to in TRANSITIONS[start]:
            new = store.transition(record.id, to, by="bob", reason="because")
            assert new.status is to
            assert new.history == (*record.history, new.history[-1])
            assert (new.history[-1].status, new.history[-1].by) == (to, "bob")
            assert store.load(record.id) == new
        else:
            with pytest.raises(IllegalTransition) as info:
                store.transition(record.id, to)
            message = str(info.value)
            assert f"is {start.value}; it cannot become {to.value}" in message
            assert store.load(record.id) == record


def test_check_transition_names_the_allowed_moves(make_record: MakeRecord) -> None:
    record = make_record(status=S.APPLIED)
    with pytest.raises(IllegalTransition, match=r"none \(final\)"):
        check_transition(record, S.LIVE)
    record = make_record(status=S.PROPOSED)
    with pytest.raises(IllegalTransition, match="allowed from proposed: rejected, verified"):
        transitioned(record, S.LIVE, "x", "")


def test_random_walks_agree_between_stores(tmp_path: Path, make_record: MakeRecord) -> None:
    rng = random.Random(1234)
    memory = MemoryStore()
    directory = DirectoryStore(tmp_path / "d", durable=False)
    records = [make_record(status=S.PROPOSED, history=(StatusChange(status=S.PROPOSED),))
               for _ in range(4)]
    for record in records:
        memory.save(record)
        directory.save(record)
    for _ in range(120):
        record = rng.choice(records)
        to = rng.choice(list(S))
        outcomes = []
        for store in (memory, directory):
            try:
                outcomes.append(store.transition(record.id, to).status)
            except IllegalTransition:
                outcomes.append(None)
        assert outcomes[0] == outcomes[1]
    for record in records:
        a, b = memory.load(record.id), directory.load(record.id)
        assert (a.status, [c.status for c in a.history]) == (b.status,
                                                             [c.status for c in b.history])
    assert [r.id for r in memory.list()] == [r.id for r in directory.list()]


def test_unknown_ids_are_not_found_on_both(tmp_path: Path) -> None:
    for store in (MemoryStore(), DirectoryStore(tmp_path / "d")):
        with pytest.raises(RecordNotFound):
            store.load("nope")
        with pytest.raises(RecordNotFound):
            store.transition("nope", S.APPROVED)
