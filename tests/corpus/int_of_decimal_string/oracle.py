"""Oracle of the int_of_decimal_string case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "whole_units"

def oracle(mod):
    return {"failing": Call(("12.75",)), "examples": [(("3",), 3), (("0.5",), 0)]}

def fresh(mod):
    return [("7.0",), ("100",), ("2.999",)]
