"""Oracle of the blind_tokenize_numbers case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('blind', 'parsing')

FUNCTION = "tokenize"

def oracle(mod):
    return {"examples": [(("1+2",), ["1", "+", "2"]), (("",), []), (("(12)",), ["(", "12", ")"]), (("7",), ["7"])]}

def fresh(mod):
    return [("3 * 45",), ("100",), ("1+22-333",)]
