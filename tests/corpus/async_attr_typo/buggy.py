class Order:
    def __init__(self, lines):
        self.lines = lines

async def order_total(order):
    total = 0
    for price in order.line:
        total += price
    return total
