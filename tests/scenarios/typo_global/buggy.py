import os

REDUCED_RATES = {"books": 0.07, "food": 0.07}
STANDARD_RATES = {"books": 0.19, "food": 0.19}


def delete_everything():
    raise RuntimeError("never called by a patch")


def vat(category, amount):
    return round(amount * REDUCED_RATE[category], 2)
