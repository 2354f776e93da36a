"""What verification is asked to establish: the plan and the limits.

This module owns the input shape of `selfheal.verify`; it must not run anything.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from selfheal.models import Call, Example, FunctionRef, RecordedCall


@dataclass(frozen=True)
class Limits:
    """Resource limits of the process boundary."""

    check_timeout_s: float = 2.0  # wall clock for one check (one input, one property...)
    candidate_timeout_s: float = 5.0  # wall clock for all checks of one candidate
    memory_mb: int = 1024  # address space of the worker process
    cpu_s: int = 30  # CPU seconds for one candidate (RLIMIT_CPU, renewed per candidate)
    hypothesis_examples: int = 30
    hypothesis_deadline_s: float = 1.5  # total time for the hypothesis layer per candidate


@dataclass(frozen=True)
class VerificationPlan:
    """Everything a candidate must satisfy, with the live objects needed to check it.

    `function` is the original, uninstrumented function: its globals and closure are
    the environment a candidate runs in, and its code is the reference behaviour for the
    differential layers (recorded calls, hypothesis).
    """

    function: types.FunctionType
    target: FunctionRef
    # The object every reference to the function resolves to (module global, class
    # attribute). In the worker the candidate is installed on it by a code swap, so
    # recursion and the user's checks reach the candidate. None: same as `function`.
    live: types.FunctionType | None = None
    failing: Call | None = None
    failing_kind: Literal["exception", "property"] = "exception"
    recorded: tuple[RecordedCall, ...] = ()
    examples: tuple[Example, ...] = ()
    properties: tuple[Callable[..., Any], ...] = ()
    checks: tuple[Callable[[], Any], ...] = ()
    hypothesis: bool = True
    allowed_imports: tuple[str, ...] = ()  # modules a candidate may import (beyond none)
    limits: Limits = field(default_factory=Limits)

    @cached_property
    def superseded(self) -> frozenset[int]:
        """Indices into `recorded` of the calls whose input is also an example's input.

        An example is declared truth; a recorded call only shows that the original did
        not crash on its input (the bug may have answered it wrongly, silently). Where
        both speak about one input, the example decides and the recorded result is not
        held against a candidate (the recorded layer says so when they disagree).
        """
        return frozenset(
            index
            for index, rec in enumerate(self.recorded)
            if any(same_input(rec.call, example.call) for example in self.examples)
        )

    @property
    def evidence_recorded(self) -> tuple[RecordedCall, ...]:
        """The recorded calls a candidate must agree with the original on."""
        superseded = self.superseded
        return tuple(r for i, r in enumerate(self.recorded) if i not in superseded)


def same_input(left: Call, right: Call) -> bool:
    """Are two calls the same input? (`==` on the arguments; an error means no.)"""
    try:
        return bool(
            len(left.args) == len(right.args)
            and tuple(left.args) == tuple(right.args)
            and dict(left.kwargs) == dict(right.kwargs)
        )
    except Exception:
        return False
