def tail(lines, n):
    if n <= 0:
        return []
    return lines[-n:]
