"""The crashes production has most: None, a missing key, str for bytes, an empty sequence."""

from __future__ import annotations

import json
from decimal import Decimal


def tag_count(post):
    return len(post.get("tags"))


def display_name(user):
    return user["nickname"].strip() or user["name"]


def clean(data):
    return data.decode("utf-8").strip()


def depth(tree):
    if not isinstance(tree, list):
        return 0
    return 1 + max(depth(child) for child in tree)


def clamp(x, lo, hi):
    if x < lo:
        return lo
    if x > hi:
        return x
    return x


def cents(amount):
    return round(float(amount)) * 100


def magnitude(x):
    return x


def with_fee(amount):
    return Decimal(amount) * 1.05


def quantity(row):
    return int(row["qty"]) * 2


def record_id(body):
    return json.loads(body).get("id")
