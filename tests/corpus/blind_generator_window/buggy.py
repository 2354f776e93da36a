def pairs(xs):
    for i in range(len(xs)):
        yield xs[i], xs[i + 1]
