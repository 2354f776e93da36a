"""The red-team corpus (tests/verify/attacks/redteam.py), run as an attacker would see it.

Each mode runs the whole corpus once, in a fresh process whose environment holds a
planted secret; every payload runs in its own forked child of it. The plain run shows
that each payload really attacks when nothing stands in its way.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.verify.attacks.redteam import ALL, CONTROLS, PAYLOADS, Payload, plant_secrets

ROOT = Path(__file__).resolve().parents[2]


def _run(mode: str, tmp: Path) -> dict[str, dict[str, Any]]:
    out = tmp / f"{mode}.json"
    env = plant_secrets(dict(os.environ))
    proc = subprocess.run(
        [sys.executable, "-m", "tests.verify.attacks.redteam", "--mode", mode, "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    reports = json.loads(out.read_text())
    return {r["name"]: r for r in reports}


def corpus_run(mode: str) -> Callable[[pytest.TempPathFactory], dict[str, dict[str, Any]]]:
    @pytest.fixture(scope="module")
    def fixture(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
        return _run(mode, tmp_path_factory.mktemp(f"redteam-{mode}"))

    return fixture


plain_run = corpus_run("plain")


def kinds(report: dict[str, Any]) -> set[str]:
    found = {h.partition(":")[0] for phase in report["harm"].values() for h in phase}
    if report["leaks"]:
        found.add("leak")
    return found


def test_the_corpus_covers_every_class_of_the_threat_model() -> None:
    assert len(PAYLOADS) >= 40
    assert {p.cls for p in PAYLOADS} >= {
        "type-class", "hostile-dunder", "process", "module-dict", "memo", "process-context",
        "environ", "argument", "logic-bomb", "resources", "leak"}
    assert len({p.name for p in ALL}) == len(ALL)


@pytest.mark.parametrize("payload", PAYLOADS, ids=[p.name for p in PAYLOADS])
def test_without_a_sandbox_the_payload_really_attacks(
    payload: Payload, plain_run: dict[str, dict[str, Any]]
) -> None:
    report = plain_run[payload.name]
    assert payload.harm in kinds(report), report


@pytest.mark.parametrize("control", CONTROLS, ids=[c.name for c in CONTROLS])
def test_the_honest_fix_does_no_harm_even_without_a_sandbox(
    control: Payload, plain_run: dict[str, dict[str, Any]]
) -> None:
    # the harness itself sees no harm where there is none
    report = plain_run[control.name]
    assert kinds(report) == set(), report
    assert report["verdict"] == "accepted"


repair_run = corpus_run("repair")
heal_run = corpus_run("heal")
MODES = ("repair", "heal")


def _run_of(mode: str, request: pytest.FixtureRequest) -> dict[str, dict[str, Any]]:
    return request.getfixturevalue(f"{mode}_run")  # type: ignore[no-any-return]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("payload", PAYLOADS, ids=[p.name for p in PAYLOADS])
def test_through_the_sandbox_the_payload_harms_nothing_and_leaks_nothing(
    payload: Payload, mode: str, request: pytest.FixtureRequest
) -> None:
    # no file touched, no host state changed, no wrong answer handed to a caller, no
    # call hanging or eating memory, no form of the secret in any output: not during
    # verification, not in the service's later calls
    report = _run_of(mode, request)[payload.name]
    assert kinds(report) == set(), report
    # and it never went live unless the harm it aims at was taken from it there
    if payload.cls not in ("resources",):
        assert report["verdict"] in ("not ok", "not live"), report


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("control", CONTROLS, ids=[c.name for c in CONTROLS])
def test_the_honest_fix_still_heals(
    control: Payload, mode: str, request: pytest.FixtureRequest
) -> None:
    report = _run_of(mode, request)[control.name]
    assert report["verdict"] == ("ok" if mode == "repair" else "live"), report
    assert kinds(report) == set(), report


@pytest.mark.parametrize("mode", MODES)
def test_a_payload_held_back_by_the_effect_rule_says_which_rule(
    mode: str, request: pytest.FixtureRequest
) -> None:
    reports = _run_of(mode, request)
    held = {name: r["detail"] for name, r in reports.items() if "effect rule" in r["detail"]}
    # writes to os.environ pass every check in the child (they fire on an untested input)
    assert {p.name for p in PAYLOADS if p.cls == "environ"} <= set(held)
    assert all("[environ]" in detail for name, detail in held.items() if "PATH" in name)
