"""Functions whose right fix selfheal's own verifier used to reject (one bug each)."""

from __future__ import annotations


def distance(p, q):
    import math

    return math.sqrt((p[0] - q[0]) ** 2 + (p[1] - q[0]) ** 2)


def mean_gap(values: list[int]) -> float:
    """The mean step between consecutive values; a single value has no step."""
    gaps = [b - a for a, b in zip(values, values[1:])]
    return sum(gaps) / len(values)


def is_prime(n: int) -> bool:
    for divisor in range(2, n):
        if n % divisor == 0:
            return False
        return True
    return n >= 2


def evaluate(expression: str) -> float:
    return eval(expression.replace("^", "*"))


def median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2 + 1]


def ratio(a, b):
    return a / b
