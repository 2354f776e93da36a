"""Oracle of the split_maxsplit case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "parse_setting"

def oracle(mod):
    return {"failing": Call(("url = a=b",)), "examples": [(("x=1",), ("x", "1"))]}

def fresh(mod):
    return [("k = v",), ("q==",), ("a=b=c=d",)]
