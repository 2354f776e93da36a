"""Oracle of the none_in_loop case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "emails"

class U:
    def __init__(self, email):
        self.email = email

def oracle(mod):
    return {"failing": Call(([U("A@x"), None],)), "examples": [(([U("B@Y")],), ["b@y"]), (([],), [])]}

def fresh(mod):
    return [([None, U("Q@q"), None],), ([U("x@X"), U("Y@y")],), ([None],)]
