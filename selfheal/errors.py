"""The exception tree of selfheal.

Everything selfheal raises on purpose derives from `SelfHealError`::

    SelfHealError
    +-- ConfigurationError        bad settings, bad decorator arguments (raised at start-up)
    +-- MissingDependencyError    an optional extra is not installed; names the extra
    +-- EngineError               an engine could not produce candidates
    |   +-- EngineUnavailable     misconfigured or unreachable (no key, no server)
    |   +-- EngineResponseError   the engine answered with something unusable
    +-- SandboxError              the verification boundary itself failed (not a candidate)
    +-- SwapError                 a verified patch could not be installed
    +-- StoreError                the patch store could not be read or written
    |   +-- RecordNotFound
    |   +-- IllegalTransition     a status change the lifecycle does not allow
    |   +-- RecordTampered        a record's parts disagree, or it changed after approval
    +-- RepairFailed              `repair()` was asked to raise when nothing verified

Why a single base deriving from `Exception`: user code that wants to tolerate any
selfheal problem can catch one type, and none of these is ever raised on the request
path of a decorated function (there, errors are contained and the user's original
exception is re-raised instead).
"""

from __future__ import annotations


class SelfHealError(Exception):
    """Base of every exception selfheal raises on purpose."""


class ConfigurationError(SelfHealError, ValueError):
    """A setting or argument is invalid; the message names the key and the fix."""


class MissingDependencyError(SelfHealError, ImportError):
    """An optional dependency is missing; the message names the extra to install."""

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(
            f"the {package!r} package is required for this feature; "
            f"install it with: pip install 'selfheal[{extra}]'"
        )
        self.package = package
        self.extra = extra


class EngineError(SelfHealError):
    """An engine could not produce candidates."""


class EngineUnavailable(EngineError):
    """The engine is misconfigured or unreachable (missing key, server down, circuit open)."""


class EngineResponseError(EngineError):
    """The engine answered, but with nothing usable (prose, truncated JSON, no tool call)."""


class SandboxError(SelfHealError):
    """The verification boundary itself failed; this says nothing about a candidate."""


class SwapError(SelfHealError):
    """A verified patch could not be installed on the live function."""


class StoreError(SelfHealError):
    """The patch store could not be read or written."""


class RecordNotFound(StoreError, KeyError):
    """No record with this id (or id prefix) exists in the store."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "record not found"


class IllegalTransition(StoreError):
    """A status change the patch lifecycle does not allow."""


class RecordTampered(StoreError):
    """A record's diff, source and approval do not agree: it was edited outside selfheal."""


class RepairFailed(SelfHealError):
    """`repair(..., raise_on_failure=True)` found no verified patch."""
