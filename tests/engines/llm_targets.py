"""Functions the LLM engine tests repair, with secrets planted where code keeps them.

Kept in their own file so the prompt snapshots (which show file names and line numbers)
do not move when the tests change. The secrets are fake but shaped like real ones.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal

API_TOKEN = "sk-ant-api03-PLANTEDglobalSECRETabcdef0123456789"  # a secret in module globals
DB_URL = "postgres://app:PlantedDbPassw0rd@db.internal:5432/app"
RATES = {"EUR": 1.0, "USD": 1.1}
ENV_NAME = "BILLING_SERVICE_TOKEN"


class Account:
    """A small class the targets reference: the prompt shows its shape, not its values."""

    owner: str
    balance: Decimal

    def __init__(self, owner: str, balance: Decimal = Decimal("0")) -> None:
        self.owner = owner
        self.balance = balance

    def deposit(self, amount: Decimal) -> None:
        self.balance += amount

    @property
    def overdrawn(self) -> bool:
        return self.balance < 0


def _connect(url: str, timeout: float = 3.0, password: str = "PlantedDefaultPw9") -> str:
    """Open a connection (never called by the tests)."""
    return url


def call(func, *args, **kwargs):  # type: ignore[no-untyped-def]
    """Run `func` so every test's traceback has the same outer frame."""
    return func(*args, **kwargs)


def average(values: list[float]) -> float:
    total = sum(values)
    return total / len(values)


def convert(amount: float, currency: str, api_key: str = "") -> float:
    token = "Bearer PLANTEDlocalTOKEN0123456789xyz"
    service = os.environ.get(ENV_NAME, "")
    if not api_key and not service:
        _connect(DB_URL)
    account = Account("bob")
    rate = RATES[currency]
    return round(amount * rate, 2) if token and account else 0.0


def parse_config(text: str) -> dict[str, int]:
    data = json.loads(text)
    return {key: int(value) for key, value in data.items()}


def word_count(text: str) -> dict[str, int]:
    counts = {}
    for word in text.lower().split():
        counts[word] = count.get(word, 0) + 1  # type: ignore[name-defined]  # noqa: F821
    return counts


def non_negative(result: float, values: list[float]) -> bool:
    """A property: an average of anything is never below zero (wrong, on purpose)."""
    return result >= 0


class Ledger:
    """Entries per account; a method under repair sees its class in the prompt."""

    currency: str

    def __init__(self, currency: str = "EUR") -> None:
        self.currency = currency
        self.entries: dict[str, list[Decimal]] = {}

    def add(self, name: str, amount: Decimal) -> None:
        self.entries.setdefault(name, []).append(amount)

    def balance_of(self, name: str) -> Decimal:
        return sum(self.entries[name], Decimal("0"))
