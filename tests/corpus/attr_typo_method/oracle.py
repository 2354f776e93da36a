"""Oracle of the attr_typo_method case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ('method',)

FUNCTION = "Cart.total"

def oracle(mod):
    return {"failing": Call((mod.Cart([(2, 3), (5, 1)]),)),
            "examples": [((mod.Cart([(1, 1)]),), 1), ((mod.Cart([]),), 0)]}

def fresh(mod):
    rng = random.Random(7)
    return [(mod.Cart([(rng.randint(0, 9), rng.randint(0, 5)) for _ in range(rng.randint(0, 6))]),) for _ in range(20)]
