"""Oracle of the len_of_generator case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "count_even"

def oracle(mod):
    return {"failing": Call(([1, 2, 4],)), "examples": [(([],), 0)]}

def fresh(mod):
    return [([2, 2, 2],), ([1, 3],), (list(range(11)),)]
