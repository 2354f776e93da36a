"""What a project's own decisions teach: priors per kind of fix, and approved fixes
to show for similar failures.

A project whose people approved four `skip` fixes and rejected two `guard` fixes has
said something about which edits suit its code. `KindPriors` turns those counts into a
weight per fix kind that an engine may multiply its ranking by, with add-one smoothing
so that one decision moves the ranking a little and several move it more:

    weight = (approved + 1) / (undone + 1), kept within [1/5, 5]

(no decision: 1; four approvals: 5; two rejections: 1/3). "Undone" is rejected or
rolled back. `explain` says in one line why a weight is what it is, for the candidate's
rationale that `selfheal show` prints. `fix_kind` names a candidate's kind: what the
engine said, else (records older than the field) the operator in its rationale.

`ApprovedFix` is the other lesson: a fix a person approved, kept with what it fixed (the
exception, the failing line, the function before and after). `similar_fixes` picks those
of the same exception type whose code is most alike (shared tokens of the function and
of the failing line), for an LLM prompt to show as worked examples. They hold source as
it was stored; whoever sends them out of the process redacts them (the prompt does).

This module owns the counting, the formula and the similarity; it must not read a store
(the pipeline hands it records) and must not know how an engine ranks or prompts.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple

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


# --------------------------------------------------------------------------- approved fixes

# Word-like tokens and single punctuation marks: what two pieces of code share when they
# do the same thing with other names (`sum(xs) / len(xs)`, `total / len(rows)`).
_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d+|[^\sA-Za-z0-9_]")
# Every function has these: sharing them says nothing about two functions being alike.
_COMMON = frozenset({
    "def", "return", "if", "else", "elif", "for", "in", "not", "and", "or", "is", "None",
    "True", "False", "self", "async", "await", "(", ")", ",", ":", "'", '"', "=",
})
MIN_SIMILARITY = 0.25  # below this a fix is about other code, whatever its exception
_SOURCE_SHARE = 0.6  # of the similarity: the whole function; the rest: the failing line


def _tokens(text: str) -> frozenset[str]:
    """The telling tokens of `text` (for the whole function: a set)."""
    return frozenset(_TOKEN.findall(text)) - _COMMON


def _line_similarity(a: str, b: str) -> float:
    """Two failing lines as token sequences: order matters here (`total / len(rows)`)."""
    return difflib.SequenceMatcher(None, _TOKEN.findall(a), _TOKEN.findall(b),
                                   autojunk=False).ratio()


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def failure_type(report_type: str | None, kind: str) -> str:
    """The short name a failure is matched by: `KeyError`, or `property` for a violation."""
    if kind == "property" or not report_type:
        return "property"
    return report_type.rsplit(".", 1)[-1]


def failing_source_line(source: str, firstlineno: int, line: int | None) -> str:
    """The failing line of `source` (which starts at `firstlineno`), stripped; "" if none."""
    if line is None:
        return ""
    lines = source.splitlines()
    index = line - firstlineno
    return lines[index].strip() if 0 <= index < len(lines) else ""


@dataclass(frozen=True)
class ApprovedFix:
    """A fix a person approved, with what it fixed. Source is as stored: not redacted."""

    record_id: str
    qualname: str
    failure: str  # `failure_type`: KeyError, ZeroDivisionError, property
    message: str  # the exception message as the record keeps it (redacted at capture)
    line: str  # the failing line of `before`
    before: str  # the function's source when it failed
    after: str  # the approved fix
    kind: str = UNLABELLED
    source_tokens: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Once per fix when the store is read, not once per heal that ranks it.
        object.__setattr__(self, "source_tokens", _tokens(self.before))

    @classmethod
    def of(cls, record: PatchRecord) -> ApprovedFix | None:
        """The approved fix a record holds, or None (undecided, rejected, no fix)."""
        if decision(record) is not True or record.chosen is None:
            return None
        report = record.report
        ref = report.function
        exc = report.exception
        line = failing_source_line(ref.source, ref.firstlineno, report.failing_line)
        return cls(
            record_id=record.id,
            qualname=ref.qualname,
            failure=failure_type(exc.type if exc else None, report.kind),
            message=exc.message if exc else "",
            line=line,
            before=ref.source,
            after=record.chosen.source,
            kind=fix_kind(record.chosen),
        )

    def similarity(self, source: str, line: str) -> float:
        """How alike this fix's failing code is to `source` and its failing `line`, 0..1."""
        whole = _jaccard(self.source_tokens, _tokens(source))
        if not line or not self.line:
            return whole
        return _SOURCE_SHARE * whole + (1 - _SOURCE_SHARE) * _line_similarity(self.line, line)


class Similar(NamedTuple):
    """An approved fix and how alike its failure is to the one at hand (0..1)."""

    fix: ApprovedFix
    score: float


def approved_fixes(records: Iterable[PatchRecord]) -> tuple[ApprovedFix, ...]:
    """The approved fixes among `records`, in their order."""
    found = (ApprovedFix.of(record) for record in records)
    return tuple(fix for fix in found if fix is not None)


def similar_fixes(
    fixes: Iterable[ApprovedFix],
    *,
    failure: str,
    source: str,
    line: str,
    limit: int,
    min_similarity: float = MIN_SIMILARITY,
) -> tuple[Similar, ...]:
    """Up to `limit` approved fixes of the same `failure` type, most similar first, each
    with its similarity; one per distinct fix (the same edit approved twice shows once)."""
    if limit <= 0:
        return ()
    source_tokens = _tokens(source)
    scored: list[tuple[float, int, ApprovedFix]] = []
    for order, fix in enumerate(fixes):
        if fix.failure != failure:
            continue
        # The cheap half first: a fix whose function shares too little cannot reach the
        # bar even with an identical failing line.
        whole = _jaccard(fix.source_tokens, source_tokens)
        if whole * _SOURCE_SHARE + (1 - _SOURCE_SHARE) < min_similarity:
            continue
        score = fix.similarity(source, line)
        if score >= min_similarity:
            scored.append((score, order, fix))
    scored.sort(key=lambda item: (-item[0], item[1]))
    chosen: list[Similar] = []
    seen: set[tuple[str, str]] = set()
    for score, _, fix in scored:
        key = (fix.before, fix.after)
        if key in seen:
            continue
        seen.add(key)
        chosen.append(Similar(fix, round(score, 3)))
        if len(chosen) >= limit:
            break
    return tuple(chosen)
