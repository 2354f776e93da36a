import math


def circle_area(r):
    return round(math.pi * r * 2, 2)
