def total_duration(tasks):
    return sum(t.get("minutes", 0) for t in tasks)
