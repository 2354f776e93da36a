"""Oracle of the roman_subtractive case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('parsing',)

FUNCTION = "roman_to_int"

def oracle(mod):
    return {"examples": [(("III",), 3), (("IV",), 4), (("IX",), 9), (("LVIII",), 58), (("XL",), 40)]}

def fresh(mod):
    return [(s,) for s in ["MCMXCIV", "XC", "CD", "MMXXIV", "I", "XLII", "CCCLXV"]]
