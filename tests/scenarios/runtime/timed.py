"""Functions whose patches are timed once live (tests/runtime/test_watchdog.py)."""

import time


def halve(n):
    return n / 2


def backoff(attempt, delay):
    time.sleep(delay)
    return attempt + 1
