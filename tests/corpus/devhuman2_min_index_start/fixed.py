def index_of_smallest(values):
    best = 0
    for i in range(len(values)):
        if values[i] < values[best]:
            best = i
    return best
