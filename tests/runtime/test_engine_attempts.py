"""Every attempt becomes a record, also when the engine hangs or raises a BaseException.

Reported: an engine that hung, or raised something outside Exception, left no record,
although every attempt is documented to become one. The search now runs each engine call
in a thread of its own and waits for it only until the heal's deadline.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from selfheal import configure, self_healing
from selfheal.models import Candidate, Usage
from selfheal.store.directory import DirectoryStore
from tests.failing import raised

FIX = "def find(key):\n    return key\n"


class Forever(BaseException):
    """Not an Exception: what an engine's own code might raise by mistake."""


class Engine:
    name = "faulty"

    def __init__(self, when: str, fault: Any) -> None:
        self.when, self.fault = when, fault
        self.released = threading.Event()

    def open(self, request: Any) -> Engine:
        if self.when == "open":
            self.fault(self)
        return self

    def next_batch(self, feedback: Any) -> list[Candidate]:
        if self.when == "batch":
            self.fault(self)
        return [] if feedback else [Candidate(source=FIX, engine=self.name)]

    @property
    def usage(self) -> Usage:
        return Usage(engine=self.name)


def hang(engine: Engine) -> None:
    engine.released.wait(30)  # "forever", as far as the heal is concerned


def raise_(error: BaseException) -> Any:
    def fault(engine: Engine) -> None:
        raise error
    return fault


CASES = [
    ("open", hang, "did not answer within the budget; abandoned"),
    ("batch", hang, "did not answer within the budget; abandoned"),
    ("open", raise_(SystemExit(3)), "raised SystemExit"),
    ("batch", raise_(KeyboardInterrupt()), "raised KeyboardInterrupt"),
    ("batch", raise_(Forever("boom")), "raised Forever"),
]


@pytest.mark.parametrize(("when", "fault", "said"), CASES,
                         ids=["open-hangs", "batch-hangs", "open-SystemExit",
                              "batch-KeyboardInterrupt", "batch-BaseException"])
def test_the_attempt_is_recorded_and_the_caller_gets_its_exception(
        mod: Any, store_dir: Path, when: str, fault: Any, said: str) -> None:
    configure(budget_s=0.5, hypothesis=False)
    engine = Engine(when, fault)
    self_healing(engine=engine, examples=[(("a",), "a")])(mod.find)
    started = time.monotonic()
    try:
        error = raised(LookupError, mod.find, "k")
    finally:
        engine.released.set()
    assert error is mod.ERR
    assert time.monotonic() - started < 0.5 + 2  # the budget and the leader's grace
    (note,) = error.__notes__
    assert said in note
    (record,) = DirectoryStore(store_dir).list()
    assert record.id in note
    assert said in record.note


PROGRAM = """
import sys
from selfheal import configure, self_healing

def engine(report):
    raise SystemExit("an engine that exits")

configure(store=sys.argv[1], budget_s=1, hypothesis=False)

@self_healing(engine=engine)
def ratio(a, b):
    return a / b

try:
    ratio(1, 0)
except Exception as exc:  # a catch-all: the program does not expect it
    print(f"caller got {type(exc).__name__}:", exc.__notes__[0])
print("the program goes on")
"""


def test_an_engine_calling_sys_exit_neither_ends_the_program_nor_loses_the_record(
        tmp_path: Path) -> None:
    store = tmp_path / "store"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SELFHEAL_")}
    program = tmp_path / "exits.py"
    program.write_text(PROGRAM)
    done = subprocess.run([sys.executable, str(program), str(store)], capture_output=True,
                          text=True, timeout=60, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert "caller got ZeroDivisionError" in done.stdout
    assert "raised SystemExit" in done.stdout
    assert done.stdout.rstrip().endswith("the program goes on")
    (record,) = DirectoryStore(store).list()
    assert "raised SystemExit" in record.note
