"""LLM prompts carry the project's approved fixes of similar failures and its guidance.

End to end on a real directory store: one function of a project fails and heals with a
fix that a person approves (`store.transition`, what `selfheal approve` does); then a
similar function fails and an LLM engine (the real SDK, talking to the scripted server)
is asked. Its prompt must show the approved fix as an example and the project's
`guidance`, and no byte the server receives may hold the secret written in the stored
record (the approved function keeps a hard-coded token in its body).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import subprocess
import sys
import textwrap
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from selfheal import config, self_healing
from selfheal.engines.anthropic import AnthropicEngine
from selfheal.engines.base import ScriptedEngine
from selfheal.engines.openai import OpenAIEngine
from selfheal.engines.prompt import PromptLimits, build_prompt
from selfheal.errors import ConfigurationError
from selfheal.function.target import target_of
from selfheal.heal import swap
from selfheal.heal.outcomes import forget_learning
from selfheal.models import PatchStatus
from selfheal.priors import MIN_SIMILARITY, ApprovedFix, Similar, similar_fixes
from selfheal.store import open_store
from tests.engines import llm_targets
from tests.engines.conftest import failure_request
from tests.engines.llm_server import LLMServer, Reply, anthropic_message, openai_completion

STORED_SECRET = "sk-ant-api03-PLANTEDstoredSECRETabcdef0123456789"
GUIDANCE_SECRET = "sk-proj-PLANTEDguidanceSECRETabc0123456"
GUIDANCE = (
    "House rules: prefer an explicit `if not rows:` guard over try/except.\n"
    f"Never log the deploy token {GUIDANCE_SECRET}."
)

MODULE = f'''\
def average_age(people):
    token = "{STORED_SECRET}"
    total = sum(p["age"] for p in people)
    return total / len(people) if token else 0.0


def lookup_port(config):
    return int(config["prot"])


def mean_price(rows):
    total = sum(row["price"] for row in rows)
    return total / len(rows)
'''

AGE_FIX = f'''\
def average_age(people):
    token = "{STORED_SECRET}"
    if not people:
        return 0.0
    total = sum(p["age"] for p in people)
    return total / len(people) if token else 0.0
'''
PORT_FIX = 'def lookup_port(config):\n    return int(config["port"])\n'
PRICE_FIX = '''\
def mean_price(rows):
    if not rows:
        return 0.0
    total = sum(row["price"] for row in rows)
    return total / len(rows)
'''


def _load(directory: Path, name: str, source: str) -> types.ModuleType:
    path = directory / f"{name}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def project(tmp_path: Path) -> Iterator[types.ModuleType]:
    """The project's module, imported fresh, and a store of its own."""
    module = _load(tmp_path, "learnmod", MODULE)
    config.configure(store=str(tmp_path / "store"))
    forget_learning()
    yield module
    for name in [n for n in sys.modules if n.startswith("learnmod")]:
        sys.modules.pop(name, None)
    forget_learning()


def _fails(func: Any, arg: Any) -> Exception:
    """Call `func(arg)` under a catch-all: a failure (`pytest.raises` would make the
    exception one the program expects, and nothing would heal)."""
    try:
        func(arg)
    except Exception as exc:  # propose mode re-raises the original
        return exc
    raise AssertionError(f"{func.__name__}({arg!r}) did not fail")


def _heal_and_decide(func: Any, fix: str, examples: list[Any], failing: Any,
                     decide: PatchStatus | None) -> str:
    """Heal `func` in propose mode with `fix`, then record a person's decision on it."""
    healing = self_healing(mode="propose", engine=ScriptedEngine(fix), examples=examples)(func)
    _fails(healing, failing)
    store = open_store(config.get_settings().store)
    record = store.list()[0]
    assert record.status is PatchStatus.VERIFIED, record.note
    assert record.chosen is not None and record.chosen.source == fix
    if decide is not None:
        store.transition(record.id, decide, by="reviewer", reason="test")
    return record.id


def _approved_history(mod: types.ModuleType) -> str:
    """An approved fix of a similar failure (its record id is returned) and an approved
    one of another kind of failure."""
    similar = _heal_and_decide(mod.average_age, AGE_FIX,
                     [(([],), 0.0), (([{"age": 2}, {"age": 4}],), 3.0)], [],
                     PatchStatus.APPROVED)
    _heal_and_decide(mod.lookup_port, PORT_FIX, [(({"port": "80"},), 80)], {"port": "80"},
                     PatchStatus.APPROVED)
    store_files = b"".join(p.read_bytes() for p in Path(config.get_settings().store).rglob("*")
                           if p.is_file())
    assert STORED_SECRET.encode() in store_files  # the store keeps the source as written
    forget_learning()  # the decisions were made a moment ago in this process
    return similar


def _ask_llm(mod: types.ModuleType, engine: Any) -> None:
    healing = self_healing(mode="propose", engine=engine,
                           examples=[(([],), 0.0), (([{"price": 2.0}],), 2.0)])(mod.mean_price)
    assert isinstance(_fails(healing, []), ZeroDivisionError)


def _vendor(name: str, server: LLMServer) -> Any:
    if name == "anthropic":
        server.forever(Reply(body=anthropic_message([{"source": PRICE_FIX, "rationale": "r"}])))
        return AnthropicEngine(api_key="test-key", base_url=server.url, model="claude-sonnet-5",
                               max_retries=0, timeout_s=5.0, max_turns=1)
    server.forever(Reply(body=openai_completion([{"source": PRICE_FIX, "rationale": "r"}])))
    return OpenAIEngine(api_key="test-key", base_url=server.url + "/v1", model="qwen2.5-coder",
                        max_retries=0, timeout_s=5.0, max_turns=1)


def _system_and_context(name: str, body: dict[str, Any]) -> tuple[str, str]:
    if name == "anthropic":
        return body["system"][0]["text"], body["messages"][0]["content"][0]["text"]
    system, user = body["messages"][0], body["messages"][1]
    assert (system["role"], user["role"]) == ("system", "user")
    return system["content"], user["content"]


@pytest.mark.parametrize("vendor", ["anthropic", "openai"])
def test_the_prompt_shows_the_approved_fix_and_the_guidance_but_no_stored_secret(
    project: types.ModuleType, llm_server: LLMServer, vendor: str
) -> None:
    approved_id = _approved_history(project)
    config.configure(guidance=GUIDANCE)

    _ask_llm(project, _vendor(vendor, llm_server))

    (body,) = [r.json for r in llm_server.received]
    system, context = _system_and_context(vendor, body)
    # The guidance follows the rules, in the static (cacheable) part; its secret does not.
    assert "prefer an explicit `if not rows:` guard over try/except" in system
    assert system.index("Rules for every candidate") < system.index("House rules")
    # The approved fix of the similar failure is there, as a diff of its redacted source.
    assert "Fixes this project approved for similar failures" in context
    assert "`average_age` failed with ZeroDivisionError: division by zero" in context
    assert "+    if not people:\n+        return 0.0" in context
    assert 'token = "[REDACTED]"' in context
    # Not the fix of another kind of failure (a KeyError), however approved.
    assert "lookup_port" not in context
    raw = llm_server.raw()
    assert STORED_SECRET.encode() not in raw
    assert b"PLANTEDstoredSECRET" not in raw
    assert GUIDANCE_SECRET.encode() not in raw
    assert b"PLANTEDguidanceSECRET" not in raw
    # The record says what the model was shown, for `selfheal show`.
    newest = open_store(config.get_settings().store).list()[0]
    (asked,) = [o.candidate for o in newest.candidates]
    assert asked.source == PRICE_FIX
    learnt = (f"prompt showed 1 approved fix of similar failures ({approved_id}) and the "
              "project's guidance")
    assert asked.rationale.endswith(learnt)
    shown = subprocess.run(
        [sys.executable, "-c", "import sys; from selfheal.cli import main; sys.exit(main())",
         "--store", config.get_settings().store, "show", newest.id],
        capture_output=True, text=True, check=False, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert f"       ranked: r\n               {learnt}\n" in shown.stdout


def test_a_rejected_fix_is_no_example_and_without_decisions_there_is_none(
    project: types.ModuleType, llm_server: LLMServer
) -> None:
    _heal_and_decide(project.average_age, AGE_FIX,
                     [(([],), 0.0), (([{"age": 2}, {"age": 4}],), 3.0)], [],
                     PatchStatus.REJECTED)
    forget_learning()
    _ask_llm(project, _vendor("anthropic", llm_server))
    (body,) = [r.json for r in llm_server.received]
    system, context = _system_and_context("anthropic", body)
    assert "approved for similar failures" not in context
    assert "average_age" not in context
    assert "adds these rules of its own" not in system  # no guidance set


def test_prompt_examples_zero_shows_none(project: types.ModuleType,
                                         llm_server: LLMServer) -> None:
    _approved_history(project)
    config.configure(prompt_examples=0)
    _ask_llm(project, _vendor("openai", llm_server))
    (body,) = [r.json for r in llm_server.received]
    _, context = _system_and_context("openai", body)
    assert "approved for similar failures" not in context


# --------------------------------------------------------------------------- the bounds


def _fix(n: int, body_lines: int) -> ApprovedFix:
    """An approved guard against an empty list; its fix also renames every step (so a
    long function gives a long diff)."""
    steps = "".join(f"    step{i} = {i}\n" for i in range(body_lines))
    before = f"def mean{n}(values):\n{steps}    return sum(values) / len(values)\n"
    after = before.replace("step", "stage").replace(
        "    return", "    if not values:\n        return 0.0\n    return")
    return ApprovedFix(record_id=f"r{n}", qualname=f"mean{n}", failure="ZeroDivisionError",
                       message="division by zero", line="return sum(values) / len(values)",
                       before=before, after=after, kind="guard")


def _section(context: str) -> str:
    return context.split("## Fixes this project approved", 1)[1].split("\n## ", 1)[0]


def test_examples_are_bounded_in_number_and_size() -> None:
    request = failure_request(llm_targets.average, [])
    similar = tuple(Similar(_fix(n, 400 if n == 0 else 1), 0.9) for n in range(5))
    with_fixes = dataclasses.replace(request, similar_fixes=similar)
    prompt = build_prompt(with_fixes, limits=PromptLimits(approved_fixes=2,
                                                          approved_fix_chars=600))
    section = _section(prompt.context)
    assert section.count("### Example") == 2
    assert "mean0" in section and "mean1" in section and "mean2" not in section
    examples = section.split("### Example")[1:]
    assert len(examples[0]) <= 600  # 400 renamed lines, cut to the bound
    assert "more diff lines)" in examples[0] and "step399" not in examples[0]
    assert "approved fixes of similar failures: 3 of 5 not shown" in prompt.cut
    # Under the prompt's total cap the examples are the first thing cut.
    full = build_prompt(with_fixes)
    tight = build_prompt(with_fixes, limits=PromptLimits(max_chars=len(full.context) - 700))
    assert len(tight.context) < len(full.context) - 500
    left = _section(tight.context).count("### Example")
    assert left < _section(full.context).count("### Example") == 5
    assert tight.approved_shown == tuple(f"r{n}" for n in range(left))  # the first ones
    assert any(c.startswith("fixes this project approved for similar failures: ")
               and "cut to fit" in c for c in tight.cut), tight.cut
    assert "ZeroDivisionError" in tight.context and "return total / len(values)" in tight.context


# --------------------------------------------------------------------------- the setting


def test_guidance_in_the_file_is_checked_with_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SELFHEAL_CONFIG", raising=False)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[tool.selfheal]\nguidance = 3\n")
    config.reset()
    with pytest.raises(ConfigurationError) as info:
        config.get_settings()
    message = str(info.value)
    assert f"guidance in {pyproject} [tool.selfheal]" in message
    assert "expected text" in message

    pyproject.write_text("[tool.selfheal]\nguidance = " + repr("x" * 4_001) + "\n")
    config.reset()
    with pytest.raises(ConfigurationError, match="4001 characters, over the 4000 allowed"):
        config.get_settings()

    pyproject.write_text(textwrap.dedent('''\
        [tool.selfheal]
        guidance = """
        Raise ValueError for bad input.
        Keep the public signature.
        """
    '''))
    config.reset()
    assert config.get_settings().guidance == (
        "Raise ValueError for bad input.\nKeep the public signature.")


# --------------------------------------------------------------------------- retrieval


def test_similar_fixes_match_the_exception_type_and_rank_by_alike_code() -> None:
    alike = _fix(1, 1)
    far = dataclasses.replace(
        _fix(2, 1), before="def url(host, port):\n    return 'http://' + host + ':' + port\n",
        line="return 'http://' + host + ':' + port")
    other_type = dataclasses.replace(_fix(3, 1), failure="KeyError")
    twice = dataclasses.replace(alike, record_id="again")  # the same edit approved again
    closer = dataclasses.replace(_fix(4, 0), qualname="mean4")
    found = similar_fixes(
        [alike, far, other_type, twice, closer], failure="ZeroDivisionError",
        source="def mean(values):\n    return sum(values) / len(values)\n",
        line="return sum(values) / len(values)", limit=5)
    assert [s.fix.record_id for s in found] == ["r4", "r1"]
    assert found[0].score > found[1].score > MIN_SIMILARITY
    assert similar_fixes([alike], failure="ZeroDivisionError", source="x", line="",
                         limit=0) == ()


# --------------------------------------------------------------------------- never again

REFORMATTED_PRICE_FIX = PRICE_FIX.replace(
    "def mean_price(rows):\n", 'def mean_price(rows):\n    """Mean price."""\n').replace(
    "return 0.0", "return 0.0  # no rows, no mean")
OTHER_PRICE_FIX = (
    "def mean_price(rows):\n"
    '    total = sum(row["price"] for row in rows)\n'
    "    return total / len(rows) if rows else 0.0\n"
)
PRICE_EXAMPLES = [(([],), 0.0), (([{"price": 2.0}],), 2.0)]


def _anthropic(server: LLMServer) -> AnthropicEngine:
    return AnthropicEngine(api_key="test-key", base_url=server.url, model="claude-sonnet-5",
                           max_retries=0, timeout_s=5.0, max_turns=3)


@pytest.mark.parametrize("undo", [PatchStatus.REJECTED, PatchStatus.ROLLED_BACK])
def test_an_llm_is_told_the_undone_fix_and_it_never_runs_again(
    project: types.ModuleType, llm_server: LLMServer, undo: PatchStatus
) -> None:
    def answer(*patches: str) -> Reply:
        return Reply(body=anthropic_message([{"source": p, "rationale": "r"} for p in patches]))

    llm_server.script(answer(PRICE_FIX))
    healing = self_healing(engine=_anthropic(llm_server), examples=PRICE_EXAMPLES)
    healing(project.mean_price)
    assert project.mean_price([]) == 0.0  # healed with the LLM's fix
    store = open_store(config.get_settings().store)
    (first,) = store.list()
    assert first.status is PatchStatus.LIVE and first.chosen is not None
    assert first.chosen.source == PRICE_FIX
    if undo is PatchStatus.REJECTED:
        store.transition(first.id, PatchStatus.REJECTED, by="reviewer", reason="hides bad data")
    else:
        store.transition(first.id, PatchStatus.ROLLED_BACK, reason="raised in production")
    target = target_of(project.mean_price)
    assert target is not None
    swap.revert(target)  # what a restart does

    # The model offers the undone fix again in other text, then a different one.
    llm_server.script(answer(REFORMATTED_PRICE_FIX), answer(OTHER_PRICE_FIX))
    self_healing(engine=_anthropic(llm_server), examples=PRICE_EXAMPLES)(project.mean_price)
    assert project.mean_price([]) == 0.0

    newest = store.list()[0]
    assert newest.id != first.id and newest.fingerprint == first.fingerprint
    assert newest.status is PatchStatus.LIVE and newest.chosen is not None
    assert newest.chosen.source == OTHER_PRICE_FIX
    # The undone fix never ran: only the different one was verified.
    assert [o.candidate.source for o in newest.candidates] == [OTHER_PRICE_FIX]
    opening, feedback = [r.json for r in llm_server.received[1:]]
    context = opening["messages"][0]["content"][0]["text"]
    assert "Fixes already rejected for this failure" in context
    assert "    if not rows:\n        return 0.0" in context
    turn2 = json.dumps(feedback["messages"][-1])
    assert "rejected by a person or rolled back for this failure before" in turn2


def test_the_setting_chooses_how_many_examples(project: types.ModuleType,
                                               llm_server: LLMServer) -> None:
    """`prompt_examples` is how many a heal retrieves; the prompt shows them all."""
    for n in range(5):
        name = f"mean_{n}"
        source = (f"def {name}(rows):\n    total = sum(row['price'] for row in rows)\n"
                  f"    return total / len(rows) + {n}\n")
        module = _load(Path(config.get_settings().store).parent, f"learnmod{n}", source)
        fix = source.replace("    total =", "    if not rows:\n        return 0.0\n    total =")
        _heal_and_decide(getattr(module, name), fix,
                         [(([],), 0.0), (([{"price": 2.0}],), 2.0 + n)], [],
                         PatchStatus.APPROVED)
    forget_learning()
    config.configure(prompt_examples=5)
    _ask_llm(project, _vendor("anthropic", llm_server))
    (body,) = [r.json for r in llm_server.received]
    _, context = _system_and_context("anthropic", body)
    assert context.count("### Example") == 5
    assert "approved fixes of similar failures" not in context.split("## Cut to fit")[-1]
