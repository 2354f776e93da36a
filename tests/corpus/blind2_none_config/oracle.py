"""Oracle of the blind2_none_config case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ('blind2',)

FUNCTION = "feature_enabled"

def oracle(mod):
    return {"failing": Call(({}, "beta")), "examples": [(({"features": ["beta"]}, "beta"), True), (({}, "x"), False)]}

def fresh(mod):
    return [({"features": []}, "a"), ({"features": ["a", "b"]}, "b"), ({"other": 1}, "b")]
