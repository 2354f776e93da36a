"""Oracle of the blind_price_total_str case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ('blind',)

FUNCTION = "order_total"

def oracle(mod):
    return {"failing": Call(([{"price": "2.50", "qty": 2}],)), "examples": [(([],), 0.0)]}

def fresh(mod):
    return [([{"price": "1.25", "qty": 4}, {"price": "3", "qty": 1}],), ([{"price": "0.10", "qty": 3}],)]
