"""A smoke test against the real Anthropic API; runs only with ANTHROPIC_API_KEY set.

The key is read when this module is imported, before the engine fixtures clear the SDK
environment for the scripted tests.
"""

from __future__ import annotations

import os

import pytest

from selfheal import Call, repair
from selfheal.engines.anthropic import AnthropicEngine
from tests.engines import llm_targets

LIVE_KEY = os.environ.get("ANTHROPIC_API_KEY", "")
LIVE_URL = os.environ.get("ANTHROPIC_BASE_URL") or None

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(not LIVE_KEY, reason="ANTHROPIC_API_KEY is not set: no live API test"),
]


def test_claude_repairs_a_typo_for_real() -> None:
    engine = AnthropicEngine(api_key=LIVE_KEY, base_url=LIVE_URL, max_turns=2, timeout_s=90.0)
    result = repair(
        llm_targets.word_count,
        failing=Call(("b a b",)),
        engine=engine,
        budget_s=180.0,
        hypothesis=False,
    )
    assert result.ok, result.report
    assert result.function is not None
    assert result.function("b a b") == {"b": 2, "a": 1}
    engine.close()
