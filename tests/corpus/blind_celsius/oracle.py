"""Oracle of the blind_celsius case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('blind', 'arithmetic')

FUNCTION = "to_fahrenheit"

def oracle(mod):
    return {"examples": [((0,), 32.0), ((100,), 212.0), ((-40,), -40.0)]}

def fresh(mod):
    return [(c,) for c in (-10, 5, 37, 250)]
