"""Oracle of the blind_queue_iter_mutation case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ('blind',)

FUNCTION = "expire"

def oracle(mod):
    return {"failing": Call(({"a": 1, "b": 5}, 3)), "examples": [(({}, 0), []), (({"x": 9}, 1), ["x"])]}

def fresh(mod):
    return [({"p": 1, "q": 2, "r": 3}, 3), ({"z": 0}, 5)]
