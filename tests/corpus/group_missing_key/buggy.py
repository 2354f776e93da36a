def group_by_length(words):
    groups = {}
    for w in words:
        groups[len(w)].append(w)
    return groups
