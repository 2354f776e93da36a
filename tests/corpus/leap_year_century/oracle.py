"""Oracle of the leap_year_century case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('arithmetic',)

FUNCTION = "is_leap"

def oracle(mod):
    return {"examples": [((2024,), True), ((1900,), False), ((2000,), True), ((2023,), False)]}

def fresh(mod):
    return [(y,) for y in range(1580, 2420, 7)]
