def sort_by_due(tasks):
    return sorted(tasks, key=lambda task: task["due"])
