"""Oracle of the sum_of_strings case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "total_quantity"

def oracle(mod):
    return {"failing": Call((["a,2", "b,5"],)), "examples": [(([],), 0), ((["x,10"],), 10)]}

def fresh(mod):
    return [(["q,1", "r,2", "s,3"],), (["z,0"],), ([],), (["k,-3", "m,4"],)]
