"""Oracle of the int_not_iterable case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "squares"

def oracle(mod):
    return {"failing": Call((4,)), "examples": [((0,), [])]}

def fresh(mod):
    return [(1,), (7,)]
