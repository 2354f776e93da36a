def first_half(items):
    out = []
    for i in range(len(items) // 2):
        out.append(items[i])
    return out
