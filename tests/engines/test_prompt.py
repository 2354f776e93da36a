"""The prompt is a pure function of the request: snapshots, redaction, size cap."""

from __future__ import annotations

import dataclasses
import re

from selfheal.engines.base import RepairRequest
from selfheal.engines.prompt import (
    PromptLimits,
    build_prompt,
    patch_schema,
    render_feedback,
)
from selfheal.function.source import read_function
from selfheal.heal.capture import capture_violation
from selfheal.models import Call, CallReport, Candidate, Example, FunctionRef, RecordedCall
from selfheal.priors import ApprovedFix, Similar
from tests.engines import llm_targets
from tests.engines.conftest import (
    WRONG_AVERAGE,
    accepted,
    check_snapshot,
    failure_request,
    rejected,
)

IMPORTS = ("math", "json", "decimal")


def full_text(prompt: object) -> str:
    return f"=== system\n{prompt.system}\n=== context\n{prompt.context}\n"  # type: ignore[attr-defined]


def test_snapshot_exception_with_locals() -> None:
    request = failure_request(llm_targets.average, [])
    prompt = build_prompt(request, allowed_imports=IMPORTS, candidates=3)
    check_snapshot("average_zero_division.txt", full_text(prompt))
    assert ">>" in prompt.context  # the failing line is marked
    assert prompt.cut == ()


def test_snapshot_secrets_are_redacted_and_context_has_names_not_values() -> None:
    request = failure_request(
        llm_targets.convert, 10.0, "GBP", api_key="sk-proj-PLANTEDargSECRETabcdef012345"
    )
    prompt = build_prompt(request, allowed_imports=IMPORTS)
    check_snapshot("convert_key_error.txt", full_text(prompt))
    text = full_text(prompt)
    for secret in ("PLANTED", "PlantedDbPassw0rd", "PlantedDefaultPw9", "sk-proj-"):
        assert secret not in text
    # Names and signatures of what the function uses, never the values.
    assert "RATES: dict  (value not shown)" in text
    assert "1.1" not in text
    assert "class Account:" in text
    assert "def deposit(self, amount: 'Decimal') -> 'None': ..." in text
    assert "def _connect(url: 'str'" in text
    assert "import os" in text
    # The placeholders map back to the originals, kept in the process only.
    assert "Bearer PLANTEDlocalTOKEN0123456789xyz" in prompt.secrets.values()
    assert "PlantedDefaultPw9" in prompt.secrets.values()


def test_snapshot_property_violation_with_examples_and_recorded_calls() -> None:
    func = llm_targets.average
    source = read_function(func)  # type: ignore[arg-type]
    assert source is not None
    ref = source.ref(func)  # type: ignore[arg-type]
    report = capture_violation(
        ref,
        Call(([-1.0, -3.0],)),
        -2.0,
        llm_targets.non_negative,
        recorded=[RecordedCall(Call(([1.0, 2.0],)), 1.5), RecordedCall(Call(([4.0],)), 4.0)],
    )
    request = RepairRequest(
        report=report,
        function=func,  # type: ignore[arg-type]
        failing=Call(([-1.0, -3.0],)),
        examples=(Example(([2.0, 2.0],), expected=2.0),
                  Example(([],), {}, expected=0.0)),
        properties=(llm_targets.non_negative,),
    )
    prompt = build_prompt(request, allowed_imports=IMPORTS, candidates=2)
    check_snapshot("average_property.txt", full_text(prompt))
    assert "- average([1.0, 2.0]) -> 1.5" in prompt.context
    assert "- average([2.0, 2.0]) -> 2.0" in prompt.context
    assert "return result >= 0" in prompt.context


def test_snapshot_feedback_turn() -> None:
    mine = Candidate(source=WRONG_AVERAGE, engine="anthropic")
    other = Candidate(source=WRONG_AVERAGE.replace("2)", "5)"), engine="offline")
    text = render_feedback(
        [rejected(mine, "recorded", "average([1.0, 2.0]) -> 0.75, recorded 1.5",
                  detail="differs from the original on 1 of 2 calls"),
         rejected(other, "failing", "average([]) raised ZeroDivisionError")],
        labels={mine.id: "your candidate 1 (turn 1)"},
        secrets={},
        candidates=3,
    )
    check_snapshot("feedback_turn2.txt", text)
    assert "max(len(values), 5)" in text  # the other engine's source is shown
    assert "max(len(values), 2)" not in text  # the model wrote its own; no need to repeat


def test_same_request_gives_the_same_prompt() -> None:
    first = build_prompt(failure_request(llm_targets.convert, 1.0, "XYZ"), allowed_imports=IMPORTS)
    second = build_prompt(failure_request(llm_targets.convert, 1.0, "XYZ"),
                          allowed_imports=IMPORTS)
    assert first == second
    # Object addresses (which change every run) are not in it.
    assert not re.search(r" at 0x[0-9a-f]+", first.context)


def test_system_prompt_is_the_same_for_every_failure() -> None:
    a = build_prompt(failure_request(llm_targets.average, []), allowed_imports=IMPORTS)
    b = build_prompt(failure_request(llm_targets.convert, 1.0, "XYZ"), allowed_imports=IMPORTS)
    assert a.system == b.system  # cacheable across heals
    assert "decimal, json, math" in a.system
    assert a.context != b.context


def test_size_cap_cuts_the_least_important_parts_and_says_so() -> None:
    func = llm_targets.average
    request = failure_request(func, [])
    many = tuple(CallReport(args=(f"[{i}.0, {i}.5]",), result=f"{i}.25") for i in range(40))
    report = request.report.model_copy(update={"recorded": many})
    request = RepairRequest(report=report, function=func)  # type: ignore[arg-type]
    limits = PromptLimits(max_chars=1500, recorded_calls=30)
    prompt = build_prompt(request, limits=limits)
    body = prompt.context.split("\n\n## Cut to fit")[0]
    assert len(body) <= 1500
    assert "def average" in prompt.context  # the source is never the first thing cut
    assert any(c.startswith("recorded calls: 10 of 40 not shown") for c in prompt.cut)
    assert any("cut to fit 1500 characters" in c for c in prompt.cut)
    assert "## Cut to fit" in prompt.context


def test_long_source_is_cut_around_the_failing_line() -> None:
    request = failure_request(llm_targets.average, [])
    ref = request.report.function
    body = "".join(f"    step_{i} = {i}  # padding line {i}\n" for i in range(400))
    source = "def average(values):\n" + body + "    return sum(values) / len(values)\n"
    long_ref = FunctionRef(
        **{**ref.model_dump(), "source": source, "lastlineno": ref.firstlineno + 401}
    )
    report = request.report.model_copy(
        update={"function": long_ref, "failing_line": ref.firstlineno + 401}
    )
    prompt = build_prompt(
        RepairRequest(report=report, function=llm_targets.average),  # type: ignore[arg-type]
        limits=PromptLimits(source_chars=2000),
    )
    assert "def average(values):" in prompt.context
    assert ">>" in prompt.context
    assert "return sum(values) / len(values)" in prompt.context
    assert "step_399" in prompt.context  # right before the failing line
    assert "step_3 " not in prompt.context  # far from it
    assert "... (lines cut) ..." in prompt.context
    assert any("around the failing line" in c for c in prompt.cut)


def test_report_text_is_redacted_again_even_if_capture_missed_something() -> None:
    request = failure_request(llm_targets.average, [])
    exc = request.report.chain[-1]
    leaky = exc.model_copy(update={
        "message": "boom password=hunter2 Authorization: Bearer abcdef0123456789abcdef",
        "notes": ("token=ghp_" + "a1B2" * 9,),
    })
    call = CallReport(args=("'sk-ant-api03-abcdefghijklmnopqrstuv'",),
                      kwargs={"password": "'hunter2'"})
    report = request.report.model_copy(update={"chain": (leaky,), "failing_call": call})
    prompt = build_prompt(RepairRequest(report=report, function=llm_targets.average))  # type: ignore[arg-type]
    for secret in ("hunter2", "abcdef0123456789abcdef", "ghp_", "sk-ant-api03"):
        assert secret not in prompt.context


def test_patch_schema_suits_strict_structured_output() -> None:
    def check(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object":
                assert node["additionalProperties"] is False
                assert sorted(node["required"]) == sorted(node["properties"])
            for value in node.values():
                check(value)

    schema = patch_schema()
    check(schema)
    assert schema["properties"]["patches"]["items"]["required"] == ["source", "rationale"]


def test_feedback_with_nothing_new_asks_for_different_candidates() -> None:
    text = render_feedback([], labels={}, secrets={}, candidates=2)
    assert "up to 2 different candidates" in text


def test_feedback_of_a_passing_candidate_says_so() -> None:
    cand = Candidate(source=WRONG_AVERAGE, engine="anthropic")
    text = render_feedback([accepted(cand)], labels={cand.id: "c1"}, secrets={}, candidates=1)
    assert "### c1: PASSED" in text


def test_a_method_sees_its_class_and_instance_attributes_first() -> None:
    request = failure_request(llm_targets.Ledger.balance_of, llm_targets.Ledger(), "bob")
    context = build_prompt(request).context.split("## Module context")[1]
    lines = context.splitlines()
    assert lines[1] == "class Ledger:"
    assert "    self.entries: dict[str, list[Decimal]]" in lines
    assert "    def add(self, name: 'str', amount: 'Decimal') -> 'None': ..." in lines
    # A class from the standard library is named, not described.
    assert "from decimal import Decimal" in lines
    assert "class Decimal" not in context


def test_snapshot_what_the_project_taught() -> None:
    """Guidance after the rules; a fix rejected for this failure (with this function's own
    placeholders); an approved fix of a similar failure, its stored secret REDACTED."""
    request = failure_request(
        llm_targets.convert, 10.0, "GBP", api_key="sk-proj-PLANTEDargSECRETabcdef012345"
    )
    undone = Candidate(source=(
        'def convert(amount: float, currency: str, api_key: str = "") -> float:\n'
        '    token = "Bearer PLANTEDlocalTOKEN0123456789xyz"\n'
        "    return round(amount * RATES.get(currency, 1.0), 2) if token else 0.0\n"
    ), engine="offline", kind="neutral")
    before = (
        "def price_in(amount, code):\n"
        '    secret = "sk-ant-api03-PLANTEDstoredSECRETabcdef0123456789"\n'
        "    return round(amount * TABLE[code], 2)\n"
    )
    after = before.replace("    return round(amount * TABLE[code], 2)\n", (
        "    if code not in TABLE:\n"
        '        raise ValueError(f"unknown currency {code!r}")\n'
        "    return round(amount * TABLE[code], 2)\n"))
    similar = Similar(ApprovedFix(
        record_id="5d1e2f3a-0b1c2d3e", qualname="billing.price_in", failure="KeyError",
        message="'XTS'", line="return round(amount * TABLE[code], 2)", before=before,
        after=after, kind="raise"), 0.47)
    request = dataclasses.replace(
        request, undone=(undone,), similar_fixes=(similar,),
        guidance="Unknown currencies raise ValueError.\nNever log tokens such as "
                 "sk-proj-PLANTEDguidanceSECRETabc0123456.")
    prompt = build_prompt(request, allowed_imports=IMPORTS)
    text = full_text(prompt)
    check_snapshot("convert_taught.txt", text)
    for secret in ("PLANTED", "sk-proj-", "sk-ant-"):
        assert secret not in text
    assert prompt.approved_shown == ("5d1e2f3a-0b1c2d3e",) and prompt.guided
    # The rejected fix shows this function's placeholder, which maps back locally.
    (placeholder,) = [k for k, v in prompt.secrets.items() if "PLANTEDlocalTOKEN" in v]
    rejected_part = text.split("## Fixes already rejected", 1)[1].split("\n## ", 1)[0]
    assert placeholder in rejected_part
    assert "RATES.get(currency, 1.0)" in rejected_part
