"""Fixtures for the store tests: a project directory with a real buggy module."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

# The factory module is shared with tests/cli; make it importable whatever the rootdir.
sys.path.insert(0, str(Path(__file__).parent))

from store_factory import RecordFactory  # noqa: E402

from selfheal.models import PatchRecord  # noqa: E402


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RecordFactory:
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.chdir(root)
    return RecordFactory(root)


@pytest.fixture
def make_record(project: RecordFactory) -> Callable[..., PatchRecord]:
    return project.record
