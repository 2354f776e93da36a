"""Oracle of the set_remove_missing case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "without"

def oracle(mod):
    return {"failing": Call((["a", "b"], ["b", "z"])), "examples": [((["x"], []), ["x"]), ((["x", "y"], ["x"]), ["y"])]}

def fresh(mod):
    return [(["p", "q", "r"], ["q", "s"]), ([], ["a"]), (["m"], ["m", "m"])]
