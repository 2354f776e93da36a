"""Oracle of the count_upper_method case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ()

FUNCTION = "count_vowels"

def oracle(mod):
    return {"examples": [(("Hello",), 2), (("",), 0), (("AEIOU",), 5), (("xyz",), 0)]}

def fresh(mod):
    return [("Programming",), ("QUEUE",), ("rhythm",)]
