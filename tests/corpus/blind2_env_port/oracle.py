"""Oracle of the blind2_env_port case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ('blind2',)

FUNCTION = "port_from"

def oracle(mod):
    return {"failing": Call(({"PORT": "9000"},)), "examples": [(({},), 8081)]}

def fresh(mod):
    return [({"PORT": "1"},), ({"PORT": 42},), ({"OTHER": "x"},)]
