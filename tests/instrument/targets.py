"""Functions the instrumentation tests decorate (a real file, so source is readable)."""

from __future__ import annotations

import asyncio


def add(a, b=2, *rest, scale=1, **extra):
    """Adds things."""
    return (a + b + sum(rest)) * scale + len(extra)


def divide(a, b):
    return a / b


def reassigns(x):
    x = x * 2
    return 10 // (x - 4)


def contract(email):
    if "@" not in email:
        raise ValueError("bad email")
    return email.lower()


def make_counter(start):
    count = start

    def step(by=1):
        return count + by

    return step


class Shape:
    def __init__(self, side):
        self.__side = side

    def area(self):
        return self.__side * self.__side

    @classmethod
    def unit(cls):
        return cls(1)

    @staticmethod
    def sides():
        return 4


class Square(Shape):
    def area(self):
        return super().area() + 0


async def fetch(x):
    await asyncio.sleep(0)
    return x * 3


def countdown(n):
    while n > 0:
        yield n
        n -= 1


def interrupts():
    raise KeyboardInterrupt


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
