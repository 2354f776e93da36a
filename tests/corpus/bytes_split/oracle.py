"""Oracle of the bytes_split case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "header_lines"

def oracle(mod):
    return {"failing": Call((b"Host: x\r\nAccept: */*",)), "examples": [((b"A: b",), ["A: b"])]}

def fresh(mod):
    return [(b"",), (b"X: 1\r\nY: 2\r\nZ: 3",)]
