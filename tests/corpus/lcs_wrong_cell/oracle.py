"""Oracle of the lcs_wrong_cell case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ()

FUNCTION = "lcs_length"

def oracle(mod):
    return {"examples": [(("abcde", "ace"), 3), (("aa", "a"), 1), (("", "x"), 0), (("abc", "abc"), 3), (("aab", "ab"), 2)]}

def fresh(mod):
    rng = random.Random(9)
    word = lambda: "".join(rng.choice("abc") for _ in range(rng.randint(0, 7)))
    return [(word(), word()) for _ in range(40)]
