"""Oracle of the unbound_local case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "last_negative"

def oracle(mod):
    return {"failing": Call(([1, 2],)), "examples": [(([-1, 2, -3],), -3), (([-5],), -5), (([3],), None)]}

def fresh(mod):
    return [([],), ([1, -1],), ([0, 0, -2, 4],)]
