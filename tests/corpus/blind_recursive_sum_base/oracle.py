"""Oracle of the blind_recursive_sum_base case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ('blind', 'recursive')

FUNCTION = "nested_sum"

def oracle(mod):
    return {"failing": Call(([1, [2, 3]],)), "examples": [(([],), 0), (([4],), 4)]}

def fresh(mod):
    return [([[1], [2, [3, [4]]]],), ([[], 5],)]
