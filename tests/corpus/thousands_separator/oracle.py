"""Oracle of the thousands_separator case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "parse_amount"

def oracle(mod):
    return {"failing": Call(("1,250.5",)), "examples": [(("3.5",), 3.5), (("10,000",), 10000.0)]}

def fresh(mod):
    return [("1,000,000",), ("0.25",), ("7",)]
