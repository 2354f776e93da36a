"""The in-process `selfheal` runner the CLI tests use (imported by name: unique)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from store_factory import RecordFactory

from selfheal.cli import main
from selfheal.store.directory import DirectoryStore


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Env:
    factory: RecordFactory
    store: DirectoryStore
    capsys: pytest.CaptureFixture[str]

    @property
    def root(self) -> Path:
        return self.factory.project

    def run(self, *argv: str, store: bool = True) -> Result:
        """`selfheal [--store STORE] argv...` in this process."""
        self.capsys.readouterr()
        args = ["--store", str(self.store.root), *argv] if store else list(argv)
        code = main(args)
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)
