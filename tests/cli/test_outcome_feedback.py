"""A fix a person rejected is never proposed again for that failure, in any process.

Real heals in real processes on a real module file: the offline engine heals a failure,
`selfheal reject` (a process of its own) says no, and then the same failure in a new
process must not try that fix again: not from the offline engine, which would propose it
first, and not from another engine that writes the same fix in other text.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from heal_process import decided_record, new_project, python, records, selfheal

from selfheal.heal.outcomes import fix_key, past_outcomes
from selfheal.models import Candidate, PatchRecord, PatchStatus

MODULE = '''\
from selfheal import self_healing


@self_healing(mode="heal", examples=[(([2.0, 4.0],), 3.0), (([],), 0.0)])
def average(values):
    return sum(values) / len(values)
'''

# Another engine: the rejected fix again, reformatted with a docstring and a comment,
# then a different fix. Only the second may be tried.
OTHER_ENGINE = '''\
REJECTED = {rejected!r}


def reformatted():
    head, rest = REJECTED.split("\\n", 1)
    body = rest.replace("    return 0.0", "    return 0.0   # nothing to average")
    return head + "\\n    \\"\\"\\"The mean.\\"\\"\\"\\n\\n" + body


def engine(report):
    return [
        reformatted(),
        "def average(values):\\n"
        "    return sum(values) / len(values) if values else 0.0\\n",
    ]
'''
# The same function with that engine: only the decorator differs, so the failure (whose
# identity is the def's source, not its decorators) is the same one.
MODULE_WITH_OTHER_ENGINE = MODULE.replace(
    "from selfheal import self_healing\n",
    "from selfheal import self_healing\nfrom other_engine import engine\n",
).replace('mode="heal",', 'mode="heal", engine=engine,')

CALL = "import avg\nprint(repr(avg.average([])))\n"


def _tried(record: dict[str, Any]) -> list[str]:
    return [fix_key(o["candidate"]["source"]) for o in record["candidates"]]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return new_project(tmp_path / "project", {"avg.py": MODULE})


def test_a_rejected_fix_is_never_tried_again_by_any_engine(project: Path) -> None:
    first = python(project, CALL)
    assert first.returncode == 0, first.stderr
    assert first.stdout == "0.0\n"  # healed
    (healed,) = records(project)
    assert healed["status"] == "live"
    rejected = healed["chosen"]
    assert rejected["engine"] == "offline" and rejected["kind"]  # the engine names the kind

    done = selfheal(project, "reject", healed["id"], "--reason", "hides an empty input")
    assert done.returncode == 0, done.stderr

    # The offline engine proposes the same fix first; a new process must skip it.
    second = python(project, CALL)
    assert second.returncode == 1
    assert "ZeroDivisionError" in second.stderr  # nothing else verified: the original error
    newest = records(project)[0]
    assert newest["id"] != healed["id"]
    assert newest["fingerprint"] == healed["fingerprint"]
    assert fix_key(rejected["source"]) not in _tried(newest)

    # Another engine, the same fix in other text: not tried; its other fix goes live.
    (project / "other_engine.py").write_text(OTHER_ENGINE.format(rejected=rejected["source"]))
    (project / "avg.py").write_text(MODULE_WITH_OTHER_ENGINE)
    third = python(project, CALL)
    assert third.returncode == 0, third.stderr
    assert third.stdout == "0.0\n"
    latest = records(project)[0]
    assert latest["fingerprint"] == healed["fingerprint"]
    assert latest["status"] == "live"
    assert [o["candidate"]["source"] for o in latest["candidates"]] == [
        "def average(values):\n    return sum(values) / len(values) if values else 0.0\n"]

    # The outcomes are in the figures: one live patch of the offline engine was rejected.
    stats = selfheal(project, "stats", "--json")
    data = json.loads(stats.stdout)
    assert data["by_engine"]["offline"]["rejected"] == 1
    assert data["by_engine"]["offline"]["false_fixes"] == 1
    assert data["by_kind"][rejected["kind"]]["rejected"] == 1
    assert (data["records"], data["failures"], data["healed_failures"]) == (3, 1, 1)
    assert data["false_fix"] == {"live": 2, "false": 1, "rate": 0.5}


def test_a_rolled_back_fix_from_another_process_is_excluded(project: Path) -> None:
    first = python(project, CALL)
    assert first.returncode == 0, first.stderr
    (healed,) = records(project)
    # What the runtime of another process does when its live patch misbehaves.
    rollback = python(project, textwrap.dedent(f"""
        from selfheal.models import PatchStatus
        from selfheal.store import open_store
        open_store(".selfheal").transition({healed["id"]!r}, PatchStatus.ROLLED_BACK,
                                           reason="raised later")
    """))
    assert rollback.returncode == 0, rollback.stderr
    again = python(project, CALL)
    newest = records(project)[0]
    assert newest["id"] != healed["id"]
    assert fix_key(healed["chosen"]["source"]) not in _tried(newest)
    assert again.returncode == (0 if newest["status"] == "live" else 1)


# --------------------------------------------------------------------------- the pieces

FIX = (
    "def average(values):\n    if not values:\n        return 0.0\n"
    "    return sum(values) / len(values)\n"
)


def test_fix_key_is_the_syntax_not_the_text() -> None:
    same = [
        FIX,
        FIX.replace("return 0.0", "return 0.0  # empty"),
        FIX.replace("def average(values):\n", 'def average(values):\n    """Mean."""\n'),
        FIX.replace("sum(values) / len(values)", "(sum(values)) / len( values )"),
        textwrap.indent(FIX, "    "),
    ]
    assert len({fix_key(s) for s in same}) == 1
    assert fix_key(FIX.replace("0.0", "None")) != fix_key(FIX)
    # Source that does not parse is one fix up to whitespace, never equal to a parsed one.
    assert fix_key("def f(:\n  pass") == fix_key("def f(:   pass")
    assert fix_key("def f(:\n  pass") != fix_key("def f(:\n  return")


def _decided(status: PatchStatus, source: str, record_id: str) -> PatchRecord:
    return decided_record(record_id, FIX, source, status)


def test_past_outcomes_exclude_by_fix_and_do_not_reuse_an_excluded_fix() -> None:
    reformatted = FIX.replace("return 0.0", "return 0.0  # again")
    past = past_outcomes([
        _decided(PatchStatus.REJECTED, FIX, "a"),
        # Live elsewhere, but the same fix a person rejected: not preferred.
        _decided(PatchStatus.LIVE, reformatted, "b"),
        _decided(PatchStatus.APPROVED, FIX.replace("0.0", "0"), "c"),
    ], rejected_here=["rolled-back-here"])
    assert past.excludes(Candidate(source=reformatted, engine="anthropic"))
    assert past.excluded_ids == {Candidate(source=FIX, engine="x").id, "rolled-back-here"}
    assert [c.source for c in past.preferred] == [FIX.replace("0.0", "0")]
    assert not past.excludes(Candidate(source=FIX.replace("0.0", "0"), engine="offline"))
