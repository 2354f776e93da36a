"""`selfheal repair module:function --examples FILE.json`: a real module on disk, the real
CLI entry point, the diff on stdout and the exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from selfheal.cli import main

MODULE = """\
def mean(xs):
    total = 0
    for x in xs:
        total += x
    return total / len(xs) - 1


def shout(message):
    return message.uper() + "!"
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    (tmp_path / "statsmod_cli.py").write_text(MODULE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    sys.modules.pop("statsmod_cli", None)


def test_repair_prints_the_diff_of_a_verified_patch(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    examples = project / "examples.json"
    examples.write_text(json.dumps([[[[1, 2, 3]], 2.0], {"args": [[4]], "expected": 4.0}]))
    code = main(["repair", "statsmod_cli:mean", "--examples", str(examples)])
    out = capsys.readouterr().out
    assert code == 0
    assert "verified patch for statsmod_cli:mean" in out
    assert "-    return total / len(xs) - 1\n+    return total / len(xs)\n" in out
    # Nothing is installed or written: the module on disk is unchanged.
    assert (project / "statsmod_cli.py").read_text() == MODULE


def test_repair_from_a_failing_call_with_json_output(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    examples = project / "examples.json"
    examples.write_text(json.dumps([{"args": ["ok"], "expected": "OK!"}]))
    code = main(
        [
            "repair",
            "statsmod_cli:shout",
            "--failing",
            '["hey"]',
            "--examples",
            str(examples),
            "--json",
        ]
    )
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    assert summary["ok"] is True
    assert "message.upper()" in summary["source"]
    assert summary["guess"] is False


def test_no_patch_exits_1_and_says_why(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    examples = project / "examples.json"
    examples.write_text(json.dumps([[[[1, 2, 3]], 1.0]]))  # the original already returns 1.0
    code = main(["repair", "statsmod_cli:mean", "--examples", str(examples)])
    assert code == 1
    assert "no verified patch" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["repair", "statsmod_cli"],  # no function
        ["repair", "statsmod_cli:nope", "--failing", "[1]"],
        ["repair", "no_such_module_xyz:f", "--failing", "[1]"],
        ["repair", "statsmod_cli:mean", "--failing", "{not json"],
        ["repair", "statsmod_cli:mean"],  # nothing to check
    ],
)
def test_usage_errors_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("selfheal: ")


def test_the_installed_entry_point_runs_it(project: Path) -> None:
    examples = project / "examples.json"
    examples.write_text(json.dumps([[[[2, 4]], 3.0]]))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "selfheal.cli",
            "repair",
            "statsmod_cli:mean",
            "--examples",
            str(examples),
        ],
        capture_output=True,
        text=True,
        cwd=project,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "+    return total / len(xs)" in done.stdout
