"""Oracle of the blind2_csv_header case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ('blind2',)

FUNCTION = "column"

def oracle(mod):
    return {"failing": Call((["a,b", ["1", "2"]], "b"))}

def fresh(mod):
    return []
