"""Frozen models passed between the stages of the heal loop.

This module owns the data shapes only: every stage (capture, engines, verify, swap,
store) takes and returns these models, so no stage needs to know another's internals.
It must not import any stage module and must not do I/O.

Two families live here:

* user-facing inputs (`Call`, `Example`), which hold live Python objects and are never
  serialised as such;
* records (`FailureReport`, `Candidate`, `Verdict`, `PatchRecord` ...), which hold only
  strings and numbers that have already been redacted, so they can be written to disk,
  sent to an engine or attached to a span.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from selfheal.errors import ConfigurationError

# 2: approvals carry the content hash they approved (and a signature when a key is set).
RECORD_VERSION = 2


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Live(BaseModel):
    # Inputs hold arbitrary user objects: pydantic must neither copy nor validate them.
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, extra="forbid")


# --------------------------------------------------------------------------- inputs


class Call(_Live):
    """One call of a function: positional and keyword arguments, as live objects."""

    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = Field(default_factory=dict)

    def __init__(
        self, args: tuple[Any, ...] | list[Any] = (), kwargs: Mapping[str, Any] | None = None
    ) -> None:
        # BaseModel's own __init__: the positional signature above is the public one.
        BaseModel.__init__(self, args=tuple(args), kwargs=dict(kwargs or {}))


class Example(_Live):
    """An input with the output the function must return for it.

    `compare(actual, expected) -> bool` replaces `==` when given (floats, sets of
    dicts...).
    """

    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = Field(default_factory=dict)
    expected: Any = None
    compare: Callable[[Any, Any], bool] | None = None

    def __init__(
        self,
        args: tuple[Any, ...] | list[Any] = (),
        kwargs: Mapping[str, Any] | None = None,
        expected: Any = None,
        compare: Callable[[Any, Any], bool] | None = None,
    ) -> None:
        BaseModel.__init__(
            self, args=tuple(args), kwargs=dict(kwargs or {}), expected=expected, compare=compare
        )

    @property
    def call(self) -> Call:
        return Call(self.args, self.kwargs)

    @classmethod
    def coerce(cls, value: Example | tuple[Any, ...] | list[Any]) -> Example:
        """Accept `Example(...)` or the short form `((args...), expected)`."""
        if isinstance(value, Example):
            return value
        if isinstance(value, (tuple, list)) and len(value) == 2:
            args, expected = value
            if not isinstance(args, (tuple, list)):
                args = (args,)
            return cls(tuple(args), {}, expected)

        raise ConfigurationError(
            f"examples: {value!r} is not an example; write Example(args=(...), expected=...) "
            "or the short form ((arg1, arg2), expected)"
        )


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class RecordedCall:
    """A call the original handled without error, with a private copy of its result.

    A plain dataclass, not a model: the result is any object the function returned.
    """

    call: Call
    result: Any


class FunctionRef(_Frozen):
    """Where the function under repair lives and what its source was."""

    module: str
    qualname: str
    filename: str
    firstlineno: int  # first line of the `def` (after decorators)
    lastlineno: int
    source: str  # the `def` statement, dedented, decorators stripped
    source_hash: str
    kind: Literal["function", "coroutine", "generator", "async_generator"] = "function"

    @staticmethod
    def hash_source(source: str) -> str:
        return hashlib.sha256(source.encode()).hexdigest()[:16]


class FrameReport(_Frozen):
    filename: str
    lineno: int
    function: str
    line: str
    locals: dict[str, str] = Field(default_factory=dict)  # redacted, truncated reprs
    in_target: bool = False  # this frame runs the function under repair


class ExceptionReport(_Frozen):
    type: str  # qualified name, e.g. "builtins.KeyError"
    message: str  # redacted, truncated
    frames: tuple[FrameReport, ...] = ()
    relation: Literal["root", "cause", "context"] = "root"
    notes: tuple[str, ...] = ()
    # Names near the failing one: the attributes of the object an AttributeError names,
    # the names in scope for a NameError, the keys of the mapping a KeyError missed.
    suggestions: tuple[str, ...] = ()


class CallReport(_Frozen):
    """A call as the records see it: redacted, truncated reprs, never live objects."""

    args: tuple[str, ...] = ()
    kwargs: dict[str, str] = Field(default_factory=dict)
    result: str | None = None
    raised: str | None = None


class FailureReport(_Frozen):
    """Everything captured about one failure; safe to store and to send to an engine."""

    function: FunctionRef
    kind: Literal["exception", "property"] = "exception"
    # The exception chain, innermost first as Python prints it: root is last.
    chain: tuple[ExceptionReport, ...] = ()
    failing_line: int | None = None  # absolute line in `function.filename`
    failing_call: CallReport = Field(default_factory=CallReport)
    recorded: tuple[CallReport, ...] = ()
    property_source: str | None = None  # the violated property, for kind == "property"
    # Why the exception was judged a failure: the boundary it reached (a catch-all, the
    # bottom of the stack), as `selfheal.request.expected` found it.
    judged: str = ""
    captured_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))

    @property
    def exception(self) -> ExceptionReport | None:
        return self.chain[-1] if self.chain else None


class Fingerprint(_Frozen):
    """The stable identity of a failure, used to dedupe heals and records."""

    qualname: str
    module: str
    exc_type: str
    line: int | None
    source_hash: str

    @property
    def key(self) -> str:
        raw = f"{self.module}:{self.qualname}:{self.exc_type}:{self.line}:{self.source_hash}"
        return hashlib.sha256(raw.encode()).hexdigest()[:16]

    @classmethod
    def of(cls, report: FailureReport) -> Fingerprint:
        exc = report.exception
        # The line relative to the def, so an edit elsewhere in the file keeps the identity.
        line = report.failing_line
        if line is not None:
            line -= report.function.firstlineno
        return cls(
            qualname=report.function.qualname,
            module=report.function.module,
            exc_type=exc.type if exc else f"property:{report.property_source or ''}"[:200],
            line=line,
            source_hash=report.function.source_hash,
        )


# --------------------------------------------------------------------------- candidates


class Candidate(_Frozen):
    """A proposed replacement for the function: a complete `def` statement."""

    source: str
    engine: str
    description: str = ""
    # A guess only invents a value for the failing input (early `return <const>`,
    # `except: return <const>`); it never goes live unless allowed (see allow_guesses).
    guess: bool = False
    rank: float = 0.0
    rationale: str = ""
    # The family of edit ("guard", "mapping", "compare"...), as the engine that made it
    # names it; empty when the engine does not say. `selfheal stats` counts by it.
    kind: str = ""

    @property
    def id(self) -> str:
        return hashlib.sha256(self.source.encode()).hexdigest()[:12]


class LayerResult(_Frozen):
    """The outcome of one oracle layer for one candidate."""

    layer: Literal[
        "policy", "failing", "recorded", "examples", "properties", "checks", "hypothesis"
    ]
    passed: bool
    ran: int = 0  # how many inputs or checks this layer ran
    detail: str = ""
    counterexample: str | None = None  # redacted repr of the first failing input
    # Generated inputs where the candidate and the (trusted) original differ: evidence
    # that ranks a candidate lower, never a rejection (the original is the buggy code).
    disagreed: int = 0
    # The layer saw what a guess does (an empty result where the original always gave a
    # real one); the search decides whether it is one (see `selfheal.verify.invented`).
    guess: bool = False


class Verdict(_Frozen):
    candidate_id: str
    ok: bool
    layers: tuple[LayerResult, ...] = ()
    reason: str = ""  # why it failed, one line; empty when ok
    duration_s: float = 0.0
    # What a verified patch does that the original does not at that place (the effect
    # rule, `selfheal.verify.effects`): one line per effect, rule first. Not empty: the
    # patch is at most proposed, never swapped in.
    effects: tuple[str, ...] = ()
    slowest_call_s: float = 0.0  # the slowest single call of the patch in the sandbox

    @property
    def failed_layer(self) -> str | None:
        for layer in self.layers:
            if not layer.passed:
                return layer.layer
        return None


class Usage(_Frozen):
    """What an engine spent on one heal."""

    engine: str
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0


# --------------------------------------------------------------------------- records


class PatchStatus(str, Enum):
    PROPOSED = "proposed"  # captured, nothing verified (observe mode, or no candidate passed)
    VERIFIED = "verified"  # a candidate passed every oracle layer
    LIVE = "live"  # swapped in
    ROLLED_BACK = "rolled_back"
    APPROVED = "approved"  # a person said yes
    REJECTED = "rejected"  # a person said no
    APPLIED = "applied"  # written into the source file by `selfheal apply`


class StatusChange(_Frozen):
    status: PatchStatus
    at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
    by: str = "selfheal"
    reason: str = ""
    # An approval binds what it approved: the record's content hash at that moment (see
    # `selfheal.store.integrity`), signed with the operator's key when one is configured.
    content_hash: str = ""
    signature: str = ""


class CandidateOutcome(_Frozen):
    candidate: Candidate
    verdict: Verdict


class StoredCall(_Frozen):
    """A call kept in a record so `selfheal replay` can re-run verification offline.

    Only calls whose arguments (and result) survive a JSON round trip unchanged, and
    hold nothing that looks like a secret, are stored (see `selfheal.heal.replay`);
    records holding them are written with mode 0600.
    """

    role: Literal["failing", "recorded", "example"]
    args: tuple[JsonValue, ...] = ()
    kwargs: dict[str, JsonValue] = Field(default_factory=dict)
    has_result: bool = False  # recorded/example: `result` is what the call must return
    result: JsonValue = None


class PatchRecord(_Frozen):
    """A reviewable record: the report, every candidate with its verdict, the chosen patch."""

    version: int = RECORD_VERSION
    id: str
    fingerprint: Fingerprint
    status: PatchStatus
    mode: str
    report: FailureReport
    engines: tuple[str, ...] = ()
    usage: tuple[Usage, ...] = ()
    candidates: tuple[CandidateOutcome, ...] = ()
    chosen: Candidate | None = None
    diff: str = ""  # unified diff, paths relative to the project root (git apply -p1)
    diff_path: str = ""  # the file the diff edits, relative to the project root
    timings: dict[str, float] = Field(default_factory=dict)
    history: tuple[StatusChange, ...] = ()
    note: str = ""  # one line: what happened, e.g. "no candidate verified (12 tried)"
    # JSON-able inputs for `selfheal replay`; empty when none could be stored safely.
    inputs: tuple[StoredCall, ...] = ()

    @property
    def function(self) -> str:
        return f"{self.report.function.module}.{self.report.function.qualname}"

