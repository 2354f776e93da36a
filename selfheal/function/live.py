"""The state of a patch that is live on a function: what `Target.patch` holds.

A plain record: the candidate, its record id, the code variants built from it and what
its calls need (defaults, guards, the watchdog's key). Building and installing one is
the heal loop's job (`selfheal.heal.swap`); this module must not do either.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from selfheal.function.codegen import Variant
from selfheal.models import Candidate


@dataclass
class LivePatch:
    candidate: Candidate
    record_id: str
    plain: types.FunctionType  # the patch without instrumentation: the retry runs this
    codes: dict[Variant, types.CodeType] = field(default_factory=dict)
    defaults: tuple[object, ...] | None = None
    kwdefaults: dict[str, object] | None = None
    # Puts the guards of the code verification ran into the live function's globals
    # (the patch's restricted code calls them); None for a patch without guards.
    install_guards: Callable[[dict[str, Any]], None] | None = None
    budget_key: str = ""  # the watchdog's name for the patch's calls (see `timed_def`)
    # The slowest call of the patch in verification: with the recorded calls of the
    # original, what its live time budget is measured against.
    reference_s: float = 0.0
