"""A nightly invoicing job: prices three invoice lines with `billing.gross_cents`.

Exits 0 when every line was priced, 1 when one failed (and prints the notes selfheal
added to the exception).
"""

from __future__ import annotations

import sys

import billing

LINES = [(1000, "DE", False), (2500, "FR", False), (1200, "DE", True)]


def main() -> int:
    failures = 0
    for net, country, books in LINES:
        label = f"{net} {country}{' (books)' if books else ''}"
        try:
            print(f"  {label}: {billing.gross_cents(net, country, books=books)}")
        except Exception as exc:  # a job runner's catch-all: log the line, go on
            failures += 1
            print(f"  {label}: failed with {type(exc).__name__} {exc}")
            for note in getattr(exc, "__notes__", ()):
                print(f"    note: {note}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
