"""A small factory of patch records built from the models, on real source files.

Shared by tests/store and tests/cli (imported by name from their conftest files).

The records look like what the pipeline writes: a report on a function defined in a real
module file under tmp_path, a chosen candidate, and a diff made by `make_diff`.
"""

from __future__ import annotations

import itertools
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from selfheal.models import (
    Candidate,
    CandidateOutcome,
    ExceptionReport,
    FailureReport,
    Fingerprint,
    FrameReport,
    FunctionRef,
    LayerResult,
    PatchRecord,
    PatchStatus,
    StatusChange,
    StoredCall,
    Verdict,
)
from selfheal.store.integrity import approval_change, content_hash
from selfheal.store.patchfile import make_diff
from selfheal.store.signing import Signer

BUGGY_MODULE = '''\
"""A module with a bug, for selfheal's store tests."""

import functools


def helper(x):
    return x + 1


@functools.lru_cache(maxsize=None)
def average(values):
    return sum(values) / len(values)


class Stats:
    def ratio(self, a, b):
        return a / b
'''

AVERAGE_FIX = '''\
def average(values):
    if not values:
        return 0.0
    return sum(values) / len(values)
'''

RATIO_FIX = '''\
def ratio(self, a, b):
    if b == 0:
        return float("inf")
    return a / b
'''

_counter = itertools.count()


def function_ref(path: Path, module: str, qualname: str) -> FunctionRef:
    """The FunctionRef capture would build for `qualname` in the file at `path`."""
    lines = path.read_text().splitlines(keepends=True)
    name = qualname.rsplit(".", 1)[-1]
    first = next(i for i, line in enumerate(lines, 1) if line.lstrip().startswith(f"def {name}("))
    indent = len(lines[first - 1]) - len(lines[first - 1].lstrip())
    last = first
    for i in range(first, len(lines)):
        line = lines[i]
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        if line.strip():
            last = i + 1
    source = textwrap.dedent("".join(lines[first - 1 : last]))
    return FunctionRef(
        module=module,
        qualname=qualname,
        filename=str(path),
        firstlineno=first,
        lastlineno=last,
        source=source,
        source_hash=FunctionRef.hash_source(source),
    )


class RecordFactory:
    """Builds records about the functions of a real module file in a project dir."""

    def __init__(self, project: Path) -> None:
        self.project = project
        (project / "pyproject.toml").write_text('[project]\nname = "demo"\n')
        self.package = project / "demo_pkg"
        self.package.mkdir()
        (self.package / "__init__.py").write_text("")
        self.module_path = self.package / "buggy.py"
        self.module_path.write_text(BUGGY_MODULE)
        self.module = "demo_pkg.buggy"

    def ref(self, qualname: str = "average") -> FunctionRef:
        return function_ref(self.module_path, self.module, qualname)

    def record(
        self,
        qualname: str = "average",
        status: PatchStatus = PatchStatus.VERIFIED,
        fix: str | None = None,
        *,
        record_id: str | None = None,
        captured_at: datetime | None = None,
        history: tuple[StatusChange, ...] | None = None,
        inputs: tuple[StoredCall, ...] = (),
        ref: FunctionRef | None = None,
        padding: int = 0,
        signer: Signer | None = None,
    ) -> PatchRecord:
        ref = ref or self.ref(qualname)
        if fix is None:
            fix = AVERAGE_FIX if qualname == "average" else RATIO_FIX
        n = next(_counter)
        captured_at = captured_at or datetime.now(timezone.utc) - timedelta(seconds=1000 - n)
        failing_line = ref.lastlineno
        report = FailureReport(
            function=ref,
            chain=(
                ExceptionReport(
                    type="builtins.ZeroDivisionError",
                    message="division by zero" + " " * padding,
                    frames=(
                        FrameReport(
                            filename=ref.filename,
                            lineno=failing_line,
                            function=qualname.rsplit(".", 1)[-1],
                            line="return sum(values) / len(values)",
                            locals={"values": "()"},
                            in_target=True,
                        ),
                    ),
                ),
            ),
            failing_line=failing_line,
            captured_at=captured_at,
        )
        chosen = Candidate(source=fix, engine="offline", description="guard the empty input")
        wrong = Candidate(source=fix.replace("0.0", "None"), engine="offline",
                          description="return None")
        outcomes = (
            CandidateOutcome(
                candidate=wrong,
                verdict=Verdict(
                    candidate_id=wrong.id,
                    ok=False,
                    layers=(
                        LayerResult(layer="policy", passed=True),
                        LayerResult(layer="failing", passed=True, ran=1),
                        LayerResult(layer="examples", passed=False, ran=2,
                                    detail="1 of 2 examples differ", counterexample="([],)"),
                    ),
                    reason="examples: 1 of 2 differ",
                ),
            ),
            CandidateOutcome(
                candidate=chosen,
                verdict=Verdict(
                    candidate_id=chosen.id,
                    ok=True,
                    layers=(
                        LayerResult(layer="policy", passed=True),
                        LayerResult(layer="failing", passed=True, ran=1),
                        LayerResult(layer="examples", passed=True, ran=2),
                    ),
                    duration_s=0.01,
                ),
            ),
        )
        diff, rel = make_diff(ref, fix, self.project)
        if history is None:
            history = (StatusChange(status=PatchStatus.PROPOSED, at=captured_at),)
            if status is not PatchStatus.PROPOSED:
                history += (StatusChange(status=status, at=captured_at + timedelta(seconds=1)),)
        record = PatchRecord(
            id=record_id or f"{n:04d}{ref.source_hash[:8]}",
            fingerprint=Fingerprint.of(report),
            status=status,
            mode="propose",
            report=report,
            engines=("offline",),
            candidates=outcomes,
            chosen=chosen,
            diff=diff,
            diff_path=rel,
            timings={"capture": 0.001, "verify": 0.2},
            history=history,
            note="verified 1 of 2 candidates",
            inputs=inputs,
        )
        return bind_approvals(record, signer)


def bind_approvals(record: PatchRecord, signer: Signer | None = None) -> PatchRecord:
    """Approvals in `record`'s history as the store writes them: bound to its content
    (and signed by `signer`), as if each approver had run `selfheal approve`."""
    history = tuple(
        approval_change(record, change.by, change.reason, signer, at=change.at)
        if change.status is PatchStatus.APPROVED and not change.content_hash
        else change
        for change in record.history
    )
    return record.model_copy(update={"history": history})


def forge(raw: dict[str, Any], source: str, root: Path, *, rehash: bool = False) -> None:
    """Edit a record's JSON as a careful attacker would: a new chosen source with the
    matching diff and candidate (and, with `rehash`, the approvals' content hash)."""
    ref = PatchRecord.model_validate(raw).report.function
    diff, _rel = make_diff(ref, source, root)
    old = raw["chosen"]["source"]
    raw["chosen"]["source"] = source
    raw["diff"] = diff
    new_id = Candidate(source=source, engine="x").id
    for outcome in raw["candidates"]:
        if outcome["candidate"]["source"] == old:
            outcome["candidate"]["source"] = source
            outcome["verdict"]["candidate_id"] = new_id
    if rehash:
        for change in raw["history"]:
            if change["status"] == PatchStatus.APPROVED.value:
                change["content_hash"] = content_hash(PatchRecord.model_validate(raw))
