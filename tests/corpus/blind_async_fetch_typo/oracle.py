"""Oracle of the blind_async_fetch_typo case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ('blind', 'async')

FUNCTION = "fetch_all"

class Client:
    async def fetch(self, url):
        return url.upper()

def oracle(mod):
    return {"failing": Call((Client(), ["a", "b"])), "examples": [((Client(), []), [])]}

def fresh(mod):
    return [(Client(), ["x"]), (Client(), ["p", "q", "r"])]
