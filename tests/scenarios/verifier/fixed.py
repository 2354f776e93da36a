"""The reference fixes of `buggy`, as a person would write them."""

from __future__ import annotations


def distance(p, q):
    import math

    return math.sqrt((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2)


def mean_gap(values: list[int]) -> float:
    """The mean step between consecutive values; a single value has no step."""
    gaps = [b - a for a, b in zip(values, values[1:])]
    return sum(gaps) / len(gaps)


def is_prime(n: int) -> bool:
    for divisor in range(2, n):
        if n % divisor == 0:
            return False
    return n >= 2


def evaluate(expression: str) -> float:
    return eval(expression.replace("^", "**"))


def median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def ratio(a, b):
    return a / b if b else 0.0
