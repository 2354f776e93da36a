from decimal import Decimal


def with_tax(amount, rate):
    return (amount * (1 + Decimal(str(rate)))).quantize(Decimal("0.01"))
