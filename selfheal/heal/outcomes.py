"""What past outcomes say: the identity of a fix, its kind, and what never to propose again.

A person's "no" (`selfheal reject`) and the runtime's "no" (a rollback) are decisions
about a fix, not about one string of source: the same edit written with other spacing,
comments or a docstring, or proposed by another engine, is the same fix. `fix_key`
names a fix by its syntax tree; `past_outcomes` reads a failure's records from the store
(any process may have written them) and says which fixes are excluded and which patches
(live or approved elsewhere) to try first; `project_learning` reads the decisions of the
whole project: the fix-kind priors of the offline engine's ranking and the approved fixes
an LLM prompt shows for similar failures (`selfheal.priors`).

This module owns those readings; it must not change a record, swap anything or decide
the order of the heal stages (`pipeline` does).
"""

from __future__ import annotations

import ast
import hashlib
import logging
import textwrap
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from selfheal.errors import StoreError
from selfheal.models import Candidate, Fingerprint, PatchRecord, PatchStatus
from selfheal.priors import ApprovedFix, KindPriors, approved_fixes, kind_priors
from selfheal.store.base import PatchStore

log = logging.getLogger("selfheal")

# Statuses that mean "this fix is wrong for this failure" and "this fix is good".
UNDONE = frozenset({PatchStatus.ROLLED_BACK, PatchStatus.REJECTED})
GOOD = frozenset({PatchStatus.LIVE, PatchStatus.APPROVED})



def fix_key(source: str) -> str:
    """The identity of a fix: its syntax tree without comments, layout or docstring.

    Source that does not parse keeps a key of its whitespace-collapsed text, so two
    unparsable strings that differ only in spacing are still one fix.
    """
    text = textwrap.dedent(source)
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return "text:" + _digest(" ".join(text.split()))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _has_docstring(node):
            node.body = node.body[1:] or [ast.Pass()]
    # Keys are computed afresh from each record's source by the healing process, never
    # stored, so the text `ast.unparse` gives need not be the same across Pythons.
    return "ast:" + _digest(ast.unparse(tree))


def _has_docstring(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    first = node.body[0] if node.body else None
    return (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class PastOutcomes:
    """What the store says about one failure before a heal of it starts."""

    excluded_ids: frozenset[str] = frozenset()  # candidate ids never to propose again
    excluded_fixes: frozenset[str] = frozenset()  # their `fix_key`s: the same fix, any text
    preferred: tuple[Candidate, ...] = ()  # live or approved elsewhere: verify these first
    # The excluded fixes themselves, newest decision first: an LLM is told them up front.
    undone: tuple[Candidate, ...] = ()

    def excludes(self, candidate: Candidate) -> bool:
        if candidate.id in self.excluded_ids:
            return True
        return bool(self.excluded_fixes) and fix_key(candidate.source) in self.excluded_fixes


def _loaded(store: PatchStore, ids: Iterable[str]) -> list[PatchRecord]:
    """The records that load; a tampered or unreadable one is skipped, not fatal to all."""
    records = []
    for record_id in ids:
        try:
            records.append(store.load(record_id))
        except StoreError as exc:
            log.warning("selfheal: record %s left out of past outcomes: %s", record_id, exc)
    return records


def records_of(store: PatchStore, fingerprint: Fingerprint) -> list[PatchRecord]:
    """The records of one failure that decided something (undone or good)."""
    entries = getattr(store, "entries", None)
    if callable(entries):
        # Record ids start with the fingerprint (pipeline.new_record_id): on the directory
        # store the index answers which ones to parse, so a heal reads only its own.
        prefix = fingerprint.key[:8]
        wanted = {s.value for s in (*UNDONE, *GOOD)}
        ids = [e.id for e in entries() if e.id.startswith(prefix) and e.status in wanted]
        records: Iterable[PatchRecord] = _loaded(store, ids)
    else:
        records = store.list()
    return [r for r in records if r.fingerprint.key == fingerprint.key]


def past_outcomes(
    records: Iterable[PatchRecord], rejected_here: Iterable[str] = ()
) -> PastOutcomes:
    """Fold a failure's records (and the candidate ids this process rolled back)."""
    excluded_ids = set(rejected_here)
    excluded_fixes: dict[str, tuple[float, Candidate]] = {}
    preferred: dict[str, Candidate] = {}
    for record in records:
        if record.chosen is None:
            continue
        if record.status in UNDONE:
            excluded_ids.add(record.chosen.id)
            decided = record.history[-1].at.timestamp() if record.history else 0.0
            key = fix_key(record.chosen.source)
            if key not in excluded_fixes or excluded_fixes[key][0] < decided:
                excluded_fixes[key] = (decided, record.chosen)
        elif record.status in GOOD:
            preferred[record.chosen.id] = record.chosen
    undone = tuple(c for _, c in sorted(excluded_fixes.values(), key=lambda p: -p[0]))
    past = PastOutcomes(frozenset(excluded_ids), frozenset(excluded_fixes))
    reuse = tuple(c for c in preferred.values() if not past.excludes(c))
    return PastOutcomes(past.excluded_ids, past.excluded_fixes, reuse, undone)


def decided_records(store: PatchStore) -> list[PatchRecord]:
    """Every record of the store that carries a person's or the runtime's decision."""
    entries = getattr(store, "entries", None)
    if callable(entries):
        # The index knows status and approval: parse only the decided records.
        final = {s.value for s in (*UNDONE, PatchStatus.APPROVED, PatchStatus.APPLIED)}
        ids = [
            e.id for e in entries()
            if e.status in final or (e.status == PatchStatus.LIVE.value and e.approved)
        ]
        return _loaded(store, ids)
    return store.list()


# A project's decisions change when a person decides, minutes apart at most: one read of
# the decided records per store and interval serves every heal in between.
PRIORS_TTL_S = 30.0
# Approved fixes kept per store for similar-failure retrieval: the newest, so a project
# with years of approvals costs a bounded read and a bounded scan per heal.
MAX_APPROVED_FIXES = 500


@dataclass(frozen=True)
class Learnt:
    """What a project's decided records teach, read once per store and interval."""

    priors: KindPriors = field(default_factory=KindPriors)
    approved: tuple[ApprovedFix, ...] = ()  # newest first


_learnt_cache: dict[str, tuple[float, Learnt]] = {}
_learnt_lock = threading.Lock()


def project_learning(store: PatchStore, key: str) -> Learnt:
    """The fix-kind priors and approved fixes of the project whose store is `store`
    (cached per `key` for PRIORS_TTL_S)."""
    now = time.monotonic()
    with _learnt_lock:
        cached = _learnt_cache.get(key)
    if cached is not None and now - cached[0] < PRIORS_TTL_S:
        return cached[1]
    records = decided_records(store)
    newest = sorted(records, key=lambda r: r.report.captured_at, reverse=True)
    learnt = Learnt(kind_priors(records), approved_fixes(newest)[:MAX_APPROVED_FIXES])
    with _learnt_lock:
        _learnt_cache[key] = (now, learnt)
    return learnt


def forget_learning(key: str | None = None) -> None:
    """Drop the cached reading of one store (`key`), or of all: the next heal reads the
    decisions again at once (a decision made in this process, a test, a benchmark)."""
    with _learnt_lock:
        if key is None:
            _learnt_cache.clear()
        else:
            _learnt_cache.pop(key, None)
