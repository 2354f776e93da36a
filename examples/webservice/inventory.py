"""The shop's business logic: catalogue look-ups and quotes.

This module carries a bug on purpose: a bulk order (10 items or more) reads the
discount under a key the catalogue does not use (`bulk_discount` instead of
`bulk_discount_pct`), so every bulk quote raises KeyError. Small orders work, which is
what selfheal records and later uses to check that a patch changes nothing else.

Nothing here imports selfheal: the module is enabled by `include = ["inventory"]` in
this directory's pyproject.toml, and `selfheal run app.py` instruments it on import.
"""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, int | str]] = {
    "pen": {"name": "Ballpoint pen", "price_cents": 150, "bulk_discount_pct": 10},
    "pad": {"name": "Squared notepad", "price_cents": 325, "bulk_discount_pct": 15},
    "ink": {"name": "Ink cartridge", "price_cents": 1200, "bulk_discount_pct": 5},
}


def quote(sku: str, quantity: int) -> dict[str, int | str]:
    """The price of `quantity` items of `sku`, in cents, with the bulk discount applied."""
    item = CATALOGUE[sku]
    total = int(item["price_cents"]) * quantity
    if quantity >= 10:
        total = total * (100 - int(item["bulk_discount"])) // 100  # the bug
    return {"sku": sku, "name": item["name"], "quantity": quantity, "total_cents": total}
