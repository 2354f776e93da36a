"""Approved mode's question to the store: which approved patch fits this function now?

`approved_patch_for(store, ref)` is called once per function at decoration or import
time. It returns the newest patch a person approved whose original source hash matches
the function's current source and whose approval still covers it (same content hash,
and a valid signature when the deployment holds a signing key); approved patches made
for another version of the source are stale, and approvals that no longer cover their
record are refused: both are reported (logged once per record and process), never
returned.

It must not swap anything in (the caller does, after its own checks), must not change a
record's status, and must not raise on a broken store: approved mode degrades to "no
patch" and says why in the log.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from selfheal.errors import RecordTampered, StoreError
from selfheal.models import FunctionRef, PatchRecord, PatchStatus
from selfheal.store.base import PatchStore
from selfheal.store.directory import DirectoryStore, IndexEntry, approved_by_person
from selfheal.store.integrity import approval_problem

log = logging.getLogger("selfheal.store")

__all__ = ["approved_by_person", "approved_patch_for", "stale_approved"]

# Record ids already warned about in this process (one warning each); bounded, since a
# long-running process may see many stores and records come and go.
_reported: dict[str, None] = {}
_reported_lock = threading.Lock()
_REPORTED_MAX = 4096


def _first_report(record_id: str) -> bool:
    with _reported_lock:
        if record_id in _reported:
            return False
        if len(_reported) >= _REPORTED_MAX:
            _reported.pop(next(iter(_reported)))
        _reported[record_id] = None
        return True


def _approved_at(record: PatchRecord) -> float:
    for change in reversed(record.history):
        if change.status is PatchStatus.APPROVED:
            return change.at.timestamp()
    return record.report.captured_at.timestamp()


def _approved_for(
    store: PatchStore,
    ref: FunctionRef,
    only_hash: str | None = None,
    entries: list[IndexEntry] | None = None,
) -> list[PatchRecord]:
    """Approved records of `ref`'s function; with `only_hash`, only those made for it.

    On the directory store the index answers which records qualify, so only those are
    parsed: decoration time is start-up time. Records the index says are for another
    source are still returned (unparsed facts suffice) when `only_hash` is None.
    """
    if isinstance(store, DirectoryStore):
        ids = [
            e.id
            for e in (store.entries() if entries is None else entries)
            if e.approved
            and e.module == ref.module
            and e.qualname == ref.qualname
            and (only_hash is None or e.source_hash == only_hash)
        ]
        records: Iterable[PatchRecord] = _loaded(store, ids)
    else:
        records = store.list()
    return [
        r
        for r in records
        if approved_by_person(r)
        and r.report.function.module == ref.module
        and r.report.function.qualname == ref.qualname
        and (only_hash is None or r.report.function.source_hash == only_hash)
    ]


def _loaded(store: DirectoryStore, ids: list[str]) -> Iterable[PatchRecord]:
    for record_id in ids:
        try:
            yield store.load(record_id)
        except RecordTampered as exc:
            # One edited record must not hide the others; it never goes live.
            if _first_report(record_id):
                log.warning("selfheal: approved patch %s is refused: %s", record_id, exc)


def _stale_entries(
    store: PatchStore, ref: FunctionRef, entries: list[IndexEntry] | None = None
) -> list[tuple[str, str]]:
    """(id, source hash) of approved records of `ref`'s function made for other source."""
    if isinstance(store, DirectoryStore):
        return [
            (e.id, e.source_hash)
            for e in (store.entries() if entries is None else entries)
            if e.approved
            and e.module == ref.module
            and e.qualname == ref.qualname
            and e.source_hash != ref.source_hash
        ]
    return [(r.id, r.report.function.source_hash) for r in stale_approved(store, ref)]


def stale_approved(store: PatchStore, ref: FunctionRef) -> list[PatchRecord]:
    """Approved patches for `ref`'s function that were made for other source."""
    return [
        r for r in _approved_for(store, ref) if r.report.function.source_hash != ref.source_hash
    ]


def approved_patch_for(store: PatchStore, ref: FunctionRef) -> PatchRecord | None:
    """The newest approved record for `ref` whose source hash matches, or None.

    "Approved" is status approved, or live after a person approved it (the runtime moves
    an approved patch to live when it swaps it in). A record without a chosen candidate
    is never returned. Stale approved records (source changed since) are logged.
    """
    try:
        # One look at the index serves both questions.
        entries = store.entries() if isinstance(store, DirectoryStore) else None
        fresh = [r for r in _approved_for(store, ref, ref.source_hash, entries)
                 if r.chosen is not None]
        stale = _stale_entries(store, ref, entries)
        signer = store.signer if fresh else None
    except (StoreError, OSError, ValueError) as exc:
        # A tampered record is a StoreError too (RecordTampered): nothing goes live.
        log.warning(
            "selfheal: cannot read approved patches for %s.%s from %r: %s",
            ref.module, ref.qualname, store, exc,
        )
        return None
    for record_id, source_hash in stale:
        if _first_report(record_id):
            log.warning(
                "selfheal: approved patch %s for %s.%s is stale: it was made for source %s, "
                "the function is now %s; not applied (review it again, or reject it)",
                record_id, ref.module, ref.qualname, source_hash, ref.source_hash,
            )
    covered = []
    for record in fresh:
        problem = approval_problem(record, signer)
        if problem is None:
            covered.append(record)
        elif _first_report(record.id):
            log.warning(
                "selfheal: approved patch %s for %s.%s is refused: %s; not applied "
                "(selfheal show %s)",
                record.id, ref.module, ref.qualname, problem, record.id,
            )
    if not covered:
        return None
    return max(covered, key=_approved_at)
