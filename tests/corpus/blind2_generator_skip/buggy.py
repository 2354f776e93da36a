def evens(limit):
    n = 0
    while n < limit:
        n += 2
        yield n
