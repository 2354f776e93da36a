"""Functions with one bug each, used by the production-runtime tests."""

import asyncio


def ratio(a, b):
    return round(a / b, 3)


async def aratio(a, b):
    await asyncio.sleep(0)
    return round(a / b, 3)


def two_bugs(kind, value):
    if kind == "int":
        return int(value) + missing_name  # NameError
    return value.upper()


def scaled(values, factor):
    return [v * factor for v in values]
