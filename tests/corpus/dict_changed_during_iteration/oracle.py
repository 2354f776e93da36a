"""Oracle of the dict_changed_during_iteration case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "drop_empty"

def oracle(mod):
    return {"failing": Call(({"a": 1, "b": "", "c": 0, "d": [1]},)), "examples": [(({},), {}), (({"x": 1},), {"x": 1})]}

def fresh(mod):
    return [({"p": None, "q": 2},), ({"z": []},), ({"k": "v", "m": "", "n": 3},)]
