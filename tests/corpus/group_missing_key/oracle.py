"""Oracle of the group_missing_key case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "group_by_length"

def oracle(mod):
    return {"failing": Call((["a", "bb", "c"],)), "examples": [(([],), {})]}

def fresh(mod):
    return [(["xx", "y", "zz", "www"],), (["q"],), ([],)]
