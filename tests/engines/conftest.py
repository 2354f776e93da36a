"""Fixtures for the engine tests: the scripted LLM server, a clean SDK environment, and
repair requests built from real failures of the functions in `llm_targets`."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from selfheal.budget import Budget
from selfheal.engines._llm import reset_circuits
from selfheal.engines.base import RepairRequest
from selfheal.function.source import read_function
from selfheal.heal.capture import capture_exception
from selfheal.models import (
    Call,
    Candidate,
    CandidateOutcome,
    Example,
    LayerResult,
    Verdict,
)
from tests.engines import llm_targets
from tests.engines.llm_server import LLMServer

SNAPSHOTS = Path(__file__).parent / "snapshots"

# SDK variables that would point the clients somewhere else or change what they send.
_SDK_ENV = (
    "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL", "ANTHROPIC_PROFILE",
    "ANTHROPIC_CUSTOM_HEADERS", "ANTHROPIC_IDENTITY_TOKEN", "ANTHROPIC_IDENTITY_TOKEN_FILE",
    "ANTHROPIC_FEDERATION_RULE_ID", "ANTHROPIC_ORGANIZATION_ID", "OPENAI_API_KEY",
    "OPENAI_BASE_URL", "OPENAI_ADMIN_KEY", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID",
    "OPENAI_CUSTOM_HEADERS",
)


@pytest.fixture(autouse=True)
def clean_llm_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No real credentials, no profile on disk, no circuit state from other tests."""
    for name in _SDK_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANTHROPIC_CONFIG_DIR", str(tmp_path / "anthropic-config"))
    reset_circuits()
    yield
    reset_circuits()


@pytest.fixture
def llm_server() -> Iterator[LLMServer]:
    with LLMServer() as server:
        yield server


def failure_request(
    func: Callable[..., Any],
    *args: Any,
    examples: Sequence[Example] = (),
    properties: Sequence[Callable[..., Any]] = (),
    budget: Budget | None = None,
    **kwargs: Any,
) -> RepairRequest:
    """Run `func` until it fails and describe the failure as the pipeline would."""
    source = read_function(func)  # type: ignore[arg-type]
    assert source is not None
    ref = source.ref(func)  # type: ignore[arg-type]
    call = Call(args, kwargs)
    try:
        llm_targets.call(func, *args, **kwargs)
    except Exception as exc:
        report = capture_exception(exc, ref, {func.__code__}, call)
        return RepairRequest(
            report=report,
            function=func,  # type: ignore[arg-type]
            exception=exc,
            failing=call,
            examples=tuple(examples),
            properties=tuple(properties),
            budget=budget or Budget(seconds=60.0, candidates=None, tokens=None),
        )
    raise AssertionError(f"{func.__name__}{args} did not fail")


def rejected(
    candidate: Candidate, layer: str, counterexample: str, detail: str = ""
) -> CandidateOutcome:
    """A verdict as the verifier gives it: policy passed, `layer` failed."""
    layers = [LayerResult(layer="policy", passed=True, ran=1)]
    if layer != "policy":
        layers.append(
            LayerResult(layer=layer, passed=False, ran=1, detail=detail,  # type: ignore[arg-type]
                        counterexample=counterexample)
        )
    return CandidateOutcome(
        candidate=candidate,
        verdict=Verdict(candidate_id=candidate.id, ok=False, layers=tuple(layers),
                        reason=f"{layer} failed"),
    )


def accepted(candidate: Candidate) -> CandidateOutcome:
    return CandidateOutcome(
        candidate=candidate,
        verdict=Verdict(candidate_id=candidate.id, ok=True,
                        layers=(LayerResult(layer="policy", passed=True, ran=1),)),
    )


def check_snapshot(name: str, text: str) -> None:
    """Compare with tests/engines/snapshots/<name>; SELFHEAL_UPDATE_SNAPSHOTS=1 rewrites."""
    path = SNAPSHOTS / name
    if os.environ.get("SELFHEAL_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        pytest.fail(f"snapshot {name} did not exist; written now, review it and re-run")
    assert text == path.read_text(), (
        f"prompt differs from snapshot {name}; if the change is intended, re-run with "
        "SELFHEAL_UPDATE_SNAPSHOTS=1 and review the diff"
    )


GOOD_AVERAGE = (
    "def average(values: list[float]) -> float:\n"
    "    if not values:\n"
    "        return 0.0\n"
    "    total = sum(values)\n"
    "    return total / len(values)\n"
)
WRONG_AVERAGE = (
    "def average(values: list[float]) -> float:\n"
    "    total = sum(values)\n"
    "    return total / max(len(values), 2)\n"
)
