class Cart:
    def __init__(self, items=None):
        self.items = dict(items or {})

    def add(self, sku, price, qty=1):
        current = self.items.get(sku, (price, 0))
        self.items[sku] = (price, current[1] + qty)
        return self.items[sku][1]

    def total(self):
        return sum(price * qty for price, qty in self.items.values())
