"""Priors per kind of fix, learnt from a project's own decisions.

A project whose people approved four `skip` fixes and rejected two `guard` fixes has
said something about which edits suit its code. `KindPriors` turns those counts into a
weight per fix kind that an engine may multiply its ranking by, with add-one smoothing
so that one decision moves the ranking a little and several move it more:

    weight = (approved + 1) / (undone + 1), kept within [1/5, 5]

(no decision: 1; four approvals: 5; two rejections: 1/3). "Undone" is rejected or
rolled back. `explain` says in one line why a weight is what it is, for the candidate's
rationale that `selfheal show` prints. `fix_kind` names a candidate's kind: what the
engine said, else (records older than the field) the operator in its rationale.

This module owns the counting and the formula; it must not read a store (the pipeline
hands it records) and must not know how an engine ranks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from selfheal.models import Candidate, PatchRecord, PatchStatus

MAX_WEIGHT = 5.0
MIN_WEIGHT = 1 / MAX_WEIGHT

_UNDONE = frozenset({PatchStatus.REJECTED, PatchStatus.ROLLED_BACK})
# Records written before candidates carried a kind name the offline operator here.
_OPERATOR = re.compile(r"\boperator ([A-Za-z_+]+);")
UNLABELLED = "unlabelled"


def fix_kind(candidate: Candidate) -> str:
    """The family of edit a candidate makes, as its engine named it (or `unlabelled`)."""
    if candidate.kind:
        return candidate.kind
    match = _OPERATOR.search(candidate.rationale)
    return match[1] if match else UNLABELLED


@dataclass(frozen=True)
class KindCount:
    approved: int = 0
    undone: int = 0  # rejected or rolled back


@dataclass(frozen=True)
class KindPriors:
    """Decisions per fix kind in one project, and the ranking weight they give."""

    counts: Mapping[str, KindCount] = field(default_factory=lambda: MappingProxyType({}))

    def weight(self, kind: str) -> float:
        count = self.counts.get(kind)
        if count is None:
            return 1.0
        raw = (count.approved + 1) / (count.undone + 1)
        return min(MAX_WEIGHT, max(MIN_WEIGHT, raw))

    def explain(self, kind: str) -> str:
        """`project prior x5.00: 4 approved, 0 rejected or rolled back fixes of kind
        'skip' in this project`; empty when the project decided nothing about the kind."""
        count = self.counts.get(kind)
        if count is None:
            return ""
        return (
            f"project prior x{self.weight(kind):.2f}: {count.approved} approved, "
            f"{count.undone} rejected or rolled back fixes of kind {kind!r} in this project"
        )


def decision(record: PatchRecord) -> bool | None:
    """True for a fix a person approved (and nobody undid since), False for one
    rejected or rolled back, None for no decision."""
    if record.status in _UNDONE:
        return False
    if record.status in (PatchStatus.APPROVED, PatchStatus.APPLIED):
        return True
    if record.status is PatchStatus.LIVE:
        # Live after a person approved it: approved mode swapped it in.
        return any(c.status is PatchStatus.APPROVED for c in record.history) or None
    return None


def kind_priors(records: Iterable[PatchRecord]) -> KindPriors:
    """Count each decided record once, under the kind of its chosen fix."""
    approved: dict[str, int] = {}
    undone: dict[str, int] = {}
    for record in records:
        said = decision(record)
        if said is None or record.chosen is None:
            continue
        kind = fix_kind(record.chosen)
        bucket = approved if said else undone
        bucket[kind] = bucket.get(kind, 0) + 1
    kinds = sorted({*approved, *undone})
    counts = {k: KindCount(approved.get(k, 0), undone.get(k, 0)) for k in kinds}
    return KindPriors(MappingProxyType(counts))
