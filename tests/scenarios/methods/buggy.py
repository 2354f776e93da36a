class Cart:
    tax = 0.25

    def __init__(self, prices):
        self.prices = prices

    def gross(self):
        return sum(self.prices) * (1 + self.tx)

    @classmethod
    def empty_total(cls):
        return sum([]) / len([])

    @staticmethod
    def halve(value):
        return value / "2"
