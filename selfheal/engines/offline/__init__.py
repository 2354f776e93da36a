"""The built-in offline repair engine (no model, no network).

Public names: `OfflineEngine` (the Engine; `OfflineEngine().open(request)` returns an
`OfflineSession`) and `SessionStats` (what a session did: generated, screened,
returned candidates and the search phase). See `engine` for the algorithm and
docs/offline-engine.md for the measured numbers.

This package must not verify candidates for the record nor install anything: the
pipeline and `selfheal.verify` do.
"""

from __future__ import annotations

from selfheal.engines.offline.engine import OfflineEngine, OfflineSession, SessionStats

__all__ = ["OfflineEngine", "OfflineSession", "SessionStats"]
