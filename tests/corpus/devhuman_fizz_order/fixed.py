def label(n):
    if n % 3 == 0 and n % 5 == 0:
        return "both"
    if n % 3 == 0:
        return "three"
    if n % 5 == 0:
        return "five"
    return str(n)
