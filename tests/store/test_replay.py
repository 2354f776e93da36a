"""Stored inputs and offline replay of a record's verification through the real sandbox."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_factory import RecordFactory, function_ref

from selfheal.heal.replay import replay, resolve_function, stored_call, stored_inputs
from selfheal.models import PatchRecord, PatchStatus

CALC = '''\
import functools


def safe_div(a, b):
    return a / b


class Box:
    @staticmethod
    def halve(x):
        return x / 2

    def method(self):
        return 1


def outer():
    def inner():
        return 1
    return inner


NOT_A_FUNCTION = 3


@functools.wraps(safe_div)
def wrapped(*args):
    return safe_div(*args)
'''

DIV_FIX = '''\
def safe_div(a, b):
    if b == 0:
        return 0.0
    return a / b
'''

WRONG_FIX = '''\
def safe_div(a, b):
    if b == 0:
        return 0.0
    return a // b
'''


# --------------------------------------------------------------------------- stored_call


def test_json_safe_inputs_are_kept() -> None:
    call = stored_call("recorded", (1, "a", [1.5, None], {"k": True}), {"x": 2}, result=[1])
    assert call is not None
    assert call.args == (1, "a", [1.5, None], {"k": True})
    assert call.kwargs == {"x": 2}
    assert call.has_result
    assert call.result == [1]
    failing = stored_call("failing", (1, 0))
    assert failing is not None
    assert not failing.has_result


@pytest.mark.parametrize(
    ("args", "kwargs", "result"),
    [
        (((1, 2),), {}, None),  # a tuple would come back as a list
        ((object(),), {}, None),  # not JSON at all
        ((float("nan"),), {}, None),
        (({1: "a"},), {}, None),  # int keys come back as strings
        ((1,), {}, (1, 2)),  # the result must round-trip too
        (("Bearer abcdefghijklmnopqrstuvwxyz123456",), {}, None),  # looks like a secret
        ((), {"password": "hunter2"}, None),  # named like a secret
        (({"api_key": "x"},), {}, None),
        (("x" * 70_000,), {}, None),  # too big
        (("y" * 2_000,), {}, None),  # one string too long
        ((["z" * 3_000] * 30,), {}, None),  # too big in total
    ],
)
def test_unsafe_inputs_are_not_kept(args: tuple[object, ...], kwargs: dict[str, object],
                                    result: object) -> None:
    assert stored_call("recorded", args, kwargs, result=result) is None


def test_positional_argument_to_a_secret_parameter_is_not_kept() -> None:
    assert stored_call("failing", ("alice", "s3cret"), param_names=("user", "password")) is None
    assert stored_call("failing", ("alice", "x"), param_names=("user", "name")) is not None


def test_stored_calls_survive_a_record_round_trip(make_record: object) -> None:
    call = stored_call("example", ([1, 2],), {"k": {"a": [None]}}, result=1.5)
    assert call is not None
    record = make_record(inputs=(call,))  # type: ignore[operator]
    again = PatchRecord.model_validate_json(record.model_dump_json())
    assert again.inputs == (call,)


# --------------------------------------------------------------------------- resolve


@pytest.fixture
def calc(project: RecordFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordFactory]:
    (project.package / "calc.py").write_text(CALC)
    monkeypatch.syspath_prepend(str(project.project))
    yield project
    for name in [m for m in sys.modules if m == "demo_pkg" or m.startswith("demo_pkg.")]:
        del sys.modules[name]


def test_resolve_function(calc: RecordFactory) -> None:
    assert resolve_function("demo_pkg.calc", "safe_div")(6, 3) == 2.0
    assert resolve_function("demo_pkg.calc", "Box.halve")(4) == 2.0
    assert resolve_function("demo_pkg.calc", "Box.method").__name__ == "method"
    assert resolve_function("demo_pkg.calc", "wrapped").__name__ == "safe_div"  # unwrapped
    with pytest.raises(LookupError, match="inside another function"):
        resolve_function("demo_pkg.calc", "outer.<locals>.inner")
    with pytest.raises(LookupError, match="no attribute 'nope'"):
        resolve_function("demo_pkg.calc", "nope")
    with pytest.raises(LookupError, match="not a function"):
        resolve_function("demo_pkg.calc", "NOT_A_FUNCTION")


# --------------------------------------------------------------------------- replay


def div_record(calc: RecordFactory, fix: str = DIV_FIX, inputs: bool = True) -> PatchRecord:
    ref = function_ref(calc.package / "calc.py", "demo_pkg.calc", "safe_div")
    stored = (
        stored_call("failing", (1, 0)),
        stored_call("recorded", (7, 2), result=3.5),
        stored_call("recorded", (6, 3), result=2.0),
        stored_call("example", (9,), {"b": 3}, result=3.0),
        stored_call("example", (1, 0), result=0.0),
    ) if inputs else ()
    assert all(s is not None for s in stored)
    return calc.record(ref=ref, fix=fix, status=PatchStatus.VERIFIED,
                       inputs=tuple(s for s in stored if s is not None))


def test_replay_holds_for_a_right_patch(calc: RecordFactory) -> None:
    result = replay(div_record(calc))
    assert result.ok, result.message
    assert result.inputs == 5
    assert result.outcome is not None
    layers = {layer.layer: layer for layer in result.outcome.verdict.layers}
    assert layers["failing"].passed
    assert layers["recorded"].passed
    assert layers["recorded"].ran == 2
    assert layers["examples"].passed
    assert layers["examples"].ran == 2
    assert "still holds" in result.message
    assert not result.stale


def test_replay_fails_for_a_wrong_patch(calc: RecordFactory) -> None:
    result = replay(div_record(calc, WRONG_FIX))
    assert not result.ok
    assert result.outcome is not None
    assert result.outcome.verdict.failed_layer == "recorded"
    assert "no longer holds" in result.message


def test_replay_reports_a_changed_function(calc: RecordFactory) -> None:
    record = div_record(calc)
    path = calc.package / "calc.py"
    path.write_text(CALC.replace("return a / b", "return (a / b)"))
    result = replay(record)
    assert result.stale
    assert "changed since the record" in result.message


def test_replay_without_inputs_or_patch_says_why(calc: RecordFactory) -> None:
    result = replay(div_record(calc, inputs=False))
    assert not result.ok
    assert "no stored inputs" in result.message
    no_patch = div_record(calc).model_copy(update={"chosen": None})
    result = replay(no_patch)
    assert not result.ok
    assert "no chosen patch" in result.message


def test_replay_of_a_module_that_is_gone(calc: RecordFactory) -> None:
    record = div_record(calc)
    ref = record.report.function.model_copy(update={"module": "demo_pkg.vanished"})
    record = record.model_copy(update={"report": record.report.model_copy(
        update={"function": ref})})
    result = replay(record)
    assert not result.ok
    assert "cannot load demo_pkg.vanished.safe_div" in result.message


def test_replay_result_paths_are_real(calc: RecordFactory) -> None:
    record = div_record(calc)
    assert Path(record.report.function.filename).is_file()


def test_stored_inputs_of_a_plan(calc: RecordFactory) -> None:
    from selfheal.models import Call, Example, RecordedCall
    from selfheal.verify.plan import VerificationPlan

    function = resolve_function("demo_pkg.calc", "safe_div")
    plan = VerificationPlan(
        function=function,
        target=function_ref(calc.package / "calc.py", "demo_pkg.calc", "safe_div"),
        failing=Call((1, 0)),
        recorded=(RecordedCall(Call((6, 3)), 2.0), RecordedCall(Call(((1,), 1)), (1,))),
        examples=(Example((8, 2), expected=4.0),
                  Example((9, 3), expected=3.0, compare=lambda a, b: abs(a - b) < 1)),
    )
    kept = stored_inputs(plan, param_names=("a", "b"))
    assert [(s.role, s.args, s.result) for s in kept] == [
        ("failing", (1, 0), None),
        ("recorded", (6, 3), 2.0),  # the tuple-valued call is left out
        ("example", (8, 2), 4.0),  # the example with a custom compare is left out
    ]


DECORATED = '''\
from selfheal import self_healing


@self_healing(mode="observe", examples=[((6, 3), 2.0), ((4, 0), 0.0)])
def safe_div(a, b):
    return a / b
'''


def test_replay_uses_the_decorators_examples(calc: RecordFactory) -> None:
    path = calc.package / "decorated.py"
    path.write_text(DECORATED)
    ref = function_ref(path, "demo_pkg.decorated", "safe_div")
    right = calc.record(ref=ref, fix=DIV_FIX, status=PatchStatus.VERIFIED)
    assert right.inputs == ()
    result = replay(right)
    assert result.ok, result.message
    assert result.outcome is not None
    examples = next(r for r in result.outcome.verdict.layers if r.layer == "examples")
    assert examples.ran == 2
    wrong = calc.record(ref=ref, fix=DIV_FIX.replace("return 0.0", "return 1.0"),
                        status=PatchStatus.VERIFIED)
    result = replay(wrong)
    assert not result.ok
    assert result.outcome is not None
    assert result.outcome.verdict.failed_layer == "examples"
