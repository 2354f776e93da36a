def clamp(x, lo, hi):
    return max(min(x, lo), hi)
