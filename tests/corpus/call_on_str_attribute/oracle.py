"""Oracle of the call_on_str_attribute case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "owner_initials"

def oracle(mod):
    return {"failing": Call((mod.Account("Ada Lovelace"),)), "examples": [((mod.Account("x"),), "x")]}

def fresh(mod):
    return [(mod.Account("Grace Brewster Hopper"),), (mod.Account(""),)]
