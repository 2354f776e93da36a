"""Oracle of the blind2_json_count case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ('blind2',)

FUNCTION = "count_tags"

def oracle(mod):
    return {"failing": Call(([{"tags": ["a", "b"]}, {"tags": ["a"]}],)), "examples": [(([],), {})]}

def fresh(mod):
    return [([{"tags": []}, {"tags": ["x", "x"]}],), ([{"tags": ["p"]}],)]
