"""selfheal's start-up hook, for processes started with the environment form.

This directory is put first on `PYTHONPATH` by `selfheal run` (and `selfheal env`), so
Python imports this file at start-up instead of any other `sitecustomize`. It first
runs the `sitecustomize` this one hides, if there is one, exactly as Python would have,
then starts selfheal (`selfheal.entry.bootstrap.start`). An interpreter without
selfheal installed (another virtual environment, another Python) only gets the first
part.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys

_HERE = os.path.dirname(os.path.realpath(__file__))


def _run_hidden_sitecustomize() -> None:
    """Run the next `sitecustomize` on sys.path, as the module `sitecustomize`."""
    others = [p for p in sys.path if os.path.realpath(p or os.curdir) != _HERE]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", others)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    # Code that looks for `sys.modules["sitecustomize"]` finds the one it knows.
    sys.modules["sitecustomize"] = module
    spec.loader.exec_module(module)


def _start_selfheal() -> None:
    if importlib.util.find_spec("selfheal") is None:
        return  # not installed for this interpreter: it runs without selfheal
    try:
        # at run time: selfheal may be missing or broken for this interpreter (checked above)
        from selfheal.entry.bootstrap import start
    except Exception as exc:  # installed but broken: say so, and start anyway
        sys.stderr.write(f"selfheal: not enabled in this process: {type(exc).__name__}: {exc}\n")
        return
    start()


try:
    # An error in the other file propagates: `site` reports it as it always would.
    _run_hidden_sitecustomize()
finally:
    _start_selfheal()
