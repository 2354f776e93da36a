"""Oracle of the blind2_method_state case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('blind2', 'method')

FUNCTION = "Account.withdraw"

def oracle(mod):
    return {"examples": [((mod.Account(10), 3), 7), ((mod.Account(5), 5), 0), ((mod.Account(8), 0), 8)]}

def fresh(mod):
    return [(mod.Account(100), a) for a in (1, 50, 99)]
