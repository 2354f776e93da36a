"""The static policy: what is rejected before anything runs, and why (as data)."""

from __future__ import annotations

import types

import pytest

from selfheal.verify.policy import (
    DISABLED_BUILTINS,
    SAFE_BUILTINS,
    Violation,
    compile_candidate,
    function_kind,
)
from tests.verify import targets
from tests.verify.support import DEFAULT_IMPORTS

GOOD_AVERAGE = """
def average(values):
    if not values:
        return 0.0
    return sum(values) / len(values)
"""


def rules(source: str, original: types.FunctionType = targets.average,
          imports: tuple[str, ...] = DEFAULT_IMPORTS) -> list[str]:
    compiled, violations = compile_candidate(source, original, imports)
    assert (compiled is None) == bool(violations)
    return [v.rule for v in violations]


def test_a_correct_fix_compiles_to_code_with_the_original_shape() -> None:
    compiled, violations = compile_candidate(GOOD_AVERAGE, targets.average)
    assert violations == ()
    assert compiled is not None
    assert compiled.code.co_name == "average"
    assert compiled.code.co_varnames[:1] == ("values",)
    assert compiled.code in compiled.code_objects
    # the restricted code calls the guards; the plain code does not
    assert "_getattr_" not in compiled.plain_code.co_names


def test_violations_are_data_with_rule_line_and_message() -> None:
    compiled, violations = compile_candidate(
        "def average(values):\n    x = 1\n    return values.__class__\n", targets.average)
    assert compiled is None
    (violation,) = violations
    assert isinstance(violation, Violation)
    assert violation.rule == "restricted"
    assert violation.line == 3
    assert "__class__" in violation.message
    assert str(violation).startswith("[restricted] line 3:")


def test_results_are_cached_by_source() -> None:
    first = compile_candidate(GOOD_AVERAGE, targets.average)
    second = compile_candidate(GOOD_AVERAGE, targets.average)
    assert first is second


def test_a_syntax_error_is_a_violation_not_an_exception() -> None:
    compiled, violations = compile_candidate("def average(values:\n  return", targets.average)
    assert compiled is None
    assert violations[0].rule == "syntax"
    assert violations[0].line == 1


@pytest.mark.parametrize(
    ("source", "rule"),
    [
        ("x = 1\n", "shape"),
        ("def average(values):\n    return 1\ndef other():\n    return 2\n", "shape"),
        ("def mean(values):\n    return 1.0\n", "shape"),
        ("@staticmethod\ndef average(values):\n    return 1.0\n", "shape"),
        ("def average(items):\n    return 1.0\n", "signature"),
        ("def average(values, extra=1):\n    return 1.0\n", "signature"),
        ("def average(values, /):\n    return 1.0\n", "signature"),
        ("def average(*values):\n    return 1.0\n", "signature"),
        ("def average(values):\n    yield 1.0\n", "kind"),
        ("async def average(values):\n    return 1.0\n", "kind"),
    ],
)
def test_the_candidate_keeps_name_signature_and_kind(source: str, rule: str) -> None:
    assert rule in rules(source)


def test_defaults_must_not_change() -> None:
    assert rules("def convert(amount, currency='EUR'):\n    return amount\n",
                 targets.convert) == []
    assert "signature" in rules("def convert(amount, currency):\n    return amount\n",
                                targets.convert)


def test_generator_and_async_originals_need_the_same_kind() -> None:
    assert rules("def count_up(n):\n    yield from range(n)\n", targets.count_up) == []
    assert "kind" in rules("def count_up(n):\n    return list(range(n))\n", targets.count_up)
    assert rules("async def fetch_double(x):\n    return x + x\n", targets.fetch_double) == []
    assert function_kind(targets.fetch_double.__code__) == "coroutine"


def test_closures_keep_the_original_free_variables() -> None:
    compiled, violations = compile_candidate("def scale(x):\n    return x + x\n", targets.scale)
    assert violations == ()
    assert compiled is not None
    assert compiled.code.co_freevars == targets.scale.__code__.co_freevars == ("factor",)
    # installable on a copy of the closure: binds the same cell
    fn = types.FunctionType(compiled.plain_code, targets.scale.__globals__, "scale",
                            None, targets.scale.__closure__)
    assert fn(4) == 8


def test_the_plain_code_of_a_closure_reads_the_cell() -> None:
    compiled, _ = compile_candidate("def scale(x):\n    return x * factor + 1\n", targets.scale)
    assert compiled is not None
    fn = types.FunctionType(compiled.plain_code, targets.scale.__globals__, "scale",
                            None, targets.scale.__closure__)
    assert fn(2) == 7


@pytest.mark.parametrize("name", ["eval", "exec", "open", "vars", "globals", "id", "object",
                                  "SystemExit", "BaseException", "memoryview", "dir"])
def test_disabled_builtins_are_rejected_with_their_reason(name: str) -> None:
    source = f"def average(values):\n    x = {name}\n    return 1.0\n"
    compiled, violations = compile_candidate(source, targets.average)
    assert compiled is None
    messages = " ".join(str(v) for v in violations)
    # eval/exec are also refused by RestrictedPython itself; the others carry our reason
    assert DISABLED_BUILTINS[name] in messages or "not allowed" in messages


def test_every_disabled_builtin_has_a_reason_and_is_not_also_safe() -> None:
    assert all(reason for reason in DISABLED_BUILTINS.values())
    assert not set(DISABLED_BUILTINS) & SAFE_BUILTINS


def test_least_capability_names_the_original_does_not_use() -> None:
    # `json` is a global of the targets module, but average() does not use it
    assert rules("def average(values):\n    return json.loads('1.0')\n") == ["least-capability"]
    # parse_port does use it
    assert rules("def parse_port(text):\n    return int(json.loads(text.strip()))\n",
                 targets.parse_port) == []


def test_module_attributes_are_limited_to_what_the_original_reads() -> None:
    ok = "def run_tool(name):\n    return os.path.basename(name.strip())\n"
    assert rules(ok, targets.run_tool) == []
    bad = "def run_tool(name):\n    return os.system(name)\n"
    assert rules(bad, targets.run_tool) == ["least-capability"]


def test_imports_only_from_the_allowlist() -> None:
    ok = "def average(values):\n    import statistics\n    return statistics.fmean(values)\n"
    assert rules(ok) == []
    for module in ("os", "subprocess", "importlib", "ctypes", "sys"):
        assert "restricted" in rules(f"def average(values):\n    import {module}\n    return 1.0\n")
    assert "restricted" in rules("def average(values):\n    from . import x\n    return 1.0\n")
    assert "restricted" in rules(ok, imports=())


@pytest.mark.parametrize(
    "body",
    [
        "global RATES\n    RATES = {}",
        "class X:\n        pass",
        "x = values.__dict__",
        "x = values.gi_frame",
        "f = lambda _getattr_: 1",
        "_getattr_ = 1",
        "try:\n        pass\n    except* ValueError:\n        pass",
        "getattr = 1",
    ],
)
def test_restricted_constructs(body: str) -> None:
    assert rules(f"def average(values):\n    {body}\n    return 1.0\n")


def test_positional_only_parameter_named_like_a_guard_is_rejected() -> None:
    src = "def average(values):\n    def inner(_getattr_, /):\n        return 1\n    return 1.0\n"
    assert "restricted" in rules(src)


def test_augmented_assignment_to_items_and_attributes_is_supported() -> None:
    # RestrictedPython refuses these; fixes need them (counters, accumulators)
    src = ("def average(values):\n    totals = {'n': 0, 's': [0]}\n"
           "    for v in values:\n        totals['n'] += 1\n        totals['s'][0] += v\n"
           "    if not totals['n']:\n        return 0.0\n    return totals['s'][0] / totals['n']\n")
    compiled, violations = compile_candidate(src, targets.average)
    assert violations == ()
    assert compiled is not None
    from selfheal.verify.guards import GuardState, make_guards

    namespace = dict(targets.average.__globals__)
    namespace.update(make_guards(GuardState(live=True)))
    fn = types.FunctionType(compiled.code, namespace, "average")
    assert fn([1, 2, 3]) == 2.0
    assert fn([]) == 0.0


def test_augmented_assignment_keeps_the_attribute_rules() -> None:
    assert "restricted" in rules("def average(values):\n    values.__dict__ += 1\n    return 1.0\n")
    assert "write" in rules("def average(values):\n    sum.x += 1\n    return 1.0\n")
