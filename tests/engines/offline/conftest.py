"""Fixtures for the offline engine tests: real failures captured as the pipeline would,
and corpus cases loaded from tests/corpus/."""

from __future__ import annotations

import types
from collections.abc import Callable, Sequence
from typing import Any

from benchmarks.bench_offline import Case, load_cases, load_module, resolve
from selfheal.budget import Budget
from selfheal.engines.base import RepairRequest
from selfheal.function.source import read_function
from selfheal.heal.capture import capture_exception
from selfheal.models import Call, Example, FailureReport


def request_for(
    func: Callable[..., Any],
    *args: Any,
    examples: Sequence[Example] = (),
    budget: float = 10.0,
    **kwargs: Any,
) -> RepairRequest:
    """Call `func` until it raises and build the request the pipeline would build."""
    assert isinstance(func, types.FunctionType)
    source = read_function(func)
    assert source is not None
    ref = source.ref(func)
    call = Call(args, kwargs)
    try:
        func(*args, **kwargs)
    except Exception as exc:
        report = capture_exception(exc, ref, {func.__code__}, call)
        return RepairRequest(
            report=report,
            function=func,
            exception=exc,
            failing=call,
            examples=tuple(Example.coerce(e) for e in examples),
            budget=Budget(seconds=budget, candidates=None),
        )
    raise AssertionError(f"{func.__name__}{args} did not fail")


def property_request(
    func: Callable[..., Any], examples: Sequence[Example], budget: float = 10.0
) -> RepairRequest:
    """A wrong-result failure: no exception, examples that the original gets wrong."""
    assert isinstance(func, types.FunctionType)
    source = read_function(func)
    assert source is not None
    report = FailureReport(function=source.ref(func), kind="property")
    return RepairRequest(
        report=report,
        function=func,
        examples=tuple(Example.coerce(e) for e in examples),
        budget=Budget(seconds=budget, candidates=None),
    )


def corpus_case(name: str) -> tuple[Case, types.ModuleType, Any]:
    case = load_cases([name])[0]
    module = load_module(case.path / "buggy.py", f"corpus_buggy_{case.name}")
    return case, module, resolve(module, case.oracle.FUNCTION)
