"""Verification: a candidate goes live only if it passes every layer here.

Layers, in order (a candidate stops at the first it fails):

1. ``policy``      static: RestrictedPython compile under our policy, same signature and
                   kind as the original, least capability (no name the original does not use);
2. ``failing``     the failing input no longer fails;
3. ``recorded``    on recorded calls the candidate returns what the original returned;
4. ``examples``    the user's examples;
5. ``properties``  the user's properties, on the failing input, recorded calls and examples;
6. ``checks``      the user's zero-argument checks (plain or Hypothesis tests);
7. ``hypothesis``  inputs drawn from the type hints: wherever the original succeeds the
                   candidate must agree with it (when the failure is a wrong result, it
                   must only not fail where the original did not); properties the
                   original satisfies on an input must hold for the candidate too.

Everything dynamic runs in a separate process with resource limits (``sandbox``); the
static policy and the guards are in ``policy`` and ``guards``. What a verified patch may
do beyond returning its result is the effect rule's (``effects``): a patch that gains an
effect the original does not have at that place is held back for review; a live patch's
time budget is the ``watchdog``'s.
This package must not install anything on the live function and must not write files.
"""

from __future__ import annotations

from selfheal.models import RecordedCall
from selfheal.verify.plan import Limits, VerificationPlan

__all__ = ["Limits", "RecordedCall", "VerificationPlan", "Verifier", "verify"]

from collections.abc import Iterator, Sequence
from typing import Protocol

from selfheal.models import Candidate, CandidateOutcome


class Verifier(Protocol):
    def verify(
        self, plan: VerificationPlan, candidates: Sequence[Candidate]
    ) -> Iterator[CandidateOutcome]:
        """Yield one outcome per candidate, in order; the caller may stop early."""
        ...


def verify(plan: VerificationPlan, candidates: Sequence[Candidate]) -> Iterator[CandidateOutcome]:
    """Verify candidates through the default sandbox (see `selfheal.verify.sandbox`)."""
    # start-up: the sandbox (and RestrictedPython) loads at the first verification
    from selfheal.verify.sandbox import Sandbox

    return Sandbox().verify(plan, candidates)
