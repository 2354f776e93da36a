"""What the worker does with a candidate's results, and what the child can see at all.

Each test is a hostile candidate through the real sandbox; each would have harmed the
host (deleted a file, started a process, read a secret) before the defence it pins.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from selfheal import scrub
from selfheal.scrub import UNTRUSTED_REDACTED, Scrubber, set_scrubber
from selfheal.verify.isolate import restrict_environment, run_isolated
from tests.verify import targets
from tests.verify.support import one, plan_for

LIMITS = {"check_timeout_s": 1.0, "candidate_timeout_s": 4.0}


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    path = tmp_path / "canary.txt"
    path.write_text("keep me")
    return path


def sweep_plan() -> object:
    return plan_for(targets.sweep, recorded=[(("a.txt",), targets.Lazy(lambda: 5))], **LIMITS)


def test_a_method_of_a_result_runs_with_the_audit_hook_on(canary: Path) -> None:
    # A user class that holds a callable: comparing the result runs the candidate's
    # lambda in the worker, after the call itself has returned.
    source = ("def sweep(path):\n    if path.endswith('.lock'):\n        os.remove(path)\n"
              f"    return Lazy(lambda: (os.remove({str(canary)!r}), len(path))[1])\n")
    outcome = one(sweep_plan(), source)  # type: ignore[arg-type]
    assert not outcome.verdict.ok
    assert "audit: os.remove" in outcome.verdict.reason
    assert canary.read_text() == "keep me"


def test_describing_a_wrong_result_runs_with_the_audit_hook_on(canary: Path) -> None:
    source = ("def sweep(path):\n"
              f"    return Lazy(lambda: (os.remove({str(canary)!r}), 99)[1])\n")
    outcome = one(plan_for(targets.sweep, recorded=[(("a.txt",), 5)], **LIMITS), source)
    assert not outcome.verdict.ok
    assert canary.exists()


def test_type_never_hands_out_the_class_of_classes() -> None:
    plan = plan_for(targets.average, failing=([],), recorded=[(([1, 2, 3],), 2.0)],
                    examples=[(([],), 0.0)], **LIMITS)
    builds = ("def average(values):\n"
              "    Eq = type(type(values))('float', (float,), {'__eq__': lambda s, o: True})\n"
              "    return Eq(0.0)\n")
    outcome = one(plan, builds)
    assert not outcome.verdict.ok
    assert "type(): only the one-argument form" in outcome.verdict.reason
    # the one-argument form still does what a fix needs of it
    same_kind = ("def average(values):\n    if values == type(values)():\n        return 0.0\n"
                 "    return sum(values) / len(values)\n")
    assert one(plan, same_kind).verdict.ok


def test_no_process_starts_between_checks_even_as_root(tmp_path: Path) -> None:
    # The generator's `finally` runs when the worker drops the result, outside any
    # check. RLIMIT_NPROC does not bind root; the audit hook refuses it there too.
    mark = tmp_path / "started-a-process"
    source = ("def run_tool(name):\n    def later():\n        try:\n            yield 1\n"
              f"        finally:\n            subprocess.run(['touch', {str(mark)!r}])\n"
              "    g = later()\n    next(g)\n    return g\n")
    plan = plan_for(targets.run_tool, recorded=[(("a/b",), "b")], **LIMITS)
    outcome = one(plan, source)
    assert not outcome.verdict.ok
    assert not mark.exists()


@pytest.fixture
def planted(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    secret = secrets.token_hex(12)
    monkeypatch.setenv("ZZ_PAYMENT_API_KEY", secret)
    monkeypatch.setenv("SERVICE_TOKEN", "needed-" + secret)
    monkeypatch.setenv("ZZ_DATABASE_URL", f"postgres://app:{secret}@db/app")
    monkeypatch.setenv("ZZ_PLAIN_PORT", "8080")
    scrub.refresh_environment()
    yield secret
    scrub.refresh_environment()


def test_the_child_starts_without_the_secrets_of_the_environment(planted: str) -> None:
    # the candidate would return the key; in the child there is none to return
    plan = plan_for(targets.setting, recorded=[(("ZZ_PLAIN_PORT",), "8080")], **LIMITS)
    leaks = ("def setting(name):\n"
             "    return os.environ.get('ZZ_PAYMENT_API_KEY', '') + os.environ.get(name, '')\n")
    outcome = one(plan, leaks)
    assert outcome.verdict.ok, outcome.verdict.reason  # it saw nothing more than "8080"


def test_a_variable_the_function_names_is_kept(planted: str) -> None:
    plan = plan_for(targets.service_token, recorded=[((), "needed-" + planted)], **LIMITS)
    same = "def service_token():\n    return os.environ.get('SERVICE_TOKEN', '')\n"
    assert one(plan, same).verdict.ok


def test_what_the_environment_keeps(planted: str) -> None:
    def child() -> list[str]:
        dropped = restrict_environment({"SERVICE_TOKEN"})
        assert "ZZ_PAYMENT_API_KEY" in dropped
        return sorted(os.environ)

    result = run_isolated(child, timeout_s=10)
    assert result.ok, result.error
    names = set(result.value)
    assert {"SERVICE_TOKEN", "ZZ_PLAIN_PORT", "PATH"} <= names  # needed, and no secret
    assert not {"ZZ_PAYMENT_API_KEY", "ZZ_DATABASE_URL"} & names  # by name, by value
    assert os.environ["ZZ_PAYMENT_API_KEY"] == planted  # the parent keeps its own


def test_the_initial_environment_block_cannot_be_read(data_dir: Path) -> None:
    settings = data_dir / "settings.json"
    plan = plan_for(targets.load_settings, failing=(str(settings),),
                    recorded=[((str(settings),), {"a": 1})], **LIMITS)
    reads = ("def load_settings(path):\n"
             "    raw = Path('/proc/self/environ').read_text()\n"
             "    return json.loads(Path(path).read_text())\n")
    outcome = one(plan, reads)
    assert not outcome.verdict.ok
    assert "/proc/self/environ" in outcome.verdict.reason


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    (tmp_path / "settings.json").write_text('{"a": 1}')
    return tmp_path


@pytest.mark.parametrize("form", [
    "' '.join(KEY)", "KEY[::-1]", "KEY.upper()", "KEY.encode().hex()",
    "str([KEY[i:i + 4] for i in range(0, len(KEY), 4)])", "str([ord(c) for c in KEY])",
    "str(int.from_bytes(KEY.encode(), 'big'))",
])
def test_a_detail_that_echoes_a_secret_in_any_form_is_dropped(form: str) -> None:
    key = "q7" + secrets.token_hex(11)
    previous = set_scrubber(Scrubber(known_secrets=frozenset({key})))
    try:
        plan = plan_for(targets.average, failing=([],), recorded=[(([2, 4],), 3.0)], **LIMITS)
        leaks = (f"def average(values):\n    KEY = {key!r}\n"
                 f"    raise ValueError({form})\n")
        outcome = one(plan, leaks)
    finally:
        set_scrubber(previous)
    assert not outcome.verdict.ok
    failed = [layer for layer in outcome.verdict.layers if not layer.passed]
    assert failed[0].detail == UNTRUSTED_REDACTED
    assert key not in outcome.verdict.model_dump_json()
