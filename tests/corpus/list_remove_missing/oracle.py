"""Oracle of the list_remove_missing case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "remove_all"

def oracle(mod):
    return {"failing": Call(([1, 2, 3], [2, 5])), "examples": [(([1], []), [1]), (([1, 1], [1]), [1])]}

def fresh(mod):
    return [([4, 5, 6], [7]), ([], [1]), ([1, 2, 2], [2, 2, 2])]
