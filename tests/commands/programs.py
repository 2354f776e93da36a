"""Running real programs in child processes, bare and under `selfheal run`, to compare them."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

# The CLI as the console script runs it; `-c` keeps the runner's module out of `-m`.
CLI = "import sys; from selfheal.cli import main; sys.exit(main())"


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The test's environment without selfheal's variables or PYTHONPATH, store in tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SELFHEAL_")}
    env["SELFHEAL_STORE"] = str(tmp_path / "store")
    env.pop("PYTHONPATH", None)
    env.update(extra)
    return env


def selfheal_command(*args: str) -> list[str]:
    return [sys.executable, "-c", CLI, *args]


def _run(
    command: list[str], cwd: Path, env: dict[str, str] | None, stdin: str | None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        check=False,
        cwd=cwd,
        env=env or clean_env(cwd),
        capture_output=True,
        text=True,
        timeout=60,
        input=stdin,
    )


def selfheal(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`selfheal ARGS...` in tmp_path, with a clean environment (or `env`)."""
    return _run(selfheal_command(*args), tmp_path, env, stdin)


def python(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`python ARGS...` in tmp_path, the same way: what selfheal run must match."""
    return _run([sys.executable, *args], tmp_path, env, stdin)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path
