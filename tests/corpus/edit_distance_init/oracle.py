"""Oracle of the edit_distance_init case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('dp',)

FUNCTION = "edit_distance"

def oracle(mod):
    return {"examples": [(("kitten", "sitting"), 3), (("", "abc"), 3), (("a", ""), 1), (("ab", "ab"), 0)]}

def fresh(mod):
    rng = random.Random(47)
    word = lambda: "".join(rng.choice("ab") for _ in range(rng.randint(0, 5)))
    return [(word(), word()) for _ in range(40)]
