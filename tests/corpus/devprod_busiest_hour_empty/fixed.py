def busiest_hour(counts):
    return max(counts, key=counts.get, default=None)
