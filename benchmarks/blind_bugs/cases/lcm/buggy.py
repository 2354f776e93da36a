def lcm(a, b):
    import math

    return abs(a * b) // math.gcd(a, a)
