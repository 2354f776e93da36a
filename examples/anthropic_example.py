"""selfheal with Claude: a bug the offline engine cannot fix, repaired by an LLM.

Run it with a key (the SDK's own variable):

    ANTHROPIC_API_KEY=... python examples/anthropic_example.py

`median` returns the upper middle element for lists of even length instead of the mean
of the two middle ones. No exception is raised, so the examples say what is right; the
offline templates have nothing to offer for such a logic bug, so the chain
`["offline", "anthropic"]` moves on to Claude. Claude proposes a `def` through a forced
tool call (never parsed out of prose); the sandbox verifies it against the examples;
a rejected candidate goes back to Claude with
the failing layer and the counterexample, up to three turns.

What Claude sees is redacted: the function's source, the failure, the examples, and
the names and signatures of what the function uses, never their values; module
globals such as `API_TOKEN` below never leave the process.

Without a key the anthropic engine is unavailable: `repair` says so and returns a
result that is not ok. Any OpenAI-compatible server works the same way with
`engine=OpenAIEngine(base_url="http://localhost:11434/v1", model="qwen2.5-coder")`
(Ollama) or `engine="openai"` with OPENAI_BASE_URL set.
"""

from __future__ import annotations

import os
import sys

from selfheal import Example, repair
from selfheal.engines.anthropic import AnthropicEngine

API_TOKEN = "sk-ant-api03-example-not-a-real-key-000000"  # never leaves the process


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle]


EXAMPLES = [
    Example(([3.0, 1.0, 2.0],), expected=2.0),
    Example(([4.0, 1.0, 3.0, 2.0],), expected=2.5),
    Example(([5.0],), expected=5.0),
    Example(([1.0, 1.0, 2.0, 9.0],), expected=1.5),
]


def main() -> int:
    has_key = bool(os.environ.get("ANTHROPIC_API_KEY"))
    if not has_key:
        print("ANTHROPIC_API_KEY is not set: the anthropic engine is unavailable, and")
        print("repair() will report that instead of failing. Set it to see Claude work.")
    claude = AnthropicEngine(max_turns=3, timeout_s=60.0)
    # hypothesis=False: the differential layer compares a candidate with the original
    # wherever the original returns, and here the original's answers are the bug.
    result = repair(
        median, examples=EXAMPLES, engine=["offline", claude], budget_s=120.0, hypothesis=False
    )
    print(f"verified patch found: {result.ok}")
    if not result.ok:
        print(f"why not: {result.report.reason}")
    else:
        print(result.diff)
        assert result.function is not None
        print(f"median([4, 1, 3, 2]) = {result.function([4.0, 1.0, 3.0, 2.0])}")
    session = claude.last_session
    if session is not None:
        usage = session.usage
        print(
            f"Claude: {usage.requests} request(s), {usage.input_tokens} input and "
            f"{usage.output_tokens} output tokens, about ${usage.cost_usd:.4f}"
        )
    claude.close()
    # Without a key, explaining that is the documented behaviour: not an error.
    return 0 if result.ok or not has_key else 1


if __name__ == "__main__":
    sys.exit(main())
