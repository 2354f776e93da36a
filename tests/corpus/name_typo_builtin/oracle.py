"""Oracle of the name_typo_builtin case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "longest"

def oracle(mod):
    return {"failing": Call((["ab", "abc", "a"],)), "examples": [(([],), "")]}

def fresh(mod):
    return [(["x", "yy", "zz"],), (["hello", "hi"],), ([],), (["a"],)]
