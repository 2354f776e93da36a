"""The shop's business logic: quotes, sync (for the WSGI app) and async (for the ASGI app).

It carries a bug on purpose: a bulk order (10 items or more) reads the discount under a
key the catalogue does not use (`bulk_discount` instead of `bulk_discount_pct`), so
every bulk quote raises KeyError. Small orders work; they are the traffic selfheal
records and later checks a patch against. Nothing here imports selfheal: the settings
next to the app include this module.
"""

from __future__ import annotations

import asyncio

CATALOGUE: dict[str, dict[str, int]] = {
    "pen": {"price_cents": 150, "bulk_discount_pct": 10},
    "pad": {"price_cents": 325, "bulk_discount_pct": 15},
    "ink": {"price_cents": 1200, "bulk_discount_pct": 5},
}


def quote(sku: str, quantity: int) -> int:
    """The price of `quantity` items of `sku` in cents, bulk discount applied."""
    item = CATALOGUE[sku]
    total = item["price_cents"] * quantity
    if quantity >= 10:
        total = total * (100 - item["bulk_discount"]) // 100  # the bug
    return total


async def aquote(sku: str, quantity: int) -> int:
    """`quote`, for the async app (a stock look-up would be awaited here)."""
    await asyncio.sleep(0)
    item = CATALOGUE[sku]
    total = item["price_cents"] * quantity
    if quantity >= 10:
        total = total * (100 - item["bulk_discount"]) // 100  # the bug
    return total
