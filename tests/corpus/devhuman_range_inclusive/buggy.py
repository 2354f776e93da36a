def evens_between(lo, hi):
    return [n for n in range(lo, hi) if n % 2 == 0]
