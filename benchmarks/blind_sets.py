"""The two frozen blind sets: reading their cases, calling functions, judging results.

`benchmarks/blind_crashes/` holds production-style crashes (a buggy function, its
reference fix, the calls production made before the crash, the crash, held-out inputs);
`benchmarks/blind_bugs/` holds single-function bugs with unit tests. Both were written
by hand and frozen on FROZEN; `manifest.json` in each pins every case file by SHA-256.

This module owns loading cases, calling a function the way its caller would (awaiting a
coroutine, draining a generator), the strict comparison of results, and the seeded
split of a bug's tests. It must not call an engine or selfheal's verifier: the checks
of the sets themselves (tests/test_blind_sets.py) use only this module, so they stay
fast and independent of the code the sets measure.
"""

from __future__ import annotations

import ast
import asyncio
import hashlib
import importlib.util
import inspect
import itertools
import json
import random
import sys
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CRASHES_DIR = HERE / "blind_crashes"
BUGS_DIR = HERE / "blind_bugs"
FROZEN = "2026-12-04"

Args = tuple[Any, ...]
_loads = itertools.count()


def load_module(path: Path, prefix: str) -> types.ModuleType:
    """Import `path` as a new module (a fresh name per load: no state is shared)."""
    name = f"{prefix}_{next(_loads)}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    # inspect.getsource, recursion through the module global and pickling by the
    # sandbox all need the module to be findable by name.
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def resolve(module: types.ModuleType, dotted: str) -> Callable[..., Any]:
    """`Class.method` or `function` inside `module` (a method as its plain function)."""
    obj: Any = module
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj  # type: ignore[no-any-return]


def call(func: Callable[..., Any], args: Args) -> Any:
    """Call as the caller would: a coroutine is awaited, a generator drained."""
    result = func(*args)
    if inspect.iscoroutine(result):
        return asyncio.run(result)
    if inspect.isgenerator(result):
        return list(result)
    return result


def outcome(func: Callable[..., Any], args: Args) -> tuple[str, Any]:
    """("ok", result) or ("raised", the exception's type name)."""
    try:
        return "ok", call(func, args)
    except Exception as exc:
        return "raised", type(exc).__name__


def same(a: Any, b: Any) -> bool:
    """Equal in value AND type, element by element (`2` is not `2.0`, `[2]` not `[2.0]`)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    try:
        return bool(a == b)
    except Exception:
        return False


def show(value: Any, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def manifest(directory: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((directory / "manifest.json").read_text())
    return data


def digest_mismatches(directory: Path) -> list[str]:
    """Case files whose content differs from the frozen manifest (empty: still frozen)."""
    problems = []
    listed = set()
    for entry in manifest(directory)["cases"]:
        listed.add(entry["name"])
        for filename, digest in entry["sha256"].items():
            path = directory / "cases" / entry["name"] / filename
            if not path.is_file():
                problems.append(f"{entry['name']}/{filename}: missing")
            elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                problems.append(f"{entry['name']}/{filename}: changed since the freeze")
    for path in sorted((directory / "cases").iterdir()):
        if path.is_dir() and path.name not in listed:
            problems.append(f"{path.name}: not in the manifest")
    return problems


# --------------------------------------------------------------------------- crashes


@dataclass(frozen=True)
class CrashCase:
    """One production-style crash; the input lists are built per module (see case.py)."""

    name: str
    path: Path
    function: str
    shape: str
    well_known: bool
    spec: types.ModuleType

    def buggy(self) -> types.ModuleType:
        return load_module(self.path / "buggy.py", f"blind_crash_buggy_{self.name}")

    def fixed(self) -> types.ModuleType:
        return load_module(self.path / "fixed.py", f"blind_crash_fixed_{self.name}")

    def seen(self, module: types.ModuleType) -> list[Args]:
        return list(self.spec.seen(module))

    def failing(self, module: types.ModuleType) -> list[Args]:
        return list(self.spec.failing(module))

    def held_out(self, module: types.ModuleType) -> list[Args]:
        return list(self.spec.held_out(module))

    def examples(self, module: types.ModuleType) -> list[tuple[Args, Any]]:
        build = getattr(self.spec, "examples", None)
        return list(build(module)) if build is not None else []


def load_crash_cases(names: Sequence[str] = ()) -> list[CrashCase]:
    cases = []
    for entry in manifest(CRASHES_DIR)["cases"]:
        if names and entry["name"] not in names:
            continue
        path = CRASHES_DIR / "cases" / entry["name"]
        spec = load_module(path / "case.py", f"blind_crash_case_{entry['name']}")
        cases.append(
            CrashCase(entry["name"], path, spec.FUNCTION, spec.SHAPE, bool(spec.WELL_KNOWN), spec)
        )
    _check_names(names, cases)
    return cases


# --------------------------------------------------------------------------- bugs


@dataclass(frozen=True)
class BugCase:
    """One single-function bug with its unit tests (arguments, expected result)."""

    name: str
    path: Path
    function: str
    label: str
    tests: tuple[tuple[Args, Any], ...]

    def buggy(self) -> types.ModuleType:
        return load_module(self.path / "buggy.py", f"blind_bug_buggy_{self.name}")

    def fixed(self) -> types.ModuleType:
        return load_module(self.path / "fixed.py", f"blind_bug_fixed_{self.name}")

    def reference_source(self) -> str:
        """The reference fix's `def`, as an engine would propose it."""
        text = (self.path / "fixed.py").read_text()
        for node in ast.parse(text).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
                node.name == self.function
            ):
                segment = ast.get_source_segment(text, node)
                if segment is not None:
                    return segment + "\n"
        raise LookupError(f"{self.name}: no def {self.function} in fixed.py")


def load_bug_cases(names: Sequence[str] = ()) -> list[BugCase]:
    cases = []
    for entry in manifest(BUGS_DIR)["cases"]:
        if names and entry["name"] not in names:
            continue
        path = BUGS_DIR / "cases" / entry["name"]
        spec = load_module(path / "tests.py", f"blind_bug_tests_{entry['name']}")
        tests = tuple((tuple(args), expected) for args, expected in spec.TESTS)
        cases.append(BugCase(entry["name"], path, spec.FUNCTION, spec.LABEL, tests))
    _check_names(names, cases)
    return cases


def failing_tests(func: Callable[..., Any], tests: Sequence[tuple[Args, Any]]) -> list[int]:
    """Indices of the tests `func` fails (a raise or a result that is not `same`)."""
    failed = []
    for index, (args, expected) in enumerate(tests):
        status, value = outcome(func, args)
        if status != "ok" or not same(value, expected):
            failed.append(index)
    return failed


def split_tests(
    name: str, count: int, failing: Sequence[int]
) -> tuple[list[int], list[int]] | None:
    """A fixed, seeded half of the tests to give, and the half held out.

    The given half holds at least one test the buggy version fails (else there is
    nothing to repair); None when no such split exists.
    """
    if count < 2 or not failing:
        return None
    order = list(range(count))
    random.Random(f"blind-bugs:{name}").shuffle(order)
    half = count // 2
    given, held = order[:half], order[half:]
    if not set(given) & set(failing):
        # Swap the first failing held-out test for the last given one: the split
        # stays seeded and its sizes stay halves.
        swap = next(i for i in held if i in failing)
        held[held.index(swap)] = given[-1]
        given[-1] = swap
    return sorted(given), sorted(held)


def _check_names(names: Sequence[str], cases: Sequence[CrashCase | BugCase]) -> None:
    unknown = set(names) - {case.name for case in cases}
    if unknown:
        raise ValueError(f"unknown case(s): {', '.join(sorted(unknown))}; see manifest.json")


__all__ = [
    "BUGS_DIR",
    "CRASHES_DIR",
    "FROZEN",
    "BugCase",
    "CrashCase",
    "call",
    "digest_mismatches",
    "failing_tests",
    "load_bug_cases",
    "load_crash_cases",
    "load_module",
    "manifest",
    "outcome",
    "resolve",
    "same",
    "show",
    "split_tests",
]
