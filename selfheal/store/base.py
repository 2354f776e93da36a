"""The PatchStore protocol and the patch lifecycle.

A store keeps `PatchRecord`s and the `.patch` file beside each. This module owns the
protocol, the allowed status transitions (an approval binds the record's content, see
`integrity.py`) and an in-memory twin for tests; it must not know where records live on
disk (see `directory.py`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from selfheal.errors import IllegalTransition, RecordNotFound, RecordTampered
from selfheal.models import PatchRecord, PatchStatus, StatusChange
from selfheal.store.integrity import approval_change, content_hash, content_problem
from selfheal.store.signing import Signer

S = PatchStatus

# Who may move a record where. "live" and "rolled_back" are the runtime's; "approved",
# "rejected" and "applied" are a person's (through the CLI).
TRANSITIONS: dict[PatchStatus, frozenset[PatchStatus]] = {
    S.PROPOSED: frozenset({S.VERIFIED, S.REJECTED}),
    S.VERIFIED: frozenset({S.LIVE, S.APPROVED, S.REJECTED}),
    S.LIVE: frozenset({S.ROLLED_BACK, S.APPROVED, S.REJECTED, S.APPLIED}),
    S.APPROVED: frozenset({S.LIVE, S.REJECTED, S.APPLIED, S.ROLLED_BACK}),
    S.ROLLED_BACK: frozenset({S.REJECTED, S.APPROVED}),
    S.REJECTED: frozenset({S.APPROVED}),
    S.APPLIED: frozenset(),
}


def check_transition(record: PatchRecord, to: PatchStatus) -> None:
    allowed = TRANSITIONS[record.status]
    if to not in allowed:
        options = ", ".join(sorted(s.value for s in allowed)) or "none (final)"
        raise IllegalTransition(
            f"record {record.id} is {record.status.value}; it cannot become {to.value} "
            f"(allowed from {record.status.value}: {options})"
        )


def transitioned(
    record: PatchRecord,
    to: PatchStatus,
    by: str,
    reason: str,
    *,
    signer: Signer | None = None,
    expect_content: str | None = None,
) -> PatchRecord:
    """`record` moved to `to`. An approval records the content hash (signed by `signer`);
    `expect_content` refuses (RecordTampered) a record that changed since it was shown."""
    check_transition(record, to)
    if expect_content is not None and content_hash(record) != expect_content:
        raise RecordTampered(
            f"record {record.id} changed since it was read ({expect_content[:19]} then, "
            f"{content_hash(record)[:19]} now); look at it again before deciding"
        )
    if to is PatchStatus.APPROVED:
        problem = content_problem(record)
        if problem:
            raise RecordTampered(f"record {record.id} cannot be approved: {problem}")
        change = approval_change(record, by, reason, signer)
    else:
        change = StatusChange(status=to, by=by, reason=reason)
    return record.model_copy(update={"status": to, "history": (*record.history, change)})


@runtime_checkable
class PatchStore(Protocol):
    def save(self, record: PatchRecord) -> None:
        """Write (or overwrite) a record and its patch file, atomically."""
        ...

    def load(self, record_id: str) -> PatchRecord:
        """Load by id or unique id prefix; raise RecordNotFound otherwise."""
        ...

    def list(self) -> list[PatchRecord]:
        """Every readable record, newest first; unreadable files are reported, skipped."""
        ...

    def transition(
        self,
        record_id: str,
        to: PatchStatus,
        by: str = "selfheal",
        reason: str = "",
        *,
        expect_content: str | None = None,
    ) -> PatchRecord:
        """Move a record along the lifecycle (raises IllegalTransition) and save it.

        An approval records the content hash (see `integrity`); with `expect_content`
        the record must still hash to it (RecordTampered otherwise).
        """
        ...

    @property
    def signer(self) -> Signer | None:
        """The key approvals are signed and checked with, or None (no key configured)."""
        ...


class MemoryStore:
    """In-memory twin of the directory store, for tests and for `store=None`."""

    def __init__(self, records: Iterable[PatchRecord] = (), signer: Signer | None = None) -> None:
        self._records = {r.id: r for r in records}
        self._lock = threading.Lock()
        self._signer = signer

    @property
    def signer(self) -> Signer | None:
        return self._signer

    def save(self, record: PatchRecord) -> None:
        with self._lock:
            self._records[record.id] = record

    def load(self, record_id: str) -> PatchRecord:
        with self._lock:
            matches = [r for k, r in self._records.items() if k.startswith(record_id)]
        if len(matches) != 1:
            raise RecordNotFound(
                f"no record {record_id!r}"
                if not matches
                else f"{record_id!r} matches {len(matches)} records; give more of the id"
            )
        return matches[0]

    def list(self) -> list[PatchRecord]:
        with self._lock:
            records = list(self._records.values())
        return sorted(records, key=lambda r: r.report.captured_at, reverse=True)

    def transition(
        self,
        record_id: str,
        to: PatchStatus,
        by: str = "selfheal",
        reason: str = "",
        *,
        expect_content: str | None = None,
    ) -> PatchRecord:
        with self._lock:
            record = self._records.get(record_id)
            if record is None:
                raise RecordNotFound(f"no record {record_id!r}")
            new = transitioned(record, to, by, reason, signer=self._signer,
                               expect_content=expect_content)
            self._records[record_id] = new
            return new
