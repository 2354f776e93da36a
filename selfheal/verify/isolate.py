"""Run one piece of code in a forked child process with resource limits.

This is the primitive every process boundary of selfheal is built on: the child is a
copy of the parent (fork), so nothing is re-imported or re-executed, and nothing the
child does can change the parent's memory. The child sends back JSON only (never a
pickle: an object built by untrusted code could run code when unpickled).

It owns forking, limits, the timeout and the result channel; it must not know what the
code it runs is for.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
import select
import signal
import sys
import tempfile
import time
import types
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from selfheal.scrub import get_scrubber

if TYPE_CHECKING:
    from selfheal.scrub import Scrubber

try:
    import resource
except ImportError:  # pragma: no cover - not POSIX
    resource = None  # type: ignore[assignment]


@dataclass(frozen=True)
class ChildResult:
    ok: bool  # the child ran to the end and sent a result
    value: Any = None  # the JSON value the child returned
    error: str = ""  # why not ok: "timeout", "crashed (signal 9)", "exit status 3", ...
    duration_s: float = 0.0


def can_fork() -> bool:
    return hasattr(os, "fork")


def set_limits(memory_mb: int | None, cpu_s: int | None) -> None:
    """Apply rlimits in the current (child) process; soft limits only, best effort."""
    if resource is None:
        return
    pairs = []
    if memory_mb:
        pairs.append((resource.RLIMIT_AS, memory_mb * 1024 * 1024))
    if cpu_s:
        pairs.append((resource.RLIMIT_CPU, cpu_s))
    pairs.append((resource.RLIMIT_FSIZE, 0))  # no file may grow
    pairs.append((resource.RLIMIT_CORE, 0))
    for kind, wanted in pairs:
        try:
            _soft, hard = resource.getrlimit(kind)
            value = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
            resource.setrlimit(kind, (value, hard))
        except (ValueError, OSError):
            pass


_in_child = False


def in_child() -> bool:
    """Is this process a selfheal child? Then nothing in it may heal (no nested loops)."""
    return _in_child


def close_writable_fds(keep: int) -> None:
    """Close every inherited descriptor the child could write through, but `keep`.

    A forked child shares the parent's open files and sockets (logs, database and HTTP
    connections); `os.write` raises no audit event, so closing them is the only way to
    keep a child from repeating the parent's side effects through them.
    """
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        fds = list(range(3, 1024))
    for fd in fds:
        if fd <= 2 or fd == keep:
            continue
        try:
            mode = fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE
        except OSError:
            continue
        if mode != os.O_RDONLY:
            with contextlib.suppress(OSError):
                os.close(fd)


def names_in(code: types.CodeType) -> frozenset[str]:
    """Every string constant in `code` and the code nested in it: the environment
    variables a function names (`os.environ["PORT"]`, `os.getenv("HOME")`) among them."""
    found: set[str] = set()
    stack = [code]
    while stack:
        current = stack.pop()
        for const in current.co_consts:
            if isinstance(const, str):
                found.add(const)
            elif isinstance(const, types.CodeType):
                stack.append(const)
    return frozenset(found)


_WORKING_DIRECTORY = ("PWD", "OLDPWD")  # named like a password, hold a directory


@functools.lru_cache(maxsize=4)
def _patterns_only(scrubber: Scrubber) -> Scrubber:
    # By its own patterns only: with the environment's secrets it would find PWD's value
    # (PWD reads like a password's name) inside PATH and drop that too.
    return replace(scrubber, environment=False)


def restrict_environment(needed: Iterable[str] = ()) -> tuple[str, ...]:
    """Drop from this (child) process's environment every variable that holds a secret,
    unless `needed` names it; return the names dropped.

    A secret is a variable named like one (`*_API_KEY`, `*_TOKEN`, `PASSWORD` ...) or
    whose value the scrubber would redact (a URL with a password, a bearer token, a long
    random string). What a function needs is what it names itself: a variable read
    under a literal name by the function stays, even a secret one (the parent redacts it
    from everything the child reports, also in transformed forms); one that only a
    helper reads is gone, and the helper sees it missing. Variables that hold no secret
    (PATH, HOME, LANG, the port a service listens on) stay: a helper may need them, and
    they leak nothing.
    """
    scrubber = get_scrubber()
    by_value = _patterns_only(scrubber)
    keep = {*needed, *_WORKING_DIRECTORY}
    dropped = []
    for name, value in list(os.environ.items()):
        if name in keep:
            continue
        if scrubber.is_secret_key(name) or by_value.redact_text(value) != value:
            dropped.append(name)
            del os.environ[name]
    return tuple(dropped)


def fork_child() -> int:
    global _in_child
    # Python 3.12+ warns when forking a process that has threads. The child here never
    # touches the parent's locks on purpose (it runs our code, then _exit), so the
    # warning says nothing we do not handle; a stray deadlock ends in the timeout.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:
        _in_child = True
        _keep_hypothesis_out_of_the_project()
    return pid


def _keep_hypothesis_out_of_the_project() -> None:
    """Hypothesis writes caches under `.hypothesis/` in the working directory (the
    user's project) even without an example database; a child writes nowhere there."""
    home = os.path.join(tempfile.gettempdir(), f"selfheal-hypothesis-{os.getuid()}")
    os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = home
    configuration = sys.modules.get("hypothesis.configuration")
    if configuration is not None:
        with contextlib.suppress(Exception):
            configuration.set_hypothesis_home_dir(home)


def run_isolated(
    work: Callable[[], Any],
    timeout_s: float,
    memory_mb: int | None = 1024,
    cpu_s: int | None = 30,
) -> ChildResult:
    """Run `work()` in a forked child; return its JSON-able result or why there is none."""
    start = time.perf_counter()
    read_fd, write_fd = os.pipe()
    pid = fork_child()
    if pid == 0:  # child
        code = 0
        try:
            os.close(read_fd)
            close_writable_fds(keep=write_fd)
            set_limits(memory_mb, cpu_s)
            payload = json.dumps({"value": work()}, default=repr).encode()
            _write_all(write_fd, payload)
        except BaseException:
            code = 3
        finally:
            os._exit(code)
    os.close(write_fd)
    try:
        data, timed_out = _read_until(read_fd, start + timeout_s)
    finally:
        os.close(read_fd)
    if timed_out:
        _kill(pid)
        return ChildResult(False, error="timeout", duration_s=time.perf_counter() - start)
    status = _reap(pid, start + timeout_s)
    duration = time.perf_counter() - start
    if status is None:
        return ChildResult(False, error="timeout", duration_s=duration)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        return ChildResult(False, error=f"crashed (signal {sig})", duration_s=duration)
    code = os.WEXITSTATUS(status)
    if code != 0 or not data:
        return ChildResult(False, error=f"exit status {code}", duration_s=duration)
    try:
        return ChildResult(True, json.loads(data)["value"], duration_s=duration)
    except (ValueError, KeyError, TypeError):
        return ChildResult(False, error="unreadable result", duration_s=duration)


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _read_until(fd: int, deadline: float) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    while True:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            return b"".join(chunks), True
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _reap(pid: int, deadline: float) -> int | None:
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if time.perf_counter() > deadline:
            _kill(pid)
            return None
        time.sleep(0.0005)


__all__ = [
    "ChildResult",
    "can_fork",
    "close_writable_fds",
    "fork_child",
    "in_child",
    "names_in",
    "restrict_environment",
    "run_isolated",
    "set_limits",
]

if sys.platform == "win32":  # pragma: no cover
    raise ImportError("selfheal's process boundary needs os.fork (Linux, macOS)")
