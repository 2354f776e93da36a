"""The environment form: selfheal in every Python process a program starts.

A pre-fork server's workers are forks of an instrumented process and need nothing more,
but many programs start fresh interpreters: `multiprocessing` with the spawn method
(uvicorn `--workers`), a reloader that re-executes the command (`flask run --reload`),
gunicorn's re-exec on USR2, a task runner's subprocesses. Those are reached through the
environment, the way `opentelemetry-instrument` does it:

* `SELFHEAL_*` variables carry the settings the runner resolved (the configuration file
  it found, an absolute store directory, the include and exclude patterns), so a child
  that changes directory still reads the same ones;
* `PYTHONPATH` starts with `BOOTSTRAP_DIR`, a directory holding nothing but a
  `sitecustomize.py`. Python imports it at start-up; it calls `start()` here, which
  installs the import hook for the `include` patterns, and then runs the
  `sitecustomize` that was there before (a distribution's or the user's own), so
  nothing that used to happen at start-up is lost.

This module owns which variables make up the environment form and what a bootstrapped
process does at start-up. It must not run the program (that is `selfheal run`) and must
never stop a process from starting: any error here is one line on stderr, and the
process runs without selfheal.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["BOOTSTRAP_DIR", "child_environment", "start"]

# Not a package (no __init__.py): nothing in it can shadow a module of the program.
BOOTSTRAP_DIR = str(Path(__file__).resolve().parent / "_bootstrap")
INCLUDE_ENV = "SELFHEAL_INCLUDE"


def _prepend_path(entry: str, existing: str | None) -> str:
    parts = [p for p in (existing or "").split(os.pathsep) if p and p != entry]
    return os.pathsep.join([entry, *parts])


def child_environment(
    environ: Mapping[str, str],
    *,
    include: Sequence[str],
    exclude: Sequence[str],
    store: str,
    config_file: Path | None,
) -> dict[str, str]:
    """The variables to set so every Python process started from here runs selfheal.

    Pure: returns only the variables that change, from `environ` and the settings the
    runner resolved (`store` is made absolute against the working directory now).
    """
    changes: dict[str, str] = {
        "PYTHONPATH": _prepend_path(BOOTSTRAP_DIR, environ.get("PYTHONPATH")),
        "SELFHEAL_STORE": os.path.abspath(store),
    }
    if config_file is not None and "SELFHEAL_CONFIG" not in environ:
        changes["SELFHEAL_CONFIG"] = str(config_file)
    if include:
        changes[INCLUDE_ENV] = ",".join(include)
    if exclude:
        changes["SELFHEAL_EXCLUDE"] = ",".join(exclude)
    return changes


def start() -> None:
    """Install the import hook in a process that is starting (called by sitecustomize).

    Does nothing without `SELFHEAL_INCLUDE` (the runner exports the patterns in effect,
    whatever set them) or with `SELFHEAL_DISABLED=1`. That check costs nothing, and it
    matters: every Python process the program starts runs this, and reading the
    settings means importing their validation. The main module is not known yet at
    start-up, so it is not instrumented: only the modules the patterns name, when they
    are imported.
    """
    if not os.environ.get(INCLUDE_ENV, "").strip():
        return
    try:
        # start-up: every process of a program runs this; the hook loads only when asked for
        from selfheal.entry import importhook

        importhook.install()
    except Exception as exc:  # never keep a process from starting
        sys.stderr.write(
            f"selfheal: not enabled in process {os.getpid()}: {type(exc).__name__}: {exc}\n"
        )
