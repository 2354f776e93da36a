"""Children that run user code (localisation, screening, verification) cannot repeat
its side effects through descriptors they inherited from the parent."""

from __future__ import annotations

import importlib
import socket

import pytest

from selfheal import self_healing
from selfheal.verify.isolate import run_isolated
from tests.failing import raised
from tests.scenarios.runtime import sender


def test_a_child_cannot_write_to_the_parents_sockets():
    left, right = socket.socketpair()
    try:
        result = run_isolated(lambda: left.send(b"x"), timeout_s=5)
        assert not result.ok  # the descriptor was closed in the child: send failed
        right.setblocking(False)
        with pytest.raises(BlockingIOError):
            right.recv(10)
    finally:
        left.close()
        right.close()


def test_healing_does_not_repeat_the_functions_side_effects(store_dir):
    mod = importlib.reload(sender)
    left, right = socket.socketpair()
    mod.CHANNEL = left
    try:
        self_healing(mod.notify_and_lookup)
        raised(KeyError, mod.notify_and_lookup, {"a": 1}, "b")
        right.setblocking(False)
        assert right.recv(1000) == b"x"  # the one call's own send, nothing more
    finally:
        left.close()
        right.close()
