"""A module a patch goes live in (tests of the live guards install into its globals)."""

from __future__ import annotations

import os

RATES = {"a": 1.0}
SEEN: list[str] = []  # the original itself appends to it


class Thing:
    size = 1


def describe(thing: Thing) -> str:
    if not isinstance(thing, Thing):
        raise TypeError("not a thing")
    return f"thing of size {thing.size}"


def lookup(key: str) -> float:
    SEEN.append(key)
    return RATES[key]


def home() -> str:
    return os.environ.get("HOME", "")
