"""Oracle of the stack_peek case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('method',)

FUNCTION = "Stack.peek"

def oracle(mod):
    return {"examples": [((mod.Stack([1, 2, 3]),), 3), ((mod.Stack([7]),), 7)]}

def fresh(mod):
    return [(mod.Stack([4, 5]),), (mod.Stack(list("abc")),)]
