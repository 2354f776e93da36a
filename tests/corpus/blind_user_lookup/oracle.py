"""Oracle of the blind_user_lookup case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ('blind',)

FUNCTION = "display_names"

def oracle(mod):
    return {"failing": Call(([{"id": 1, "name": "a"}], [1, 2])), "examples": [(([{"id": 1, "name": "a"}], [1]), ["a"]), (([], []), [])]}

def fresh(mod):
    return [([{"id": 3, "name": "c"}, {"id": 4, "name": "d"}], [4, 5, 3]), ([], [9])]
