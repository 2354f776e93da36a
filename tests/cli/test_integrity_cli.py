"""A tampered approved record, end to end with real processes: the CLI and approved mode.

The reported failure: edit `chosen.source` of an approved record by hand, and `show` and
`diff` still displayed the reviewed diff while approved mode ran, and `apply` wrote, the
edited source (`return 4242`). Here every step is a separate `python` process on real
files, as an operator would run them.
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
from store_factory import AVERAGE_FIX, RecordFactory, forge, function_ref

from selfheal.models import PatchRecord, PatchStatus
from selfheal.store.directory import DirectoryStore
from selfheal.store.integrity import approval_of

S = PatchStatus
KEY = "a-signing-key-of-the-operator-0123456789"
EVIL = AVERAGE_FIX.replace("return 0.0", "return 4242")

APP = '''\
from selfheal import self_healing


@self_healing(mode="approved")
def average(values):
    return sum(values) / len(values)
'''

CALL = """
import demo_pkg.approved_app as app
try:
    print("result", app.average(()))
except Exception as exc:  # a catch-all: the program does not expect it
    print("result original", type(exc).__name__)
"""


class Operator:
    """Runs `selfheal ...` and the approved-mode program as real processes."""

    def __init__(self, project: RecordFactory, store: Path, key: str | None) -> None:
        self.project = project
        self.store = store
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SELFHEAL_")}
        self.env.update(SELFHEAL_STORE=str(store), SELFHEAL_USER="alice",
                        SELFHEAL_HYPOTHESIS="false", PYTHONPATH=str(project.project),
                        NO_COLOR="1")
        if key is not None:
            self.env["SELFHEAL_SIGNING_KEY"] = key

    def run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(argv, cwd=self.project.project, env=self.env, text=True,
                              capture_output=True, timeout=60, check=False)

    def selfheal(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return self.run(sys.executable, "-m", "selfheal.cli", *argv)

    def program(self) -> subprocess.CompletedProcess[str]:
        return self.run(sys.executable, "-c", CALL)


def setup(project: RecordFactory, tmp_path: Path, key: str | None = None
          ) -> tuple[Operator, PatchRecord]:
    app = project.package / "approved_app.py"
    app.write_text(APP)
    ref = function_ref(app, "demo_pkg.approved_app", "average")
    record = project.record(ref=ref, fix=AVERAGE_FIX, status=S.VERIFIED)
    DirectoryStore(tmp_path / "store").save(record)
    operator = Operator(project, tmp_path / "store", key)
    approved = operator.selfheal("approve", record.id, "--reason", "checked")
    assert approved.returncode == 0, approved.stderr
    # Before any tampering: approved mode runs the approved fix.
    assert operator.program().stdout.strip() == "result 0.0"
    return operator, record


def edit(operator: Operator, record_id: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = operator.store / "records" / f"{record_id}.json"
    raw = json.loads(path.read_text())
    change(raw)
    path.write_text(json.dumps(raw, indent=1))


@pytest.fixture
def project(tmp_path: Path) -> RecordFactory:
    root = tmp_path / "project"
    root.mkdir()
    return RecordFactory(root)


def test_a_hand_edited_source_is_refused_everywhere(project: RecordFactory,
                                                    tmp_path: Path) -> None:
    operator, record = setup(project, tmp_path)
    app = project.package / "approved_app.py"
    before = app.read_text()
    edit(operator, record.id, lambda raw: raw["chosen"].update(source=EVIL))

    ran = operator.program()
    assert ran.stdout.strip() == "result original ZeroDivisionError"
    assert f"{record.id}.json: edited outside selfheal" in ran.stderr

    for command in ("show", "diff", "apply", "replay", "approve"):
        result = operator.selfheal(command, record.id)
        assert result.returncode == 1, (command, result.stdout)
        assert "edited outside selfheal" in result.stderr, command
        assert "diff shows other code than the chosen source" in result.stderr, command
    listed = operator.selfheal("list")
    assert record.id not in listed.stdout
    assert "edited outside selfheal" in listed.stderr
    assert app.read_text() == before

    removed = operator.selfheal("gc", "--remove", record.id)
    assert removed.returncode == 0
    assert not (operator.store / "records" / f"{record.id}.json").exists()


def test_a_consistent_edit_after_approval_is_shown_and_refused(project: RecordFactory,
                                                               tmp_path: Path) -> None:
    operator, record = setup(project, tmp_path)
    app = project.package / "approved_app.py"
    before = app.read_text()
    edit(operator, record.id, lambda raw: forge(raw, EVIL, project.project))

    shown = operator.selfheal("show", record.id)
    assert shown.returncode == 0
    assert "return 4242" in shown.stdout  # what is shown is what would run
    assert "approval  REFUSED: its content changed after alice approved it" in shown.stdout
    diff = operator.selfheal("diff", record.id)
    assert "return 4242" in diff.stdout

    ran = operator.program()
    assert ran.stdout.strip() == "result original ZeroDivisionError"
    assert "content changed after alice approved it" in ran.stderr

    applied = operator.selfheal("apply", record.id)
    assert applied.returncode == 1
    assert "refusing to apply record" in applied.stderr
    assert app.read_text() == before
    replayed = operator.selfheal("replay", record.id)
    assert replayed.returncode == 1
    assert "refusing to replay record" in replayed.stderr

    # A person who reviewed the new content may reject and approve it again.
    assert operator.selfheal("reject", record.id, "--reason", "not mine").returncode == 0
    again = operator.selfheal("approve", record.id)
    assert again.returncode == 0
    assert operator.program().stdout.strip() == "result 4242"


def test_with_a_key_a_forged_approval_is_refused(project: RecordFactory,
                                                 tmp_path: Path) -> None:
    operator, record = setup(project, tmp_path, key=KEY)
    stored = DirectoryStore(operator.store, signer=None).load(record.id)
    approval = approval_of(stored)
    assert approval is not None
    assert approval.signature.startswith("hmac-sha256:")
    assert KEY not in (operator.store / "records" / f"{record.id}.json").read_text()
    app = project.package / "approved_app.py"
    before = app.read_text()
    # The forger rewrites content and the approval's hash; only the key could re-sign.
    edit(operator, record.id, lambda raw: forge(raw, EVIL, project.project, rehash=True))

    ran = operator.program()
    assert ran.stdout.strip() == "result original ZeroDivisionError"
    assert "signature is invalid" in ran.stderr
    shown = operator.selfheal("show", record.id)
    assert "approval  REFUSED: its approval's signature is invalid" in shown.stdout
    applied = operator.selfheal("apply", record.id)
    assert applied.returncode == 1
    assert "signature is invalid" in applied.stderr
    assert app.read_text() == before

    # Without the key, a signed approval is not trusted either.
    del operator.env["SELFHEAL_SIGNING_KEY"]
    assert "no signing key is configured here" in operator.program().stderr


def test_a_valid_approval_is_applied_once_and_shows_as_covered(project: RecordFactory,
                                                               tmp_path: Path) -> None:
    operator, record = setup(project, tmp_path, key=KEY)
    shown = operator.selfheal("show", record.id)
    assert "approval  covers this content: alice" in shown.stdout
    assert "(signed)" in shown.stdout
    root = str(project.project)
    applied = operator.selfheal("apply", record.id, "--root", root)
    assert applied.returncode == 0, applied.stderr
    assert "return 0.0" in (project.package / "approved_app.py").read_text()
