def first_index(xs, x):
    lo, hi = 0, len(xs)
    while lo < hi:
        mid = (lo + hi) // 2
        if xs[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(xs) and xs[lo] == x:
        return lo
    return -1
