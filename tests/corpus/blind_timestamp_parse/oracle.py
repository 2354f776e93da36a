"""Oracle of the blind_timestamp_parse case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ('blind',)

FUNCTION = "minutes"

def oracle(mod):
    return {"failing": Call(("1:30",)), "examples": [(("0:05",), 5)]}

def fresh(mod):
    return [("2:00",), ("10:59",), ("0:00",)]
