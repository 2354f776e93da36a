def largest_step(values):
    """Largest change between neighbours, up or down."""
    best = 0
    for a, b in zip(values, values[1:]):
        best = max(best, b - a)
    return best
