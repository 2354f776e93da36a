"""The LLM engines on whole sets of human-style bugs, through a scripted model.

A server on 127.0.0.1 speaks the Messages and the Chat Completions APIs to the official
SDKs; its model answers every bug with the bug's reference fix. Between that answer and
`repair()`'s result sit the prompt, the SDK round trip, the parsing of the answer, the
policy and the verifier: a bug that does not come out repaired is a defect of one of
them. The frozen blind set (benchmarks/blind_bugs/) runs in full (slow); the development
set (tests/corpus/devhuman*) is the fast test of the same path.

A real model is measured with the benchmark, not here (it needs a key and costs money):

    ANTHROPIC_API_KEY=... python -m benchmarks.bench_blind_bugs --engine anthropic
    OPENAI_API_KEY=... python -m benchmarks.bench_blind_bugs --engine openai
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from benchmarks.bench_offline import load_cases, load_module, resolve
from benchmarks.blind_sets import load_bug_cases
from selfheal import repair
from selfheal.engines.anthropic import AnthropicEngine
from selfheal.engines.openai import OpenAIEngine
from tests.engines.llm_server import LLMServer, Reply, anthropic_message, openai_completion

Bug = tuple[str, Callable[..., Any], Sequence[tuple[tuple[Any, ...], Any]], str]


def _engine(name: str, server: LLMServer) -> Any:
    if name == "anthropic":
        return AnthropicEngine(api_key="test-key", base_url=server.url, model="claude-sonnet-5",
                               max_retries=0, timeout_s=10.0)
    return OpenAIEngine(api_key="test-key", base_url=server.url + "/v1", model="qwen2.5-coder",
                        max_retries=0, timeout_s=10.0)


def _answer(name: str, source: str) -> Reply:
    patch = [{"source": source, "rationale": "the reference fix"}]
    if name == "anthropic":
        return Reply(body=anthropic_message(patch))
    return Reply(body=openai_completion(patch))


def _unrepaired(engine: str, server: LLMServer, bugs: Sequence[Bug]) -> list[str]:
    """Repair each bug with the scripted model answering its reference; the failures."""
    failures = []
    client = _engine(engine, server)
    try:
        for name, func, tests, reference in bugs:
            server.forever(_answer(engine, reference))
            asked = len(server.received)
            result = repair(func, examples=list(tests), engine=client, budget_s=30.0)
            if len(server.received) == asked:
                failures.append(f"{name}: the model was never asked ({result.report.reason})")
            elif not result.ok:
                layers = sorted({o.verdict.failed_layer or "?" for o in result.report.outcomes})
                failures.append(f"{name}: not repaired (rejected in {', '.join(layers) or '-'})")
    finally:
        client.close()
    return failures


def _development_bugs() -> list[Bug]:
    bugs = []
    for case in load_cases([]):
        if "dev-human" not in case.tags or "validation" in case.tags:
            continue
        buggy = load_module(case.path / "buggy.py", f"llm_buggy_{case.name}")
        fixed = load_module(case.path / "fixed.py", f"llm_fixed_{case.name}")
        tests = case.oracle.oracle(buggy)["examples"]
        reference = inspect.getsource(resolve(fixed, case.oracle.FUNCTION))
        bugs.append((case.name, resolve(buggy, case.oracle.FUNCTION), tests, reference))
    return bugs[::3]  # every third: the fast path check


def _blind_bugs() -> list[Bug]:
    bugs = []
    for case in load_bug_cases():
        func = resolve(case.buggy(), case.function)
        bugs.append((case.name, func, case.tests, case.reference_source()))
    return bugs


@pytest.mark.parametrize("engine", ["anthropic", "openai"])
def test_a_model_answering_the_reference_repairs_the_development_bugs(
    engine: str, llm_server: LLMServer
) -> None:
    bugs = _development_bugs()
    assert len(bugs) >= 10
    assert _unrepaired(engine, llm_server, bugs) == []


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["anthropic", "openai"])
def test_a_model_answering_the_reference_repairs_every_blind_bug(
    engine: str, llm_server: LLMServer
) -> None:
    bugs = _blind_bugs()
    assert len(bugs) >= 100
    assert _unrepaired(engine, llm_server, bugs) == []
