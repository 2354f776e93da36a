"""Oracle of the counter_missing_key case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "word_counts"

def oracle(mod):
    return {"failing": Call((["a", "b", "a"],)), "examples": [(([],), {})]}

def fresh(mod):
    return [(["x"] * 3 + ["y"],), (["p", "q"],), ([],)]
