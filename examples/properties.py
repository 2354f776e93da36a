"""A function guarded by properties: a wrong result, not a crash, is what gets healed.

    python examples/properties.py

`top_scores(scores, n)` should return the `n` best scores, best first. It has an
off-by-one (`ranked[: n - 1]`) and returns one score too few. Nothing raises, so only
a declared property can tell: `properties=[...]` are callables
`prop(result, *args, **kwargs) -> bool`, checked after every call. A False (or a raise)
is a failure like an exception: selfheal captures it, proposes patches, and a patch
goes live only if, in the sandbox, the properties hold on the failing input and the
patch returns what the original returned on the calls recorded before (here: short
lists, where the bug does not show). The caller gets the healed result.

Properties are the contract of the function: a property that says too little lets a
wrong patch through (see the concepts page of the documentation).

Exits 0 when the healed results are right.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from datetime import datetime, timezone

from selfheal import configure, self_healing
from selfheal.store import open_store


def right_length(result: list[int], scores: list[int], n: int) -> bool:
    """As many scores as asked for, or all of them when there are fewer."""
    return len(result) == min(n, len(scores))


def best_first(result: list[int], scores: list[int], n: int) -> bool:
    """The best scores of the input, best first."""
    return result == sorted(scores, reverse=True)[: len(result)]


@self_healing(properties=[right_length, best_first])
def top_scores(scores: list[int], n: int) -> list[int]:
    """The n best scores, best first."""
    ranked = sorted(scores, reverse=True)
    return ranked[: n - 1]  # the bug: one too few


def main() -> int:
    store_dir = os.environ.get("SELFHEAL_STORE") or os.path.join(
        tempfile.gettempdir(), "selfheal-properties"
    )
    configure(store=store_dir)
    logging.basicConfig(level=logging.WARNING, format="   [%(name)s] %(message)s")
    started = datetime.now(timezone.utc)

    print("1. Calls where the bug does not show (fewer scores than asked for); selfheal "
          "records them:")
    small = [([42], 3), ([7, 19], 5)]
    for scores, n in small:
        print(f"     top_scores({scores}, {n}) = {top_scores(scores, n)}")

    print("2. A call where it does: top_scores([4, 9, 1, 7], 2) should be [9, 7].")
    healed = top_scores([4, 9, 1, 7], 2)
    print(f"     returned {healed}: the original returned [9], `right_length` said no, "
          "and a verified patch was swapped in")

    later = top_scores([10, 30, 20, 50], 3)
    print(f"3. Later calls run the patch: top_scores([10, 30, 20, 50], 3) = {later}")

    records = [r for r in open_store(store_dir).list() if r.report.captured_at >= started]
    record = records[0] if records else None
    if record is not None:
        print(f"4. Record {record.id} ({record.status.value}): {record.note}")
        print(record.diff, end="")
        print(f"   selfheal --store {store_dir} show {record.id}")
    ok = healed == [9, 7] and later == [50, 30, 20] and record is not None
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
