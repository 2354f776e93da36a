"""Oracle of the str_concat_int case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "describe"

def oracle(mod):
    return {"failing": Call(("apples", 3)), "examples": [(("pears", 0), "pears: 0 items")]}

def fresh(mod):
    return [("a", 1), ("bb", 12), ("", -4)]
