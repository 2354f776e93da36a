"""Real functions the sandbox tests verify candidates against.

Each is a small, realistic function with a bug (or a shape worth testing). Tests build a
VerificationPlan around them; candidates are sources for the same `def`.
"""

from __future__ import annotations

import asyncio
import faulthandler
import json
import os
import socket
import subprocess
from pathlib import Path

AUDIT_LOG: list[str] = []  # module state a candidate must not be able to change in the parent
RATES = {"EUR": 1.0, "USD": 1.1}


def average(values: list[int]) -> float:
    """Bug: ZeroDivisionError on an empty list."""
    return sum(values) / len(values)


def parse_port(text: str) -> int:
    """Bug: crashes on surrounding whitespace in older callers; uses json to look smart."""
    value = json.loads(text)
    return int(value)


def convert(amount: float, currency: str = "EUR") -> float:
    """Bug: KeyError for an unknown currency."""
    return amount * RATES[currency]


def shout(text):  # type: ignore[no-untyped-def]
    """No type hints: the hypothesis layer has nothing to draw from."""
    return text.upper() + "!"


def slugify(title: str) -> str:
    return "-".join(title.lower().split())


def factorial(n: int) -> int:
    """Recursive: a candidate installed on the live function must see its own recursion."""
    if n == 0:
        return 1
    return n * factorial(n - 1)


def clamp(value: int, low: int, high: int) -> int:
    """Hypothesis target: fully typed, no bug."""
    return max(low, min(value, high))


def make_scaler(factor: int):  # type: ignore[no-untyped-def]
    def scale(x: int) -> int:
        return x * factor

    return scale


scale = make_scaler(3)


def count_up(n: int):  # type: ignore[no-untyped-def]
    yield from range(n)


async def fetch_double(x: int) -> int:
    await asyncio.sleep(0)
    return x * 2


def run_tool(name: str) -> str:
    """Uses subprocess and os legitimately: a candidate may still not use them freely."""
    if name == "version":
        return subprocess.run(["true"], check=False).args[0]
    return os.path.basename(name)


def hard_crash(flag: bool) -> int:
    """A helper that takes the whole process down, as a C extension bug would."""
    if flag:
        os.abort()
    return 1


def segfault(flag: bool) -> int:
    """A real segmentation fault, as a buggy C extension would cause."""
    if flag:
        faulthandler._sigsegv()  # type: ignore[attr-defined]
    return 1


def crashy(x: int) -> int:
    return hard_crash(x < 0) + segfault(x < -100) + x


def calculate(expression):  # type: ignore[no-untyped-def]
    """Evaluates what it is given: a patch may call eval too, only the guarded one."""
    return eval(expression)


def hard_exit(code: int) -> int:
    os._exit(code)


def exits(x: int) -> int:
    if x > 100:
        return hard_exit(3)
    return x


def record(event: str) -> int:
    AUDIT_LOG.append(event)
    return len(AUDIT_LOG)


def load_settings(path: str) -> dict:  # type: ignore[type-arg]
    """Reads a file the legitimate way: a candidate may read it too, never write."""
    return json.loads(Path(path).read_text())  # type: ignore[no-any-return]


def port_open(host: str, port: int) -> bool:
    """Uses sockets legitimately: a candidate inherits the name, not the capability."""
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


def make_counter():  # type: ignore[no-untyped-def]
    hits = [0]

    def bump(x: int) -> int:
        hits[0] += x
        return hits[0]

    return bump


bump = make_counter()


def log_line(fd: int, text: str) -> int:
    """Writes to a descriptor it is given: os.write raises no audit event."""
    return os.write(fd, text.encode())


async def ticks(n: int):  # type: ignore[no-untyped-def]
    for i in range(n):
        await asyncio.sleep(0)
        yield i * 10


def mean_price(prices: list[float]) -> float:
    return sum(prices) / len(prices)


def absolute(x: int) -> int:
    """Bug: a wrong result (negative), not a crash."""
    return x


def bounded(value: int, low: int, high: int) -> int:
    """Bug: min and max swapped; its examples say what it should return."""
    return min(low, max(value, high))


class Lazy:
    """A value computed when it is first compared or shown: a user class that holds a
    callable, so whatever callable a candidate puts in runs where the result is judged."""

    __hash__ = None  # type: ignore[assignment]

    def __init__(self, make):  # type: ignore[no-untyped-def]
        self.make = make

    def __eq__(self, other):  # type: ignore[no-untyped-def]
        return self.make() == other

    def __repr__(self) -> str:
        return f"Lazy({self.make()!r})"


def sweep(path: str) -> Lazy:
    """Removes a stale lock file, counts lazily. Bug: AttributeError for None."""
    if path.endswith(".lock"):
        os.remove(path)
    return Lazy(lambda: len(path))


def setting(name: str) -> str:
    """Reads the environment by a name the caller gives."""
    return os.environ.get(name, "")


def service_token() -> str:
    """Names the one variable it needs, a secret one."""
    return os.environ.get("SERVICE_TOKEN", "")
