"""Oracle of the blind2_slug case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('blind2',)

FUNCTION = "slugify"

def oracle(mod):
    return {"examples": [(("Hello World",), "hello-world"), (("One",), "one"), (("A b C",), "a-b-c")]}

def fresh(mod):
    return [("  Many   spaces here ",), ("X",)]
