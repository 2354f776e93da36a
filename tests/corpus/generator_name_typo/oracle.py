"""Oracle of the generator_name_typo case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ('generator',)

FUNCTION = "running_totals"

def oracle(mod):
    return {"failing": Call(([1, 2, 3],)), "examples": [(([],), []), (([4],), [4])]}

def fresh(mod):
    return [([0, 0, 1],), ([5, -5, 5],)]
