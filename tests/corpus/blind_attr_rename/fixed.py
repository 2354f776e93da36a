class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

def manhattan(a, b):
    return abs(a.x - b.x) + abs(a.y - b.y)
