def total_duration(tasks):
    return sum(t.get("minutes") for t in tasks)
