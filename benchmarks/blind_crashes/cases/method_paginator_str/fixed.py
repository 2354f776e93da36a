class Paginator:
    def __init__(self, items, per_page):
        self.items = items
        self.per_page = per_page

    def page(self, number):
        number = int(number)
        start = (number - 1) * self.per_page
        return self.items[start:start + self.per_page]
