"""Reports the attack corpus result at the end of the run."""

from __future__ import annotations

import sys
from collections import Counter

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    module = sys.modules.get("tests.verify.test_attacks")
    results = getattr(module, "RESULTS", None)
    if not results:
        return
    from tests.verify.attacks.corpus import ATTACKS

    stopped = Counter(reason.split(":")[0] for _cls, reason in results.values())
    terminalreporter.write_sep("-", "sandbox attack corpus")
    terminalreporter.write_line(
        f"{len(results)} of {len(ATTACKS)} attacks run, all rejected or contained unless a "
        "failure above says ESCAPE; stopped at layer: "
        + ", ".join(f"{k} {v}" for k, v in sorted(stopped.items()))
    )
