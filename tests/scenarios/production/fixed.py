"""The reference fixes of `buggy`."""

from __future__ import annotations

import json
from decimal import Decimal


def tag_count(post):
    return len(post.get("tags") or [])


def display_name(user):
    return (user["nickname"] or "").strip() or user["name"]


def clean(data):
    return (data.decode("utf-8") if isinstance(data, bytes) else data).strip()


def depth(tree):
    if not isinstance(tree, list):
        return 0
    return 1 + max((depth(child) for child in tree), default=0)


def clamp(x, lo, hi):
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


def cents(amount):
    return round(float(amount) * 100)


def magnitude(x):
    return abs(x)


def with_fee(amount):
    return Decimal(amount) * Decimal("1.05")


def quantity(row):
    return int(row["qty"] or 0) * 2


def record_id(body):
    return json.loads(body or "{}").get("id")
