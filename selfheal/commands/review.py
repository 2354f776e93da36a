"""The `selfheal review` command (being written; registers nothing yet)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: argparse._SubParsersAction[Any]) -> None:
    return None
