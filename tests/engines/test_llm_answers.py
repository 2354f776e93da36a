"""Reading a model's answer: the structured payload, cleaning, guesses."""

from __future__ import annotations

import pytest

from selfheal.engines._llm import is_guess, parse_json_text, parse_patches
from selfheal.errors import EngineResponseError

ORIGINAL = (
    "def average(values):\n"
    '    """Mean."""\n'
    "    total = sum(values)\n"
    "    return total / len(values)\n"
)


@pytest.mark.parametrize(
    "candidate",
    [
        "def average(values):\n    if not values:\n        return 0.0\n"
        "    total = sum(values)\n    return total / len(values)\n",
        "def average(values):\n    if len(values) == 0:\n        return None\n"
        "    total = sum(values)\n    return total / len(values)\n",
        "def average(values):\n    try:\n        total = sum(values)\n"
        "        return total / len(values)\n    except ZeroDivisionError:\n"
        "        return float('nan')\n",
        "def average(values):\n    try:\n        total = sum(values)\n"
        "        return total / len(values)\n    except Exception:\n        return -1\n",
    ],
    ids=["guard-zero", "guard-none", "except-nan", "except-minus-one"],
)
def test_constant_guards_and_catch_alls_are_guesses(candidate: str) -> None:
    assert is_guess(ORIGINAL, candidate)


@pytest.mark.parametrize(
    "candidate",
    [
        ORIGINAL,
        "def average(values):\n    if not values:\n        raise ValueError('empty')\n"
        "    total = sum(values)\n    return total / len(values)\n",
        "def average(values):\n    total = sum(values)\n    return total / max(len(values), 1)\n",
        "def average(values):\n    values = list(values)\n    if not values:\n"
        "        return 0.0\n    return sum(values) / len(values)\n",
        "def average(values):\n    if not values:\n        return values[0]\n"
        "    total = sum(values)\n    return total / len(values)\n",
        "not python (",
    ],
    ids=["unchanged", "raises", "changes-logic", "rewritten", "non-constant", "garbage"],
)
def test_real_changes_are_not_guesses(candidate: str) -> None:
    assert not is_guess(ORIGINAL, candidate)


def test_parse_patches_marks_guesses_and_restores_placeholders() -> None:
    guard = (
        "def average(values):\n    if not values:\n        return 0.0\n"
        "    total = sum(values)\n    return total / len(values)\n"
    )
    secret = 'def average(values):\n    key = "__selfheal_redacted_1__"\n    return key\n'
    candidates = parse_patches(
        {"patches": [{"source": guard, "rationale": "empty\nsecond line"},
                     {"source": secret, "rationale": ""}]},
        function_name="average", engine="anthropic", limit=5,
        secrets={"__selfheal_redacted_1__": "real-secret"}, original=ORIGINAL,
    )
    assert [c.guess for c in candidates] == [True, False]
    assert candidates[0].description == "empty"
    assert 'key = "real-secret"' in candidates[1].source


def test_single_patch_without_the_list_is_accepted() -> None:
    (candidate,) = parse_patches({"source": ORIGINAL, "rationale": "x"},
                                 function_name="average", engine="e", limit=3)
    assert candidate.source == ORIGINAL


def test_limit_caps_the_batch() -> None:
    items = [{"source": ORIGINAL.replace("Mean", f"Mean {i}"), "rationale": ""}
             for i in range(5)]
    assert len(parse_patches({"patches": items}, function_name="average", engine="e",
                             limit=2)) == 2


@pytest.mark.parametrize(
    ("text", "ok"),
    [('{"patches": []}', True), ('```json\n{"patches": []}\n```', True),
     ('Here you go: {"patches": []}', False), ('{"patches": [', False), ("", False)],
)
def test_json_text_must_be_the_whole_answer(text: str, ok: bool) -> None:
    if ok:
        assert parse_json_text(text) == {"patches": []}
    else:
        with pytest.raises(EngineResponseError):
            parse_json_text(text)


def test_circuit_opens_after_failures_then_lets_one_probe_through() -> None:
    import time

    from selfheal.engines._llm import Circuit
    from selfheal.errors import EngineUnavailable

    circuit = Circuit(failures=2, cooldown_s=0.05)
    circuit.failure()
    circuit.check("x")  # one failure: still closed
    circuit.failure()
    assert circuit.is_open
    with pytest.raises(EngineUnavailable, match="circuit open"):
        circuit.check("x")
    time.sleep(0.06)
    circuit.check("x")  # cooled down: a probe may go
    circuit.success()
    assert not circuit.is_open
    circuit.check("x")
