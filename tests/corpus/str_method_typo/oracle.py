"""Oracle of the str_method_typo case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "shout"

def oracle(mod):
    return {"failing": Call(("hey",)), "examples": [(("ok",), "OK!")]}

def fresh(mod):
    return [("",), ("MiXed",)]
