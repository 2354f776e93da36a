"""Oracle of the palindrome_index case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "is_palindrome"

def oracle(mod):
    return {"failing": Call(("abba",)), "examples": [(("",), True), (("ab",), False), (("aba",), True), (("abca",), False)]}

def fresh(mod):
    return [(w,) for w in ["racecar", "abcd", "a", "xyzx", "noon", "nooN"]]
