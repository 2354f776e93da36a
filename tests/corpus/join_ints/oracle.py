"""Oracle of the join_ints case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "format_ids"

def oracle(mod):
    return {"failing": Call(([1, 2, 3],)), "examples": [(([],), ""), (([7],), "7")]}

def fresh(mod):
    return [([10, 20],), ([0],), ([5, 6, 7, 8],)]
