"""Fixtures shared by every test package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from selfheal import config


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--heavy", action="store_true",
                     help="also run the heavy reproductions (minutes to hours each)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Heavy reproductions run the full scale of a reported failure; a fast test of the
    # same behaviour at a smaller scale always runs. They are left out, not skipped.
    if config.getoption("--heavy"):
        return
    heavy = [item for item in items if item.get_closest_marker("heavy")]
    if heavy:
        config.hook.pytest_deselected(items=heavy)
        items[:] = [item for item in items if not item.get_closest_marker("heavy")]


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
