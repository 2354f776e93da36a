"""Pre-forking servers: a child forked while a heal holds locks still heals."""

from __future__ import annotations

import os
import threading
import time
import warnings

from selfheal import self_healing
from selfheal.entry.decorator import target_of
from tests.runtime.engines import RATIO_FIX, CountingEngine


def test_forked_child_heals_although_the_parent_held_the_locks(mod, store_dir):
    self_healing(engine=CountingEngine(RATIO_FIX), examples=[((1, 0), 0.0)])(mod.ratio)
    target = target_of(mod.ratio)
    holding = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with target.lock:  # as a heal in progress would
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads (3.12+)
        pid = os.fork()
    if pid == 0:  # the child: the holder thread does not exist here
        code = 1
        try:
            code = 0 if mod.ratio(3, 0) == 0.0 and mod.ratio(3, 2) == 1.5 else 2
        finally:
            os._exit(code)
    release.set()
    holder.join(5)
    deadline = time.monotonic() + 30
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        assert time.monotonic() < deadline, "the forked child deadlocked"
        time.sleep(0.05)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    # The parent is untouched by the child's heal.
    assert target.patch is None
