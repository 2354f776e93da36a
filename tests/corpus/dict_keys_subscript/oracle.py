"""Oracle of the dict_keys_subscript case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "first_key"

def oracle(mod):
    return {"failing": Call(({"a": 1, "b": 2},)), "examples": [(({"z": 0},), "z")]}

def fresh(mod):
    return [({"x": 1},), ({3: "c", 1: "a"},)]
