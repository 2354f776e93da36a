"""Fixtures of the instrumentation tests."""

from __future__ import annotations

import importlib
import os
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from selfheal import config
from selfheal.entry import importhook


class Packages:
    """Writes packages under a sys.path entry and forgets them afterwards."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tops: set[str] = set()

    def write(self, files: dict[str, str]) -> None:
        for rel, text in files.items():
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
            self.tops.add(rel.split("/")[0].removesuffix(".py"))
        importlib.invalidate_caches()

    def forget(self) -> None:
        for name in list(sys.modules):
            if name.split(".")[0] in self.tops:
                del sys.modules[name]


@pytest.fixture
def packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Packages]:
    for var in list(os.environ):
        if var.startswith("SELFHEAL_"):
            monkeypatch.delenv(var)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    config.reset()
    root = tmp_path / "src"
    root.mkdir()
    sys.path.insert(0, str(root))
    pkgs = Packages(root)
    try:
        yield pkgs
    finally:
        importhook.uninstall()
        sys.path.remove(str(root))
        pkgs.forget()
        config.reset()
