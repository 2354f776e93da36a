"""Oracle of the name_typo_local case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "word_lengths"

def oracle(mod):
    return {"failing": Call(("a bb ccc",)), "examples": [(("",), {})]}

def fresh(mod):
    return [("the quick brown fox",), ("x",), ("aa aa b",), ("",)]
