class Inventory:
    def __init__(self, counts=None):
        self.counts = counts

    def total(self):
        return sum(self.counts.values())
