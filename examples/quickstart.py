"""selfheal quickstart: a small invoicing program with a bug, healed offline.

Run it from anywhere:

    python examples/quickstart.py

`invoice_total` reads a field that does not exist (`item.price`; the dataclass calls it
`unit_price`). Without selfheal the first invoice crashes with AttributeError. With
`@self_healing`, selfheal captures the failure, the built-in offline engine proposes
patches, each is verified in a sandboxed child process against the examples below, and
the first that passes is swapped in: the call returns the right total, and the patch
is stored as a reviewable record (`selfheal list`, `selfheal show ID`, `selfheal diff ID`).
No network, no API key.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from dataclasses import dataclass

from selfheal import Example, configure, self_healing
from selfheal.store import open_store


@dataclass(frozen=True)
class LineItem:
    sku: str
    unit_price: float
    quantity: int


@self_healing(
    examples=[
        Example(args=([LineItem("pen", 1.5, 4)],), expected=6.0),
        Example(args=([LineItem("ink", 12.0, 1), LineItem("pad", 3.25, 2)], 0.1), expected=16.65),
    ]
)
def invoice_total(items: list[LineItem], discount: float = 0.0) -> float:
    """The total of an invoice, after a fractional discount, rounded to cents."""
    subtotal = 0.0
    for item in items:
        subtotal += item.price * item.quantity  # the bug: the field is `unit_price`
    return round(subtotal * (1 - discount), 2)


def main() -> int:
    store_dir = os.environ.get("SELFHEAL_STORE") or os.path.join(
        tempfile.gettempdir(), "selfheal-quickstart"
    )
    configure(store=store_dir)
    logging.basicConfig(level=logging.WARNING, format="  %(message)s")

    order = [LineItem("book", 18.0, 2), LineItem("bookmark", 0.75, 4)]
    print("1. Calling invoice_total() on an order; its code has a bug (item.price).")
    total = invoice_total(order, discount=0.05)
    print(f"2. The call returned {total!r} (expected 37.05): healed in place.\n")

    store = open_store(store_dir)
    record = store.list()[0]
    failure = record.report.exception
    print(f"3. The failure selfheal captured: {failure.message if failure else '?'}")
    tried = len(record.candidates)
    chosen = record.chosen.description if record.chosen else None
    print(f"   Candidates verified in the sandbox: {tried}; chosen: {chosen}\n")
    print("4. The verified patch (git apply-able):\n")
    print(record.diff)
    patch_path = store.patch_path(record.id) if hasattr(store, "patch_path") else None
    print(f"5. Record {record.id} is {record.status.value}; patch file: {patch_path}")
    print(f"   Review it with: selfheal --store {store_dir} show {record.id}")
    again = invoice_total([LineItem("pen", 1.5, 4)])
    print(f"6. Later calls run the patch directly: invoice_total([pen x4]) = {again}")
    return 0 if total == 37.05 and again == 6.0 else 1


if __name__ == "__main__":
    sys.exit(main())
