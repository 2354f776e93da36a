"""Oracle of the blind2_retry_backoff case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('blind2', 'arithmetic')

FUNCTION = "backoff_delays"

def oracle(mod):
    return {"examples": [((3, 1), [1, 2, 4]), ((0, 5), []), ((2, 3), [3, 6])]}

def fresh(mod):
    return [(n, b) for n in (1, 4, 6) for b in (1, 2, 10)]
