"""How big a store and its records may grow, and fitting a record into its size limit.

`StoreLimits` holds the retention policy (records in all, records per failure, bytes,
age) and the size limit of one record, from the settings or given directly.
`fit_record(record, max_bytes)` returns the record as it may be stored: when its JSON
is over the limit, the evidence that costs most and says least goes first (rejected
candidates, beyond the chosen one; then the inputs kept for replay; then the calls
recorded before the failure and the frames' locals), and the note says what was left
out. What decides what runs (the original source, the chosen source, the diff) is never
cut: a record that cannot fit without it is refused.

It must not touch files (the directory store applies the policy) and must not decide
which records are worth keeping beyond the order written here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from selfheal.errors import StoreError
from selfheal.models import PatchRecord, PatchStatus

__all__ = ["AUTO_PROTECTED", "StoreLimits", "fit_record", "record_json"]

# The automatic policy never removes what a person decided or what is running: approved
# and live records are what approved mode and running processes use, and a rejected or
# rolled-back record is what keeps its fix from being proposed again for its failure
# (without it, retention would let a fix that misbehaved in production go live again).
AUTO_PROTECTED = frozenset({
    PatchStatus.APPROVED, PatchStatus.LIVE, PatchStatus.REJECTED, PatchStatus.ROLLED_BACK,
})


@dataclass(frozen=True)
class StoreLimits:
    """Retention and size limits of a store; None means no limit of that kind."""

    max_records: int | None = 1000
    max_bytes: int | None = 100_000_000
    max_age_days: float | None = 90.0
    per_failure: int | None = 20  # records per failure fingerprint
    record_max_bytes: int = 1_000_000
    # One collection brings the store down to this share of the limits, so that the
    # next one is many saves away rather than the very next save.
    low_water: float = 0.9

    @classmethod
    def from_settings(cls, settings: Any) -> StoreLimits:
        def limit(value: Any) -> Any:
            return None if value is None or value == 0 else value

        return cls(
            max_records=limit(settings.store_max_records),
            max_bytes=limit(settings.store_max_bytes),
            max_age_days=limit(settings.store_max_age_days),
            per_failure=limit(settings.store_max_per_failure),
            record_max_bytes=settings.record_max_bytes,
        )

    @property
    def unlimited(self) -> bool:
        return (self.max_records, self.max_bytes, self.max_age_days, self.per_failure) == (
            None, None, None, None)


def record_json(record: PatchRecord) -> bytes:
    """The bytes the store writes for `record` (indented: records are read by people)."""
    return record.model_dump_json(indent=1).encode()


def _fits(record: PatchRecord, max_bytes: int) -> tuple[bool, bytes]:
    data = record_json(record)
    return len(data) <= max_bytes, data


def fit_record(record: PatchRecord, max_bytes: int) -> tuple[PatchRecord, bytes]:
    """`record` cut to at most `max_bytes` of JSON, and that JSON; StoreError if it cannot."""
    fits, data = _fits(record, max_bytes)
    if fits:
        return record, data
    full = len(data)
    chosen_id = record.chosen.id if record.chosen is not None else None
    kept_outcomes = [o for o in record.candidates if o.candidate.id == chosen_id][:1]
    budget = max_bytes - len(record_json(record.model_copy(update={"candidates": ()})))
    budget -= sum(len(o.model_dump_json(indent=1)) + 8 for o in kept_outcomes)
    for outcome in record.candidates:
        if outcome in kept_outcomes:
            continue
        cost = len(outcome.model_dump_json(indent=1)) + 8
        if cost > budget:
            continue
        budget -= cost
        kept_outcomes.append(outcome)
    # Keep the order they were tried in.
    order = {id(o): i for i, o in enumerate(record.candidates)}
    kept_outcomes.sort(key=lambda o: order[id(o)])
    left: list[str] = []
    dropped = len(record.candidates) - len(kept_outcomes)
    if dropped:
        left.append(f"{dropped} of {len(record.candidates)} candidates")
    cut = record.model_copy(update={"candidates": tuple(kept_outcomes)})
    steps: list[tuple[str, dict[str, Any]]] = [
        (f"{len(record.inputs)} stored inputs", {"inputs": ()}),
        ("the recorded calls and the frames' locals", {"report": _lean_report(record)}),
    ]
    for label, update in steps:
        fits, data = _fits(_noted(cut, left, full, max_bytes), max_bytes)
        if fits:
            break
        cut = cut.model_copy(update=update)
        left.append(label)
    fitted = _noted(cut, left, full, max_bytes)
    fits, data = _fits(fitted, max_bytes)
    if not fits:
        raise StoreError(
            f"record {record.id} needs {len(data)} bytes even without its rejected candidates "
            f"and inputs, over the record size limit of {max_bytes} (the function's source "
            f"is {len(record.report.function.source)} characters); raise record_max_bytes "
            "to keep records of functions this large"
        )
    return fitted, data


def _noted(record: PatchRecord, left: list[str], full: int, max_bytes: int) -> PatchRecord:
    if not left:
        return record
    note = (f"{record.note}; " if record.note else "") + (
        f"left out of the record to keep it under {max_bytes} bytes (it was {full}): "
        + ", ".join(left))
    return record.model_copy(update={"note": note})


def _lean_report(record: PatchRecord) -> Any:
    report = record.report
    chain = tuple(
        exc.model_copy(update={"frames": tuple(f.model_copy(update={"locals": {}})
                                               for f in exc.frames)})
        for exc in report.chain
    )
    return report.model_copy(update={"recorded": (), "chain": chain})
