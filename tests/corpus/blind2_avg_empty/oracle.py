"""Oracle of the blind2_avg_empty case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ('blind2',)

FUNCTION = "average_rating"

def oracle(mod):
    return {"examples": [(([{"stars": 4}, {"stars": None}],), 4.0), (([{"stars": 2}, {"stars": 4}],), 3.0)]}

def fresh(mod):
    return [([{"stars": 5}, {}, {"stars": 1}],), ([{"stars": 3}],)]
