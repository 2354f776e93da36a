"""The project's decisions per fix kind reorder the offline engine, as `selfheal show` says.

The failure (a nested key missing in one item of a loop) has fixes of several kinds that
pass every check: `neutral` (the missing value read as the neutral 0; the engine's first
choice) and `skip` (skip items that raise KeyError) among them. In a project whose people
approved four `skip` fixes and rejected two `neutral` fixes, the same failure heals with
`skip`, and the record explains why.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from heal_process import decided_record, new_project, python, records, selfheal

from selfheal.models import Candidate, PatchRecord, PatchStatus
from selfheal.priors import MAX_WEIGHT, KindCount, KindPriors, decision, fix_kind, kind_priors
from selfheal.store import open_store

S = PatchStatus

MODULE = '''\
from selfheal import self_healing

DATA = {"a": {"x": 1}, "b": {}}


@self_healing(mode="heal", examples=[((DATA, "x"), 1), (({"a": {"x": 2}, "b": {"x": 3}}, "x"), 5)])
def total(d, key):
    result = 0
    for k in d:
        result += d[k][key]
    return result
'''

CALL = "import totals\nprint(totals.total(totals.DATA, 'x'))\n"


def _decided(n: int, kind: str, *steps: PatchStatus) -> PatchRecord:
    """A decided record about some other function of the project, its fix of `kind`."""
    source = f"def other{n}(x):\n    return x + {n}\n"
    return decided_record(f"seed{n:02d}", source, source.replace("+", "-"), *steps, kind=kind,
                          captured_at=datetime(2026, 11, 1, n, tzinfo=timezone.utc))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return new_project(tmp_path / "project", {"totals.py": MODULE})


def _heal(project: Path) -> dict[str, object]:
    done = python(project, CALL)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "1\n"
    newest = records(project)[0]
    assert newest["status"] == "live"
    chosen = newest["chosen"]
    assert isinstance(chosen, dict)
    return newest


def test_without_decisions_the_engine_chooses_its_neutral_default(project: Path) -> None:
    record = _heal(project)
    chosen = record["chosen"]
    assert isinstance(chosen, dict)
    assert chosen["kind"] == "neutral"
    assert "project prior" not in chosen["rationale"]


def test_approved_kinds_rank_first_and_show_says_why(project: Path) -> None:
    store = open_store(project / ".selfheal")
    for n in range(4):
        store.save(_decided(n, "skip", S.VERIFIED, S.APPROVED))
    store.save(_decided(4, "neutral", S.VERIFIED, S.LIVE, S.REJECTED))
    store.save(_decided(5, "neutral", S.VERIFIED, S.LIVE, S.ROLLED_BACK))
    store.save(_decided(6, "neutral", S.VERIFIED))  # no decision: not counted

    record = _heal(project)
    chosen = record["chosen"]
    assert isinstance(chosen, dict)
    assert chosen["kind"] == "skip"
    because = ("project prior x5.00: 4 approved, 0 rejected or rolled back fixes of kind "
               "'skip' in this project")
    assert because in chosen["rationale"]
    shown = selfheal(project, "show", str(record["id"]))
    assert shown.returncode == 0, shown.stderr
    assert f"ranked: {chosen['rationale']}" in shown.stdout
    assert because in shown.stdout


# --------------------------------------------------------------------------- the formula


def test_weights_are_smoothed_odds_within_bounds() -> None:
    priors = KindPriors({"skip": KindCount(4, 0), "guard": KindCount(0, 2),
                         "typo": KindCount(9, 0), "none": KindCount(0, 30),
                         "even": KindCount(2, 2)})
    assert priors.weight("skip") == 5.0
    assert priors.weight("guard") == pytest.approx(1 / 3)
    assert priors.weight("typo") == MAX_WEIGHT  # (9 + 1) / 1, kept at the bound
    assert priors.weight("none") == 1 / MAX_WEIGHT
    assert priors.weight("even") == 1.0
    assert priors.weight("never-decided") == 1.0
    assert priors.explain("never-decided") == ""
    assert priors.explain("guard") == ("project prior x0.33: 0 approved, 2 rejected or rolled "
                                       "back fixes of kind 'guard' in this project")


def test_what_counts_as_a_decision() -> None:
    assert decision(_decided(0, "k", S.VERIFIED, S.APPROVED)) is True
    assert decision(_decided(1, "k", S.VERIFIED, S.APPROVED, S.LIVE)) is True
    assert decision(_decided(2, "k", S.VERIFIED, S.LIVE)) is None  # the runtime, not a person
    assert decision(_decided(3, "k", S.VERIFIED, S.LIVE, S.ROLLED_BACK)) is False
    assert decision(_decided(4, "k", S.VERIFIED, S.APPROVED, S.REJECTED)) is False
    assert decision(_decided(5, "k", S.VERIFIED, S.REJECTED, S.APPROVED)) is True  # taken back
    assert decision(_decided(6, "k", S.VERIFIED)) is None
    counted = kind_priors([
        _decided(0, "skip", S.VERIFIED, S.APPROVED),
        _decided(1, "", S.VERIFIED, S.REJECTED),  # an engine that names no kind
        _decided(2, "skip", S.VERIFIED, S.LIVE, S.ROLLED_BACK),
        _decided(3, "skip", S.VERIFIED),
    ])
    assert dict(counted.counts) == {"skip": KindCount(1, 1), "unlabelled": KindCount(0, 1)}


def test_fix_kind_from_the_field_or_an_old_records_rationale() -> None:
    source = "def f(x):\n    return x\n"
    assert fix_kind(Candidate(source=source, engine="offline", kind="zero")) == "zero"
    old = Candidate(source=source, engine="offline",
                    rationale="line score 1.00; operator guard; prior 0.50")
    assert fix_kind(old) == "guard"
    assert fix_kind(Candidate(source=source, engine="anthropic")) == "unlabelled"
