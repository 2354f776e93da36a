"""Oracle of the unpack_dict_items case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "invert"

def oracle(mod):
    return {"failing": Call(({"abc": 1, "de": 2},)), "examples": [(({},), {})]}

def fresh(mod):
    return [({"x": 9},), ({"one": 1, "two": 2, "three": 3},), ({"aa": "bb"},)]
