"""Oracle of the async_attr_typo case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ('async',)

FUNCTION = "order_total"

def oracle(mod):
    return {"failing": Call((mod.Order([1, 2]),)), "examples": [((mod.Order([]),), 0)]}

def fresh(mod):
    return [(mod.Order([5]),), (mod.Order([1, 1, 1]),)]
