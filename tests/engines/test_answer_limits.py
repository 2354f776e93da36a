"""Engine answers are bounded before anything parses them: bytes, candidates, lines.

The LLM engines through their real SDKs against a loopback server that answers with
megabytes, and the parsing helpers directly with answers no model would send.
"""

from __future__ import annotations

import ast
import json
from typing import Any

import pytest

from selfheal import config
from selfheal.engines import _llm
from selfheal.engines._llm import parse_json_text, parse_patches
from selfheal.engines.anthropic import AnthropicEngine
from selfheal.engines.base import AnswerLimits, CallableEngine, bounded_candidates
from selfheal.engines.openai import OpenAIEngine
from selfheal.errors import EngineError, EngineResponseError
from tests.engines import llm_targets
from tests.engines.conftest import GOOD_AVERAGE, failure_request
from tests.engines.llm_server import LLMServer, Reply, anthropic_message, openai_completion

HUGE = "def average(values):\n" + "    values = values\n" * 1_000_000 + "    return 0\n"


def request() -> Any:
    return failure_request(llm_targets.average, [])


def test_the_limits_come_from_the_settings() -> None:
    config.configure(answer_max_bytes=1234, answer_max_candidates=3, candidate_max_lines=7)
    assert AnswerLimits.from_settings() == AnswerLimits(1234, 3, 7)
    assert AnswerLimits(1234, 3, 7).max_lines("def f():\n    pass\n") == 3 + 7


def test_bounded_candidates_reads_no_more_than_it_keeps() -> None:
    seen = []

    def endless() -> Any:
        n = 0
        while True:
            n += 1
            seen.append(n)
            yield f"def f():\n    return {n}\n"

    kept, dropped = bounded_candidates(endless(), AnswerLimits(10_000, 5, 10), "", lambda s: s)
    assert len(kept) == 5
    assert len(seen) == 6  # one more to know there were more
    assert "answer_max_candidates (5)" in dropped[0]


def test_the_byte_budget_is_shared_by_one_answer() -> None:
    source = "def f():\n    return 1\n"  # 22 bytes
    kept, dropped = bounded_candidates([source] * 5, AnswerLimits(50, 20, 10), "", lambda s: s)
    assert len(kept) == 2
    assert len(dropped) == 3
    assert "bytes left of answer_max_bytes" in dropped[0]


def test_a_huge_text_answer_is_refused_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[int] = []
    real = json.loads
    monkeypatch.setattr(_llm.json, "loads", lambda text: parsed.append(len(text)) or real(text))
    with pytest.raises(EngineResponseError, match="over answer_max_bytes"):
        parse_json_text(json.dumps({"patches": [{"source": HUGE}]}))
    assert parsed == []
    assert parse_json_text('{"patches": []}') == {"patches": []}
    assert parsed == [len('{"patches": []}')]


def test_only_the_first_patches_of_an_answer_are_looked_at() -> None:
    config.configure(answer_max_candidates=4)
    payload = {"patches": [{"source": "not python ("}] * 1_000_000}
    with pytest.raises(EngineResponseError) as info:
        parse_patches(payload, function_name="average", engine="llm", limit=3)
    assert "patch 4: not valid Python" in str(info.value)
    assert "patch 5" not in str(info.value)


def test_a_huge_patch_is_dropped_before_parsing_and_the_rest_kept(
        monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[int] = []
    real = ast.parse
    monkeypatch.setattr(_llm.ast, "parse", lambda text: parsed.append(len(text)) or real(text))
    payload = {"patches": [{"source": HUGE}, {"source": GOOD_AVERAGE}]}
    (candidate,) = parse_patches(payload, function_name="average", engine="llm", limit=3)
    assert candidate.source.strip() == GOOD_AVERAGE.strip()
    assert parsed and max(parsed) < 1000  # only the small one reached the parser


def test_a_callable_engine_answer_over_the_limits_is_an_error_saying_why() -> None:
    session = CallableEngine(lambda report: [HUGE], name="big").open(request())
    with pytest.raises(EngineResponseError, match=r"candidate 1: \d+ characters, over"):
        session.next_batch([])


# --------------------------------------------------------------------------- over HTTP


def test_openai_server_answering_megabytes_is_refused_while_reading(
        llm_server: LLMServer) -> None:
    config.configure(answer_max_bytes=200_000)
    llm_server.script(Reply(body=openai_completion([{"source": HUGE, "rationale": "x"}])))
    engine = OpenAIEngine(base_url=llm_server.url + "/v1", model="m", api_key="k",
                          max_retries=0, timeout_s=5.0)
    with pytest.raises(EngineError, match="over answer_max_bytes"):
        engine.open(request()).next_batch([])


def test_openai_chunked_answer_without_a_length_is_cut_while_streaming(
        llm_server: LLMServer) -> None:
    config.configure(answer_max_bytes=200_000)
    body = json.dumps(openai_completion([{"source": HUGE, "rationale": "x"}])).encode()
    llm_server.script(Reply(body=body, chunked=True))
    engine = OpenAIEngine(base_url=llm_server.url + "/v1", model="m", api_key="k",
                          max_retries=0, timeout_s=5.0)
    with pytest.raises(EngineError, match="over answer_max_bytes"):
        engine.open(request()).next_batch([])


def test_anthropic_server_answering_megabytes_is_refused_while_reading(
        llm_server: LLMServer) -> None:
    config.configure(answer_max_bytes=200_000)
    llm_server.script(Reply(body=anthropic_message([{"source": HUGE, "rationale": "x"}])))
    engine = AnthropicEngine(base_url=llm_server.url, api_key="k", max_retries=0,
                             timeout_s=5.0)
    with pytest.raises(EngineError, match="over answer_max_bytes"):
        engine.open(request()).next_batch([])


def test_an_ordinary_answer_still_goes_through(llm_server: LLMServer) -> None:
    llm_server.script(Reply(body=openai_completion([{"source": GOOD_AVERAGE,
                                                     "rationale": "guard"}])))
    engine = OpenAIEngine(base_url=llm_server.url + "/v1", model="m", api_key="k",
                          max_retries=0, timeout_s=5.0)
    (candidate,) = engine.open(request()).next_batch([])
    assert "if not values" in candidate.source
