"""Instrumented code behaves exactly like the original, whatever the program does.

Each case here is a pattern found in a real library's test suite (tests/thirdparty/)
that once behaved differently with the library instrumented. The module is imported
through the import hook (rewritten, recording its first calls) and compared with the
same calls made on a bare import.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

from selfheal.instrument import importhook
from tests.instrument.conftest import Packages


def bare_and_instrumented(packages: Packages, name: str, source: str) -> tuple[Any, Any]:
    """The module imported bare, then (a fresh import) through the import hook."""
    packages.write({f"{name}.py": source})
    bare = importlib.import_module(name)
    del sys.modules[name]
    importhook.install([name])
    instrumented = importlib.import_module(name)
    assert bare is not instrumented
    assert importhook.instrumented(), "nothing was instrumented"
    return bare, instrumented


CLOCKED_CACHE = """
import copy


class Clock:
    def __init__(self):
        self.now = 0

    def __call__(self):
        self.now += 1  # every reading moves time on, as a test's auto-ticking timer
        return self.now


class Cache:
    def __init__(self, clock, ttl):
        self.clock, self.ttl, self.data = clock, ttl, {}

    def __repr__(self):
        self.expire()  # a repr that looks at the clock, as a TTL cache's does
        return f"Cache({sorted(self.data)})"

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.expire()  # unpickled or copied: drop what expired meanwhile

    def expire(self):
        now = self.clock()
        for key in [k for k, (_, until) in self.data.items() if until < now]:
            del self.data[key]

    def put(self, key, value):
        self.data[key] = (value, self.clock() + self.ttl)

    def get(self, key, default=None):
        self.expire()
        entry = self.data.get(key)
        return default if entry is None else entry[0]


def scenario(module):
    cache = module.Cache(module.Clock(), ttl=2)
    seen = []
    for key in range(6):
        cache.put(key, key * 10)
        seen.append((cache.get(key), cache.get(key - 1), cache.clock.now))
    return seen
"""


def test_recording_a_call_runs_none_of_the_programs_code_on_its_objects(
    packages: Packages,
) -> None:
    # Recording copies `self`. The copy's __setstate__ calls an instrumented method,
    # whose recording copied again, without end; and the dedupe key came from the
    # original's repr, which moved the clock and expired entries the program still had.
    bare, instrumented = bare_and_instrumented(packages, "clocked_cache", CLOCKED_CACHE)
    assert isinstance(instrumented, types.ModuleType)
    assert instrumented.scenario(instrumented) == bare.scenario(bare)
