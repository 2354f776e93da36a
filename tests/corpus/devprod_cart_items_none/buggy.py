class Cart:
    def __init__(self, items=None):
        self.items = items

    def count(self):
        return sum(item["qty"] for item in self.items)


def cart_count(cart):
    return cart.count()
