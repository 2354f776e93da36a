"""Oracle of the balanced_depth case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('parsing',)

FUNCTION = "balanced"

def oracle(mod):
    return {"examples": [(("(())",), True), ((")(",), False), (("(",), False), (("",), True), (("())(",), False)]}

def fresh(mod):
    rng = random.Random(17)
    return [("".join(rng.choice("()") for _ in range(rng.randint(0, 8))),) for _ in range(60)]
