"""Oracle of the rpn_operand_order case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('parsing',)

FUNCTION = "rpn"

def oracle(mod):
    return {"examples": [((["5", "3", "-"],), 2), ((["2", "3", "+", "4", "*"],), 20), ((["7"],), 7), ((["1", "9", "-"],), -8)]}

def fresh(mod):
    return [(["10", "4", "-", "3", "-"],), (["6", "2", "*", "5", "-"],), (["0", "3", "-"],)]
