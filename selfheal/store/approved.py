"""Approved mode's question to the store: which approved patch fits this function now?

`approved_patch_for(store, ref)` is called once per function at decoration or import
time. It returns the newest patch a person approved whose original source hash matches
the function's current source; approved patches made for another version of the source
are stale: they are reported (logged once per record and process), never returned.

It must not swap anything in (the caller does, after its own checks), must not change a
record's status, and must not raise on a broken store: approved mode degrades to "no
patch" and says why in the log.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from selfheal.errors import StoreError
from selfheal.models import FunctionRef, PatchRecord, PatchStatus
from selfheal.store.base import PatchStore
from selfheal.store.directory import DirectoryStore, approved_by_person

log = logging.getLogger("selfheal.store")

__all__ = ["approved_by_person", "approved_patch_for", "stale_approved"]

_reported: set[str] = set()
_reported_lock = threading.Lock()


def _approved_at(record: PatchRecord) -> float:
    for change in reversed(record.history):
        if change.status is PatchStatus.APPROVED:
            return change.at.timestamp()
    return record.report.captured_at.timestamp()


def _approved_for(store: PatchStore, ref: FunctionRef) -> list[PatchRecord]:
    if isinstance(store, DirectoryStore):
        # The index answers without parsing every record: decoration time is start-up time.
        ids = [
            e.id
            for e in store.entries()
            if e.approved and e.module == ref.module and e.qualname == ref.qualname
        ]
        records: Iterable[PatchRecord] = (store.load(record_id) for record_id in ids)
    else:
        records = store.list()
    return [
        r
        for r in records
        if approved_by_person(r)
        and r.report.function.module == ref.module
        and r.report.function.qualname == ref.qualname
    ]


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
        found = _approved_for(store, ref)
    except (StoreError, OSError, ValueError) as exc:
        log.warning(
            "selfheal: cannot read approved patches for %s.%s from %r: %s",
            ref.module, ref.qualname, store, exc,
        )
        return None
    fresh: list[PatchRecord] = []
    for record in found:
        if record.report.function.source_hash == ref.source_hash and record.chosen is not None:
            fresh.append(record)
            continue
        with _reported_lock:
            if record.id in _reported:
                continue
            _reported.add(record.id)
        if record.chosen is None:
            log.warning("selfheal: approved record %s has no patch to apply; ignored", record.id)
        else:
            log.warning(
                "selfheal: approved patch %s for %s.%s is stale: it was made for source %s, "
                "the function is now %s; not applied (review it again, or reject it)",
                record.id, ref.module, ref.qualname,
                record.report.function.source_hash, ref.source_hash,
            )
    if not fresh:
        return None
    return max(fresh, key=_approved_at)
