"""The directory store: writes per second, listing, and the approved-mode lookup.

Measured in a temporary directory (the machine's default temp filesystem):

* `save` with fsync (the default) and without (durable=False), for a typical record
  of about 4 KB with a diff;
* `transition` (lock, read, append history, write, index update);
* `list()` of N records by a fresh store object (every file parsed) and again (cached);
* `entries()` (the index snapshot plus its journal, checked against every record file);
* `approved_patch_for` with N records in the store: this runs at decoration time for
  every function in approved mode, so it is a start-up cost;
* several processes saving at once (full run only): aggregate saves per second.

Targets: approved lookup <= 50 ms with 1,000 records; a cold list of 1,000 <= 1 s.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from selfheal.models import (
    Candidate,
    CandidateOutcome,
    ExceptionReport,
    FailureReport,
    Fingerprint,
    FunctionRef,
    LayerResult,
    PatchRecord,
    PatchStatus,
    StatusChange,
    Verdict,
)
from selfheal.store.approved import approved_patch_for
from selfheal.store.directory import DirectoryStore
from selfheal.store.patchfile import make_diff

SOURCE = "def average(values):\n    return sum(values) / len(values)\n"
FIX = (
    "def average(values):\n    if not values:\n        return 0.0\n"
    "    return sum(values) / len(values)\n"
)


def _ref(root: Path) -> FunctionRef:
    path = root / "mod.py"
    path.write_text("import math\n\n\n" + SOURCE)
    return FunctionRef(module="mod", qualname="average", filename=str(path), firstlineno=4,
                       lastlineno=5, source=SOURCE, source_hash=FunctionRef.hash_source(SOURCE))


def _record(ref: FunctionRef, root: Path, n: int, status: PatchStatus) -> PatchRecord:
    when = datetime.now(timezone.utc) - timedelta(seconds=n)
    report = FailureReport(
        function=ref,
        chain=(ExceptionReport(type="builtins.ZeroDivisionError", message="division by zero"),),
        failing_line=5,
        captured_at=when,
    )
    chosen = Candidate(source=FIX, engine="offline", description="guard")
    verdict = Verdict(candidate_id=chosen.id, ok=True, layers=tuple(
        LayerResult(layer=layer, passed=True, ran=3)  # type: ignore[arg-type]
        for layer in ("policy", "failing", "recorded", "examples", "hypothesis")))
    diff, rel = make_diff(ref, FIX, root)
    return PatchRecord(
        id=f"{n:08x}-bench", fingerprint=Fingerprint.of(report), status=status, mode="heal",
        report=report, engines=("offline",),
        candidates=tuple(CandidateOutcome(candidate=chosen, verdict=verdict) for _ in range(5)),
        chosen=chosen, diff=diff, diff_path=rel, timings={"verify": 0.1},
        history=(StatusChange(status=status, at=when),),
    )


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else float("inf")


_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from selfheal.models import PatchRecord
    from selfheal.store.directory import DirectoryStore
    store = DirectoryStore(Path(sys.argv[1]))
    template = PatchRecord.model_validate_json(Path(sys.argv[2]).read_text())
    tag, count = sys.argv[3], int(sys.argv[4])
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(count):
        store.save(template.model_copy(update={"id": f"{tag}-{i}"}))
    """
)


def _parallel_saves(root: Path, template: PatchRecord, workers: int, each: int) -> float:
    store_dir = root / "parallel"
    template_file = root / "template.json"
    template_file.write_text(template.model_dump_json())
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(store_dir), str(template_file),
                               f"p{n}", str(each)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True) for n in range(workers)]
    for proc in procs:
        assert proc.stdout is not None
        proc.stdout.readline()
    start = time.perf_counter()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.close()
    for proc in procs:
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
    elapsed = time.perf_counter() - start
    assert len(DirectoryStore(store_dir).ids()) == workers * each
    return _rate(workers * each, elapsed)


def run(smoke: bool) -> list[dict[str, object]]:
    n = 50 if smoke else 1000
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="selfheal-bench-store-") as tmp:
        root = Path(tmp)
        ref = _ref(root)
        records = [_record(ref, root, i, PatchStatus.VERIFIED) for i in range(n)]
        size = len(records[0].model_dump_json(indent=1))

        for durable in (True, False):
            store = DirectoryStore(root / f"s-{durable}", durable=durable)
            start = time.perf_counter()
            for record in records:
                store.save(record)
            rate = _rate(n, time.perf_counter() - start)
            rows.append({"benchmark": f"save ({'fsync' if durable else 'no fsync'})",
                         "value": rate, "unit": "/s", "target": "",
                         "note": f"{n} records of {size} bytes into one store"})

        store = DirectoryStore(root / "s-True")
        count = min(n, 200)
        start = time.perf_counter()
        for i, record in enumerate(records[:count]):
            # A few approvals and many rejections, as in a store people review.
            to = PatchStatus.APPROVED if i < 3 else PatchStatus.REJECTED
            store.transition(record.id, to, by="bench")
        rows.append({"benchmark": "transition (fsync)", "value":
                     _rate(count, time.perf_counter() - start), "unit": "/s", "target": "",
                     "note": "lock, re-read, append history, write, index"})

        cold = DirectoryStore(root / "s-True")
        start = time.perf_counter()
        listed = cold.list()
        cold_ms = (time.perf_counter() - start) * 1000
        assert len(listed) == n
        rows.append({"benchmark": f"list() cold, {n} records", "value": round(cold_ms, 1),
                     "unit": "ms", "target": "<= 1000 at 1000 records",
                     "note": "fresh store object: every record parsed and validated"})
        start = time.perf_counter()
        cold.list()
        rows.append({"benchmark": f"list() warm, {n} records",
                     "value": round((time.perf_counter() - start) * 1000, 1), "unit": "ms",
                     "target": "", "note": "same object: files unchanged, parsed once"})
        start = time.perf_counter()
        DirectoryStore(root / "s-True").entries()
        rows.append({"benchmark": f"entries() (index), {n} records",
                     "value": round((time.perf_counter() - start) * 1000, 1), "unit": "ms",
                     "target": "", "note": "one stat per record, no parsing"})

        start = time.perf_counter()
        found = approved_patch_for(DirectoryStore(root / "s-True"), ref)
        lookup_ms = (time.perf_counter() - start) * 1000
        assert found is not None
        rows.append({"benchmark": f"approved_patch_for, {n} records",
                     "value": round(lookup_ms, 1), "unit": "ms",
                     "target": "<= 50 at 1000 records",
                     "note": "3 approved for this function (parsed), the rest from the index"})

        if not smoke:
            rows.append({"benchmark": "save, 4 processes at once (fsync)",
                         "value": _parallel_saves(root, records[0], 4, 100), "unit": "/s",
                         "target": "", "note": "aggregate; one index lock shared by all"})
    for row in rows:
        row["area"] = "store"
    return rows


if __name__ == "__main__":  # pragma: no cover
    for row in run(smoke="--smoke" in sys.argv):
        print(row)
