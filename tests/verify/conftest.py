"""Reports the attack corpus result at the end of the run."""

from __future__ import annotations

import re
from collections import Counter

import pytest

_DEFENCES = (
    ("policy", r"^policy: "),
    ("guard", r": (getattr|format|write|type\(\)|getitem|eval|size)"),
    ("evaluated code sees no module names", r"NameError"),
    ("audit hook", r": audit: "),
    ("resource limit", r"resource limit|MemoryError|RecursionError"),
    ("timeout", r"timeout"),
    ("worker crash/exit contained", r"the worker (crashed|exited)"),
    ("result channel check", r"forged|corrupted|unreadable|out of order"),
)


def _defence(reason: str) -> str:
    for name, pattern in _DEFENCES:
        if re.search(pattern, reason):
            return name
    return "other"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.verify.attacks.corpus import ATTACKS, RESULTS

    if not RESULTS:
        return
    stopped = Counter(_defence(reason) for _cls, reason in RESULTS.values())
    terminalreporter.write_sep("-", "sandbox attack corpus")
    terminalreporter.write_line(
        f"{len(RESULTS)} of {len(ATTACKS)} malicious candidates run; escapes are reported as "
        "failures above. Stopped by: "
        + ", ".join(f"{name} {count}" for name, count in stopped.most_common())
    )
