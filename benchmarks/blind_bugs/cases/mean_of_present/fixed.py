def mean_of_present(values):
    present = [v for v in values if v is not None]
    if not present:
        return 0.0
    return sum(present) / len(present)
