def mean_of_present(values):
    present = [v for v in values if v is not None]
    return sum(present) / len(present)
