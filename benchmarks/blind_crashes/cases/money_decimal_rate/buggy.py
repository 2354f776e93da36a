from decimal import Decimal


def with_tax(amount, rate):
    return (amount * (1 + rate)).quantize(Decimal("0.01"))
