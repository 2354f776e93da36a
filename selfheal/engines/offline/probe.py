"""What the offline engine runs inside a forked child: line coverage and screening.

The original function and every candidate are user code; they run only in children
made by `selfheal.verify.isolate.run_isolated`, never in the engine's own process. In
the child, output is discarded, writes/subprocesses/sockets are refused by an audit
hook, each input gets a wall-clock limit, and a candidate is installed by assigning
the original function's `__code__` (so recursion reaches the candidate), all in the
child's private copy of memory.

This module owns the oracle checks used for *screening* candidates before the
pipeline's full verification (failing input, examples, properties, recorded calls) and
the coverage spectra used for fault localisation. It must not decide what a verified
patch is: `selfheal.verify` does, again, for every candidate the engine returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import inspect
import io
import itertools
import math
import os
import signal
import sys
import time
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from selfheal.models import Call

_MISSING: Any = object()
GENERATOR_LIMIT = 100_000


class _Timeout(BaseException):
    """Raised by the alarm in the child; a BaseException so `except Exception` in user
    code cannot swallow it."""


@dataclass(frozen=True)
class Probe:
    """One input and what the function must do on it."""

    call: Call
    layer: str  # "failing" | "examples" | "recorded"
    expected: Any = _MISSING
    compare: Callable[[Any, Any], bool] | None = None
    reference: bool = False  # must agree with the original's result (recorded calls)
    may_raise: bool = False  # an exception is acceptable (not used for screening yet)

    @property
    def has_expected(self) -> bool:
        return self.expected is not _MISSING


# --------------------------------------------------------------------------- child setup


_WRITE_EVENTS = frozenset(
    {
        "os.remove",
        "os.unlink",
        "os.rename",
        "os.rmdir",
        "os.mkdir",
        "os.truncate",
        "os.chmod",
        "os.kill",
        "os.system",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
        "os.fork",
        "os.forkpty",
        "subprocess.Popen",
        "shutil.rmtree",
        "shutil.move",
        "shutil.copyfile",
        "socket.connect",
        "socket.bind",
        "socket.sendto",
        "socket.getaddrinfo",
        "urllib.Request",
    }
)


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event in _WRITE_EVENTS:
        raise PermissionError(f"selfheal screening child refuses {event}")
    if event == "open" and len(args) >= 2:
        mode = args[1]
        if isinstance(mode, str) and any(c in mode for c in "wax+"):
            raise PermissionError("selfheal screening child refuses to open files for writing")
        if isinstance(mode, int) and mode & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise PermissionError("selfheal screening child refuses to open files for writing")


def enter_child() -> None:
    """Silence output and refuse side effects; call first thing in the child."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass
    sys.stdout = io.StringIO()
    sys.stderr = io.StringIO()
    sys.addaudithook(_audit)


@contextlib.contextmanager
def time_limit(cpu_s: float, wall_s: float | None = None) -> Iterator[None]:
    """Raise `_Timeout` after `cpu_s` of CPU time or `wall_s` of wall time.

    CPU time is the tight bound (mutants loop forever often, and a descheduled child
    must not fail a good candidate); the wall bound catches sleeps and blocking I/O.
    """

    def on_alarm(signum: int, frame: types.FrameType | None) -> None:
        raise _Timeout()

    wall = wall_s if wall_s is not None else max(0.5, cpu_s * 10)
    try:
        previous_cpu = signal.signal(signal.SIGVTALRM, on_alarm)
        previous_wall = signal.signal(signal.SIGALRM, on_alarm)
    except ValueError:  # not the main thread: the child's overall timeout still holds
        yield
        return
    signal.setitimer(signal.ITIMER_VIRTUAL, max(cpu_s, 0.001))
    signal.setitimer(signal.ITIMER_REAL, max(wall, 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGVTALRM, previous_cpu)
        signal.signal(signal.SIGALRM, previous_wall)


# --------------------------------------------------------------------------- running


def _private(value: Any) -> Any:
    # Functions under repair often mutate their arguments (in-place sorts): every run
    # gets its own copy so one run cannot change the next one's input.
    try:
        return copy.deepcopy(value)
    except Exception:
        return value


def settle(result: Any) -> Any:
    """Await a coroutine and drain a generator so results can be compared."""
    if inspect.iscoroutine(result) or inspect.isasyncgen(result):
        loop = asyncio.new_event_loop()
        try:
            asyncio.events._set_running_loop(None)
            if inspect.isasyncgen(result):
                return loop.run_until_complete(_drain_async(result))
            return loop.run_until_complete(result)
        finally:
            loop.close()
    if inspect.isgenerator(result):
        return list(itertools.islice(result, GENERATOR_LIMIT))
    return result


async def _drain_async(agen: Any) -> list[Any]:
    out: list[Any] = []
    async for item in agen:
        out.append(item)
        if len(out) >= GENERATOR_LIMIT:
            break
    return out


def invoke(function: Callable[..., Any], call: Call) -> tuple[Any, tuple[Any, ...], dict[str, Any]]:
    args = tuple(_private(a) for a in call.args)
    kwargs = {k: _private(v) for k, v in call.kwargs.items()}
    return settle(function(*args, **kwargs)), args, kwargs


def judge(
    function: Callable[..., Any],
    probe: Probe,
    properties: Sequence[Callable[..., Any]],
    reference: Any = _MISSING,
) -> bool:
    """Run one probe; True when the function does what the probe asks."""
    try:
        result, args, kwargs = invoke(function, probe.call)
    except _Timeout:
        raise
    except Exception:
        return probe.may_raise
    try:
        if probe.has_expected:
            if probe.compare is not None:
                if not probe.compare(result, probe.expected):
                    return False
            elif not _equal(result, probe.expected):
                return False
        if probe.reference and reference is not _MISSING and not _equal(result, reference):
            return False
        return all(prop(result, *args, **kwargs) is not False for prop in properties)
    except _Timeout:
        raise
    except Exception:
        return False


def _equal(a: Any, b: Any, depth: int = 0) -> bool:
    """`==`, but 2 and 2.0 differ (an integer-division bug must not pass an example)."""
    if depth > 50:
        return bool(a == b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, float) != isinstance(b, float):
            return False
        if isinstance(a, float) and math.isnan(a) and math.isnan(b):
            return True
        return bool(a == b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return (
            type(a) is type(b)
            and len(a) == len(b)
            and all(_equal(x, y, depth + 1) for x, y in zip(a, b, strict=False))
        )
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k], depth + 1) for k in a)
    return bool(a == b)


# --------------------------------------------------------------------------- candidates


def compile_candidate(source: str, function: types.FunctionType, name: str) -> types.CodeType:
    """The code object of the candidate's def, with the original's free variables."""
    freevars = function.__code__.co_freevars
    filename = function.__code__.co_filename
    if freevars:
        header = "def __selfheal_factory__():\n"
        header += "".join(f"    {var} = None\n" for var in freevars)
        body = "".join("    " + line if line.strip() else line for line in source.splitlines(True))
        module = compile(header + body + f"\n    return {name}\n", filename, "exec")
        factory = _find_code(module, "__selfheal_factory__")
        code = _find_code(factory, name)
    else:
        code = _find_code(compile(source, filename, "exec"), name)
    if code.co_freevars != freevars:
        raise ValueError("candidate changes the function's free variables")
    kind_flags = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR
    if (code.co_flags & kind_flags) != (function.__code__.co_flags & kind_flags):
        raise ValueError("candidate changes the kind of function")
    return code


def _find_code(code: types.CodeType, name: str) -> types.CodeType:
    for const in code.co_consts:
        if isinstance(const, types.CodeType) and const.co_name == name:
            return const
    raise ValueError(f"no def {name!r} in the candidate")


def bind_live(function: types.FunctionType) -> None:
    """Make the names recursion goes through resolve to `function` (child only)."""
    qualname = function.__qualname__
    if "<locals>" in qualname:
        return
    parts = qualname.split(".")
    owner: Any = function.__globals__
    for part in parts[:-1]:
        owner = owner.get(part) if isinstance(owner, dict) else getattr(owner, part, None)
        if owner is None:
            return
    last = parts[-1]
    current = owner.get(last) if isinstance(owner, dict) else getattr(owner, last, None)
    if current is function or current is None:
        return
    if isinstance(current, (staticmethod, classmethod)):
        return
    try:
        if isinstance(owner, dict):
            owner[last] = function
        else:
            setattr(owner, last, function)
    except (AttributeError, TypeError):
        pass


def screen(
    function: types.FunctionType,
    name: str,
    sources: Sequence[str],
    probes: Sequence[Probe],
    properties: Sequence[Callable[..., Any]],
    limit_s: float,
) -> list[str]:
    """In the child: "ok" or the first failed layer for each candidate source."""
    enter_child()
    bind_live(function)
    original = function.__code__
    references: dict[int, Any] = {}
    for index, probe in enumerate(probes):
        if probe.reference:
            try:
                with time_limit(limit_s):
                    value, args, kwargs = invoke(function, probe.call)
                    # A recorded result that breaks a property is the bug, not behaviour
                    # to keep: there the candidate must only satisfy the properties.
                    if not all(prop(value, *args, **kwargs) is not False
                               for prop in properties):
                        value = _MISSING
                references[index] = value
            except BaseException:
                references[index] = _MISSING
    out: list[str] = []
    for source in sources:
        try:
            code = compile_candidate(source, function, name)
        except Exception:
            out.append("compile")
            continue
        verdict = "ok"
        function.__code__ = code
        try:
            with time_limit(limit_s):
                for index, probe in enumerate(probes):
                    if not judge(function, probe, properties, references.get(index, _MISSING)):
                        verdict = probe.layer
                        break
        except _Timeout:
            verdict = "timeout"
        except BaseException:
            verdict = "error"
        finally:
            function.__code__ = original
        out.append(verdict)
    return out


# --------------------------------------------------------------------------- coverage


def target_codes(code: types.CodeType) -> set[types.CodeType]:
    found = {code}
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found |= target_codes(const)
    return found


def coverage(
    function: types.FunctionType,
    probes: Sequence[Probe],
    properties: Sequence[Callable[..., Any]],
    limit_s: float,
) -> list[dict[str, Any]]:
    """In the child: for each probe, the absolute lines of the function it ran, whether
    it passed, and how long it took."""
    enter_child()
    bind_live(function)
    codes = target_codes(function.__code__)
    runs: list[dict[str, Any]] = []
    for probe in probes:
        lines: set[int] = set()
        start = time.perf_counter()
        passed = False
        timed_out = False
        try:
            with time_limit(limit_s, limit_s * 2), _tracing(codes, lines):
                passed = judge(function, probe, properties)
        except _Timeout:
            timed_out = True
        except BaseException:
            passed = False
        runs.append(
            {
                "lines": sorted(lines),
                "passed": passed,
                "layer": probe.layer,
                "seconds": time.perf_counter() - start,
                "timeout": timed_out,
            }
        )
    return runs


@contextlib.contextmanager
def _tracing(codes: set[types.CodeType], lines: set[int]) -> Iterator[None]:
    monitoring = getattr(sys, "monitoring", None)
    if monitoring is not None:
        with _monitoring(monitoring, codes, lines):
            yield
        return

    def local(frame: types.FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            lines.add(frame.f_lineno)
        return local

    def global_(frame: types.FrameType, event: str, arg: Any) -> Any:
        if frame.f_code in codes:
            lines.add(frame.f_lineno)
            return local
        return None

    sys.settrace(global_)
    try:
        yield
    finally:
        sys.settrace(None)


@contextlib.contextmanager
def _monitoring(monitoring: Any, codes: set[types.CodeType], lines: set[int]) -> Iterator[None]:
    tool = None
    for candidate in range(5, 0, -1):
        if monitoring.get_tool(candidate) is None:
            tool = candidate
            break
    if tool is None:
        yield
        return
    monitoring.use_tool_id(tool, "selfheal-coverage")

    def on_line(code: types.CodeType, line: int) -> Any:
        lines.add(line)
        return None

    monitoring.register_callback(tool, monitoring.events.LINE, on_line)
    for code in codes:
        monitoring.set_local_events(tool, code, monitoring.events.LINE)
    try:
        yield
    finally:
        for code in codes:
            monitoring.set_local_events(tool, code, 0)
        monitoring.register_callback(tool, monitoring.events.LINE, None)
        monitoring.free_tool_id(tool)


__all__ = [
    "Probe",
    "bind_live",
    "compile_candidate",
    "coverage",
    "enter_child",
    "invoke",
    "judge",
    "screen",
    "settle",
    "target_codes",
]
