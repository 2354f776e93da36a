"""Instrumented code behaves exactly like the original, whatever the program does.

Each case here is a pattern found in a real library's test suite (tests/library_suites/)
that once behaved differently with the library instrumented. The module is imported
through the import hook (rewritten, recording its first calls) and compared with the
same calls made on a bare import.
"""

from __future__ import annotations

import importlib
import sys
import traceback
import types
import warnings
from pathlib import Path
from typing import Any

from selfheal.entry import importhook
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


WARNS_ON_IMPORT = """
import warnings

def helper():
    return 1

# Attributed to the code that imports this module, as deprecation warnings are.
warnings.warn("this module is deprecated", DeprecationWarning, stacklevel=2)
"""


def test_a_warning_at_import_is_attributed_to_the_importer(packages: Packages) -> None:
    # The module body runs with no frame of selfheal's above it, so `stacklevel` counts
    # the same frames it counts without selfheal.
    packages.write({"old_api.py": WARNS_ON_IMPORT})

    def warned_from() -> list[str]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            __import__("old_api")  # no frame of importlib's own between
        sys.modules.pop("old_api")
        return [w.filename for w in caught]

    assert warned_from() == [__file__]
    importhook.install(["old_api"])
    assert warned_from() == [__file__]
    assert importhook.instrumented() == ["old_api:helper"]


def test_an_error_at_import_has_the_traceback_it_has_without_selfheal(
    packages: Packages,
) -> None:
    packages.write({"broken_at_import.py": "def f():\n    return 1\n\n1 / 0\n"})

    def frames() -> list[str]:
        try:
            importlib.import_module("broken_at_import")
        except ZeroDivisionError as exc:
            return [line for line in traceback.format_tb(exc.__traceback__) if "File" in line]
        raise AssertionError("no error")

    bare = frames()
    importhook.install(["broken_at_import"])
    assert frames() == bare
    assert not any("selfheal" in frame for frame in bare)


REDUCED_BY_LOOKUP = """
class Handle:
    def __init__(self, owner, name):
        self.owner, self.name = owner, name

    def __reduce__(self):
        # Copied and pickled by reference, like cachetools' method descriptors.
        return (Handle.lookup, (self.owner, self.name))

    @staticmethod
    def lookup(owner, name):
        return owner.__dict__[name]


def describe(handle):
    return handle.name
"""


def test_a_failure_inside_the_recorders_copy_is_not_the_programs(
    packages: Packages, store_dir: Path
) -> None:
    # Copying the argument calls the instrumented `lookup`, which raises for a handle
    # with no owner; the recorder catches that (the call is just not recorded). It is
    # selfheal's own work failing, not the program: nothing may be stored.
    packages.write({"handles.py": REDUCED_BY_LOOKUP})
    importhook.install(["handles"])
    import handles

    assert handles.describe(handles.Handle(None, "orphan")) == "orphan"
    assert not list(store_dir.rglob("*.json"))
