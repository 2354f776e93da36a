def display_count(n):
    return f"{n} item" + ("" if n != 1 else "s")
