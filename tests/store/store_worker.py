"""A separate process that writes to a directory store (for the concurrency tests).

    python store_worker.py writer STORE TEMPLATE TAG N FLIPS SHARED_ID
        saves N records TAG-0..TAG-N-1, and flips SHARED_ID between approved and
        rejected FLIPS times; prints the number of flips it made.
    python store_worker.py churn STORE TEMPLATE
        saves and transitions records forever (until killed); prints "ready" first.
"""

from __future__ import annotations

import sys
from pathlib import Path

from selfheal.errors import IllegalTransition
from selfheal.models import PatchRecord, PatchStatus
from selfheal.store.directory import DirectoryStore

FLIP = {PatchStatus.APPROVED: PatchStatus.REJECTED, PatchStatus.REJECTED: PatchStatus.APPROVED}


def flip(store: DirectoryStore, record_id: str, by: str) -> None:
    while True:
        current = store.load(record_id).status
        try:
            store.transition(record_id, FLIP[current], by=by)
            return
        except IllegalTransition:  # another process flipped it between our read and lock
            continue


def writer(store: DirectoryStore, template: PatchRecord, tag: str, n: int, flips: int,
           shared: str) -> None:
    done = 0
    for i in range(max(n, flips)):
        if i < n:
            store.save(template.model_copy(update={"id": f"{tag}-{i}"}))
        if i < flips:
            flip(store, shared, tag)
            done += 1
    print(done, flush=True)


def churn(store: DirectoryStore, template: PatchRecord) -> None:
    print("ready", flush=True)
    i = 0
    while True:
        record_id = f"k{i % 7}"
        if i % 3 == 0:
            store.save(template.model_copy(update={"id": record_id, "note": "x" * (i % 5000)}))
        else:
            try:
                flip(store, record_id, "churn")
            except Exception:  # not saved yet, or verified: (re)start it as approved
                store.save(template.model_copy(
                    update={"id": record_id, "status": PatchStatus.APPROVED}))
        i += 1


def main(argv: list[str]) -> None:
    mode, store_dir, template_file = argv[:3]
    store = DirectoryStore(Path(store_dir))
    template = PatchRecord.model_validate_json(Path(template_file).read_text())
    if mode == "writer":
        writer(store, template, argv[3], int(argv[4]), int(argv[5]), argv[6])
    else:
        churn(store, template)


if __name__ == "__main__":
    main(sys.argv[1:])
