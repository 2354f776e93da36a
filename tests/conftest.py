"""Fixtures shared by every test package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from selfheal import config


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    """Each test starts from default settings and leaves none behind."""
    config.reset()
    yield
    config.reset()


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    """A patch store of the test's own; configure() points selfheal at it."""
    path = tmp_path / "store"
    config.configure(store=str(path))
    return path
