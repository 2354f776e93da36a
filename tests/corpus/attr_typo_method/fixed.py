class Cart:
    def __init__(self, items):
        self.items = list(items)

    def total(self):
        # Sum of price * quantity over the cart.
        return sum(price * qty for price, qty in self.items)
