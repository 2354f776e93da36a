"""The anthropic engine end to end: secrets never leave, patches get verified and heal.

The real SDK talks to the scripted server; `repair()` and the sandbox verify what it
proposes. The secrets planted in arguments, locals, globals, defaults, source and the
environment must not appear in any byte the server received.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pytest

from selfheal import Call, Example, repair, scrub
from selfheal.engines.anthropic import AnthropicEngine
from selfheal.verify import VerificationPlan, verify
from tests.engines import llm_targets
from tests.engines.conftest import failure_request, rejected
from tests.engines.llm_server import LLMServer, Received, Reply, anthropic_message

ARG_SECRET = "sk-proj-PLANTEDargSECRETabcdef012345"
ENV_SECRET = "plantedenvironmentsecretvalue"
PLANTED = (
    ARG_SECRET,
    ENV_SECRET,
    "PLANTEDglobalSECRET",  # API_TOKEN in the module globals
    "PlantedDbPassw0rd",  # DB_URL in the module globals
    "PlantedDefaultPw9",  # a default of a referenced helper
    "PLANTEDlocalTOKEN",  # a literal in the function's own source, and a local
)

FIXED_WORD_COUNT = (
    "def word_count(text: str) -> dict[str, int]:\n"
    "    counts = {}\n"
    "    for word in text.lower().split():\n"
    "        counts[word] = counts.get(word, 0) + 1\n"
    "    return counts\n"
)


def engine_for(server: LLMServer, **kwargs: Any) -> AnthropicEngine:
    return AnthropicEngine(
        api_key="test-key", base_url=server.url, model="claude-sonnet-5", max_retries=0,
        timeout_s=5.0, **kwargs
    )


def test_planted_secrets_never_reach_the_server(
    llm_server: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(llm_targets.ENV_NAME, ENV_SECRET)

    def answer(request: Received) -> Reply:
        # The model keeps the placeholder it was shown for the token literal.
        text = request.json["messages"][0]["content"][0]["text"]
        line = next(x for x in text.splitlines() if "token = " in x and "|" in x)
        literal = line.split("token = ", 1)[1]
        source = (
            "def convert(amount: float, currency: str, api_key: str = \"\") -> float:\n"
            f"    token = {literal}\n"
            "    rate = RATES.get(currency)\n"
            "    if rate is None:\n"
            "        raise KeyError(currency)\n"
            "    return round(amount * rate, 2) if token else 0.0\n"
        )
        return Reply(body=anthropic_message([{"source": source, "rationale": "r"}]))

    llm_server.script(answer, answer)
    request = failure_request(llm_targets.convert, 10.0, "GBP", api_key=ARG_SECRET)
    session = engine_for(llm_server).open(request)
    batch = session.next_batch([])
    # A second turn carries feedback whose counterexample repeats the secret argument.
    session.next_batch([rejected(batch[0], "failing", f"convert(10.0, 'GBP', '{ARG_SECRET}')")])

    raw = llm_server.raw()
    assert len(llm_server.received) == 2
    for secret in PLANTED:
        assert secret.encode() not in raw, secret
    # What the model needs is still there: the code, the failing line, the error.
    assert b"RATES[currency]" in raw
    assert b"KeyError" in raw
    # The placeholder the model kept is turned back into the real literal, locally.
    assert 'token = "Bearer PLANTEDlocalTOKEN0123456789xyz"' in batch[0].source


def test_good_patch_is_verified_and_heals_through_repair(llm_server: LLMServer) -> None:
    llm_server.script(Reply(body=anthropic_message(
        [{"source": FIXED_WORD_COUNT, "rationale": "typo: count -> counts"}]
    )))
    result = repair(
        llm_targets.word_count,
        failing=Call(("b a b",)),
        # Something besides the failing input must check the patch, or it counts as a guess.
        examples=[Example(("x y x",), expected={"x": 2, "y": 1})],
        engine=engine_for(llm_server),
        budget_s=30.0,
        hypothesis=False,
    )
    assert result.ok, result.report
    assert result.source == FIXED_WORD_COUNT
    assert result.function is not None
    assert result.function("b a b") == {"b": 2, "a": 1}
    assert len(llm_server.received) == 1


def test_policy_blocks_a_malicious_llm_patch(llm_server: LLMServer, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = (
        "def word_count(text: str) -> dict[str, int]:\n"
        "    import os\n"
        f"    os.system('echo pwned > {marker}')\n"
        "    return {}\n"
    )
    llm_server.script(Reply(body=anthropic_message([{"source": evil, "rationale": "x"}])))
    request = failure_request(llm_targets.word_count, "b a b")
    batch = engine_for(llm_server).open(request).next_batch([])
    assert [c.source for c in batch] == [evil]

    plan = VerificationPlan(
        function=llm_targets.word_count,  # type: ignore[arg-type]
        target=request.report.function,
        failing=Call(("b a b",)),
        hypothesis=False,
    )
    (outcome,) = list(verify(plan, batch))
    assert not outcome.verdict.ok
    assert outcome.verdict.failed_layer == "policy"
    assert not marker.exists()


def test_verifier_counterexample_drives_the_second_turn(llm_server: LLMServer) -> None:
    wrong = FIXED_WORD_COUNT.replace("counts.get(word, 0) + 1", "1")
    llm_server.script(
        Reply(body=anthropic_message([{"source": wrong, "rationale": "first try"}])),
        Reply(body=anthropic_message([{"source": FIXED_WORD_COUNT, "rationale": "count"}])),
    )
    result = repair(
        llm_targets.word_count,
        failing=Call(("b a b",)),
        examples=[Example(("x y x",), expected={"x": 2, "y": 1})],
        engine=engine_for(llm_server),
        budget_s=30.0,
        hypothesis=False,
    )
    assert result.ok, result.report
    assert result.source == FIXED_WORD_COUNT
    bodies = llm_server.bodies("/v1/messages")
    assert len(bodies) == 2
    feedback = bodies[1]["messages"][2]["content"][0]["content"]
    assert "REJECTED at layer `examples`" in feedback
    assert "x y x" in feedback  # the verifier's counterexample, as the model sees it


BILLING = '''\
import os

API_TOKEN = "sk-ant-api03-PLANTEDglobalSECRETabcdef0123456789"


def word_count(text, api_key=""):
    cfg = os.environ.get("BILLING_SERVICE_TOKEN", "")
    secret_note = API_TOKEN
    counts = {}
    for word in text.lower().split():
        counts[word] = count.get(word, 0) + 1
    return counts
'''

FIXED_BILLING = '''\
def word_count(text, api_key=""):
    cfg = os.environ.get("BILLING_SERVICE_TOKEN", "")
    secret_note = API_TOKEN
    counts = {}
    for word in text.lower().split():
        counts[word] = counts.get(word, 0) + 1
    return counts
'''


def test_secrets_reach_neither_the_server_nor_the_patch_files(
    llm_server: LLMServer,
    store_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The whole path: decorator, capture, engine, sandbox, swap, store."""
    from selfheal import self_healing

    monkeypatch.setenv("BILLING_SERVICE_TOKEN", ENV_SECRET)
    scrub.refresh_environment()
    module_dir = tmp_path / "src"
    module_dir.mkdir()
    (module_dir / "billing_e2e.py").write_text(BILLING)
    monkeypatch.syspath_prepend(str(module_dir))
    billing = importlib.import_module("billing_e2e")
    llm_server.script(Reply(body=anthropic_message([{"source": FIXED_BILLING,
                                                     "rationale": "count -> counts"}])))
    healed = self_healing(
        engine=engine_for(llm_server),
        mode="heal",
        budget=30.0,
        examples=[Example(("x y x",), expected={"x": 2, "y": 1})],
    )(billing.word_count)

    assert healed("b a b", api_key=ARG_SECRET) == {"b": 2, "a": 1}

    assert len(llm_server.received) == 1
    raw = llm_server.raw()
    files = [p for p in store_dir.rglob("*") if p.is_file()]
    assert files, "the heal left no record"
    stored = b"\n".join(p.read_bytes() for p in files)
    for secret in (ARG_SECRET, ENV_SECRET, "PLANTEDglobalSECRET"):
        assert secret.encode() not in raw, secret
        assert secret.encode() not in stored, secret
    assert b"counts.get(word, 0)" in stored  # the record holds the patch itself
    sys.modules.pop("billing_e2e", None)
