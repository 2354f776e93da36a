"""selfheal: runtime self-healing for Python functions.

A function you opt in runs as usual. When it raises (or breaks a declared property),
selfheal captures a report, asks an engine for candidate patches, verifies them in a
sandbox, swaps a verified patch in place and returns the healed result, or re-raises the
original exception untouched. Every candidate becomes a reviewable record.

Public names only; everything else lives in private modules.
"""

from __future__ import annotations

from typing import Any

from selfheal.api import RepairResult, repair
from selfheal.config import configure
from selfheal.instrument.decorator import self_healing
from selfheal.models import Call, Example

__version__ = "0.1.0"

__all__ = [
    "Call",
    "Example",
    "RepairResult",
    "configure",
    "install",
    "repair",
    "self_healing",
    "skip",
    "uninstall",
]


def install(patterns: Any = None, exclude: Any = ()) -> Any:
    """Instrument every module matching `patterns` (default: `include` from the settings).

    Modules imported later are instrumented when imported; modules already imported are
    instrumented in place. Idempotent; `uninstall()` restores the original objects.
    """
    from selfheal.instrument.importhook import install as _install

    return _install(patterns, exclude=exclude)


def uninstall() -> None:
    """Undo `install()`: every wrapped function gets its original code back."""
    from selfheal.instrument.importhook import uninstall as _uninstall

    _uninstall()


def skip(func: Any) -> Any:
    """Mark a function so `install()` never instruments it."""
    from selfheal.instrument.importhook import skip as _skip

    return _skip(func)
