"""How verdicts name the inputs and the exceptions they cite: redacted and bounded.

A verdict's detail and counterexample end up in the record a person reviews and in the
feedback an LLM engine sees, so every input passes the scrubber and stays short. This
module owns those two strings; it runs no user code beyond `repr` (through `safe_repr`).
"""

from __future__ import annotations

from selfheal.models import Call
from selfheal.scrub import redact_text, safe_repr

__all__ = ["DETAIL_LIMIT", "describe_call", "describe_exc"]

DETAIL_LIMIT = 300


def describe_call(call: Call) -> str:
    parts = [safe_repr(a, 80) for a in call.args]
    parts += [f"{k}={safe_repr(v, 80)}" for k, v in call.kwargs.items()]
    return redact_text("(" + ", ".join(parts) + ")")[:DETAIL_LIMIT]


def describe_exc(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {safe_repr(str(exc), 160)}"
