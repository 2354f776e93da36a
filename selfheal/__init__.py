"""selfheal: runtime self-healing for Python functions.

A function you opt in runs as usual. When it raises (or breaks a declared property),
selfheal captures a report, asks an engine for candidate patches, verifies them in a
sandbox, swaps a verified patch in place and returns the healed result, or re-raises the
original exception untouched. Every candidate becomes a reviewable record.

Public names only; everything else lives in private modules.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from selfheal.config import configure
    from selfheal.entry.api import RepairResult, repair
    from selfheal.entry.decorator import self_healing
    from selfheal.models import Call, Example

__version__ = "0.1.0"

# Where each public name lives. Imported when first used (PEP 562): `import selfheal.x`
# runs this file first, and the runner, the start-up bootstrap of every process of a
# program (`selfheal run`) and a library's happy path need none of the stages.
_LAZY = {
    "Call": "selfheal.models",
    "Example": "selfheal.models",
    "RepairResult": "selfheal.entry.api",
    "configure": "selfheal.config",
    "repair": "selfheal.entry.api",
    "self_healing": "selfheal.entry.decorator",
}

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
    # lazily: `import selfheal` must not load the import hook and its rewriter
    from selfheal.entry.importhook import install as _install

    return _install(patterns, exclude=exclude)


def uninstall() -> None:
    """Undo `install()`: every wrapped function gets its original code back."""
    # lazily, as in `install`
    from selfheal.entry.importhook import uninstall as _uninstall

    _uninstall()


def skip(func: Any) -> Any:
    """Mark a function so `install()` never instruments it."""
    # lazily, as in `install`
    from selfheal.entry.importhook import skip as _skip

    return _skip(func)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'selfheal' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
