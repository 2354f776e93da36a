"""Patch stores: where records and their .patch files live.

`open_store(path)` returns the default directory store; `MemoryStore` is the test twin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from selfheal.config import get_settings
from selfheal.store.base import MemoryStore, PatchStore, check_transition, transitioned

__all__ = ["MemoryStore", "PatchStore", "check_transition", "open_store", "transitioned"]


def open_store(path: str | Path, settings: Any = None) -> PatchStore:
    """The directory store at `path` with the configured limits and signing key.

    `settings` defaults to the process-wide settings.
    """
    # start-up: `open_store` is the only door; the store's modules load when a store opens
    from selfheal.store.directory import DirectoryStore
    from selfheal.store.limits import StoreLimits

    if settings is None:
        settings = get_settings()
    return DirectoryStore(
        Path(path), limits=StoreLimits.from_settings(settings), key_file=settings.signing_key_file
    )
