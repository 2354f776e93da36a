"""Real processes on a project directory: Python code with selfheal, and the CLI.

Shared by the CLI tests that heal in one process and decide in another (imported by
name: unique).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from store_factory import bind_approvals

from selfheal.models import (
    Candidate,
    CandidateOutcome,
    ExceptionReport,
    FailureReport,
    Fingerprint,
    FunctionRef,
    PatchRecord,
    PatchStatus,
    StatusChange,
    Verdict,
)


def python(project: Path, code: str) -> subprocess.CompletedProcess[str]:
    """`python -c code` in `project`, with its modules importable and its store in it."""
    environ = {**os.environ, "SELFHEAL_STORE": str(project / ".selfheal"),
               "PYTHONPATH": str(project)}
    environ.pop("SELFHEAL_CONFIG", None)
    return subprocess.run([sys.executable, "-c", code], cwd=project, env=environ,
                          capture_output=True, text=True, check=False, timeout=120)


def selfheal(project: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """The `selfheal` command on the project's store, in a process of its own."""
    return python(project, "import sys; from selfheal.cli import main; "
                           f"sys.exit(main({['--store', '.selfheal', *argv]!r}))")


def records(project: Path) -> list[dict[str, Any]]:
    """`selfheal list --json`: the project's records, newest first."""
    listed = selfheal(project, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    found: list[dict[str, Any]] = json.loads(listed.stdout)
    return found


def new_project(root: Path, files: dict[str, str]) -> Path:
    """A project directory (pyproject.toml and `files`) with no store yet."""
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\n')
    for name, text in files.items():
        (root / name).write_text(text)
    return root


def decided_record(
    record_id: str,
    function_source: str,
    fix: str,
    *steps: PatchStatus,
    kind: str = "",
    captured_at: datetime | None = None,
) -> PatchRecord:
    """A record of a KeyError in `function_source` whose chosen fix went through `steps`."""
    qualname = function_source.split("(", 1)[0].removeprefix("def ")
    ref = FunctionRef(module="billing", qualname=qualname, filename="billing.py",
                      firstlineno=1, lastlineno=len(function_source.splitlines()),
                      source=function_source,
                      source_hash=FunctionRef.hash_source(function_source))
    at = captured_at or datetime(2026, 11, 1, tzinfo=timezone.utc)
    report = FailureReport(function=ref, captured_at=at,
                           chain=(ExceptionReport(type="builtins.KeyError", message="'x'"),))
    history = tuple(StatusChange(status=s, at=at + timedelta(minutes=i))
                    for i, s in enumerate((PatchStatus.PROPOSED, *steps)))
    chosen = Candidate(source=fix, engine="offline", kind=kind)
    # As the pipeline writes it: the chosen fix is one of the verified candidates, and
    # an approval is bound to the content it covers (the store refuses anything else).
    verified = CandidateOutcome(candidate=chosen, verdict=Verdict(candidate_id=chosen.id, ok=True))
    record = PatchRecord(
        id=record_id, fingerprint=Fingerprint.of(report), status=history[-1].status,
        mode="heal", report=report, history=history, chosen=chosen, candidates=(verified,),
    )
    return bind_approvals(record)
