"""Originals the effect rule compares candidates with (tests/verify/test_effects.py)."""

from __future__ import annotations

import datetime
import decimal
import os
import random
import time

RATES = {"low": 0.5, "high": 2.0}
MEMO: dict[int, int] = {}
LOG: list[str] = []


def price(kind, amount):
    return amount * RATES[kind]


def fib(n):
    if n in MEMO:
        return MEMO[n]
    value = n if n < 2 else fib(n - 1) + fib(n - 2)
    MEMO[n] = value
    return value


def mean(xs):
    return sum(xs) / len(xs)


def remove_all(items, unwanted):
    for u in unwanted:
        items.remove(u)
    return items


def purge(paths):
    removed = 0
    for p in paths:
        if p.endswith(".tmp"):
            os.remove(p)
            removed += 1
    return removed


def port(default):
    return int(os.environ.get("PORT", default))


def interest(amount, rate):
    with decimal.localcontext() as ctx:
        ctx.prec = 10
        return decimal.Decimal(amount) * decimal.Decimal(rate)


def stamp(event):
    return f"{time.time():.0f} {event}"


def shuffled(xs):
    out = list(xs)
    random.shuffle(out)
    return out


def today_label():
    return datetime.date.today().isoformat()


def record(event):
    LOG.append(event)
    return len(LOG)


def normalise(text):
    return text.strip().lower()


def save(path, text):
    with open(path, "w") as fh:
        fh.write(text)


def title_of(text):
    return normalise(text).title()


def archive(path, text):
    save(path, text)
    return len(text)


class Account:
    def __init__(self, balance=0):
        self.balance = balance

    def withdraw(self, amount):
        if amount > self.balance:
            raise ValueError("insufficient funds")
        self.balance = amount
        return self.balance

    def audit(self):
        LOG.append(str(self.balance))

    def describe(self):
        return f"balance {self.balance}"


def fetch_all(client, urls):
    results = []
    for url in urls:
        results.append(client.fetchh(url))
    return results


def edit_distance(a, b):
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        for j in range(len(b) + 1):
            table[i][j] = i + j
    return table[len(a)][len(b)]
