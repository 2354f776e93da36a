"""The openai engine against a scripted Chat Completions server, through the real SDK.

The server stands in for OpenAI-compatible servers (Ollama, vLLM, llama.cpp): the same
engine is checked in each structured-output mode, including the fallback for servers
that support neither tools nor JSON schemas.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import pytest

from selfheal import config
from selfheal.engines import resolve_engines
from selfheal.engines.openai import OpenAIEngine
from selfheal.errors import (
    ConfigurationError,
    EngineResponseError,
    EngineUnavailable,
    MissingDependencyError,
)
from tests.engines import llm_targets
from tests.engines.conftest import (
    GOOD_AVERAGE,
    WRONG_AVERAGE,
    failure_request,
    rejected,
)
from tests.engines.llm_server import LLMServer, Reply, openai_completion, openai_error

PATCHES = json.dumps({"patches": [{"source": GOOD_AVERAGE, "rationale": "guard empty"}]})


def engine_for(server: LLMServer, **kwargs: Any) -> OpenAIEngine:
    kwargs.setdefault("max_retries", 2)
    kwargs.setdefault("timeout_s", 5.0)
    kwargs.setdefault("api_key", "test-key")
    return OpenAIEngine(base_url=server.url + "/v1", model="qwen2.5-coder", **kwargs)


def patch(source: str, rationale: str = "guard the empty list") -> dict[str, str]:
    return {"source": source, "rationale": rationale}


def request_for_average() -> Any:
    return failure_request(llm_targets.average, [])


# --------------------------------------------------------------------------- modes


def test_tools_mode_forces_the_patch_function(llm_server: LLMServer) -> None:
    llm_server.script(Reply(body=openai_completion([patch(GOOD_AVERAGE)], cached_tokens=400)))
    session = engine_for(llm_server).open(request_for_average())

    batch = session.next_batch([])

    assert [c.source for c in batch] == [GOOD_AVERAGE]
    assert batch[0].engine == "openai"
    (received,) = llm_server.received
    assert received.path == "/v1/chat/completions"
    body = received.json
    assert body["model"] == "qwen2.5-coder"
    assert body["tool_choice"] == {"type": "function", "function": {"name": "propose_patches"}}
    assert body["tools"][0]["function"]["strict"] is True
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "ZeroDivisionError" in body["messages"][1]["content"]
    # A compatible server gets max_tokens (OpenAI itself would get max_completion_tokens).
    assert body["max_tokens"] == 4096
    assert body["temperature"] == 0.0
    usage = session.usage
    assert (usage.requests, usage.input_tokens, usage.output_tokens) == (1, 900, 250)
    assert usage.cost_usd == 0.0  # a self-hosted model costs nothing we can estimate


def test_json_schema_mode(llm_server: LLMServer) -> None:
    llm_server.script(Reply(body=openai_completion(content=PATCHES)))
    session = engine_for(llm_server, structured="json_schema").open(request_for_average())
    assert [c.source for c in session.next_batch([])] == [GOOD_AVERAGE]
    body = llm_server.bodies()[0]
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["name"] == "propose_patches"
    assert body["response_format"]["json_schema"]["strict"] is True
    assert "tools" not in body


def test_json_object_mode_puts_the_shape_in_the_rules(llm_server: LLMServer) -> None:
    llm_server.script(Reply(body=openai_completion(content=PATCHES)))
    session = engine_for(llm_server, structured="json_object").open(request_for_average())
    assert [c.source for c in session.next_batch([])] == [GOOD_AVERAGE]
    body = llm_server.bodies()[0]
    assert body["response_format"] == {"type": "json_object"}
    assert "Answer with ONLY a JSON object" in body["messages"][0]["content"]


def test_prompt_mode_for_servers_without_structured_output(llm_server: LLMServer) -> None:
    fenced = "```json\n" + PATCHES + "\n```"
    llm_server.script(Reply(body=openai_completion(content=fenced)))
    session = engine_for(llm_server, structured="prompt").open(request_for_average())
    assert [c.source for c in session.next_batch([])] == [GOOD_AVERAGE]
    body = llm_server.bodies()[0]
    assert "response_format" not in body
    assert "tools" not in body


@pytest.mark.parametrize("mode", ["prompt", "json_object", "json_schema"])
def test_prose_with_a_def_in_it_is_rejected_in_every_text_mode(
    llm_server: LLMServer, mode: str
) -> None:
    prose = "Sure! Here is the fixed function:\n\n```python\n" + GOOD_AVERAGE + "```\n"
    llm_server.script(Reply(body=openai_completion(content=prose)))
    session = engine_for(llm_server, structured=mode).open(request_for_average())
    with pytest.raises(EngineResponseError, match="not a JSON object"):
        session.next_batch([])


def test_unknown_mode_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="structured"):
        OpenAIEngine(structured="xml")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- bad answers


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(body=openai_completion(content="I think the bug is on line 3.")), "prose"),
        (Reply(body=openai_completion(arguments='{"patches": [{"source": "def av')),
         "not JSON"),
        (Reply(body=openai_completion(arguments='{"patches": [{"sou',
                                      finish_reason="length")), "cut at max_tokens"),
        (Reply(body=openai_completion(arguments='{"fix": "x"}')), "patches"),
        (Reply(body=b"garbage \x00\x01 not json"), "openai"),
        (Reply(body=json.dumps(openai_completion([patch(GOOD_AVERAGE)]))[:120]), "openai"),
    ],
    ids=["prose", "truncated-arguments", "cut-at-length", "wrong-shape", "garbage",
         "truncated-body"],
)
def test_unusable_answers_are_response_errors(
    llm_server: LLMServer, reply: Reply, message: str
) -> None:
    llm_server.script(reply)
    session = engine_for(llm_server, max_retries=0).open(request_for_average())
    with pytest.raises(EngineResponseError, match=message):
        session.next_batch([])


# --------------------------------------------------------------------------- multi-turn


def test_tool_result_carries_the_counterexample_on_turn_two(llm_server: LLMServer) -> None:
    llm_server.script(
        Reply(body=openai_completion([patch(WRONG_AVERAGE)])),
        Reply(body=openai_completion([patch(GOOD_AVERAGE)])),
    )
    session = engine_for(llm_server).open(request_for_average())
    first = session.next_batch([])
    second = session.next_batch(
        [rejected(first[0], "failing", "average([]) returned 0.0 but raised before")]
    )
    assert [c.source for c in second] == [GOOD_AVERAGE]
    messages = llm_server.bodies()[1]["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "tool"]
    assert messages[2]["tool_calls"][0]["id"] == "call_01"
    assert messages[3]["tool_call_id"] == "call_01"
    assert "average([]) returned 0.0 but raised before" in messages[3]["content"]


def test_text_modes_continue_with_a_user_message(llm_server: LLMServer) -> None:
    wrong = json.dumps({"patches": [patch(WRONG_AVERAGE)]})
    llm_server.script(
        Reply(body=openai_completion(content=wrong)),
        Reply(body=openai_completion(content=PATCHES)),
    )
    session = engine_for(llm_server, structured="json_schema").open(request_for_average())
    first = session.next_batch([])
    session.next_batch([rejected(first[0], "examples", "average([2.0]) -> 1.0, expected 2.0")])
    messages = llm_server.bodies()[1]["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[2]["content"] == wrong
    assert "average([2.0]) -> 1.0, expected 2.0" in messages[3]["content"]


# --------------------------------------------------------------------------- transport


def test_slow_server_times_out_as_unavailable(llm_server: LLMServer) -> None:
    llm_server.script(Reply(body=openai_completion([patch(GOOD_AVERAGE)]), delay_s=5.0))
    session = engine_for(llm_server, timeout_s=0.3, max_retries=0).open(request_for_average())
    started = time.monotonic()
    with pytest.raises(EngineUnavailable, match="timed out"):
        session.next_batch([])
    assert time.monotonic() - started < 3.0


@pytest.mark.parametrize("status", [429, 500, 503])
def test_retryable_errors_are_retried_by_the_sdk(llm_server: LLMServer, status: int) -> None:
    llm_server.script(openai_error(status), Reply(body=openai_completion([patch(GOOD_AVERAGE)])))
    session = engine_for(llm_server, max_retries=2).open(request_for_average())
    assert [c.source for c in session.next_batch([])] == [GOOD_AVERAGE]
    assert len(llm_server.received) == 2


def test_server_error_forever_is_unavailable_and_opens_the_circuit(
    llm_server: LLMServer,
) -> None:
    llm_server.forever(openai_error(500, "model crashed"))
    engine = engine_for(llm_server, max_retries=0, circuit_failures=2)
    for _ in range(2):
        with pytest.raises(EngineUnavailable, match="HTTP 500"):
            engine.open(request_for_average()).next_batch([])
    with pytest.raises(EngineUnavailable, match="circuit open"):
        engine.open(request_for_average()).next_batch([])
    assert len(llm_server.received) == 2


def test_model_not_found_is_unavailable(llm_server: LLMServer) -> None:
    llm_server.forever(openai_error(404, "model 'qwen2.5-coder' not found, try pulling it"))
    with pytest.raises(EngineUnavailable, match="HTTP 404.*not found"):
        engine_for(llm_server).open(request_for_average()).next_batch([])


def test_connection_dropped_mid_response_is_retried(llm_server: LLMServer) -> None:
    body = openai_completion([patch(GOOD_AVERAGE)])
    llm_server.script(Reply(body=body, drop=True), Reply(body=body))
    session = engine_for(llm_server, max_retries=1).open(request_for_average())
    assert [c.source for c in session.next_batch([])] == [GOOD_AVERAGE]
    assert len(llm_server.received) == 2


# --------------------------------------------------------------------------- configuration


def test_local_server_needs_no_key(llm_server: LLMServer) -> None:
    llm_server.script(Reply(body=openai_completion([patch(GOOD_AVERAGE)])))
    engine = OpenAIEngine(base_url=llm_server.url + "/v1", model="llama3.1", timeout_s=5.0)
    engine.check()
    assert engine.open(request_for_average()).next_batch([])
    assert llm_server.received[0].headers["authorization"] == "Bearer not-needed"


def test_openai_itself_without_a_key_is_unavailable_and_a_config_error_at_setup() -> None:
    engine = OpenAIEngine()
    with pytest.raises(EngineUnavailable, match="OPENAI_API_KEY"):
        engine.open(request_for_average())
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        engine.check()


def test_endpoint_and_key_come_from_the_sdk_environment(
    llm_server: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", llm_server.url + "/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "env-key-456")
    llm_server.script(Reply(body=openai_completion([patch(GOOD_AVERAGE)])))
    (engine,) = resolve_engines("openai")
    assert isinstance(engine, OpenAIEngine)
    engine.open(request_for_average()).next_batch([])
    assert llm_server.received[0].headers["authorization"] == "Bearer env-key-456"


def test_settings_choose_model_endpoint_and_sampling(llm_server: LLMServer) -> None:
    config.configure(openai_model="llama3.1:8b", openai_base_url=llm_server.url + "/v1",
                     temperature=0.3, max_tokens=777)
    llm_server.script(Reply(body=openai_completion([patch(GOOD_AVERAGE)])))
    OpenAIEngine(timeout_s=5.0).open(request_for_average()).next_batch([])
    body = llm_server.bodies()[0]
    assert (body["model"], body["temperature"], body["max_tokens"]) == ("llama3.1:8b", 0.3, 777)


def test_missing_sdk_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openai", None)
    with pytest.raises(MissingDependencyError, match=r"selfheal\[openai\]"):
        OpenAIEngine()


def test_planted_secrets_never_reach_the_server(
    llm_server: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_secret = "plantedenvironmentsecretvalue"
    monkeypatch.setenv(llm_targets.ENV_NAME, env_secret)
    arg_secret = "sk-proj-PLANTEDargSECRETabcdef012345"
    llm_server.forever(Reply(body=openai_completion([patch(WRONG_AVERAGE.replace(
        "average(values: list[float]) -> float", "convert(amount, currency, api_key='')"
    ).replace("average", "convert"))])))
    request = failure_request(llm_targets.convert, 10.0, "GBP", api_key=arg_secret)
    session = engine_for(llm_server).open(request)
    first = session.next_batch([])
    session.next_batch([rejected(first[0], "failing", f"convert(10.0, 'GBP', {arg_secret!r})")])
    raw = llm_server.raw()
    assert len(llm_server.received) == 2
    for secret in (arg_secret, env_secret, "PLANTEDglobalSECRET", "PlantedDbPassw0rd",
                   "PlantedDefaultPw9", "PLANTEDlocalTOKEN"):
        assert secret.encode() not in raw, secret
    assert b"RATES[currency]" in raw


# --------------------------------------------------------------------------- auto mode


def test_auto_mode_falls_back_when_the_server_refuses_tools(llm_server: LLMServer) -> None:
    llm_server.script(
        openai_error(400, "tool_choice with a named function is not supported"),
        Reply(body=openai_completion(content=PATCHES)),
        Reply(body=openai_completion(content=PATCHES)),
    )
    engine = engine_for(llm_server)
    assert engine.structured == "auto"
    assert [c.source for c in engine.open(request_for_average()).next_batch([])] == [
        GOOD_AVERAGE
    ]
    first, second = llm_server.bodies()
    assert "tools" in first
    assert second["response_format"]["type"] == "json_schema"
    assert "tools" not in second
    assert engine.learned_mode == "json_schema"
    # The next session starts with what worked: one request, no refusal.
    engine.open(request_for_average()).next_batch([])
    assert len(llm_server.received) == 3
    assert llm_server.bodies()[2]["response_format"]["type"] == "json_schema"


def test_auto_mode_reaches_the_plain_prompt_fallback(llm_server: LLMServer) -> None:
    llm_server.script(
        openai_error(400, "tools are not supported by this model"),
        openai_error(422, "response_format json_schema: unknown field"),
        openai_error(400, "response_format json_object unsupported"),
        Reply(body=openai_completion(content=PATCHES)),
    )
    engine = engine_for(llm_server)
    assert engine.open(request_for_average()).next_batch([])
    last = llm_server.bodies()[-1]
    assert "response_format" not in last
    assert "tools" not in last
    assert "Answer with ONLY a JSON object" in last["messages"][0]["content"]
    assert engine.learned_mode == "prompt"


def test_auto_mode_does_not_retry_unrelated_refusals(llm_server: LLMServer) -> None:
    llm_server.forever(openai_error(400, "this model's maximum context length is 4096"))
    with pytest.raises(EngineUnavailable, match="HTTP 400"):
        engine_for(llm_server).open(request_for_average()).next_batch([])
    assert len(llm_server.received) == 1


def test_a_fixed_mode_never_falls_back(llm_server: LLMServer) -> None:
    llm_server.forever(openai_error(400, "tool_choice is not supported"))
    with pytest.raises(EngineUnavailable, match="HTTP 400"):
        engine_for(llm_server, structured="tools").open(request_for_average()).next_batch([])
    assert len(llm_server.received) == 1
