"""A small program whose callers expect some exceptions and not others.

Each caller reaches the same kind of crash in a function below it; what differs is
whether the program has a path for the exception (a handler naming it, a context
manager expecting it) or only a catch-all. The functions are decorated by the tests.
"""

import contextlib


def parse_port(text):
    return int(text)  # ValueError from a callee on bad input


def lookup(table, key):
    return table[key]  # KeyError from a callee


def get_in(table, keys, strict=False):
    try:
        for key in keys:
            table = table[key]
        return table
    except KeyError:
        if strict:
            raise  # a bare re-raise: the documented contract of strict=True
        return None


def check_email(address):
    if "@" not in address:
        raise ValueError(f"bad email: {address!r}")
    return address.lower()


def ratio(a, b):
    return round(a / b, 3)


class Cursor:
    """An iterator whose __next__ ends when its source does (StopIteration from next())."""

    def __init__(self, items):
        self._items = iter(items)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._items) * 2


# --- callers that expect the exception --------------------------------------------


def port_or_default(text):
    try:
        return parse_port(text)
    except ValueError:
        return 8080


def port_or_default_tuple(text):
    try:
        return parse_port(text)
    except (KeyError, ValueError):
        return 8080


def port_quietly(text):
    with contextlib.suppress(ValueError):
        return parse_port(text)
    return None


def lookup_or_none(table, key):
    try:
        return lookup(table, key)
    except LookupError:  # a base of KeyError, still narrower than Exception
        return None


def doubled(items):
    return list(Cursor(items))


def inner_catch_all_outer_narrow(a, b):
    try:
        try:
            return ratio(a, b)
        except Exception:  # the innermost handler decides: a catch-all
            return "logged"
    except ZeroDivisionError:
        return "never"


def wrong_type_then_catch_all(a, b):
    try:
        try:
            return ratio(a, b)
        except KeyError:  # does not match: the exception goes on outwards
            return "key"
    except Exception:
        return "500"


def _errors():
    return (ValueError,)


def computed_handler(text):
    try:
        return parse_port(text)
    except _errors():  # what this catches is only known by calling: cannot tell
        return 8080


# --- callers with only a catch-all --------------------------------------------------


def port_or_500(text):
    try:
        return parse_port(text)
    except Exception:
        return 500


def ratio_or_500(a, b):
    try:
        return ratio(a, b)
    except Exception:
        return 500


def ratio_bare_except(a, b):
    try:
        return ratio(a, b)
    except:  # noqa: E722
        return 500


def ratio_base_exception(a, b):
    try:
        return ratio(a, b)
    except BaseException:
        return 500


async def aratio(a, b):
    return round(a / b, 3)


async def aratio_expected(a, b):
    try:
        return await aratio(a, b)
    except ZeroDivisionError:
        return None


async def aratio_or_500(a, b):
    try:
        return await aratio(a, b)
    except Exception:
        return 500
