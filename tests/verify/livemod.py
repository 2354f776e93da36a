"""A module a patch goes live in (tests of the live guards install into its globals)."""

from __future__ import annotations


class Thing:
    size = 1


def describe(thing: Thing) -> str:
    if not isinstance(thing, Thing):
        raise TypeError("not a thing")
    return f"thing of size {thing.size}"
