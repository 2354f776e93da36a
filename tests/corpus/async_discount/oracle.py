"""Oracle of the async_discount case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('async',)

FUNCTION = "apply_discount"

def oracle(mod):
    return {"examples": [((200, 10), 180), ((100, 0), 100), ((50, 50), 25)]}

def fresh(mod):
    return [(t, p) for t in (0, 99, 1000) for p in (0, 5, 25, 100)]
