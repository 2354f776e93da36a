"""Real processes on a project directory: Python code with selfheal, and the CLI.

Shared by the CLI tests that heal in one process and decide in another (imported by
name: unique).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


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
