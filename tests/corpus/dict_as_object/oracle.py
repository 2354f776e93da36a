"""Oracle of the dict_as_object case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "timeout_ms"

def oracle(mod):
    return {"failing": Call(({"timeout": 2},)), "examples": [(({"timeout": 0},), 0)]}

def fresh(mod):
    return [({"timeout": 5, "retries": 1},), ({"timeout": 0.5},)]
