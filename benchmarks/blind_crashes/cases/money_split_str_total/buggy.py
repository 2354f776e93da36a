from decimal import ROUND_DOWN, Decimal


def split_bill(total, people):
    share = (total / people).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    shares = [share] * people
    shares[0] += total - share * people
    return shares
