"""Patch stores: where records and their .patch files live.

`open_store(path)` returns the default directory store; `MemoryStore` is the test twin.
"""

from __future__ import annotations

from pathlib import Path

from selfheal.store.base import MemoryStore, PatchStore, check_transition, transitioned

__all__ = ["MemoryStore", "PatchStore", "check_transition", "open_store", "transitioned"]


def open_store(path: str | Path) -> PatchStore:
    from selfheal.store.directory import DirectoryStore

    return DirectoryStore(Path(path))
