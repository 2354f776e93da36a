from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest

from selfheal import budget
from tests.scenarios.runtime import buggy


@pytest.fixture(autouse=True)
def _fresh_budgets() -> Iterator[None]:
    budget.reset_all()
    yield
    budget.reset_all()


@pytest.fixture
def mod():
    """A fresh copy of the scenario module (instrumentation happens in place)."""
    return importlib.reload(buggy)
