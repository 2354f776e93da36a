"""Oracle of the blind_optional_header case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ('blind',)

FUNCTION = "content_type"

def oracle(mod):
    return {"failing": Call(({},)), "examples": [(({"Content-Type": "Text/HTML; charset=utf-8"},), "text/html"), (({},), None)]}

def fresh(mod):
    return [({"Content-Type": "application/json"},), ({"X": "y"},)]
