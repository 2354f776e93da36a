"""Oracle of the blind2_sorted_by_key case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ('blind2',)

FUNCTION = "top_scorers"

def oracle(mod):
    return {"failing": Call(({"a": 1, "b": 5}, 1.0)), "examples": [(({"a": 1, "b": 5}, 1), ["b"])]}

def fresh(mod):
    return [({"x": 3, "y": 2, "z": 9}, 2.0), ({}, 3)]
