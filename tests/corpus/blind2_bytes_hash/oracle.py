"""Oracle of the blind2_bytes_hash case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ('blind2',)

FUNCTION = "fingerprint"

def oracle(mod):
    return {"failing": Call(("hello",)), "examples": [(("abc",), "ba7816bf")]}

def fresh(mod):
    return [("",), ("abc",), ("ünïcode",)]
