"""Never worse: with any stage failing, the caller gets a verified result or its own
exception object with its own traceback, and no selfheal error escapes.

Each case injects one fault (raise, hang, garbage) into one stage, then calls a
decorated function that fails. Without the fault the engine's candidate heals it.
"""

from __future__ import annotations

import errno
import os
import time
import traceback
from collections.abc import Callable
from typing import Any

import pytest

from selfheal import configure, self_healing
from selfheal.errors import SelfHealError
from selfheal.models import Candidate
from selfheal.store.directory import DirectoryStore
from tests.failing import raised

FIX = "def find(key):\n    return key\n"


class _Session:
    def __init__(self, batch: Callable[[], Any]) -> None:
        self._batch = batch
        self._done = False

    def next_batch(self, feedback: Any) -> Any:
        if self._done:
            return []
        self._done = True
        return self._batch()

    @property
    def usage(self) -> Any:
        from selfheal.models import Usage

        return Usage(engine="faulty")


class FaultyEngine:
    name = "faulty"

    def __init__(
        self, open_fault: Callable[[], Any] | None = None, batch: Callable[[], Any] | None = None
    ) -> None:
        self.open_fault = open_fault
        self.batch = batch or (lambda: [Candidate(source=FIX, engine="faulty")])

    def open(self, request: Any) -> _Session:
        if self.open_fault is not None:
            self.open_fault()
        return _Session(self.batch)


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("injected fault")


def _hang(*args: Any, **kwargs: Any) -> Any:
    time.sleep(4)
    raise RuntimeError("woke up")


def _garbage(*args: Any, **kwargs: Any) -> Any:
    return object()


def _full_disk(self: Any, path: Any, data: bytes) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _kill_worker() -> None:
    os.kill(os.getpid(), 9)


# (name, how to inject it, healable despite the fault?)
FAULTS: list[tuple[str, Callable[[pytest.MonkeyPatch, Any], dict[str, Any]], bool]] = [
    (
        "capture raises",
        lambda mp, m: mp.setattr("selfheal.heal.capture.capture_exception", _boom) or {},
        False,
    ),
    (
        "capture hangs",
        lambda mp, m: mp.setattr("selfheal.heal.capture.capture_exception", _hang) or {},
        False,
    ),
    (
        "capture returns garbage",
        lambda mp, m: mp.setattr("selfheal.heal.capture.capture_exception", _garbage) or {},
        False,
    ),
    ("engine open raises", lambda mp, m: {"engine": FaultyEngine(open_fault=_boom)}, False),
    ("engine open hangs", lambda mp, m: {"engine": FaultyEngine(open_fault=_hang)}, False),
    ("engine batch raises", lambda mp, m: {"engine": FaultyEngine(batch=_boom)}, False),
    ("engine batch hangs (timeout)", lambda mp, m: {"engine": FaultyEngine(batch=_hang)}, False),
    (
        "engine returns garbage",
        lambda mp, m: {"engine": FaultyEngine(batch=lambda: [1, None, "x", object()])},
        False,
    ),
    (
        "engine returns prose as source",
        lambda mp, m: {
            "engine": FaultyEngine(
                batch=lambda: [Candidate(source="Sure! Here is the fix.", engine="x")]
            )
        },
        False,
    ),
    (
        "verify raises",
        lambda mp, m: mp.setattr("selfheal.heal.search.run_verification", _boom) or {},
        False,
    ),
    (
        "verify hangs",
        lambda mp, m: mp.setattr("selfheal.heal.search.run_verification", _hang) or {},
        False,
    ),
    (
        "verify returns garbage",
        lambda mp, m: (
            mp.setattr("selfheal.heal.search.run_verification", lambda *a: iter([object()])) or {}
        ),
        False,
    ),
    ("sandbox worker killed", lambda mp, m: {"checks": [_kill_worker]}, False),
    (
        "swap build raises",
        lambda mp, m: mp.setattr("selfheal.heal.swap.build_patch", _boom) or {},
        False,
    ),
    (
        "swap install raises",
        lambda mp, m: mp.setattr("selfheal.heal.swap.install_if_original", _boom) or {},
        False,
    ),
    (
        "store full",
        lambda mp, m: mp.setattr(DirectoryStore, "_atomic_write", _full_disk) or {},
        False,
    ),
    ("store read-only", lambda mp, m: configure(store=str(_file_in_the_way(m))) and {}, False),
    ("store list raises", lambda mp, m: mp.setattr(DirectoryStore, "list", _boom) or {}, True),
    ("telemetry raises", lambda mp, m: mp.setattr("selfheal.telemetry._tracer", _boom) or {}, True),
    (
        "metrics raise",
        lambda mp, m: mp.setattr("selfheal.telemetry._get_instruments", _boom) or {},
        True,
    ),
    ("no fault", lambda mp, m: {}, True),
]


def _file_in_the_way(mod: Any) -> Any:
    import tempfile
    from pathlib import Path

    blocker = Path(tempfile.mkdtemp()) / "not-a-directory"
    blocker.write_text("x")
    return blocker / "store"


def _frames(exc: BaseException) -> list[tuple[str, int, str]]:
    return [(f.filename, f.lineno, f.name) for f in traceback.extract_tb(exc.__traceback__)]


@pytest.mark.parametrize(("name", "inject", "heals"), FAULTS, ids=[f[0] for f in FAULTS])
def test_never_worse(mod, store_dir, monkeypatch, name, inject, heals):
    configure(budget_s=0.5, check_timeout_s=0.5)
    # The undecorated failure, for comparison.
    bare = raised(LookupError, mod.find, "k")
    bare_frames = _frames(bare)
    mod.ERR.__traceback__ = None

    options: dict[str, Any] = {"engine": FaultyEngine(), "examples": [(("a",), "a")]}
    options.update(inject(monkeypatch, mod) or {})
    self_healing(**options)(mod.find)
    started = time.monotonic()
    try:
        result = mod.find("k")
    except Exception as exc:  # a catch-all: naming LookupError would expect it
        assert exc is mod.ERR  # the very object the function raised
        assert _frames(exc)[1:] == bare_frames[1:]  # and its traceback
        assert not heals, f"{name}: expected a healed result"
    except BaseException as exc:  # noqa: BLE001
        pytest.fail(f"{name}: {type(exc).__name__} escaped: {exc}")
    else:
        assert result == "k"
        assert heals, f"{name}: healed unexpectedly"
    assert time.monotonic() - started < 8, f"{name}: the caller waited too long"
    assert not isinstance(mod.ERR, SelfHealError)
