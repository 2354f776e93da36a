def quicksort(xs):
    if len(xs) <= 1:
        return list(xs)
    pivot, rest = xs[0], xs[1:]
    smaller = [x for x in rest if x < pivot]
    larger = [x for x in rest if x >= pivot]
    return quicksort(smaller) + [pivot] + quicksort(larger)
