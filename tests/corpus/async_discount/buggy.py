async def apply_discount(total, percent):
    discount = total * percent // 100
    return total + discount
