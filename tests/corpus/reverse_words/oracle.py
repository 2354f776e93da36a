"""Oracle of the reverse_words case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ()

FUNCTION = "reverse_words"

def oracle(mod):
    return {"examples": [(("a b c",), "c b a"), (("",), ""), (("one",), "one")]}

def fresh(mod):
    return [("hello big world",), ("x y",), ("  spaced   out  ",)]
