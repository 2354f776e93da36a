"""Oracle of the compare_str_int case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "adults"

def oracle(mod):
    return {"failing": Call((["17", "30"],)), "examples": [(([],), [])]}

def fresh(mod):
    return [(["18", "5", "99"],), (["0"],)]
