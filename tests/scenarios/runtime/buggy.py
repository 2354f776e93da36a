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


ERR = LookupError("premade")  # a known object, to check the caller gets this very one


def _lookup(key):
    raise ERR


def find(key):
    return _lookup(key)


class Registry:
    prefix = "n"


def tag(x):
    return Registry.prefix + x
