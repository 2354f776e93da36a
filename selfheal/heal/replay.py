"""Inputs kept in records, and re-running a record's verification offline (`selfheal replay`).

Two halves:

* `stored_call(...)` is what whoever writes a record calls to keep a call's inputs in
  `PatchRecord.inputs`: it keeps a call only if its arguments (and result) survive a
  JSON round trip unchanged, hold nothing the scrubber would redact, and are small;
  otherwise it returns None and the record simply has fewer inputs to replay.
* `replay(record)` imports the record's module, finds the function by qualname, rebuilds
  a `VerificationPlan` from the stored inputs and verifies the chosen candidate again.

It must not change the record (the command reports; it does not transition) and must
not install anything on the live function.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
import textwrap
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from selfheal.function.source import read_function
from selfheal.function.target import Target, target_of
from selfheal.models import (
    Call,
    CandidateOutcome,
    Example,
    FunctionRef,
    PatchRecord,
    RecordedCall,
    StoredCall,
)
from selfheal.scrub import is_secret_key, redact_text
from selfheal.verify import verify as run_verification
from selfheal.verify.plan import VerificationPlan

__all__ = [
    "ReplayResult",
    "build_plan",
    "replay",
    "resolve_function",
    "stored_call",
    "stored_inputs",
]

_MISSING: Any = object()
MAX_STORED_BYTES = 64_000
MAX_STRING_CHARS = 1_024


def _looks_secret(value: Any) -> bool:
    if isinstance(value, str):
        # Long strings are not kept at all: they are rarely needed to replay a bug, and
        # scanning them for secrets costs more than they are worth.
        return len(value) > MAX_STRING_CHARS or redact_text(value) != value
    if isinstance(value, list):
        return any(_looks_secret(v) for v in value)
    if isinstance(value, dict):
        return any(is_secret_key(str(k)) or _looks_secret(v) for k, v in value.items())
    return False


def _round_trips(value: Any) -> bool:
    try:
        text = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    # `==` after the round trip is not enough: (1, 2) comes back as [1, 2] and 1.0 == 1.
    return _same_json(json.loads(text), value)


def _same_json(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_same_json(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same_json(a[k], b[k]) for k in a)
    return bool(a == b)


def stored_call(
    role: Literal["failing", "recorded", "example"],
    args: Sequence[Any] = (),
    kwargs: Mapping[str, Any] | None = None,
    result: Any = _MISSING,
    *,
    param_names: Sequence[str] = (),
    max_bytes: int = MAX_STORED_BYTES,
) -> StoredCall | None:
    """A StoredCall for these inputs, or None if they cannot be kept safely.

    `param_names` are the function's positional parameter names, so an argument passed
    positionally to a parameter named like a secret (`password`) is not kept either.
    """
    kwargs = dict(kwargs or {})
    values: list[Any] = [list(args), kwargs]
    if result is not _MISSING:
        values.append(result)
    if not all(_round_trips(v) for v in values):
        return None
    if len(json.dumps(values)) > max_bytes:
        return None
    names = [*param_names[: len(args)], *kwargs]
    if any(is_secret_key(name) for name in names) or any(_looks_secret(v) for v in values):
        return None
    return StoredCall(
        role=role,
        args=tuple(args),
        kwargs=kwargs,
        has_result=result is not _MISSING,
        result=None if result is _MISSING else result,
    )


def stored_inputs(plan: Any, param_names: Sequence[str] = ()) -> tuple[StoredCall, ...]:
    """Every input of a VerificationPlan that can be kept safely, for `PatchRecord.inputs`.

    The failing call, the recorded calls with their results and the examples with their
    expected values; whatever fails `stored_call`'s rules is left out.
    """
    kept: list[StoredCall | None] = []
    if plan.failing is not None:
        kept.append(stored_call("failing", plan.failing.args, plan.failing.kwargs,
                                param_names=param_names))
    for recorded in plan.recorded:
        kept.append(stored_call("recorded", recorded.call.args, recorded.call.kwargs,
                                recorded.result, param_names=param_names))
    for example in plan.examples:
        if example.compare is None:  # a custom comparison cannot be stored
            kept.append(stored_call("example", example.args, example.kwargs, example.expected,
                                    param_names=param_names))
    return tuple(call for call in kept if call is not None)


def resolve_function(module: str, qualname: str) -> types.FunctionType:
    """Import `module` and walk `qualname` to the original (unwrapped) function."""
    if "<locals>" in qualname:
        raise LookupError(
            f"{module}.{qualname} is defined inside another function; replay can only "
            "reach module-level functions and methods"
        )
    obj: Any = importlib.import_module(module)
    for part in qualname.split("."):
        try:
            obj = inspect.getattr_static(obj, part)
        except AttributeError:
            raise LookupError(f"{module} has no {qualname} (no attribute {part!r})") from None
        if isinstance(obj, (staticmethod, classmethod)):
            obj = obj.__func__
    obj = inspect.unwrap(obj)
    if not isinstance(obj, types.FunctionType):
        raise LookupError(f"{module}.{qualname} is a {type(obj).__name__}, not a function")
    return obj


def instrumented_target(function: types.FunctionType) -> Target | None:
    """The instrument Target of a decorated function (its options, original code), or None.

    The decorator swaps instrumented code into the function object itself, so the
    function replay finds is the live one; the target gives back the original code and
    the examples, properties and checks the decorator was given.
    """
    return target_of(function)


def current_ref(function: types.FunctionType, like: FunctionRef) -> FunctionRef | None:
    """The function's source as it is now, hashed the way `like` was; None if unknown."""
    # The same reader capture uses, so the hashes compare like with like.
    parsed = read_function(function)
    if parsed is not None:
        return parsed.ref(function)
    try:
        lines, first = inspect.getsourcelines(function)
    except (OSError, TypeError):
        return None
    text = textwrap.dedent("".join(lines))
    # Drop decorator lines: a ref's source starts at the def.
    body = text.splitlines(keepends=True)
    for i, line in enumerate(body):
        if line.lstrip().startswith(("def ", "async def ")):
            first += i
            body = body[i:]
            break
    source = "".join(body)
    return like.model_copy(
        update={
            "firstlineno": first,
            "lastlineno": first + len(body) - 1,
            "source": source,
            "source_hash": FunctionRef.hash_source(source),
        }
    )


def build_plan(
    record: PatchRecord,
    function: types.FunctionType,
    *,
    target: FunctionRef | None = None,
    hypothesis: bool = False,
) -> VerificationPlan:
    """A VerificationPlan for `record`'s stored inputs, on `function` as it is now.

    `target` is the function's current ref (the record's when None).
    """
    failing: Call | None = None
    recorded: list[RecordedCall] = []
    examples: list[Example] = []
    for stored in record.inputs:
        call = Call(stored.args, stored.kwargs)
        if stored.role == "failing" and failing is None:
            failing = call
        elif stored.role == "recorded" and stored.has_result:
            recorded.append(RecordedCall(call=call, result=stored.result))
        elif stored.role == "example" and stored.has_result:
            examples.append(Example(stored.args, stored.kwargs, expected=stored.result))
    return VerificationPlan(
        function=function,
        target=target or record.report.function,
        failing=failing,
        failing_kind=record.report.kind,
        recorded=tuple(recorded),
        examples=tuple(examples),
        hypothesis=hypothesis,
    )


@dataclass(frozen=True)
class ReplayResult:
    ok: bool  # the chosen patch still passes every layer it was checked on
    message: str  # one line for the person running replay
    outcome: CandidateOutcome | None = None
    stale: bool = False  # the function's source changed since the record
    inputs: int = 0  # stored inputs replayed


def replay(record: PatchRecord, *, verifier: Any = None, hypothesis: bool = False) -> ReplayResult:
    """Verify the record's chosen candidate again against the function as it is now.

    `verifier` is anything with `verify(plan, candidates)` (the default sandbox if None).
    """
    if record.chosen is None:
        return ReplayResult(False, f"record {record.id} has no chosen patch to replay")
    ref = record.report.function
    try:
        live = resolve_function(ref.module, ref.qualname)
    except Exception as exc:  # the user's module may fail to import in any way
        return ReplayResult(False, f"cannot load {ref.module}.{ref.qualname}: "
                                   f"{type(exc).__name__}: {exc}")
    target = instrumented_target(live)
    function = target.original_function() if target is not None else live
    now = current_ref(live, ref)
    stale = now is not None and now.source_hash != ref.source_hash
    plan = build_plan(record, function, target=now, hypothesis=hypothesis)
    if target is not None:
        # What the decorator was told still applies: its examples, properties and checks.
        options = target.options
        plan = dataclasses.replace(
            plan,
            live=live,
            examples=(*plan.examples, *options.examples),
            properties=tuple(options.properties),
            checks=tuple(options.checks),
        )
    if not (plan.failing or plan.recorded or plan.examples or plan.properties or plan.checks):
        return ReplayResult(
            False,
            f"record {record.id} holds no stored inputs and {ref.qualname} declares no "
            "examples, properties or checks, so there is nothing to re-run; the evidence "
            "in `selfheal show` is all there is",
            stale=stale,
        )
    run = run_verification if verifier is None else verifier.verify
    outcome = next(iter(run(plan, [record.chosen])), None)
    if outcome is None:
        return ReplayResult(False, "the verifier returned no outcome", stale=stale)
    verdict = outcome.verdict
    layers = ", ".join(f"{r.layer} {'ok' if r.passed else 'FAILED'} ({r.ran})"
                       for r in verdict.layers)
    prefix = "the function changed since the record; " if stale else ""
    if verdict.ok:
        message = f"{prefix}patch {record.id} still holds: {layers}"
    else:
        message = f"{prefix}patch {record.id} no longer holds: {verdict.reason or layers}"
    return ReplayResult(verdict.ok, message, outcome, stale, len(record.inputs))
