"""Fixtures for the CLI tests: a project with a real buggy module and a store in it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The record factory lives with the store tests; share it rather than copy it.
sys.path.insert(0, str(Path(__file__).parents[1] / "store"))
sys.path.insert(0, str(Path(__file__).parent))

from cli_harness import Env  # noqa: E402
from store_factory import RecordFactory  # noqa: E402

from selfheal import config  # noqa: E402
from selfheal.store.directory import DirectoryStore  # noqa: E402


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Iterator[Env]:
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.chdir(root)
    for name in ("SELFHEAL_STORE", "SELFHEAL_CONFIG", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SELFHEAL_USER", "reviewer")
    config.reset()
    yield Env(RecordFactory(root), DirectoryStore(root / ".selfheal"), capsys)
    for name in [m for m in sys.modules if m == "demo_pkg" or m.startswith("demo_pkg.")]:
        del sys.modules[name]
    config.reset()
