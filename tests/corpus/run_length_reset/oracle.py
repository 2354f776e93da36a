"""Oracle of the run_length_reset case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ()

FUNCTION = "run_lengths"

def oracle(mod):
    return {"examples": [(("aab",), [("a", 2), ("b", 1)]), (("",), []), (("x",), [("x", 1)]), (("abb",), [("a", 1), ("b", 2)])]}

def fresh(mod):
    rng = random.Random(37)
    return [("".join(rng.choice("ab") for _ in range(rng.randint(0, 9))),) for _ in range(30)]
