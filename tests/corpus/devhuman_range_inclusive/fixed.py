def evens_between(lo, hi):
    return [n for n in range(lo, hi + 1) if n % 2 == 0]
