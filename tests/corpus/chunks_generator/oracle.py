"""Oracle of the chunks_generator case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('generator',)

FUNCTION = "chunks"

def oracle(mod):
    return {"examples": [(([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]), (([], 3), []), (([1], 1), [[1]])]}

def fresh(mod):
    return [(list(range(n)), k) for n in range(0, 9) for k in (1, 2, 3)]
