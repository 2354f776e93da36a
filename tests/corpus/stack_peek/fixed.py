class Stack:
    def __init__(self, items=()):
        self.items = list(items)

    def push(self, x):
        self.items.append(x)

    def peek(self):
        return self.items[-1]
