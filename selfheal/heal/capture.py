"""Capture: a live exception (or a broken property) becomes a FailureReport.

Owns reading the exception chain and the traceback frames, finding the frames that run
the function under repair (by code object, so selfheal's own frames are never taken for
the user's), and turning locals and inputs into redacted, truncated reprs. Everything it
produces has passed through `selfheal.scrub`. It must not keep references to frames or
live objects in what it returns, and it must never raise: a frame it cannot read is
reported as unreadable.
"""

from __future__ import annotations

import difflib
import inspect
import linecache
import traceback
import types
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from selfheal.models import (
    Call,
    CallReport,
    ExceptionReport,
    FailureReport,
    FrameReport,
    FunctionRef,
    RecordedCall,
)
from selfheal.scrub import redact_mapping, redact_text, safe_repr

MAX_CHAIN = 5
MAX_FRAMES = 30
MAX_LOCALS = 25
MAX_RECORDED = 8
MAX_SUGGESTIONS = 60
_PRIVATE_LOCALS = ("_selfheal_",)


def describe_call(
    call: Call, result: Any = None, raised: BaseException | None = None
) -> CallReport:
    return CallReport(
        args=tuple(safe_repr(a) for a in call.args),
        kwargs=redact_mapping(dict(call.kwargs)),
        result=None if raised is not None else safe_repr(result),
        raised=None if raised is None else _raised_line(raised),
    )


def _raised_line(exc: BaseException) -> str:
    return f"{type(exc).__qualname__}: {_exception_line(exc)}"


def _exception_line(exc: BaseException) -> str:
    """The message as Python prints it, without the leading type name."""
    try:
        # format_exception_only adds Python's "Did you mean ...?" hint on 3.10+.
        text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    except Exception:
        return "<unprintable>"
    for prefix in (f"{_qualified(type(exc))}: ", f"{type(exc).__qualname__}: "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    else:
        if text in (_qualified(type(exc)), type(exc).__qualname__):
            text = ""
    return redact_text(text)[:2000]


def _qualified(exc_type: type[BaseException]) -> str:
    return f"{exc_type.__module__}.{exc_type.__qualname__}"


def _suggestions(exc: BaseException, frame: types.FrameType | None) -> tuple[str, ...]:
    """Names near the failing one, for the engines' name-typo templates."""
    names: Iterable[str] = ()
    try:
        if isinstance(exc, AttributeError) and getattr(exc, "obj", None) is not None:
            names = [n for n in dir(exc.obj) if not n.startswith("__")]
        elif isinstance(exc, NameError) and frame is not None:
            names = [*frame.f_locals, *frame.f_globals, *dir(frame.f_builtins)]
            names = [n for n in names if not n.startswith(("__", *_PRIVATE_LOCALS))]
        elif isinstance(exc, KeyError) and frame is not None:
            missing = exc.args[0] if exc.args else None
            for value in frame.f_locals.values():
                if isinstance(value, Mapping) and missing is not None:
                    try:
                        if missing in value:
                            continue
                    except TypeError:
                        continue
                    names = [repr(k) for k in list(value)[:MAX_SUGGESTIONS]]
                    break
        missing_name = getattr(exc, "name", None)
        ranked = list(dict.fromkeys(names))
        if isinstance(missing_name, str):
            close = difflib.get_close_matches(missing_name, ranked, n=10, cutoff=0.5)
            ranked = close + [n for n in ranked if n not in close]
        return tuple(redact_text(n)[:80] for n in ranked[:MAX_SUGGESTIONS])
    except Exception:
        return ()


def _frames(
    exc: BaseException, own_codes: set[types.CodeType]
) -> tuple[list[FrameReport], types.FrameType | None]:
    reports: list[FrameReport] = []
    innermost: types.FrameType | None = None
    tb = exc.__traceback__
    entries: list[tuple[types.FrameType, int]] = []
    while tb is not None:
        entries.append((tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    if entries:
        innermost = entries[-1][0]
    # Keep the innermost frames: that is where the failure is.
    for frame, lineno in entries[-MAX_FRAMES:]:
        code = frame.f_code
        in_target = code in own_codes
        try:
            line = linecache.getline(code.co_filename, lineno).strip()
        except Exception:
            line = ""
        local_reprs: dict[str, str] = {}
        if in_target or frame is innermost:
            try:
                items = [
                    (k, v) for k, v in frame.f_locals.items() if not k.startswith(_PRIVATE_LOCALS)
                ][:MAX_LOCALS]
                local_reprs = redact_mapping(dict(items))
            except Exception:
                local_reprs = {"<locals>": "<unreadable>"}
        reports.append(
            FrameReport(
                filename=code.co_filename,
                lineno=lineno or 0,
                function=code.co_name,
                line=redact_text(line),
                locals=local_reprs,
                in_target=in_target,
            )
        )
    return reports, innermost


def _chain(exc: BaseException) -> list[tuple[BaseException, str]]:
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    relation = "root"
    while current is not None and id(current) not in seen and len(chain) < MAX_CHAIN:
        seen.add(id(current))
        chain.append((current, relation))
        if current.__cause__ is not None:
            current, relation = current.__cause__, "cause"
        elif current.__context__ is not None and not current.__suppress_context__:
            current, relation = current.__context__, "context"
        else:
            current = None
    return chain


def failing_line(exc: BaseException, own_codes: set[types.CodeType]) -> int | None:
    """The last line of the function under repair that the exception passed through."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code in own_codes:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def capture_exception(
    exc: BaseException,
    function: FunctionRef,
    own_codes: set[types.CodeType],
    call: Call | None,
    recorded: Sequence[RecordedCall] = (),
    judged: str = "",
) -> FailureReport:
    """Describe a failure; never raises (a broken piece is reported as such)."""
    reports: list[ExceptionReport] = []
    for item, relation in _chain(exc):
        try:
            frames, innermost = _frames(item, own_codes)
            notes = tuple(redact_text(str(n))[:500] for n in getattr(item, "__notes__", ())[:5])
            reports.append(
                ExceptionReport(
                    type=_qualified(type(item)),
                    message=_exception_line(item),
                    frames=tuple(frames),
                    relation=relation,  # type: ignore[arg-type]
                    notes=notes,
                    suggestions=_suggestions(item, innermost),
                )
            )
        except Exception:
            reports.append(ExceptionReport(type=_qualified(type(item)), message="<unreadable>"))
    # Python prints the chain oldest first and the root (the one raised) last.
    reports.reverse()
    return FailureReport(
        function=function,
        kind="exception",
        chain=tuple(reports),
        failing_line=failing_line(exc, own_codes),
        failing_call=describe_call(call, raised=exc) if call is not None else CallReport(),
        recorded=tuple(describe_call(r.call, r.result) for r in recorded[:MAX_RECORDED]),
        judged=redact_text(judged)[:500],
    )


def capture_violation(
    function: FunctionRef,
    call: Call,
    result: Any,
    prop: Any,
    recorded: Sequence[RecordedCall] = (),
    detail: str = "",
) -> FailureReport:
    """A property returned False (or raised) for a call's result."""
    try:
        prop_source = inspect.getsource(prop).strip()
    except Exception:
        prop_source = getattr(prop, "__qualname__", repr(prop))
    return FailureReport(
        function=function,
        kind="property",
        chain=(),
        failing_line=None,
        failing_call=describe_call(call, result),
        recorded=tuple(describe_call(r.call, r.result) for r in recorded[:MAX_RECORDED]),
        property_source=redact_text(prop_source + (f"  # {detail}" if detail else ""))[:2000],
    )
